#!/usr/bin/env bash
# The README's test command: installs what is missing, then for each preset configures, builds and
# runs its tests with ctest, which prints the summary:
#   debug   - every test under AddressSanitizer and UndefinedBehaviorSanitizer;
#   fuzz    - each libFuzzer target for a few seconds (packaging/fuzz.sh runs long campaigns);
#   release - every test and a brief run of every benchmark, last, so its summary closes the output.
# TALLY_SKIP_SANITIZE=1 skips the debug and fuzz passes.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh

jobs=$(nproc)
run_preset() {
  echo "== $1: configure, build, test"
  cmake --preset "$1"
  cmake --build --preset "$1" -j "$jobs"
  ctest --preset "$1" -j "$jobs"
}

if [[ "${TALLY_SKIP_SANITIZE:-0}" != 1 ]]; then
  run_preset debug
  run_preset fuzz
fi
run_preset release
