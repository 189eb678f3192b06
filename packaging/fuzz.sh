#!/usr/bin/env bash
# Long fuzzing campaigns: builds the fuzz preset (clang 19, libFuzzer, ASan, UBSan) and runs every
# target (or those whose name matches the second argument) for the given seconds each, one after
# the other, keeping what they discover in build/fuzz/test/fuzz/corpus/<target>.
#   packaging/fuzz.sh [seconds=600] [name-regex=.]
# A crash leaves its input in build/fuzz/test/fuzz/artifacts/; replay it with
#   build/fuzz/test/fuzz/fuzz_<target> <that file>
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
pattern=${2:-.}

packaging/install-deps.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

dir=build/fuzz/test/fuzz
export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-19/bin/llvm-symbolizer
for binary in "$dir"/fuzz_*; do
  name=${binary##*/fuzz_}
  [[ "$name" =~ $pattern ]] || continue
  seeds=test/fuzz/corpus/$name
  [[ -d "$seeds" ]] || seeds=
  echo "== fuzz $name for ${seconds}s"
  "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/$name-" "$dir/corpus/$name" $seeds
done
