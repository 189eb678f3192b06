#include <tally/core/error.hpp>

namespace tally {

std::string_view errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::invalid_argument:
      return "invalid_argument";
    case Errc::malformed:
      return "malformed";
    case Errc::out_of_range:
      return "out_of_range";
    case Errc::overflow:
      return "overflow";
    case Errc::not_found:
      return "not_found";
    case Errc::already_exists:
      return "already_exists";
    case Errc::limit_exceeded:
      return "limit_exceeded";
    case Errc::verification_failed:
      return "verification_failed";
    case Errc::unsupported:
      return "unsupported";
    case Errc::io_error:
      return "io_error";
    case Errc::corrupted:
      return "corrupted";
    case Errc::internal:
      return "internal";
    case Errc::unavailable:
      return "unavailable";
  }
  return "unknown";
}

std::string to_string(const Error& error) {
  std::string out(errc_name(error.code));
  out += ": ";
  out += error.message;
  return out;
}

std::ostream& operator<<(std::ostream& out, const Error& error) {
  return out << to_string(error);
}

}  // namespace tally
