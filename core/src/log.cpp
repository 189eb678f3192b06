#include <tally/core/assert.hpp>
#include <tally/core/log.hpp>
#include <tally/core/str_cat.hpp>

namespace tally {
namespace {

constexpr std::string_view kReplacement = "\xef\xbf\xbd";  // U+FFFD in UTF-8

// Length of the valid UTF-8 sequence starting at text[pos], or 0 if it is not valid (overlong
// forms, surrogates and code points above U+10FFFF are invalid).
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xbf;  // the accepted range of the second byte
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0)
      low = 0xa0;
    if (lead == 0xed)
      high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0)
      low = 0x90;
    if (lead == 0xf4)
      high = 0x8f;
  } else {
    return 0;
  }
  if (pos + length > text.size())
    return 0;
  if (byte(1) < low || byte(1) > high)
    return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xbf)
      return 0;
  }
  return length;
}

bool is_reserved_key(std::string_view key) noexcept {
  return key == "ts" || key == "level" || key == "component" || key == "msg";
}

void append_field_value(std::string& out, const LogField::Value& value) {
  if (const auto* text = std::get_if<std::string_view>(&value)) {
    append_json_string(out, *text);
  } else if (const auto* flag = std::get_if<bool>(&value)) {
    out += *flag ? "true" : "false";
  } else if (const auto* signed_number = std::get_if<std::int64_t>(&value)) {
    out += str_cat(*signed_number);
  } else {
    out += str_cat(std::get<std::uint64_t>(value));
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t pos = 0; pos < text.size();) {
    const auto c = static_cast<unsigned char>(text[pos]);
    if (c >= 0x80) {
      const std::size_t length = utf8_sequence_length(text, pos);
      if (length == 0) {
        out += kReplacement;
        ++pos;
      } else {
        out.append(text, pos, length);
        pos += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0x0f];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++pos;
  }
  out += '"';
}

std::string_view log_level_name(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
  }
  return "unknown";
}

void StreamLogSink::write(std::string_view line) {
  const std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), stream_);
  std::fputc('\n', stream_);
  std::fflush(stream_);
}

Logger::Logger(LogSink& sink, const Clock& clock, std::string component, LogLevel min_level)
    : sink_(&sink), clock_(&clock), component_(std::move(component)), min_level_(min_level) {}

Logger Logger::for_component(std::string component) const {
  return Logger(*sink_, *clock_, std::move(component), min_level_);
}

void Logger::log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (!enabled(level))
    return;
  std::string line;
  line.reserve(128);
  line += "{\"ts\":\"";
  line += to_rfc3339_ms(clock_->now());
  line += "\",\"level\":\"";
  line += log_level_name(level);
  line += '"';
  if (!component_.empty()) {
    line += ",\"component\":";
    append_json_string(line, component_);
  }
  line += ",\"msg\":";
  append_json_string(line, message);
  for (const LogField& field : fields) {
    // A field named like the line's own keys would let a caller forge them.
    TALLY_ASSERT(!is_reserved_key(field.key));
    line += ',';
    append_json_string(line, field.key);
    line += ':';
    append_field_value(line, field.value);
  }
  line += '}';
  sink_->write(line);
}

}  // namespace tally
