#include <algorithm>

#include <boost/json.hpp>

#include <tally/chain/create_address.hpp>
#include <tally/chain/eth_json.hpp>
#include <tally/chain/extra_data.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace json = boost::json;

std::string eth_quantity(std::uint64_t value) {
  return u256(value).hex();
}

std::string eth_quantity(const u256& value) {
  return value.hex();
}

std::string eth_data(BytesView bytes) {
  return to_hex(bytes);
}

namespace {

json::value nullable_address(const std::optional<Address>& address) {
  if (!address)
    return nullptr;
  return json::value(address->hex());
}

u256 effective_gas_price(const TxFields& fields, const u256& base_fee) {
  const u256 capped = base_fee + fields.max_priority_fee_per_gas;
  return std::min(capped, fields.max_fee_per_gas);
}

json::array access_list_json(const AccessList& list) {
  json::array out;
  for (const AccessListEntry& entry : list) {
    json::array keys;
    for (const Hash256& key : entry.storage_keys)
      keys.emplace_back(key.hex());
    out.emplace_back(json::object{{"address", entry.address.hex()}, {"storageKeys", keys}});
  }
  return out;
}

// v for a standard signature: the recovery id, offset by 27 or by EIP-155's chain_id * 2 + 35
// for a legacy tx, bare (= yParity) for a typed one.
u256 standard_v(const TxFields& fields, std::uint8_t recovery_id) {
  if (fields.type != TxType::legacy)
    return recovery_id;
  if (!fields.chain_id)
    return 27U + recovery_id;
  return u256(*fields.chain_id) * 2U + 35U + recovery_id;
}

void add_signature(json::object& out, const Transaction& tx) {
  const BytesView sig = tx.signature().encoded();
  out["r"] = u256::from_be_bytes(sig.subspan(0, 32)).value().hex();
  out["s"] = u256::from_be_bytes(sig.subspan(32, 32)).value().hex();
  if (tx.suite() == SuiteId::standard) {
    const std::uint8_t recovery_id = sig[64];
    out["v"] = standard_v(tx.fields(), recovery_id).hex();
    if (tx.type() != TxType::legacy)
      out["yParity"] = eth_quantity(recovery_id);
    return;
  }
  out["v"] = "0x0";
  if (tx.type() != TxType::legacy)
    out["yParity"] = "0x0";
  out["publicKey"] = eth_data(sig.subspan(64, 64));
}

void add_place(json::object& out, const std::optional<TxPlace>& place) {
  if (!place) {
    out["blockHash"] = nullptr;
    out["blockNumber"] = nullptr;
    out["transactionIndex"] = nullptr;
    return;
  }
  out["blockHash"] = place->block_hash.hex();
  out["blockNumber"] = eth_quantity(place->block_number);
  out["transactionIndex"] = eth_quantity(place->tx_index);
}

}  // namespace

json::object eth_tx_json(const VerifiedTx& verified, const std::optional<TxPlace>& place) {
  const Transaction& tx = verified.tx();
  const TxFields& fields = tx.fields();
  json::object out;
  out["type"] = eth_quantity(static_cast<std::uint64_t>(tx.type()));
  out["hash"] = tx.hash().hex();
  out["from"] = verified.sender().hex();
  out["to"] = nullable_address(fields.to);
  out["nonce"] = eth_quantity(fields.nonce);
  out["gas"] = eth_quantity(fields.gas_limit);
  out["value"] = eth_quantity(fields.value);
  out["input"] = eth_data(fields.data);
  if (fields.chain_id)
    out["chainId"] = eth_quantity(*fields.chain_id);
  if (tx.type() == TxType::dynamic_fee) {
    out["maxFeePerGas"] = eth_quantity(fields.max_fee_per_gas);
    out["maxPriorityFeePerGas"] = eth_quantity(fields.max_priority_fee_per_gas);
    // Mined: what was paid (base fee 0 here); pending: the cap, as geth reports.
    out["gasPrice"] = eth_quantity(place ? effective_gas_price(fields, 0) : fields.max_fee_per_gas);
  } else {
    out["gasPrice"] = eth_quantity(fields.max_fee_per_gas);
  }
  if (tx.type() != TxType::legacy)
    out["accessList"] = access_list_json(fields.access_list);
  add_signature(out, tx);
  add_place(out, place);
  return out;
}

