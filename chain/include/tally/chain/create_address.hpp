#pragma once
// Where contract creation puts a contract: CREATE at keccak256(rlp([sender, nonce]))[12:],
// CREATE2 (EIP-1014) at keccak256(0xff || sender || salt || keccak256(init_code))[12:]. Keccak-256
// in both suites: contracts compute these addresses themselves and must agree with the chain.

#include <cstdint>

#include <tally/core/bytes.hpp>
#include <tally/core/fixed_bytes.hpp>

namespace tally::chain {

Address create_address(const Address& sender, std::uint64_t nonce);
Address create2_address(const Address& sender, const Hash256& salt, BytesView init_code);

}  // namespace tally::chain
