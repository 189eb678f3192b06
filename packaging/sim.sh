#!/usr/bin/env bash
# Long consensus simulator campaigns (test/sim/): builds the release preset and runs every
# scenario (n = 4, 7, 10) over many seeds, in one process per shard, printing each shard's seed
# range, blocks finalised and worst time to finality after the heal.
#   packaging/sim.sh [seeds per validator count=100000] [first seed=1]
# A failing seed prints the one command that replays it, e.g.
#   TALLY_SEED=1234 ./build/release/test/tally_sim --gtest_filter='Shard/SevenValidators.*/0'
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-100000}
first=${2:-1}

cmake --preset release >/dev/null
cmake --build --preset release --target tally_sim
TALLY_SIM_SEEDS=$seeds TALLY_SIM_FIRST_SEED=$first ./build/release/test/tally_sim \
  --gtest_filter='Shard/*' 2>&1 | grep -E '^\[sim\]|Failure|replay:|  node|  liveness|PASSED|FAILED'
