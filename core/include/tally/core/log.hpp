#pragma once
// Structured logs: one JSON object a line, {"ts":..., "level":..., "component":..., "msg":...,
// then the fields in the order given}. Strings are escaped to valid JSON whatever bytes they hold
// (invalid UTF-8 becomes U+FFFD), so a log line can never be forged or broken by its input.
//
//   logger.info("block committed", {{"block_number", 12}, {"txs", 3}, {"hash", hash_hex}});

#include <concepts>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include <tally/core/clock.hpp>

namespace tally {

enum class LogLevel : std::uint8_t { debug = 0, info = 1, warn = 2, error = 3 };

std::string_view log_level_name(LogLevel level) noexcept;

// One key and value of a log line. It views its key and string value: build it in the call.
// Keys are names chosen in code; the line's own keys (ts, level, component, msg) are reserved.
struct LogField {
  using Value = std::variant<std::string_view, std::int64_t, std::uint64_t, bool>;

  LogField(std::string_view field_key, std::string_view text) : key(field_key), value(text) {}
  LogField(std::string_view field_key, const char* text)
      : key(field_key), value(std::string_view(text)) {}
  LogField(std::string_view field_key, const std::string& text)
      : key(field_key), value(std::string_view(text)) {}
  // Exactly bool: chars, floating point and pointers must not slip in as a flag.
  template <std::same_as<bool> Flag>
  LogField(std::string_view field_key, Flag flag) : key(field_key), value(flag) {}
  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char>)
      LogField(std::string_view field_key, T number)
      : key(field_key),
        value(std::is_signed_v<T> ? Value(static_cast<std::int64_t>(number))
                                  : Value(static_cast<std::uint64_t>(number))) {}

  std::string_view key;
  Value value;
};

// Where complete lines go. `write` receives one line without its newline; it must be safe to call
// from several threads.
class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void write(std::string_view line) = 0;
};

// Lines to a stdio stream (stderr by default), each written whole and flushed.
class StreamLogSink final : public LogSink {
 public:
  explicit StreamLogSink(std::FILE* stream = stderr) noexcept : stream_(stream) {}
  void write(std::string_view line) override;

 private:
  std::mutex mutex_;
  std::FILE* stream_;  // guarded by mutex_
};

class Logger {
 public:
  // The sink and clock must outlive the logger and every logger derived from it.
  Logger(LogSink& sink,
         const Clock& clock,
         std::string component = {},
         LogLevel min_level = LogLevel::info);

  // A logger writing to the same sink under another component name ("chain.consensus").
  Logger for_component(std::string component) const;

  bool enabled(LogLevel level) const noexcept { return level >= min_level_; }
  void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

  void debug(std::string_view message, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::debug, message, fields);
  }
  void info(std::string_view message, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::info, message, fields);
  }
  void warn(std::string_view message, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::warn, message, fields);
  }
  void error(std::string_view message, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::error, message, fields);
  }

 private:
  LogSink* sink_;
  const Clock* clock_;
  std::string component_;
  LogLevel min_level_;
};

// Appends `text` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

}  // namespace tally
