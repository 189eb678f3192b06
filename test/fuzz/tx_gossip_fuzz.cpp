// The tx gossip decoder on arbitrary peer payloads: never more than its bounds, and what it
// decodes encodes back to the same bytes (RLP is canonical, the decoder strict).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <tally/chain/tx_gossip.hpp>
#include <tally/core/assert.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tally;
  const BytesView payload(data, size);
  const auto txs = chain::decode_tx_gossip(payload);
  if (!txs)
    return 0;
  TALLY_ASSERT(txs->size() <= chain::kMaxGossipTxs);
  const Bytes again = chain::encode_tx_gossip(*txs);
  TALLY_ASSERT(BytesView(again).size() == payload.size() &&
               std::equal(again.begin(), again.end(), payload.begin()));
  return 0;
}