json::object eth_log_json(const LogEntry& entry) {
  json::array topics;
  for (const Hash256& topic : entry.log.topics)
    topics.emplace_back(topic.hex());
  return json::object{
      {"address", entry.log.address.hex()},
      {"topics", std::move(topics)},
      {"data", eth_data(entry.log.data)},
      {"blockNumber", eth_quantity(entry.block_number)},
      {"blockHash", entry.block_hash.hex()},
      {"transactionHash", entry.tx_hash.hex()},
      {"transactionIndex", eth_quantity(entry.tx_index)},
      {"logIndex", eth_quantity(entry.log_index)},
      {"removed", false},  // a BFT chain never reorganises
  };
}

json::object eth_receipt_json(const Receipt& receipt,
                              const VerifiedTx& tx,
                              const ReceiptPlace& place) {
  const TxFields& fields = tx.tx().fields();
  json::array logs;
  for (std::size_t i = 0; i < receipt.logs.size(); ++i) {
    const LogEntry entry{
        receipt.logs[i],     place.tx.block_number,
        place.tx.block_hash, place.tx.tx_index,
        tx.hash(),           place.first_log_index + static_cast<std::uint32_t>(i)};
    logs.emplace_back(eth_log_json(entry));
  }
  json::object out;
  out["type"] = eth_quantity(receipt.tx_type);
  out["transactionHash"] = tx.hash().hex();
  out["transactionIndex"] = eth_quantity(place.tx.tx_index);
  out["blockHash"] = place.tx.block_hash.hex();
  out["blockNumber"] = eth_quantity(place.tx.block_number);
  out["from"] = tx.sender().hex();
  out["to"] = nullable_address(fields.to);
  out["cumulativeGasUsed"] = eth_quantity(receipt.cumulative_gas_used);
  out["gasUsed"] = eth_quantity(place.gas_used);
  out["effectiveGasPrice"] = eth_quantity(effective_gas_price(fields, place.base_fee));
  // As geth: the address a creation was sent to make, whether or not it succeeded.
  out["contractAddress"] = fields.is_creation()
                               ? json::value(create_address(tx.sender(), fields.nonce).hex())
                               : json::value(nullptr);
  out["logs"] = std::move(logs);
  out["logsBloom"] = receipt.bloom.bits().hex();
  out["status"] = receipt.success ? "0x1" : "0x0";
  return out;
}

json::object eth_block_json(const Block& block,
                            const Hash256& digest,
                            const std::vector<VerifiedTx>& txs,
                            bool full_txs) {
  const BlockHeader& header = block.header;
  json::array tx_array;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    if (!full_txs) {
      tx_array.emplace_back(txs[i].hash().hex());
      continue;
    }
    const TxPlace place{digest, header.block_number, static_cast<std::uint32_t>(i)};
    tx_array.emplace_back(eth_tx_json(txs[i], place));
  }
  json::object out;
  out["number"] = eth_quantity(header.block_number);
  out["hash"] = digest.hex();
  out["parentHash"] = header.parent_hash.hex();
  out["sha3Uncles"] = header.ommers_hash.hex();
  out["miner"] = header.beneficiary.hex();
  out["stateRoot"] = header.state_root.hex();
  out["transactionsRoot"] = header.transactions_root.hex();
  out["receiptsRoot"] = header.receipts_root.hex();
  out["logsBloom"] = header.logs_bloom.bits().hex();
  // The header's own value (1, as Besu's QBFT sets it), so the fields rebuild the header.
  out["difficulty"] = eth_quantity(header.difficulty);
  out["totalDifficulty"] = "0x0";
  out["gasLimit"] = eth_quantity(header.gas_limit);
  out["gasUsed"] = eth_quantity(header.gas_used);
  out["timestamp"] = eth_quantity(header.timestamp);
  out["extraData"] = eth_data(header.extra_data);
  out["mixHash"] = header.mix_hash.hex();
  out["nonce"] = header.nonce.hex();
  out["baseFeePerGas"] = eth_quantity(header.base_fee_per_gas.value_or(u256(0)));
  out["size"] = eth_quantity(block.encode().size());
  out["transactions"] = std::move(tx_array);
  out["uncles"] = json::array{};
  return out;
}

// ---- Parsing

