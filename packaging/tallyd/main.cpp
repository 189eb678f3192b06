// `tallyd`: a Tally node (packaging/README.md: its threads and its shutdown order).

#include <cstdio>
#include <string_view>
#include <vector>

#include <tally/core/clock.hpp>
#include <tally/core/log.hpp>

#include "command_line.hpp"
#include "daemon.hpp"
#include "signals.hpp"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

}  // namespace

int main(int argc, char** argv) {
  // First, before any thread exists, so every thread inherits the mask (signals.hpp).
  tally::tallyd::block_stop_signals();
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  const auto arguments = tally::tallyd::parse_arguments(args);
  if (!arguments) {
    std::fprintf(stderr, "tallyd: %s\n%s", arguments.error().message.c_str(),
                 tally::tallyd::kUsage.data());
    return kExitUsage;
  }
  switch (arguments->mode) {
    case tally::tallyd::Mode::help:
      std::fputs(tally::tallyd::kUsage.data(), stdout);
      return kExitOk;
    case tally::tallyd::Mode::version:
      std::printf("tallyd %s\n", tally::tallyd::kVersion.data());
      return kExitOk;
    case tally::tallyd::Mode::check_config:
      return tally::tallyd::check_config(arguments->config) ? kExitOk : kExitFailure;
    case tally::tallyd::Mode::run:
      return tally::tallyd::run_node(arguments->config) ? kExitOk : kExitFailure;
  }
  return kExitFailure;
}
