// eth_getProof, eth_feeHistory and the tally_* methods (consensus status, validators, peers, a
// block's finality proof).
#include <tally/chain/account.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/chain/ledger_store.hpp>
#include <tally/chain/secure_trie.hpp>
#include <tally/core/str_cat.hpp>

#include "rpc_state.hpp"

namespace tally::chain::rpc {
namespace {

json::array hex_list(const std::vector<Bytes>& items) {
  json::array out;
  for (const Bytes& item : items)
    out.emplace_back(eth_data(item));
  return out;
}

std::expected<std::vector<Hash256>, RpcError> storage_keys(const json::value& value) {
  if (!value.is_array())
    return rpc_fail(kInvalidParams, "storage keys: expected a list");
  if (value.get_array().size() > kMaxProofStorageKeys)
    return rpc_fail(kLimitExceeded, str_cat("more than ", kMaxProofStorageKeys, " storage keys"));
  std::vector<Hash256> out;
  for (const json::value& item : value.get_array()) {
    TALLY_TRY(auto key, checked(parse_eth_hash(item, "storage key")));
    out.push_back(key);
  }
  return out;
}

RpcResult eth_get_proof(Call& call) {
  TALLY_TRY_VOID(param_count(call, 2, 3));
  auto address = checked(parse_eth_address(param(call, 0), "address"));
  auto keys = storage_keys(param(call, 1));
  if (!address || !keys)
    return std::unexpected(!address ? address.error() : keys.error());
  TALLY_TRY(auto header, state_header(call, param(call, 2)));
  const CryptoSuite& suite = call.state.suite;
  LedgerStore store(call.ledger);
  SecureTrie state_trie(suite, store, header.state_root);
  auto account_proof = checked(state_trie.prove(address->view()));
  auto encoded = checked(state_trie.get(address->view()));
  if (!account_proof || !encoded)
    return std::unexpected(!account_proof ? account_proof.error() : encoded.error());
  Account account = Account::empty(suite);
  if (*encoded) {
    TALLY_TRY(auto decoded, checked(Account::decode(**encoded)));
    account = decoded;
  }
  SecureTrie storage_trie(suite, store, account.storage_root);
  WorldState state(suite, store, store, header.state_root);  // decodes the slot values
  json::array storage_proofs;
  for (const Hash256& key : *keys) {
    auto proof = checked(storage_trie.prove(key.view()));
    auto value = checked(state.storage(*address, u256::from_be(key)));
    if (!proof || !value)
      return std::unexpected(!proof ? proof.error() : value.error());
    const u256 slot_value = *value;
    storage_proofs.emplace_back(json::object{
        {"key", key.hex()}, {"value", eth_quantity(slot_value)}, {"proof", hex_list(*proof)}});
  }
  return json::object{{"address", address->hex()},
                      {"accountProof", hex_list(*account_proof)},
                      {"balance", eth_quantity(account.balance)},
                      {"codeHash", account.code_hash.hex()},
                      {"nonce", eth_quantity(account.nonce)},
                      {"storageHash", account.storage_root.hex()},
                      {"storageProof", std::move(storage_proofs)}};
}

// Percentiles: numbers from 0 to 100, ascending.
std::expected<std::size_t, RpcError> percentile_count(const json::value& value) {
  if (value.is_null())
    return 0;
  if (!value.is_array() || value.get_array().size() > 100)
    return rpc_fail(kInvalidParams, "reward percentiles: expected at most 100 numbers");
  double previous = 0;
  for (const json::value& item : value.get_array()) {
    if (!item.is_number())
      return rpc_fail(kInvalidParams, "reward percentiles: expected numbers");
    const double percentile = item.to_number<double>();
    if (percentile < previous || percentile > 100)
      return rpc_fail(kInvalidParams, "reward percentiles: must ascend within 0..100");
    previous = percentile;
  }
  return value.get_array().size();
}

std::expected<std::uint64_t, RpcError> block_count(const json::value& value) {
  if (value.is_uint64() || value.is_int64()) {  // geth takes a plain number too
    if (value.is_int64() && value.get_int64() < 0)
      return rpc_fail(kInvalidParams, "block count: negative");
    return value.to_number<std::uint64_t>();
  }
  return checked(parse_eth_u64(value, "block count"));
}

// The base fee is 0 on this chain, so every fee and reward is 0; gasUsedRatio is each block's own.
RpcResult eth_fee_history(Call& call) {
  TALLY_TRY_VOID(param_count(call, 2, 3));
  auto count = block_count(param(call, 0));
  auto newest_selector = checked(parse_block_selector(param(call, 1), "newest block"));
  auto percentiles = percentile_count(param(call, 2));
  if (!count || !newest_selector || !percentiles)
    return std::unexpected(
        !count ? count.error()
               : (!newest_selector ? newest_selector.error() : percentiles.error()));
  TALLY_TRY(auto newest, block_number_of(call, *newest_selector));
  if (!newest)
    return rpc_fail(kServerError, "header not found");
  const std::uint64_t blocks = std::min({*count, kMaxFeeHistoryBlocks, *newest + 1});
  const std::uint64_t oldest = *newest + 1 - blocks;
  json::array base_fees;
  json::array ratios;
  json::array rewards;
  for (std::uint64_t n = oldest; n <= *newest && blocks > 0; ++n) {
    TALLY_TRY(auto header, checked(call.ledger.header_by_number(n)));
    if (!header)
      return rpc_fail(kServerError, "header not found");
    base_fees.emplace_back(eth_quantity(header->base_fee_per_gas.value_or(u256(0))));
    const auto limit = header->gas_limit;
    ratios.emplace_back(
        limit == 0 ? 0.0 : static_cast<double>(header->gas_used) / static_cast<double>(limit));
    if (*percentiles > 0)
      rewards.emplace_back(json::array(*percentiles, json::value("0x0")));
  }
  base_fees.emplace_back("0x0");  // the next block's: still zero
  json::object out{{"oldestBlock", eth_quantity(oldest)},
                   {"baseFeePerGas", std::move(base_fees)},
                   {"gasUsedRatio", std::move(ratios)}};
  if (*percentiles > 0)
    out["reward"] = std::move(rewards);
  return out;
}

RpcResult tally_consensus_status(Call& call) {
  const RpcConsensusStatus status = call.state.node.consensus_status();
  return json::object{{"blockNumber", eth_quantity(status.block_number)},
                      {"round", eth_quantity(status.round)},
                      {"proposer", status.proposer.hex()},
                      {"isValidator", status.is_validator}};
}

RpcResult tally_validators(Call& call) {
  json::array out;
  for (const Address& validator : call.state.node.validators())
    out.emplace_back(validator.hex());
  return out;
}

RpcResult tally_peers(Call& call) {
  json::array out;
  for (const RpcPeer& peer : call.state.node.peers()) {
    out.emplace_back(json::object{{"nodeId", peer.node_id},
                                  {"account", peer.account.hex()},
                                  {"host", peer.host},
                                  {"connected", peer.connected}});
  }
  return out;
}

// What verify_finality needs offline: the sealed header (its RLP; the block digest and the seal
// hash follow from it) and, decoded from its extra data for convenience, the round, the commit
// seals and the validator set that sealed it.
RpcResult tally_finality_proof(Call& call) {
  TALLY_TRY_VOID(param_count(call, 1, 1));
  TALLY_TRY(auto selector, checked(parse_block_selector(param(call, 0), "block")));
  TALLY_TRY(auto number, block_number_of(call, selector));
  if (!number)
    return json::value(nullptr);
  TALLY_TRY(auto header, checked(call.ledger.header_by_number(*number)));
  if (!header)
    return json::value(nullptr);
  auto extra = ConsensusExtra::decode(header->extra_data);
  if (!extra)
    return rpc_fail(kServerError, str_cat("block ", *number, ": ", extra.error().message));
  json::array validators;
  for (const Address& validator : extra->validators)
    validators.emplace_back(validator.hex());
  return json::object{{"blockNumber", eth_quantity(*number)},
                      {"hash", block_hash_of(*header, call.state.suite).hex()},
                      {"suite", std::string(suite_name(call.state.suite.id()))},
                      {"header", eth_data(header->encode())},
                      {"round", eth_quantity(extra->round)},
                      {"commitSeals", hex_list(extra->commit_seals)},
                      {"validators", std::move(validators)}};
}

}  // namespace

void add_tally_methods(MethodTable& table) {
  table.emplace("eth_getProof", eth_get_proof);
  table.emplace("eth_feeHistory", eth_fee_history);
  table.emplace("tally_consensusStatus", tally_consensus_status);
  table.emplace("tally_validators", tally_validators);
  table.emplace("tally_peers", tally_peers);
  table.emplace("tally_finalityProof", tally_finality_proof);
}

}  // namespace tally::chain::rpc
