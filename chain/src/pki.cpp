#include <algorithm>
#include <cctype>
#include <ctime>

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <tally/chain/pki.hpp>
#include <tally/core/str_cat.hpp>

#include "x509_support.hpp"

namespace tally::chain {
namespace {

using detail::BioPtr;
using detail::CrlPtr;
using detail::load_certificate;
using detail::load_private_key;
using detail::openssl_error_text;
using detail::OpenSslPtr;
using detail::PkeyPtr;
using detail::X509Ptr;
using AsnIntegerPtr = OpenSslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using AsnTimePtr = OpenSslPtr<ASN1_TIME, ASN1_TIME_free>;
using BignumPtr = OpenSslPtr<BIGNUM, BN_free>;
using ExtensionPtr = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using NamePtr = OpenSslPtr<X509_NAME, X509_NAME_free>;
using RevokedPtr = OpenSslPtr<X509_REVOKED, X509_REVOKED_free>;

constexpr std::size_t kSerialBytes = 16;  // 128 random bits (RFC 5280 allows up to 20 octets)
constexpr std::size_t kMaxSerialHexDigits = 40;

Error openssl_failure(std::string_view what) {
  return Error{Errc::internal, str_cat(what, ": ", openssl_error_text())};
}

std::string lower(std::string text) {
  std::ranges::transform(text, text.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return text;
}

Result<AsnTimePtr> asn1_time(std::chrono::sys_seconds when) {
  AsnTimePtr time(
      ASN1_TIME_set(nullptr, static_cast<std::time_t>(when.time_since_epoch().count())));
  if (!time)
    return std::unexpected(openssl_failure("ASN1_TIME_set"));
  return time;
}

Result<std::chrono::sys_seconds> from_asn1_time(const ASN1_TIME* time) {
  std::tm parts{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &parts) != 1)
    return fail(Errc::malformed, "certificate time does not parse");
  const std::chrono::year_month_day day{std::chrono::year{parts.tm_year + 1900},
                                        std::chrono::month{static_cast<unsigned>(parts.tm_mon + 1)},
                                        std::chrono::day{static_cast<unsigned>(parts.tm_mday)}};
  return std::chrono::sys_days{day} + std::chrono::hours{parts.tm_hour} +
         std::chrono::minutes{parts.tm_min} + std::chrono::seconds{parts.tm_sec};
}

std::string name_text(const X509_NAME* name) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0)
    return {};
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return length > 0 ? std::string(data, static_cast<std::size_t>(length)) : std::string();
}

std::string serial_text(const ASN1_INTEGER* serial) {
  const BignumPtr number(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!number)
    return {};
  char* hex = BN_bn2hex(number.get());
  std::string out = lower(hex != nullptr ? hex : "");
  OPENSSL_free(hex);
  // BN_bn2hex pads to whole bytes; the documented form has no leading zeros.
  const std::size_t first = out.find_first_not_of('0');
  return first == std::string::npos ? std::string("0") : out.substr(first);
}

Result<AsnIntegerPtr> random_serial() {
  unsigned char bytes[kSerialBytes];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    return std::unexpected(openssl_failure("RAND_bytes"));
  bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7f) | 0x40);  // positive, never zero
  const BignumPtr number(BN_bin2bn(bytes, sizeof bytes, nullptr));
  AsnIntegerPtr serial(number ? BN_to_ASN1_INTEGER(number.get(), nullptr) : nullptr);
  if (!serial)
    return std::unexpected(openssl_failure("serial number"));
  return serial;
}

Result<AsnIntegerPtr> parse_serial(std::string_view hex) {
  if (hex.starts_with("0x") || hex.starts_with("0X"))
    hex.remove_prefix(2);
  const bool hex_digits = std::ranges::all_of(
      hex, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
  if (hex.empty() || hex.size() > kMaxSerialHexDigits || !hex_digits)
    return fail(Errc::malformed, str_cat("serial '", hex, "': expected 1 to 40 hex digits"));
  BIGNUM* raw = nullptr;
  const std::string text(hex);
  if (BN_hex2bn(&raw, text.c_str()) == 0)
    return std::unexpected(openssl_failure("BN_hex2bn"));
  const BignumPtr number(raw);
  AsnIntegerPtr serial(BN_to_ASN1_INTEGER(number.get(), nullptr));
  if (!serial)
    return std::unexpected(openssl_failure("serial number"));
  return serial;
}

Result<NamePtr> make_name(std::string_view common_name, std::string_view organization) {
  if (common_name.empty())
    return fail(Errc::invalid_argument, "common_name: empty");
  NamePtr name(X509_NAME_new());
  const auto add = [&](const char* field, std::string_view value) {
    return X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value.data()),
                                      static_cast<int>(value.size()), -1, 0) == 1;
  };
  if (!name || (!organization.empty() && !add("O", organization)) || !add("CN", common_name))
    return fail(Errc::invalid_argument, "subject name: " + openssl_error_text());
  return name;
}

