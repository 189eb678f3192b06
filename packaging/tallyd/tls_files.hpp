#pragma once
// The peer network's TLS material from the files the node configuration names: the certificate
// file holds the node certificate then its institution CA's (split here, since the network sends
// them as the chain), the TLS key, the consortium root and the CRLs.

#include <tally/chain/peer_network.hpp>
#include <tally/core/error.hpp>

#include "node/node_config.hpp"

namespace tally::tallyd {

// Errors name the file (io_error, or malformed for a certificate file without two PEM blocks).
Result<void> load_tls_files(const node::TlsFiles& files, chain::PeerNetworkConfig& config);

}  // namespace tally::tallyd
