#pragma once
// tallyd's command line: `tallyd --config FILE`, `tallyd --check-config FILE`, `tallyd --version`.

#include <filesystem>
#include <span>
#include <string_view>

#include <tally/core/error.hpp>

namespace tally::tallyd {

enum class Mode { run, check_config, version, help };

struct Arguments {
  Mode mode = Mode::help;
  std::filesystem::path config;
};

// `args` excludes the program name. Errc::invalid_argument names the word it could not take.
Result<Arguments> parse_arguments(std::span<const std::string_view> args);

inline constexpr std::string_view kUsage =
    "usage: tallyd --config FILE        run the node the file describes\n"
    "       tallyd --check-config FILE  check the file (and the genesis it names), then exit\n"
    "       tallyd --version\n";

}  // namespace tally::tallyd
