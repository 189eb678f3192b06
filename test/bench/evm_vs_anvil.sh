#!/bin/sh
# tally's EVM against anvil (revm) on shared/testdata/evm/benchmarks; see evm_vs_anvil.py.
# Installs the pinned anvil (anvil/package.json, package-lock.json) into anvil/node_modules
# (gitignored), starts it on a local port, runs the comparison and stops it. Needs a release build
# (cmake --preset release && cmake --build --preset release).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/anvil"
npm ci --no-audit --no-fund >/dev/null
port=${ANVIL_PORT:-18545}
./node_modules/.bin/anvil --port "$port" --silent --disable-block-gas-limit \
  --code-size-limit 1000000 --block-base-fee-per-gas 0 &
anvil_pid=$!
trap 'kill "$anvil_pid" 2>/dev/null' EXIT
for _ in $(seq 50); do
  curl -s -o /dev/null -H 'Content-Type: application/json' \
    -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "http://127.0.0.1:$port" && break
  sleep 0.2
done
python3 "$here/evm_vs_anvil.py" "http://127.0.0.1:$port"
