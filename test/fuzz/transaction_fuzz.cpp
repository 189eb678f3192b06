// Signed txs from the outside (eth_sendRawTransaction, block bodies, gossip) on any bytes, in both
// suites: decoding never crashes; what decodes is canonical, so encoding its parts again gives
// exactly the input, and its hash is the suite hash of the input; the checks that follow decoding
// (validation, intrinsic gas, sender recovery) never crash either.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <tally/chain/intrinsic_gas.hpp>
#include <tally/chain/transaction.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/chain/tx_validation.hpp>
#include <tally/core/assert.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tally;
  using namespace tally::chain;
  const BytesView input(data, size);
  for (const SuiteId id : {SuiteId::standard, SuiteId::guomi}) {
    const CryptoSuite suite(id);
    auto tx = Transaction::decode(suite, input);
    if (!tx)
      continue;
    TALLY_ASSERT(std::ranges::equal(tx->encoded(), input));
    TALLY_ASSERT(tx->hash() == suite.hash(input));
    const auto again = Transaction::from_parts(suite, tx->fields(), tx->signature());
    TALLY_ASSERT(again.has_value());
    TALLY_ASSERT(std::ranges::equal(again->encoded(), input));
    TALLY_ASSERT(*again == *tx);
    (void)intrinsic_gas(tx->fields());
    (void)validate_tx(tx->fields(), TxRules{1, ReplayProtection::optional});
    (void)recover_sender(std::move(*tx));
  }
  return 0;
}
