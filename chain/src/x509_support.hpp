#pragma once
// OpenSSL handles and X.509 helpers shared by pki.cpp and the peer network (private to chain/src).

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain::detail {

template <auto Free>
struct FreeWith {
  template <typename T>
  void operator()(T* pointer) const noexcept {
    Free(pointer);
  }
};

template <typename T, auto Free>
using OpenSslPtr = std::unique_ptr<T, FreeWith<Free>>;

using BioPtr = OpenSslPtr<BIO, BIO_free>;
using PkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using X509Ptr = OpenSslPtr<X509, X509_free>;
using CrlPtr = OpenSslPtr<X509_CRL, X509_CRL_free>;

// The last OpenSSL error queue entry as text (and the queue emptied), for messages.
std::string openssl_error_text();

Result<X509Ptr> load_certificate(std::string_view pem);
Result<PkeyPtr> load_private_key(std::string_view pem);
Result<CrlPtr> load_crl(std::string_view pem);

// SHA-256 of the certificate's SubjectPublicKeyInfo DER.
Result<Hash256> node_id_of(X509* certificate);
// The account named by a `tally:account:0x...` SAN URI: nullopt when there is none, an error when
// there are several or one is malformed.
Result<std::optional<Address>> account_of(X509* certificate);

}  // namespace tally::chain::detail
