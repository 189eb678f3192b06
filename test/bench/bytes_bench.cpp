#include <benchmark/benchmark.h>

#include <tally/core/bytes.hpp>

namespace {

void BM_HexDecode(benchmark::State& state) {
  const std::string hex =
      tally::to_hex(tally::Bytes(static_cast<std::size_t>(state.range(0)), 0xa5));
  for (auto _ : state)
    benchmark::DoNotOptimize(tally::from_hex(hex));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_HexDecode)->Arg(32)->Arg(4096);

}  // namespace
