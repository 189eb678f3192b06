#!/bin/sh
# Node throughput: a 4-validator tallyd cluster against anvil on the same pre-signed transfers;
# see node_tps.py (arguments go to it, e.g. --transfers 40000). Installs the pinned anvil
# (anvil/package.json, package-lock.json) into anvil/node_modules (gitignored). Needs a release
# build of tally, tallyd and tally_sign_transfers (TALLY_BUILD overrides build/release).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
(cd "$here/anvil" && npm ci --no-audit --no-fund >/dev/null 2>&1) ||
  { echo "node_tps: npm ci in $here/anvil failed (npm and its registry or cache needed)" >&2; exit 1; }
exec python3 "$here/node_tps.py" --build "${TALLY_BUILD:-$here/../../build/release}" "$@"
