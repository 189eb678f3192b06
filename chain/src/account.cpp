#include <tally/chain/account.hpp>
#include <tally/chain/trie.hpp>
#include <tally/core/keccak.hpp>
#include <tally/core/rlp.hpp>
#include <tally/core/rlp_u256.hpp>

namespace tally::chain {

Hash256 empty_code_hash() {
  static const Hash256 kHash = keccak256({});
  return kHash;
}

Account Account::empty(const CryptoSuite& suite) {
  return Account{0, u256(0), empty_trie_root(suite), empty_code_hash()};
}

bool Account::is_empty() const noexcept {
  return nonce == 0 && balance.is_zero() && code_hash == empty_code_hash();
}

Bytes Account::encode() const {
  RlpWriter writer;
  writer.begin_list();
  writer.add_uint(nonce);
  add_rlp_u256(writer, balance);
  writer.add_string(storage_root.view());
  writer.add_string(code_hash.view());
  writer.end_list();
  return writer.finish();
}

Result<Account> Account::decode(BytesView encoded) {
  TALLY_TRY(RlpReader reader, in_context(rlp_open_list(encoded), "account"));
  Account account;
  TALLY_TRY(account.nonce, in_context(reader.read_uint64(), "account: nonce"));
  TALLY_TRY(account.balance, in_context(read_rlp_u256(reader), "account: balance"));
  TALLY_TRY(account.storage_root, in_context(reader.read_fixed<32>(), "account: storage_root"));
  TALLY_TRY(account.code_hash, in_context(reader.read_fixed<32>(), "account: code_hash"));
  TALLY_TRY_VOID(in_context(reader.finish(), "account: after code_hash"));
  return account;
}

}  // namespace tally::chain
