#include <algorithm>

#include <tally/chain/intrinsic_gas.hpp>

namespace tally::chain {
namespace {

constexpr std::uint64_t kWordBytes = 32;

// Accumulates a sum of products; the first overflow sticks.
class GasSum {
 public:
  void add(std::uint64_t count, std::uint64_t unit_gas) noexcept {
    std::uint64_t product = 0;
    overflow_ = overflow_ || __builtin_mul_overflow(count, unit_gas, &product) ||
                __builtin_add_overflow(total_, product, &total_);
  }
  Result<std::uint64_t> result() const {
    if (overflow_)
      return fail(Errc::overflow, "tx intrinsic gas: exceeds 2^64 - 1");
    return total_;
  }

 private:
  std::uint64_t total_ = 0;
  bool overflow_ = false;
};

}  // namespace

Result<std::uint64_t> intrinsic_gas(const TxFields& fields) {
  GasSum gas;
  gas.add(1, fields.is_creation() ? kTxCreateGas : kTxGas);
  const auto zero_bytes = static_cast<std::uint64_t>(std::ranges::count(fields.data, Byte{0}));
  const std::uint64_t size = fields.data.size();
  gas.add(zero_bytes, kTxDataZeroGas);
  gas.add(size - zero_bytes, kTxDataNonZeroGas);
  if (fields.is_creation())
    gas.add(size / kWordBytes + (size % kWordBytes != 0 ? 1 : 0), kInitCodeWordGas);
  gas.add(fields.access_list.size(), kAccessListAddressGas);
  for (const AccessListEntry& entry : fields.access_list)
    gas.add(entry.storage_keys.size(), kAccessListStorageKeyGas);
  return gas.result();
}

}  // namespace tally::chain
