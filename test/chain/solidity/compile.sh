#!/bin/sh
# Regenerates contracts.json from Counter.sol with the solc pinned in package.json/package-lock.json
# (installed into node_modules, gitignored). The test reads the checked-in contracts.json, so CI
# needs neither npm nor the network; run this after changing Counter.sol.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund >/dev/null
node compile.js
