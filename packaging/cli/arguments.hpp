#pragma once
// The command line of one `tally` command: options ("--name value" or "--name=value"), flags
// ("--name") and positional arguments, checked against what the command declares, so a typo is
// an error naming the option rather than a silently ignored word.

#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tally/core/error.hpp>

namespace tally::cli {

struct ArgumentSpec {
  std::set<std::string, std::less<>> options;  // take a value
  std::set<std::string, std::less<>> flags;    // take none
};

class Arguments {
 public:
  // `args` excludes the program and command names. Errc::invalid_argument names the culprit.
  static Result<Arguments> parse(std::span<const std::string_view> args, const ArgumentSpec& spec);

  bool flag(std::string_view name) const { return flags_.contains(name); }
  // The option's value, or `otherwise` when it was not given.
  std::string option(std::string_view name, std::string_view otherwise = {}) const;
  bool has(std::string_view name) const { return options_.contains(name); }
  const std::vector<std::string>& positional() const noexcept { return positional_; }

 private:
  std::map<std::string, std::string, std::less<>> options_;
  std::set<std::string, std::less<>> flags_;
  std::vector<std::string> positional_;
};

}  // namespace tally::cli
