#include "chain_report.hpp"

#include <algorithm>
#include <ostream>
#include <string>

#include <boost/json.hpp>

#include <tally/core/str_cat.hpp>

namespace tally::cli {
namespace {

namespace json = boost::json;

// Strings without their quotes; anything else in its JSON form.
std::string cell(const json::value& value) {
  if (value.is_string())
    return std::string(value.get_string());
  if (value.is_null())
    return "-";
  if (const json::object* object = value.if_object()) {  // a log: "key=value key=value"
    std::string text;
    for (const auto& item : *object)
      text +=
          str_cat(text.empty() ? "" : " ", std::string_view(item.key()), "=", cell(item.value()));
    return text;
  }
  return json::serialize(value);
}

}  // namespace

void write_chain_json(std::ostream& out, const json::object& result) {
  out << json::serialize(result) << '\n';
}

void write_chain_table(std::ostream& out, const json::object& result) {
  std::size_t width = 0;
  for (const auto& item : result)
    width = std::max(width, item.key().size());
  for (const auto& item : result) {
    out << item.key() << std::string(width - item.key().size() + 2, ' ');
    const json::array* list = item.value().if_array();
    if (!list) {
      out << cell(item.value()) << '\n';
      continue;
    }
    out << list->size() << '\n';
    for (const json::value& element : *list)
      out << "  - " << cell(element) << '\n';
  }
}

}  // namespace tally::cli
