// The node's chain key file: hex or PEM, mode 0600 (node_key.hpp).

#include "node/node_key.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <tally/core/str_cat.hpp>
#include <tally/core/trim.hpp>

namespace tally::node {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct BnFree {
  void operator()(BIGNUM* bn) const { BN_clear_free(bn); }
};

// OpenSSL's group name of the curve each suite signs on.
std::string_view curve_of(const CryptoSuite& suite) {
  return suite.id() == SuiteId::guomi ? "SM2" : "secp256k1";
}

Result<KeyPair> from_pem(std::string_view pem, const CryptoSuite& suite) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio)
    return fail(Errc::internal, "node key: BIO_new_mem_buf failed");
  std::unique_ptr<EVP_PKEY, PkeyFree> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key)
    return fail(Errc::malformed, "node key: not a PEM private key");
  std::array<char, 64> group{};
  std::size_t group_length = 0;
  if (EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group.data(),
                                     group.size(), &group_length) != 1 ||
      std::string_view(group.data(), group_length) != curve_of(suite))
    return fail(Errc::invalid_argument, str_cat("node key: the PEM key is not on ", curve_of(suite),
                                                " (the ", suite.name(), " suite's curve)"));
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_PRIV_KEY, &raw) != 1)
    return fail(Errc::malformed, "node key: the PEM key has no private part");
  const std::unique_ptr<BIGNUM, BnFree> scalar(raw);
  std::array<Byte, 32> bytes{};
  if (BN_bn2binpad(scalar.get(), bytes.data(), static_cast<int>(bytes.size())) != 32)
    return fail(Errc::out_of_range, "node key: the private scalar is longer than 32 bytes");
  auto pair = suite.key_pair_from_private_key(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return pair;
}

Result<KeyPair> from_hex_text(std::string_view text, const CryptoSuite& suite) {
  auto bytes = from_hex(text);
  if (!bytes)
    return fail(Errc::malformed, "node key: neither PEM nor hex");
  if (bytes->size() != 32)
    return fail(Errc::malformed,
                str_cat("node key: ", bytes->size(), " bytes of hex, a key has 32"));
  auto pair = suite.key_pair_from_private_key(*bytes);
  OPENSSL_cleanse(bytes->data(), bytes->size());
  return pair;
}

}  // namespace

Result<KeyPair> parse_node_key(std::string_view text, const CryptoSuite& suite) {
  const std::string_view content = trim_ascii_space(text);
  if (content.starts_with("-----BEGIN"))
    return from_pem(content, suite);
  return from_hex_text(content, suite);
}

Result<KeyPair> load_node_key(const std::filesystem::path& path, const CryptoSuite& suite) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error)
    return fail(Errc::io_error, str_cat(path.string(), ": ", error.message()));
  const fs::perms open_to_others = fs::perms::group_all | fs::perms::others_all;
  if ((status.permissions() & open_to_others) != fs::perms::none)
    return fail(Errc::invalid_argument,
                str_cat(path.string(), ": a private key must be mode 0600 (chmod 600 ",
                        path.string(), "): group or others may use it"));
  if (fs::file_size(path, error) > kMaxKeyFileBytes || error)
    return fail(Errc::limit_exceeded, str_cat(path.string(), ": too large for a key file"));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in)
    return fail(Errc::io_error, str_cat(path.string(), ": cannot read"));
  std::string content = std::move(text).str();
  auto pair = parse_node_key(content, suite);
  OPENSSL_cleanse(content.data(), content.size());
  if (!pair)
    return fail(pair.error().code, str_cat(path.string(), ": ", pair.error().message));
  return pair;
}

Result<void> write_private_file(const std::filesystem::path& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int code = errno;
    return fail(code == EEXIST ? Errc::already_exists : Errc::io_error,
                str_cat(path.string(), ": ", std::strerror(code)));
  }
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      const int code = errno;
      ::close(fd);
      return fail(Errc::io_error, str_cat(path.string(), ": ", std::strerror(code)));
    }
    written += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  const int sync_error = errno;
  if (::close(fd) != 0 || !synced)
    return fail(Errc::io_error,
                str_cat(path.string(), ": ", std::strerror(synced ? errno : sync_error)));
  return {};
}

}  // namespace tally::node
