#pragma once
// A public key of either suite's curve (secp256k1, SM2): the 64 bytes x || y of the point,
// big-endian, i.e. the uncompressed SEC1 form without its 0x04 prefix. One type for both curves,
// so a key moves between crypto_suite.hpp and the curve headers without conversion; which curve
// it lies on is the context's business.

#include <tally/core/fixed_bytes.hpp>

namespace tally {

using PublicKey = FixedBytes<64>;

}  // namespace tally
