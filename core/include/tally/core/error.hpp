#pragma once
// Expected failures are values: `Result<T>` is `std::expected<T, Error>`. An Error has a stable
// code (its number never changes once released; new codes are appended) and a message that names
// the place: the offset, field or line where the input went wrong.
//
// Codes are deliberately coarse, like gRPC status codes; a module that needs business rejections
// with fixed codes of its own (a tx pool's "nonce too low") declares its own enum beside this one.

#include <cstdint>
#include <expected>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>

namespace tally {

enum class Errc : std::uint16_t {
  invalid_argument = 1,     // a caller passed something outside the contract
  malformed = 2,            // input that does not parse: bad hex, bad RLP, bad number
  out_of_range = 3,         // well-formed but outside the accepted range
  overflow = 4,             // arithmetic would exceed its type
  not_found = 5,            // a thing asked for does not exist
  already_exists = 6,       // a thing to be created exists already
  limit_exceeded = 7,       // a size, length or count bound was crossed
  verification_failed = 8,  // a signature, proof or checksum does not verify
  unsupported = 9,          // valid, but not something this build or chain supports
  io_error = 10,            // the operating system refused a read or write
  corrupted = 11,           // stored data fails its own consistency checks
  internal = 12,            // a library we call failed unexpectedly
  unavailable = 13,         // busy or locked for now: the same call may succeed if retried
};

// Stable text name of a code, for logs and APIs ("malformed", ...).
std::string_view errc_name(Errc code) noexcept;

struct Error {
  Errc code;
  std::string message;

  bool operator==(const Error&) const = default;
};

template <typename T>
using Result = std::expected<T, Error>;

// Shorthand for returning a failure: `return fail(Errc::malformed, "offset 3: odd length");`
inline std::unexpected<Error> fail(Errc code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}

// The same result with "context: " in front of an error's message, to say where it happened:
//   in_context(reader.read_fixed<32>(), "block header: parent_hash")
template <typename T>
Result<T> in_context(Result<T>&& result, std::string_view context) {
  if (!result)
    result.error().message.insert(0, std::string(context) + ": ");
  return std::move(result);
}

// Unwraps a Result or returns its error from the calling function (which must return a Result):
//   TALLY_TRY(auto nonce, reader.read_uint64());
//   TALLY_TRY(header.gas_used, reader.read_uint64());
// TALLY_TRY_VOID(expr) does the same for a Result<void>.
#define TALLY_TRY(lhs, expr) TALLY_TRY_IMPL(lhs, expr, TALLY_TRY_NAME(__LINE__))
#define TALLY_TRY_VOID(expr)                                   \
  if (auto tally_try_void = (expr); !tally_try_void) {         \
    return std::unexpected(std::move(tally_try_void.error())); \
  }                                                            \
  static_assert(true, "TALLY_TRY_VOID must end with a semicolon")
#define TALLY_TRY_NAME(line) TALLY_TRY_CONCAT(tally_try_result_, line)
#define TALLY_TRY_CONCAT(a, b) a##b
#define TALLY_TRY_IMPL(lhs, expr, tmp)              \
  auto tmp = (expr);                                \
  if (!tmp)                                         \
    return std::unexpected(std::move(tmp.error())); \
  lhs = std::move(*tmp)

// "malformed: offset 3: odd length"
std::string to_string(const Error& error);
std::ostream& operator<<(std::ostream& out, const Error& error);

// GoogleTest's printing hook, found by argument-dependent lookup: without it a failing assertion
// on a Result dumps the object's raw bytes, private keys included. A value is printed only through
// its own operator<< (which redacts secrets); a value without one prints as "<value>".
template <typename T>
void PrintTo(const Result<T>& result, std::ostream* out) {
  if (!result) {
    *out << "error(" << result.error() << ")";
  } else if constexpr (std::is_void_v<T>) {
    *out << "ok";
  } else if constexpr (requires { *out << *result; }) {
    *out << "ok(" << *result << ")";
  } else {
    *out << "ok(<value>)";
  }
}

}  // namespace tally
