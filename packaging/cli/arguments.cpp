#include "arguments.hpp"

#include <optional>

#include <tally/core/str_cat.hpp>

namespace tally::cli {

Result<Arguments> Arguments::parse(std::span<const std::string_view> args,
                                   const ArgumentSpec& spec) {
  Arguments parsed;
  bool only_positional = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (only_positional || !arg.starts_with("--")) {
      parsed.positional_.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positional = true;
      continue;
    }
    std::string_view name = arg.substr(2);
    std::optional<std::string_view> value;
    if (const auto equals = name.find('='); equals != std::string_view::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
    }
    if (spec.flags.contains(name)) {
      if (value)
        return fail(Errc::invalid_argument, str_cat("--", name, " takes no value"));
      parsed.flags_.emplace(name);
      continue;
    }
    if (!spec.options.contains(name))
      return fail(Errc::invalid_argument, str_cat("unknown option --", name));
    if (!value) {
      if (i + 1 == args.size())
        return fail(Errc::invalid_argument, str_cat("--", name, " needs a value"));
      value = args[++i];
    }
    if (!parsed.options_.emplace(name, *value).second)
      return fail(Errc::invalid_argument, str_cat("--", name, " given twice"));
  }
  return parsed;
}

std::string Arguments::option(std::string_view name, std::string_view otherwise) const {
  const auto found = options_.find(name);
  return std::string(found == options_.end() ? otherwise : std::string_view(found->second));
}

}  // namespace tally::cli
