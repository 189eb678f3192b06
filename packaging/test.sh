#!/usr/bin/env bash
# The README's test command: installs what is missing, configures and builds the release preset,
# runs every test with ctest and prints its summary. Then the same under AddressSanitizer and
# UndefinedBehaviorSanitizer (the debug preset); TALLY_SKIP_SANITIZE=1 skips that second pass.
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
fi
# Release last, so its summary closes the output.
run_preset release
