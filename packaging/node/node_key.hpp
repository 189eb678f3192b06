#pragma once
// The node's chain account key (the key that signs consensus messages and names the node's
// account in genesis), in the chain's suite: secp256k1 (standard) or SM2 (guomi).
//
// File forms: 32 bytes of hex ("0x" optional, surrounding white space ignored), which `tally
// init` writes, or PEM (PKCS#8 "PRIVATE KEY" or SEC1 "EC PRIVATE KEY") on the suite's curve,
// which `openssl genpkey` writes. The file must not be readable or writable by group or others
// (chmod 600): a key file others can read is refused, not used.

#include <filesystem>
#include <string_view>

#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>

namespace tally::node {

// A key file larger than this is not a key (limit_exceeded).
inline constexpr std::size_t kMaxKeyFileBytes = 16 * 1024;

// The key in `text` (either form) for `suite`. malformed for neither form; invalid_argument for
// a PEM key on another curve; out_of_range for a scalar that is not a valid key.
Result<KeyPair> parse_node_key(std::string_view text, const CryptoSuite& suite);

// Reads `path`, checking its mode first (invalid_argument naming the file and the mode).
Result<KeyPair> load_node_key(const std::filesystem::path& path, const CryptoSuite& suite);

// Creates `path` with mode 0600 and writes `content`; already_exists when the file exists (a key
// is never overwritten), io_error otherwise.
Result<void> write_private_file(const std::filesystem::path& path, std::string_view content);

}  // namespace tally::node