Result<void> add_extension(X509* certificate,
                           X509V3_CTX& context,
                           int nid,
                           const std::string& value) {
  const ExtensionPtr extension(X509V3_EXT_nconf_nid(nullptr, &context, nid, value.c_str()));
  if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1)
    return fail(Errc::invalid_argument, str_cat("extension '", value, "': ", openssl_error_text()));
  return {};
}

// A certificate with everything but extensions and signature: version 3, a random serial, names,
// validity and the subject's public key.
Result<X509Ptr> new_certificate(const X509_NAME* subject,
                                const X509_NAME* issuer,
                                const Validity& validity,
                                EVP_PKEY* subject_key) {
  if (validity.not_after <= validity.not_before)
    return fail(Errc::invalid_argument, "validity: not_after must be after not_before");
  auto serial = random_serial();
  auto not_before = asn1_time(validity.not_before);
  auto not_after = asn1_time(validity.not_after);
  if (!serial || !not_before || !not_after)
    return fail(Errc::internal, "certificate fields: " + openssl_error_text());
  X509Ptr certificate(X509_new());
  const bool ok = certificate && X509_set_version(certificate.get(), X509_VERSION_3) == 1 &&
                  X509_set_serialNumber(certificate.get(), serial->get()) == 1 &&
                  X509_set_subject_name(certificate.get(), subject) == 1 &&
                  X509_set_issuer_name(certificate.get(), issuer) == 1 &&
                  X509_set1_notBefore(certificate.get(), not_before->get()) == 1 &&
                  X509_set1_notAfter(certificate.get(), not_after->get()) == 1 &&
                  X509_set_pubkey(certificate.get(), subject_key) == 1;
  if (!ok)
    return std::unexpected(openssl_failure("certificate fields"));
  return certificate;
}

Result<std::string> certificate_pem(X509* certificate) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1)
    return std::unexpected(openssl_failure("PEM_write_bio_X509"));
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

Result<std::string> key_pem(EVP_PKEY* key) {
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return std::unexpected(openssl_failure("PEM_write_bio_PrivateKey"));
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

Result<PkeyPtr> new_key() {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key)
    return std::unexpected(openssl_failure("EVP_EC_gen"));
  return key;
}

// The issuer's certificate and key, checked to be a CA whose key matches its certificate.
struct Issuer {
  X509Ptr certificate;
  PkeyPtr key;
};

Result<Issuer> load_issuer(const Credentials& credentials) {
  auto certificate = load_certificate(credentials.certificate_pem);
  if (!certificate)
    return std::unexpected(in_context(std::move(certificate), "issuer").error());
  auto key = load_private_key(credentials.private_key_pem);
  if (!key)
    return std::unexpected(in_context(std::move(key), "issuer").error());
  if (X509_check_ca(certificate->get()) == 0)
    return fail(Errc::invalid_argument, "issuer: certificate is not a CA");
  if (X509_check_private_key(certificate->get(), key->get()) != 1)
    return fail(Errc::invalid_argument, "issuer: private key does not match the certificate");
  return Issuer{std::move(*certificate), std::move(*key)};
}

Result<Credentials> sign_and_export(X509* certificate,
                                    EVP_PKEY* issuer_key,
                                    EVP_PKEY* subject_key) {
  if (X509_sign(certificate, issuer_key, EVP_sha256()) <= 0)
    return std::unexpected(openssl_failure("X509_sign"));
  auto cert_text = certificate_pem(certificate);
  auto key_text = key_pem(subject_key);
  if (!cert_text)
    return std::unexpected(std::move(cert_text.error()));
  if (!key_text)
    return std::unexpected(std::move(key_text.error()));
  return Credentials{std::move(*cert_text), std::move(*key_text)};
}

