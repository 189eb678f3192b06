#include <algorithm>

#include <tally/chain/create_address.hpp>
#include <tally/core/keccak.hpp>
#include <tally/core/rlp_encode.hpp>

namespace tally::chain {
namespace {

Address last_20(const Hash256& hash) {
  Address out;
  std::copy(hash.bytes.begin() + 12, hash.bytes.end(), out.bytes.begin());
  return out;
}

}  // namespace

Address create_address(const Address& sender, std::uint64_t nonce) {
  Bytes payload;
  append_rlp_string(payload, sender.bytes);
  append_rlp_uint(payload, nonce);
  Bytes encoded;
  append_rlp_list_header(encoded, payload.size());
  encoded.insert(encoded.end(), payload.begin(), payload.end());
  return last_20(keccak256(encoded));
}

Address create2_address(const Address& sender, const Hash256& salt, BytesView init_code) {
  Bytes preimage;
  preimage.reserve(1 + 20 + 32 + 32);
  preimage.push_back(0xff);
  preimage.insert(preimage.end(), sender.bytes.begin(), sender.bytes.end());
  preimage.insert(preimage.end(), salt.bytes.begin(), salt.bytes.end());
  const Hash256 code_hash = keccak256(init_code);
  preimage.insert(preimage.end(), code_hash.bytes.begin(), code_hash.bytes.end());
  return last_20(keccak256(preimage));
}

}  // namespace tally::chain
