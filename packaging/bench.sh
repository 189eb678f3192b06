#!/usr/bin/env bash
# Runs the benchmarks for real: release build, 5 repetitions, medians. Extra arguments go to
# Google Benchmark (for example --benchmark_filter=Keccak). CI only runs them once, briefly, as the
# bench.smoke test. The machine is shared and noisy: compare medians and ratios, not single runs.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target tally_bench
TALLY_BENCH_LARGE=1 ./build/release/test/tally_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out=build/release/bench.json --benchmark_out_format=json "$@" |
  grep -E 'median|^Benchmark|^-|^Run|CPU|Load' || true
echo "bench: full results in build/release/bench.json"