// Root (issuer == nullptr: self-signed, pathlen 1) or institution CA (pathlen 0).
Result<Credentials> issue_ca_from(const Issuer* issuer, const CaRequest& request) {
  auto key = new_key();
  auto subject = make_name(request.common_name, request.organization);
  if (!key)
    return std::unexpected(std::move(key.error()));
  if (!subject)
    return std::unexpected(std::move(subject.error()));
  const X509_NAME* issuer_name =
      issuer != nullptr ? X509_get_subject_name(issuer->certificate.get()) : subject->get();
  auto certificate = new_certificate(subject->get(), issuer_name, request.validity, key->get());
  if (!certificate)
    return std::unexpected(std::move(certificate.error()));
  X509* cert = certificate->get();
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer != nullptr ? issuer->certificate.get() : cert, cert, nullptr,
                 nullptr, 0);
  const std::string constraints =
      issuer != nullptr ? "critical,CA:TRUE,pathlen:0" : "critical,CA:TRUE,pathlen:1";
  for (const auto& [nid, value] :
       {std::pair{NID_basic_constraints, constraints},
        std::pair{NID_key_usage, std::string("critical,keyCertSign,cRLSign")},
        std::pair{NID_subject_key_identifier, std::string("hash")},
        std::pair{NID_authority_key_identifier, std::string("keyid:always")}}) {
    if (auto added = add_extension(cert, context, nid, value); !added)
      return std::unexpected(std::move(added.error()));
  }
  return sign_and_export(cert, issuer != nullptr ? issuer->key.get() : key->get(), key->get());
}

bool valid_dns_name(std::string_view name) {
  return !name.empty() && name.size() <= 253 && std::ranges::all_of(name, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '*';
  });
}

bool valid_ip_text(std::string_view ip) {
  return !ip.empty() && ip.size() <= 45 && std::ranges::all_of(ip, [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
  });
}

// The SAN extension's configuration text; every entry checked first, since ',' would split it.
Result<std::string> subject_alt_names(const NodeCertRequest& request) {
  std::string names = "URI:" + account_uri(request.account);
  for (const std::string& dns : request.dns_names) {
    if (!valid_dns_name(dns))
      return fail(Errc::invalid_argument, str_cat("dns_names: '", dns, "' is not a host name"));
    names += ",DNS:" + dns;
  }
  for (const std::string& ip : request.ip_addresses) {
    if (!valid_ip_text(ip))
      return fail(Errc::invalid_argument, str_cat("ip_addresses: '", ip, "' is not an address"));
    names += ",IP:" + ip;
  }
  return names;
}

}  // namespace

std::string account_uri(const Address& account) {
  return "tally:account:" + account.hex(true);
}

Result<std::string> generate_key_pem() {
  auto key = new_key();
  if (!key)
    return std::unexpected(std::move(key.error()));
  return key_pem(key->get());
}

Result<Credentials> issue_root_ca(const CaRequest& request) {
  return issue_ca_from(nullptr, request);
}

Result<Credentials> issue_ca(const Credentials& issuer, const CaRequest& request) {
  auto loaded = load_issuer(issuer);
  if (!loaded)
    return std::unexpected(std::move(loaded.error()));
  return issue_ca_from(&*loaded, request);
}

Result<Credentials> issue_node_certificate(const Credentials& issuer,
                                           const NodeCertRequest& request) {
  auto loaded = load_issuer(issuer);
  if (!loaded)
    return std::unexpected(std::move(loaded.error()));
  auto key =
      request.private_key_pem.empty() ? new_key() : load_private_key(request.private_key_pem);
  if (!key)
    return std::unexpected(std::move(key.error()));
  if (!EVP_PKEY_is_a(key->get(), "EC"))
    return fail(Errc::invalid_argument, "private_key_pem: not an EC key");
  auto subject = make_name(request.common_name, request.organization);
  auto names = subject_alt_names(request);
  if (!subject)
    return std::unexpected(std::move(subject.error()));
  if (!names)
    return std::unexpected(std::move(names.error()));
  auto certificate =
      new_certificate(subject->get(), X509_get_subject_name(loaded->certificate.get()),
                      request.validity, key->get());
  if (!certificate)
    return std::unexpected(std::move(certificate.error()));
  X509* cert = certificate->get();
  X509V3_CTX context;
  X509V3_set_ctx(&context, loaded->certificate.get(), cert, nullptr, nullptr, 0);
  for (const auto& [nid, value] :
       {std::pair{NID_basic_constraints, std::string("critical,CA:FALSE")},
        std::pair{NID_key_usage, std::string("critical,digitalSignature")},
        std::pair{NID_ext_key_usage, std::string("serverAuth,clientAuth")},
        std::pair{NID_subject_key_identifier, std::string("hash")},
        std::pair{NID_authority_key_identifier, std::string("keyid:always")},
        std::pair{NID_subject_alt_name, *names}}) {
    if (auto added = add_extension(cert, context, nid, value); !added)
      return std::unexpected(std::move(added.error()));
  }
  return sign_and_export(cert, loaded->key.get(), key->get());
}

