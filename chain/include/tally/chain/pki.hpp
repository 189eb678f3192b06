#pragma once
// The consortium's X.509 PKI, for the peer network's mutual TLS (OpenSSL 3):
//
//   consortium root CA  ->  institution CA (pathlen 0)  ->  node certificate
//
// Every key is ECDSA P-256 in both crypto suites: TLS 1.3 has no secp256k1 cipher suite and
// OpenSSL 3.0's SM2-in-TLS is unusable, so the TLS identity is separate from the chain key. A node
// certificate binds the two: a SAN URI `tally:account:0x<40 lowercase hex>` names the node's chain
// account.
//
// A node id is the SHA-256 of the DER of the certificate's SubjectPublicKeyInfo: it names the TLS
// key (a node keeps its id when its certificate is renewed over the same key) and both ends of a
// connection compute it from what the handshake showed them.
//
// Times and validity are parameters (no clock is read here); serials are random 128-bit positive
// numbers from OpenSSL's CSPRNG. Everything travels as PEM; private keys are unencrypted PKCS#8,
// so files holding them must be protected by their permissions.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tally/core/error.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

// A certificate and its private key, both PEM.
struct Credentials {
  std::string certificate_pem;
  std::string private_key_pem;
};

struct Validity {
  std::chrono::sys_seconds not_before;
  std::chrono::sys_seconds not_after;
};

struct CaRequest {
  std::string common_name;   // required
  std::string organization;  // optional (the institution's name)
  Validity validity;
};

struct NodeCertRequest {
  std::string common_name{};  // required
  std::string organization{};
  Address account{};                        // the node's chain account (SAN URI)
  std::vector<std::string> dns_names{};     // SAN DNS entries: letters, digits, '-', '.', '*'
  std::vector<std::string> ip_addresses{};  // SAN IP entries, IPv4 or IPv6 text
  Validity validity{};
  // The key to certify (PKCS#8 PEM, P-256); empty = generate a fresh one.
  std::string private_key_pem{};
};

struct CertificateInfo {
  std::string subject;     // one line, RFC 2253 ("CN=node1,O=Bank A")
  std::string issuer;      // the same form
  std::string serial_hex;  // lowercase, no leading zeros, no 0x
  std::chrono::sys_seconds not_before;
  std::chrono::sys_seconds not_after;
  bool is_ca = false;
  std::optional<Address> account;  // from the SAN URI, when the certificate carries one
  std::string public_key_pem;      // the SubjectPublicKeyInfo
  Hash256 node_id;                 // SHA-256 of the SubjectPublicKeyInfo DER
};

struct CrlRequest {
  std::chrono::sys_seconds this_update;
  std::chrono::sys_seconds next_update;
  std::uint64_t crl_number = 1;  // increases with every CRL a CA issues
};

struct CrlInfo {
  std::string issuer;
  std::vector<std::string> revoked_serials_hex;  // lowercase, in the CRL's (sorted) order
  std::chrono::sys_seconds this_update;
  std::chrono::sys_seconds next_update;
};

// "tally:account:0x<40 lowercase hex>".
std::string account_uri(const Address& account);

// A fresh ECDSA P-256 private key, PKCS#8 PEM.
Result<std::string> generate_key_pem();

// A self-signed consortium root (CA:TRUE, pathlen 1, keyCertSign|cRLSign).
Result<Credentials> issue_root_ca(const CaRequest& request);
// An institution CA signed by `issuer` (CA:TRUE, pathlen 0, keyCertSign|cRLSign).
Result<Credentials> issue_ca(const Credentials& issuer, const CaRequest& request);
// A node certificate signed by `issuer` (CA:FALSE, digitalSignature, serverAuth+clientAuth, SANs).
Result<Credentials> issue_node_certificate(const Credentials& issuer,
                                           const NodeCertRequest& request);

// A v2 CRL signed by `ca` listing `revoked_serials_hex` (hex, "0x" optional, any case; may be
// empty: an empty CRL still says "this CA revoked nothing", which the network requires per CA).
Result<std::string> issue_crl(const Credentials& ca,
                              std::span<const std::string> revoked_serials_hex,
                              const CrlRequest& request);

// Reads a certificate (the first in `pem`); checks nothing about its trust.
Result<CertificateInfo> read_certificate(std::string_view pem);
// Reads a CRL; checks nothing about its signature.
Result<CrlInfo> read_crl(std::string_view pem);

}  // namespace tally::chain
