#pragma once
// Seeds for property tests. Every random test takes its seed from here and prints it on failure, so
// `TALLY_SEED=<n> tally_core_tests --gtest_filter=<test>` replays it exactly.

#include <cstdint>
#include <string>

namespace tally::test {

// $TALLY_SEED if set, otherwise a fresh seed from std::random_device.
std::uint64_t test_seed();

// "seed 1234 (replay: TALLY_SEED=1234)" for SCOPED_TRACE.
std::string seed_trace(std::uint64_t seed);

// How many iterations a property test runs: `base` by default, scaled by $TALLY_PROPERTY_SCALE
// (long campaigns set it to 100 or more).
std::uint64_t property_iterations(std::uint64_t base);

}  // namespace tally::test
