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

IntrinsicGasCounts intrinsic_gas_counts(const TxFields& fields) {
  IntrinsicGasCounts counts;
  counts.creation = fields.is_creation();
  counts.data_zero_bytes = static_cast<std::uint64_t>(std::ranges::count(fields.data, Byte{0}));
  counts.data_nonzero_bytes = fields.data.size() - counts.data_zero_bytes;
  counts.access_list_addresses = fields.access_list.size();
  for (const AccessListEntry& entry : fields.access_list)
    counts.access_list_storage_keys += entry.storage_keys.size();
  return counts;
}

Result<std::uint64_t> intrinsic_gas(const IntrinsicGasCounts& counts) {
  GasSum gas;
  gas.add(1, counts.creation ? kTxCreateGas : kTxGas);
  gas.add(counts.data_zero_bytes, kTxDataZeroGas);
  gas.add(counts.data_nonzero_bytes, kTxDataNonZeroGas);
  if (counts.creation) {
    // Both counts are at most 2^64 - 1 but their sum may not be.
    std::uint64_t size = 0;
    if (__builtin_add_overflow(counts.data_zero_bytes, counts.data_nonzero_bytes, &size))
      return fail(Errc::overflow, "tx intrinsic gas: data size exceeds 2^64 - 1");
    gas.add(size / kWordBytes + (size % kWordBytes != 0 ? 1 : 0), kInitCodeWordGas);
  }
  gas.add(counts.access_list_addresses, kAccessListAddressGas);
  gas.add(counts.access_list_storage_keys, kAccessListStorageKeyGas);
  return gas.result();
}

Result<std::uint64_t> intrinsic_gas(const TxFields& fields) {
  return intrinsic_gas(intrinsic_gas_counts(fields));
}

}  // namespace tally::chain
