#include "x509_support.hpp"

#include <climits>

#include <openssl/err.h>
#include <openssl/pem.h>

#include <tally/core/hash.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain::detail {
namespace {

constexpr std::string_view kAccountUriPrefix = "tally:account:0x";

Result<BioPtr> memory_bio(std::string_view pem) {
  if (pem.size() > static_cast<std::size_t>(INT_MAX))
    return fail(Errc::limit_exceeded, "PEM text too large");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio)
    return fail(Errc::internal, "BIO_new_mem_buf: " + openssl_error_text());
  return bio;
}

bool is_lower_hex(std::string_view text) {
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  }
  return true;
}

}  // namespace

std::string openssl_error_text() {
  unsigned long last = 0;
  while (const unsigned long code = ERR_get_error())
    last = code;
  if (last == 0)
    return "no OpenSSL error recorded";
  char text[256];
  ERR_error_string_n(last, text, sizeof text);
  return text;
}

Result<X509Ptr> load_certificate(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio)
    return std::unexpected(std::move(bio.error()));
  X509Ptr certificate(PEM_read_bio_X509(bio->get(), nullptr, nullptr, nullptr));
  if (!certificate)
    return fail(Errc::malformed, "certificate PEM: " + openssl_error_text());
  return certificate;
}

Result<PkeyPtr> load_private_key(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio)
    return std::unexpected(std::move(bio.error()));
  PkeyPtr key(PEM_read_bio_PrivateKey(bio->get(), nullptr, nullptr, nullptr));
  if (!key)
    return fail(Errc::malformed, "private key PEM: " + openssl_error_text());
  return key;
}

Result<CrlPtr> load_crl(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio)
    return std::unexpected(std::move(bio.error()));
  CrlPtr crl(PEM_read_bio_X509_CRL(bio->get(), nullptr, nullptr, nullptr));
  if (!crl)
    return fail(Errc::malformed, "CRL PEM: " + openssl_error_text());
  return crl;
}

Result<Hash256> node_id_of(X509* certificate) {
  unsigned char* der = nullptr;
  const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certificate), &der);
  if (length <= 0)
    return fail(Errc::malformed, "certificate public key: " + openssl_error_text());
  const Hash256 id = sha256(BytesView(der, static_cast<std::size_t>(length)));
  OPENSSL_free(der);
  return id;
}

Result<std::optional<Address>> account_of(X509* certificate) {
  using NamesPtr = OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
  const NamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr)));
  std::optional<Address> account;
  if (!names)
    return account;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != GEN_URI)
      continue;
    const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
    const std::string_view text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                                static_cast<std::size_t>(ASN1_STRING_length(uri)));
    if (!text.starts_with("tally:account:"))
      continue;
    if (account)
      return fail(Errc::malformed, "certificate SAN: more than one tally:account URI");
    const std::string_view hex = text.substr(std::min(text.size(), kAccountUriPrefix.size()));
    if (!text.starts_with(kAccountUriPrefix) || hex.size() != 40 || !is_lower_hex(hex))
      return fail(Errc::malformed, str_cat("certificate SAN: bad account URI '", text, "'"));
    auto parsed = Address::from_hex(hex);
    if (!parsed)
      return std::unexpected(std::move(parsed.error()));
    account = *parsed;
  }
  return account;
}

}  // namespace tally::chain::detail
