#!/usr/bin/env bash
# The README's test command: installs what is missing, then for each preset configures, builds and
# runs its tests with ctest, which prints the summary:
#   debug   - every test under AddressSanitizer and UndefinedBehaviorSanitizer;
#   fuzz    - each libFuzzer target for a few seconds (packaging/fuzz.sh runs long campaigns);
#   release - every test and a brief run of every benchmark; this includes e2e.ethers, the
#             end-to-end test with ethers v6 and solc from npm, whose pinned packages
#             (test/e2e/package-lock.json) are installed first with `npm ci`;
# then the README's main command, packaging/demo.sh, on the release build (start, status, clean).
# TALLY_SKIP_SANITIZE=1 skips the debug and fuzz passes.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh

# Node.js (>= 18) and npm come with the machine, not from debian-packages.txt: CI machines carry
# NodeSource's nodejs, which bundles npm and conflicts with Debian's npm package. Where they are
# missing e2e.ethers is skipped and says so. npm ci needs the npm registry; it runs first, so a
# registry out of reach fails at once rather than after the sanitizer pass.
if command -v node >/dev/null && command -v npm >/dev/null; then
  echo "== e2e: Node packages (npm ci when test/e2e/node_modules is missing or stale)"
  test/e2e/run.sh --install
else
  echo "== e2e: node or npm is missing: e2e.ethers will be skipped"
fi

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

# The README's main command on the release build just made: the demo consortium starts, every
# node answers, and it stops cleanly (ports apart from the defaults, so a running demo is left be).
echo "== demo: start, status, clean"
demo_dir=$(mktemp -d)
export TALLY_DEMO_DIR=$demo_dir/consortium TALLY_DEMO_SKIP_BUILD=1
export TALLY_DEMO_P2P_PORT=38300 TALLY_DEMO_RPC_PORT=18645
trap 'packaging/demo.sh clean >/dev/null 2>&1 || true; rm -rf "$demo_dir"' EXIT
packaging/demo.sh >/dev/null
packaging/demo.sh status
packaging/demo.sh clean
echo "demo: passed"
