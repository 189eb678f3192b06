#include <tally/adapters/parse_report.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::adapters {

std::string LocatedError::to_string() const {
  std::string out = where.file_id;
  if (where.line > 0) {
    out += str_cat(":", where.line);
    if (column > 0)
      out += str_cat(":", column);
  }
  if (!where.element_path.empty())
    out += str_cat(":", where.element_path);
  return str_cat(out, ": ", reason);
}

void ParseReport::add_error(LocatedError error) {
  ++error_count_;
  if (errors_.size() < kMaxReportedErrors) {
    errors_.push_back(std::move(error));
  } else {
    truncated_ = true;
  }
}

}  // namespace tally::adapters