namespace {

Result<std::string_view> hex_string(const json::value& value, std::string_view name) {
  if (!value.is_string())
    return fail(Errc::invalid_argument, str_cat(name, ": expected a 0x-prefixed hex string"));
  const std::string_view text = value.get_string();
  if (text.size() < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
    return fail(Errc::invalid_argument, str_cat(name, ": missing 0x prefix"));
  return text.substr(2);
}

}  // namespace

Result<u256> parse_eth_u256(const json::value& value, std::string_view name) {
  auto digits = hex_string(value, name);
  if (!digits)
    return std::unexpected(digits.error());
  if (digits->empty())
    return fail(Errc::invalid_argument, str_cat(name, ": empty quantity"));
  if (digits->size() > 1 && (*digits)[0] == '0')
    return fail(Errc::invalid_argument, str_cat(name, ": quantity with leading zero digits"));
  if (digits->size() > 64)
    return fail(Errc::invalid_argument, str_cat(name, ": quantity above 256 bits"));
  auto parsed = u256::from_hex(*digits);
  if (!parsed)
    return fail(Errc::invalid_argument, str_cat(name, ": ", parsed.error().message));
  return *parsed;
}

Result<std::uint64_t> parse_eth_u64(const json::value& value, std::string_view name) {
  auto parsed = parse_eth_u256(value, name);
  if (!parsed)
    return std::unexpected(parsed.error());
  if (!parsed->fits_u64())
    return fail(Errc::invalid_argument, str_cat(name, ": quantity above 64 bits"));
  return static_cast<std::uint64_t>(parsed->limbs[0]);
}

Result<Bytes> parse_eth_data(const json::value& value, std::string_view name) {
  auto digits = hex_string(value, name);
  if (!digits)
    return std::unexpected(digits.error());
  if (digits->size() % 2 != 0)
    return fail(Errc::invalid_argument, str_cat(name, ": odd number of hex digits"));
  auto bytes = from_hex(*digits);
  if (!bytes)
    return fail(Errc::invalid_argument, str_cat(name, ": ", bytes.error().message));
  return std::move(*bytes);
}

namespace {

template <std::size_t N>
Result<FixedBytes<N>> parse_fixed(const json::value& value, std::string_view name) {
  auto bytes = parse_eth_data(value, name);
  if (!bytes)
    return std::unexpected(bytes.error());
  if (bytes->size() != N)
    return fail(Errc::invalid_argument, str_cat(name, ": expected ", N, " bytes"));
  FixedBytes<N> out;
  std::copy(bytes->begin(), bytes->end(), out.bytes.begin());
  return out;
}

}  // namespace

Result<Address> parse_eth_address(const json::value& value, std::string_view name) {
  return parse_fixed<20>(value, name);
}

Result<Hash256> parse_eth_hash(const json::value& value, std::string_view name) {
  return parse_fixed<32>(value, name);
}

namespace {

std::optional<BlockTag> block_tag(std::string_view text) {
  if (text == "latest")
    return BlockTag::latest;
  if (text == "earliest")
    return BlockTag::earliest;
  if (text == "pending")
    return BlockTag::pending;
  if (text == "safe")
    return BlockTag::safe;
  if (text == "finalized")
    return BlockTag::finalized;
  return std::nullopt;
}

// EIP-1898: {"blockNumber": q} or {"blockHash": h, "requireCanonical"?: bool}.
Result<BlockSelector> parse_block_object(const json::object& object, std::string_view name) {
  const json::value* number = object.if_contains("blockNumber");
  const json::value* hash = object.if_contains("blockHash");
  for (const auto& member : object) {
    const std::string_view key = member.key();
    if (key != "blockNumber" && key != "blockHash" && key != "requireCanonical")
      return fail(Errc::invalid_argument, str_cat(name, ": unknown member ", std::string(key)));
  }
  if ((number == nullptr) == (hash == nullptr))
    return fail(Errc::invalid_argument,
                str_cat(name, ": give exactly one of blockNumber, blockHash"));
  if (hash != nullptr) {
    auto parsed = parse_eth_hash(*hash, str_cat(name, ".blockHash"));
    if (!parsed)
      return std::unexpected(parsed.error());
    return BlockSelector(*parsed);
  }
  return parse_block_selector(*number, str_cat(name, ".blockNumber"));
}

}  // namespace

Result<BlockSelector> parse_block_selector(const json::value& value, std::string_view name) {
  if (value.is_object())
    return parse_block_object(value.get_object(), name);
  if (value.is_string()) {
    if (const auto tag = block_tag(value.get_string()))
      return BlockSelector(*tag);
  }
  auto number = parse_eth_u64(value, name);
  if (!number)
    return fail(Errc::invalid_argument,
                str_cat(name,
                        ": expected a block number or latest, earliest, pending, safe, "
                        "finalized"));
  return BlockSelector(*number);
}

namespace {

// Sets `out` from `object[key]` when present, with `parse`.
template <typename T, typename Parse>
Result<void> optional_member(const json::object& object,
                             std::string_view key,
                             std::optional<T>& out,
                             Parse parse) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null())
    return {};
  auto parsed = parse(*value, key);
  if (!parsed)
    return std::unexpected(parsed.error());
  out = std::move(*parsed);
  return {};
}

