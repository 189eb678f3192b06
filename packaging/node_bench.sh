#!/usr/bin/env bash
# The node throughput benchmark for real: a 4-validator tallyd cluster against anvil on 40,000
# pre-signed transfers (test/bench/node_tps.py; arguments pass through, e.g. --transfers 80000).
# CI runs it with 200 transfers as the bench.node_tps test. The machine is shared and noisy:
# compare CPU per tx and repeated runs, not one TPS figure.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target tally tallyd tally_sign_transfers
exec test/bench/node_tps.sh --transfers 40000 "$@"
