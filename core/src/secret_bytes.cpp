#include <ostream>

#include <openssl/crypto.h>

#include <tally/core/secret_bytes.hpp>

namespace tally::detail {

void secure_zero(void* data, std::size_t size) noexcept {
  OPENSSL_cleanse(data, size);
}

std::ostream& write_redacted(std::ostream& out) {
  return out << "<secret>";
}

}  // namespace tally::detail