Result<void> only_members(const json::object& object,
                          std::initializer_list<std::string_view> allowed,
                          std::string_view what) {
  for (const auto& member : object) {
    if (std::find(allowed.begin(), allowed.end(), member.key()) == allowed.end())
      return fail(Errc::invalid_argument,
                  str_cat(what, ": unknown member ", std::string_view(member.key())));
  }
  return {};
}

Result<Bytes> call_data(const json::object& object) {
  std::optional<Bytes> data;
  std::optional<Bytes> input;
  if (auto ok = optional_member(object, "data", data, parse_eth_data); !ok)
    return std::unexpected(ok.error());
  if (auto ok = optional_member(object, "input", input, parse_eth_data); !ok)
    return std::unexpected(ok.error());
  if (data && input && *data != *input)
    return fail(Errc::invalid_argument, "call: data and input differ");
  return input ? std::move(*input) : data.value_or(Bytes{});
}

// One entry of an access list, the `index`th; `items` counts entries and keys so far, and stops
// growing past the bound (the caller refuses the list then).
Result<AccessListEntry> access_list_entry(const json::value& value,
                                          std::size_t index,
                                          std::size_t& items) {
  const std::string name = str_cat("accessList[", index, "]");
  if (!value.is_object())
    return fail(Errc::invalid_argument, str_cat(name, ": expected an object"));
  const json::object& object = value.get_object();
  if (auto ok = only_members(object, {"address", "storageKeys"}, name); !ok)
    return std::unexpected(ok.error());
  const json::value* address = object.if_contains("address");
  const json::value* keys = object.if_contains("storageKeys");
  if (address == nullptr || keys == nullptr || !keys->is_array())
    return fail(Errc::invalid_argument, str_cat(name, ": expected address and storageKeys"));
  AccessListEntry entry;
  auto parsed = parse_eth_address(*address, str_cat(name, ".address"));
  if (!parsed)
    return std::unexpected(parsed.error());
  entry.address = *parsed;
  ++items;
  const json::array& storage_keys = keys->get_array();
  for (std::size_t k = 0; k < storage_keys.size(); ++k) {
    if (++items > kMaxCallAccessListItems)
      break;
    auto hash = parse_eth_hash(storage_keys[k], str_cat(name, ".storageKeys[", k, "]"));
    if (!hash)
      return std::unexpected(hash.error());
    entry.storage_keys.push_back(*hash);
  }
  return entry;
}

Result<AccessList> parse_access_list(const json::value* value) {
  AccessList list;
  if (value == nullptr || value->is_null())
    return list;
  if (!value->is_array())
    return fail(Errc::invalid_argument, "accessList: expected a list");
  std::size_t items = 0;
  const json::array& entries = value->get_array();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto entry = access_list_entry(entries[i], i, items);
    if (!entry)
      return std::unexpected(entry.error());
    if (items > kMaxCallAccessListItems)
      return fail(Errc::limit_exceeded,
                  str_cat("accessList: more than ", kMaxCallAccessListItems, " items"));
    list.push_back(std::move(*entry));
  }
  return list;
}

}  // namespace

