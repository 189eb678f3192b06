#!/usr/bin/env bash
# ctest's e2e.ethers: installs the pinned Node packages when node_modules is missing or does not
# match package-lock.json (npm ci, which needs the npm registry), then runs the end-to-end test
# with Node's test runner against the tally and tallyd binaries named by TALLY_CLI and TALLYD
# (default: build/release/packaging/).
#   run.sh             install if needed, then test
#   run.sh --install   install if needed, nothing else (packaging/test.sh does this up front)
# Exit codes: 0 passed; 1 failed; 77 skipped because node or npm is missing (ctest SKIP_RETURN_CODE).
# TALLY_E2E_KEEP=1 keeps the consortium folder and logs of a passing run (a failing one always).
set -euo pipefail
cd "$(dirname "$0")"

for program in node npm; do
  if ! command -v "$program" >/dev/null; then
    echo "e2e: SKIPPED: '$program' is not installed; the end-to-end test needs Node.js >= 18 and npm" >&2
    exit 77
  fi
done
major=$(node -p 'process.versions.node.split(".")[0]')
if ((major < 18)); then
  echo "e2e: Node.js $(node --version) is too old: the test runner and fetch need Node.js >= 18" >&2
  exit 1
fi

# node_modules is current when it was installed from this very package-lock.json.
stamp=node_modules/.tally-package-lock.sha256
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp ]] || [[ $(cat "$stamp") != "$wanted" ]]; then
  echo "e2e: npm ci (node_modules missing or not from this package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$wanted" > "$stamp"
fi
[[ ${1:-} == --install ]] && exit 0

exec node --test ethers.test.js
