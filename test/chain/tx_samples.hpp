#pragma once
// Fixed keys and txs shared by the chain tx tests.

#include <string_view>

#include <tally/chain/transaction.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>

namespace tally::chain::samples {

inline constexpr std::uint64_t kChainId = 1337;

// Valid private keys on both curves (well below either order).
inline constexpr std::string_view kKeyA =
    "0x4646464646464646464646464646464646464646464646464646464646464646";
inline constexpr std::string_view kKeyB =
    "0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";

inline KeyPair key_pair(SuiteId suite, std::string_view private_key_hex) {
  return CryptoSuite(suite).key_pair_from_private_key(from_hex(private_key_hex).value()).value();
}

inline Address address_of(std::string_view hex) {
  return Address::from_hex(hex).value();
}

// A value transfer of `type`, named for the chain; a legacy tx has one gas price.
inline TxFields transfer(TxType type, std::uint64_t nonce = 7) {
  TxFields fields;
  fields.type = type;
  fields.chain_id = kChainId;
  fields.nonce = nonce;
  if (type == TxType::dynamic_fee) {
    fields.max_priority_fee_per_gas = 2'000'000'000;
    fields.max_fee_per_gas = 30'000'000'000;
  } else {
    fields.set_gas_price(20'000'000'000);
  }
  fields.gas_limit = 21000;
  fields.to = address_of("0x3535353535353535353535353535353535353535");
  fields.value = 1'000'000'000'000'000'000;
  return fields;
}

// A contract call with data and, for typed txs, an access list.
inline TxFields call(TxType type) {
  TxFields fields = transfer(type, 0);
  fields.gas_limit = 100'000;
  fields.value = 0;
  fields.data =
      from_hex("0xa9059cbb000000000000000000000000000000000000000000000000000000000000002a")
          .value();
  if (type != TxType::legacy) {
    fields.access_list.push_back(
        {address_of("0x00000000000000000000000000000000000000aa"),
         {Hash256{}, Hash256::from_hex("0x" + std::string(63, '0') + "1").value()}});
    fields.access_list.push_back({address_of("0x00000000000000000000000000000000000000bb"), {}});
  }
  return fields;
}

inline constexpr TxType kAllTypes[] = {TxType::legacy, TxType::access_list, TxType::dynamic_fee};
inline constexpr SuiteId kAllSuites[] = {SuiteId::standard, SuiteId::guomi};

}  // namespace tally::chain::samples