Result<CallRequest> parse_call_request(const json::value& value) {
  if (!value.is_object())
    return fail(Errc::invalid_argument, "call: expected an object");
  const json::object& object = value.get_object();
  if (auto ok =
          only_members(object,
                       {"from", "to", "gas", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas",
                        "value", "data", "input", "nonce", "type", "chainId", "accessList"},
                       "call");
      !ok)
    return std::unexpected(ok.error());
  CallRequest call;
  std::optional<u256> value_field;
  const auto results = {
      optional_member(object, "from", call.from, parse_eth_address),
      optional_member(object, "to", call.to, parse_eth_address),
      optional_member(object, "gas", call.gas, parse_eth_u64),
      optional_member(object, "gasPrice", call.gas_price, parse_eth_u256),
      optional_member(object, "maxFeePerGas", call.max_fee_per_gas, parse_eth_u256),
      optional_member(object, "maxPriorityFeePerGas", call.max_priority_fee_per_gas,
                      parse_eth_u256),
      optional_member(object, "value", value_field, parse_eth_u256),
      optional_member(object, "nonce", call.nonce, parse_eth_u64),
  };
  for (const Result<void>& result : results) {
    if (!result)
      return std::unexpected(result.error());
  }
  call.value = value_field.value_or(u256(0));
  auto data = call_data(object);
  if (!data)
    return std::unexpected(data.error());
  call.data = std::move(*data);
  auto access_list = parse_access_list(object.if_contains("accessList"));
  if (!access_list)
    return std::unexpected(access_list.error());
  call.access_list = std::move(*access_list);
  return call;
}

namespace {

Result<std::vector<Address>> filter_addresses(const json::value* value) {
  std::vector<Address> out;
  if (value == nullptr || value->is_null())
    return out;
  if (value->is_string()) {
    auto address = parse_eth_address(*value, "address");
    if (!address)
      return std::unexpected(address.error());
    out.push_back(*address);
    return out;
  }
  if (!value->is_array())
    return fail(Errc::invalid_argument, "address: expected an address or a list of addresses");
  if (value->get_array().size() > kMaxFilterAddresses)
    return fail(Errc::limit_exceeded, str_cat("address: more than ", kMaxFilterAddresses));
  for (const json::value& item : value->get_array()) {
    auto address = parse_eth_address(item, "address");
    if (!address)
      return std::unexpected(address.error());
    out.push_back(*address);
  }
  return out;
}

Result<std::vector<Hash256>> topic_position(const json::value& value, std::size_t position) {
  const std::string name = str_cat("topics[", position, "]");
  std::vector<Hash256> out;
  if (value.is_null())
    return out;
  if (!value.is_array()) {
    auto topic = parse_eth_hash(value, name);
    if (!topic)
      return std::unexpected(topic.error());
    out.push_back(*topic);
    return out;
  }
  if (value.get_array().size() > kMaxFilterTopicsPerPosition)
    return fail(Errc::limit_exceeded, str_cat(name, ": more than ", kMaxFilterTopicsPerPosition));
  for (const json::value& item : value.get_array()) {
    auto topic = parse_eth_hash(item, name);
    if (!topic)
      return std::unexpected(topic.error());
    out.push_back(*topic);
  }
  return out;
}

Result<void> filter_topics(const json::value* value,
                           std::array<std::vector<Hash256>, kMaxTopics>& out) {
  if (value == nullptr || value->is_null())
    return {};
  if (!value->is_array())
    return fail(Errc::invalid_argument, "topics: expected a list");
  const json::array& positions = value->get_array();
  if (positions.size() > kMaxTopics)
    return fail(Errc::invalid_argument, str_cat("topics: more than ", kMaxTopics, " positions"));
  for (std::size_t i = 0; i < positions.size(); ++i) {
    auto topics = topic_position(positions[i], i);
    if (!topics)
      return std::unexpected(topics.error());
    out[i] = std::move(*topics);
  }
  return {};
}

}  // namespace

Result<FilterRequest> parse_filter_request(const json::value& value) {
  if (!value.is_object())
    return fail(Errc::invalid_argument, "filter: expected an object");
  const json::object& object = value.get_object();
  if (auto ok = only_members(object, {"fromBlock", "toBlock", "blockHash", "address", "topics"},
                             "filter");
      !ok)
    return std::unexpected(ok.error());
  FilterRequest filter;
  const auto results = {
      optional_member(object, "fromBlock", filter.from_block, parse_block_selector),
      optional_member(object, "toBlock", filter.to_block, parse_block_selector),
      optional_member(object, "blockHash", filter.block_hash, parse_eth_hash),
      filter_topics(object.if_contains("topics"), filter.topics),
  };
  for (const Result<void>& result : results) {
    if (!result)
      return std::unexpected(result.error());
  }
  if (filter.block_hash && (filter.from_block || filter.to_block))
    return fail(Errc::invalid_argument, "filter: blockHash excludes fromBlock and toBlock");
  auto addresses = filter_addresses(object.if_contains("address"));
  if (!addresses)
    return std::unexpected(addresses.error());
  filter.addresses = std::move(*addresses);
  return filter;
}

}  // namespace tally::chain