Result<std::string> issue_crl(const Credentials& ca,
                              std::span<const std::string> revoked_serials_hex,
                              const CrlRequest& request) {
  auto issuer = load_issuer(ca);
  if (!issuer)
    return std::unexpected(std::move(issuer.error()));
  if (request.next_update <= request.this_update)
    return fail(Errc::invalid_argument, "CRL: next_update must be after this_update");
  auto this_update = asn1_time(request.this_update);
  auto next_update = asn1_time(request.next_update);
  if (!this_update || !next_update)
    return std::unexpected(openssl_failure("CRL times"));
  const CrlPtr crl(X509_CRL_new());
  bool ok =
      crl && X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) == 1 &&
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer->certificate.get())) == 1 &&
      X509_CRL_set1_lastUpdate(crl.get(), this_update->get()) == 1 &&
      X509_CRL_set1_nextUpdate(crl.get(), next_update->get()) == 1;
  if (!ok)
    return std::unexpected(openssl_failure("CRL fields"));
  for (const std::string& hex : revoked_serials_hex) {
    auto serial = parse_serial(hex);
    if (!serial)
      return std::unexpected(std::move(serial.error()));
    RevokedPtr revoked(X509_REVOKED_new());
    if (!revoked || X509_REVOKED_set_serialNumber(revoked.get(), serial->get()) != 1 ||
        X509_REVOKED_set_revocationDate(revoked.get(), this_update->get()) != 1 ||
        X509_CRL_add0_revoked(crl.get(), revoked.get()) != 1)
      return std::unexpected(openssl_failure("CRL entry"));
    revoked.release();  // the CRL owns it now
  }
  X509_CRL_sort(crl.get());
  const AsnIntegerPtr number(ASN1_INTEGER_new());
  ok = number && ASN1_INTEGER_set_uint64(number.get(), request.crl_number) == 1 &&
       X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) == 1;
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer->certificate.get(), nullptr, nullptr, crl.get(), 0);
  const ExtensionPtr key_id(
      X509V3_EXT_nconf_nid(nullptr, &context, NID_authority_key_identifier, "keyid:always"));
  ok = ok && key_id && X509_CRL_add_ext(crl.get(), key_id.get(), -1) == 1 &&
       X509_CRL_sign(crl.get(), issuer->key.get(), EVP_sha256()) > 0;
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!ok || !bio || PEM_write_bio_X509_CRL(bio.get(), crl.get()) != 1)
    return std::unexpected(openssl_failure("CRL signing"));
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

Result<CertificateInfo> read_certificate(std::string_view pem) {
  auto certificate = load_certificate(pem);
  if (!certificate)
    return std::unexpected(std::move(certificate.error()));
  X509* cert = certificate->get();
  CertificateInfo info;
  info.subject = name_text(X509_get_subject_name(cert));
  info.issuer = name_text(X509_get_issuer_name(cert));
  info.serial_hex = serial_text(X509_get0_serialNumber(cert));
  auto not_before = from_asn1_time(X509_get0_notBefore(cert));
  auto not_after = from_asn1_time(X509_get0_notAfter(cert));
  auto account = detail::account_of(cert);
  auto node_id = detail::node_id_of(cert);
  if (!not_before || !not_after)
    return fail(Errc::malformed, "certificate validity does not parse");
  if (!account)
    return std::unexpected(std::move(account.error()));
  if (!node_id)
    return std::unexpected(std::move(node_id.error()));
  info.not_before = *not_before;
  info.not_after = *not_after;
  info.is_ca = X509_check_ca(cert) != 0;
  info.account = *account;
  info.node_id = *node_id;
  const BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), X509_get0_pubkey(cert)) != 1)
    return std::unexpected(openssl_failure("certificate public key"));
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  info.public_key_pem.assign(data, static_cast<std::size_t>(length));
  return info;
}

Result<CrlInfo> read_crl(std::string_view pem) {
  auto crl = detail::load_crl(pem);
  if (!crl)
    return std::unexpected(std::move(crl.error()));
  CrlInfo info;
  info.issuer = name_text(X509_CRL_get_issuer(crl->get()));
  auto this_update = from_asn1_time(X509_CRL_get0_lastUpdate(crl->get()));
  auto next_update = from_asn1_time(X509_CRL_get0_nextUpdate(crl->get()));
  if (!this_update || !next_update)
    return fail(Errc::malformed, "CRL update times do not parse");
  info.this_update = *this_update;
  info.next_update = *next_update;
  const STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl->get());
  for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i)
    info.revoked_serials_hex.push_back(
        serial_text(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i))));
  return info;
}

}  // namespace tally::chain
