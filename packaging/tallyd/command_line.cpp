#include "command_line.hpp"

#include <tally/core/str_cat.hpp>

namespace tally::tallyd {

namespace {

// "--name value" or "--name=value".
Result<std::filesystem::path> path_option(std::span<const std::string_view> args,
                                          std::size_t& index,
                                          std::string_view name) {
  const std::string_view word = args[index];
  if (word.size() > name.size() && word[name.size()] == '=')
    return std::filesystem::path(word.substr(name.size() + 1));
  if (index + 1 >= args.size())
    return fail(Errc::invalid_argument, str_cat(name, " needs a file"));
  return std::filesystem::path(args[++index]);
}

bool is_option(std::string_view word, std::string_view name) {
  return word == name ||
         (word.starts_with(name) && word.size() > name.size() && word[name.size()] == '=');
}

}  // namespace

Result<Arguments> parse_arguments(std::span<const std::string_view> args) {
  Arguments parsed;
  bool have_mode = false;
  for (std::size_t index = 0; index < args.size(); ++index) {
    const std::string_view word = args[index];
    Mode mode = Mode::help;
    if (is_option(word, "--config")) {
      mode = Mode::run;
      TALLY_TRY(parsed.config, path_option(args, index, "--config"));
    } else if (is_option(word, "--check-config")) {
      mode = Mode::check_config;
      TALLY_TRY(parsed.config, path_option(args, index, "--check-config"));
    } else if (word == "--version") {
      mode = Mode::version;
    } else if (word == "--help" || word == "-h") {
      mode = Mode::help;
    } else {
      return fail(Errc::invalid_argument, str_cat("unknown argument '", word, "'"));
    }
    if (have_mode)
      return fail(Errc::invalid_argument, str_cat("'", word,
                                                  "': one of --config, "
                                                  "--check-config, --version at a time"));
    have_mode = true;
    parsed.mode = mode;
  }
  if (!have_mode)
    return fail(Errc::invalid_argument, "nothing to do: give --config FILE");
  return parsed;
}

}  // namespace tally::tallyd
