#include "peer_tls.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <tally/core/str_cat.hpp>

#include "x509_support.hpp"

namespace tally::chain::detail {
namespace {

namespace ssl = boost::asio::ssl;

// Node certificate <- institution CA <- consortium CA: OpenSSL's depth counts the CAs above the
// leaf that are not the trust anchor.
constexpr int kVerifyDepth = 1;

Result<void> check(const boost::system::error_code& error, std::string_view what) {
  if (error)
    return fail(Errc::invalid_argument, str_cat(what, ": ", error.message()));
  return {};
}

// start() refuses to run without the CRLs of the CAs it knows, instead of refusing every peer.
Result<void> add_crls(X509_STORE* store, const PeerNetworkConfig& config) {
  auto root = load_certificate(config.consortium_ca_pem);
  auto institution = load_certificate(config.institution_ca_pem);
  if (!root)
    return std::unexpected(in_context(std::move(root), "consortium_ca_pem").error());
  if (!institution)
    return std::unexpected(in_context(std::move(institution), "institution_ca_pem").error());
  bool root_has_crl = false;
  bool institution_has_crl = false;
  for (std::size_t i = 0; i < config.crl_pems.size(); ++i) {
    auto crl = load_crl(config.crl_pems[i]);
    if (!crl)
      return std::unexpected(in_context(std::move(crl), str_cat("crl_pems[", i, "]")).error());
    const X509_NAME* issuer = X509_CRL_get_issuer(crl->get());
    root_has_crl |= X509_NAME_cmp(issuer, X509_get_subject_name(root->get())) == 0;
    institution_has_crl |= X509_NAME_cmp(issuer, X509_get_subject_name(institution->get())) == 0;
    if (X509_STORE_add_crl(store, crl->get()) != 1)
      return fail(Errc::internal, str_cat("crl_pems[", i, "]: ", openssl_error_text()));
  }
  if (!root_has_crl || !institution_has_crl) {
    return fail(Errc::invalid_argument,
                "crl_pems: a CRL (empty if nothing is revoked) is required from the consortium CA "
                "and from this node's institution CA");
  }
  X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  return {};
}

}  // namespace

Result<std::unique_ptr<PeerTls>> make_peer_tls(const PeerNetworkConfig& config) {
  auto tls = std::make_unique<PeerTls>();
  ssl::context& context = tls->context;
  SSL_CTX* native = context.native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) != 1)
    return fail(Errc::internal, "TLS 1.3 only: " + openssl_error_text());
  boost::system::error_code error;
  const std::string chain = config.credentials.certificate_pem + config.institution_ca_pem;
  // Each call sets `error`; the first failure is the one reported.
  context.use_certificate_chain(boost::asio::buffer(chain), error);
  if (auto ok = check(error, "certificate chain"); !ok)
    return std::unexpected(std::move(ok.error()));
  context.use_private_key(boost::asio::buffer(config.credentials.private_key_pem),
                          ssl::context::pem, error);
  if (auto ok = check(error, "private key"); !ok)
    return std::unexpected(std::move(ok.error()));
  context.add_certificate_authority(boost::asio::buffer(config.consortium_ca_pem), error);
  if (auto ok = check(error, "consortium CA"); !ok)
    return std::unexpected(std::move(ok.error()));
  if (SSL_CTX_check_private_key(native) != 1)
    return fail(Errc::invalid_argument, "private key does not match the node certificate");
  if (auto crls = add_crls(SSL_CTX_get_cert_store(native), config); !crls)
    return std::unexpected(std::move(crls.error()));
  context.set_options(ssl::context::no_compression);
  // No session resumption: a resumed session skips certificate verification, so a certificate
  // revoked or expired since would still get in.
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(native, 0);
  context.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  context.set_verify_depth(kVerifyDepth);

  X509* own = SSL_CTX_get0_certificate(native);
  auto node_id = node_id_of(own);
  auto account = account_of(own);
  if (!node_id)
    return std::unexpected(std::move(node_id.error()));
  if (!account || !account->has_value())
    return fail(Errc::invalid_argument, "node certificate: no tally:account URI");
  tls->self = PeerIdentity{*node_id, **account};
  return tls;
}

Result<PeerIdentity> peer_identity(SSL* session) {
  const X509Ptr certificate(SSL_get1_peer_certificate(session));
  if (!certificate)
    return fail(Errc::verification_failed, "no peer certificate");
  if (X509_check_ca(certificate.get()) != 0)
    return fail(Errc::verification_failed, "peer certificate is a CA, not a node");
  auto account = account_of(certificate.get());
  if (!account)
    return std::unexpected(std::move(account.error()));
  if (!account->has_value())
    return fail(Errc::verification_failed, "peer certificate names no tally:account");
  auto node_id = node_id_of(certificate.get());
  if (!node_id)
    return std::unexpected(std::move(node_id.error()));
  return PeerIdentity{*node_id, **account};
}

std::string handshake_failure_reason(SSL* session, const boost::system::error_code& error) {
  const long verify = SSL_get_verify_result(session);
  if (verify != X509_V_OK)
    return str_cat("certificate: ", X509_verify_cert_error_string(verify), " (", error.message(),
                   ")");
  return error.message();
}

}  // namespace tally::chain::detail
