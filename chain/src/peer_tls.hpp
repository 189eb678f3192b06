#pragma once
// The peer network's TLS setup and peer identity (private to chain/src): an asio::ssl context for
// TLS 1.3 mutual authentication against the consortium CA with CRLs on the whole chain.

#include <boost/asio/ssl/context.hpp>

#include <tally/chain/peer_network.hpp>
#include <tally/core/error.hpp>

namespace tally::chain::detail {

// The context for both directions, and this node's identity from its own certificate.
struct PeerTls {
  boost::asio::ssl::context context{boost::asio::ssl::context::tls};
  PeerIdentity self;
};

Result<std::unique_ptr<PeerTls>> make_peer_tls(const PeerNetworkConfig& config);

// The identity of the peer behind an established TLS session; refuses a certificate that is a CA
// or names no account.
Result<PeerIdentity> peer_identity(SSL* session);

// Why a handshake failed, as precisely as OpenSSL says (the verification error when there is one).
std::string handshake_failure_reason(SSL* session, const boost::system::error_code& error);

}  // namespace tally::chain::detail
