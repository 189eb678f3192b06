// Chain information, blocks, transactions, receipts, logs and tx submission.
#include <tally/core/str_cat.hpp>

#include "rpc_state.hpp"

namespace tally::chain::rpc {
namespace {

RpcResult eth_chain_id(Call& call) {
  return json::value(eth_quantity(call.state.node.chain_id()));
}

RpcResult net_version(Call& call) {
  return json::value(std::to_string(call.state.node.chain_id()));  // decimal, as geth
}

RpcResult net_listening(Call&) {
  return json::value(true);
}

RpcResult net_peer_count(Call& call) {
  std::uint64_t connected = 0;
  for (const RpcPeer& peer : call.state.node.peers())
    connected += peer.connected ? 1U : 0U;
  return json::value(eth_quantity(connected));
}

RpcResult web3_client_version(Call& call) {
  return json::value(call.state.config.client_version);
}

RpcResult eth_accounts(Call&) {
  return json::value(json::array{});  // the node holds no client keys
}

// Zero: the base fee is 0 on this chain and validators take txs at any price.
RpcResult eth_gas_price(Call&) {
  return json::value("0x0");
}

RpcResult eth_block_number(Call& call) {
  TALLY_TRY(auto head, head_number(call));
  return json::value(eth_quantity(head));
}

RpcResult eth_syncing(Call& call) {
  const RpcSyncStatus status = call.state.node.syncing();
  if (!status.syncing)
    return json::value(false);
  return json::object{{"startingBlock", eth_quantity(status.starting_block)},
                      {"currentBlock", eth_quantity(status.current_block)},
                      {"highestBlock", eth_quantity(status.highest_block)}};
}

RpcResult block_json(Call& call, std::optional<Block> block, const json::value& full_param) {
  if (!block)
    return json::value(nullptr);
  if (!full_param.is_bool() && !full_param.is_null())
    return rpc_fail(kInvalidParams, "full transactions: expected a boolean");
  TALLY_TRY(auto txs, verified_txs(*block, call.state.suite));
  const Hash256 digest = block_hash_of(block->header, call.state.suite);
  return eth_block_json(*block, digest, txs, full_param.is_bool() && full_param.get_bool());
}

RpcResult eth_get_block_by_number(Call& call) {
  TALLY_TRY_VOID(param_count(call, 1, 2));
  TALLY_TRY(auto selector, checked(parse_block_selector(param(call, 0), "block")));
  TALLY_TRY(auto number, block_number_of(call, selector));
  if (!number)
    return json::value(nullptr);
  TALLY_TRY(auto block, checked(call.ledger.block_by_number(*number)));
  return block_json(call, std::move(block), param(call, 1));
}

RpcResult eth_get_block_by_hash(Call& call) {
  TALLY_TRY_VOID(param_count(call, 1, 2));
  TALLY_TRY(auto hash, checked(parse_eth_hash(param(call, 0), "block hash")));
  TALLY_TRY(auto block, checked(call.ledger.block_by_hash(hash)));
  return block_json(call, std::move(block), param(call, 1));
}

// A mined tx: its block, its index, its sender.
struct MinedTx {
  Block block;
  std::uint32_t index = 0;
  VerifiedTx tx;
};

std::expected<std::optional<MinedTx>, RpcError> mined_tx(Call& call, const Hash256& hash) {
  TALLY_TRY(auto location, checked(call.ledger.tx_location(hash)));
  if (!location)
    return std::optional<MinedTx>();
  TALLY_TRY(auto block, checked(call.ledger.block_by_number(location->block_number)));
  const std::uint32_t index = location->tx_index;
  if (!block || index >= block->txs.size())
    return rpc_fail(kServerError, "ledger: tx index names no stored tx");
  auto tx = Transaction::decode(call.state.suite, block->txs[index]);
  auto verified = tx ? recover_sender(std::move(*tx)) : std::unexpected(tx.error());
  if (!verified)
    return rpc_fail(kServerError, str_cat("stored tx: ", verified.error().message));
  return std::optional<MinedTx>(MinedTx{std::move(*block), index, std::move(*verified)});
}

RpcResult eth_get_transaction_by_hash(Call& call) {
  TALLY_TRY_VOID(param_count(call, 1, 1));
  TALLY_TRY(auto hash, checked(parse_eth_hash(param(call, 0), "tx hash")));
  TALLY_TRY(auto mined, mined_tx(call, hash));
  if (mined) {
    const TxPlace place{block_hash_of(mined->block.header, call.state.suite),
                        mined->block.header.block_number, mined->index};
    return eth_tx_json(mined->tx, place);
  }
  auto pending = call.state.node.pending_tx(hash);
  if (!pending)
    return json::value(nullptr);
  auto verified = recover_sender(std::move(*pending));
  if (!verified)
    return rpc_fail(kServerError, verified.error().message);
  return eth_tx_json(*verified, std::nullopt);
}

RpcResult eth_get_transaction_receipt(Call& call) {
  TALLY_TRY_VOID(param_count(call, 1, 1));
  TALLY_TRY(auto hash, checked(parse_eth_hash(param(call, 0), "tx hash")));
  TALLY_TRY(auto mined, mined_tx(call, hash));
  if (!mined)
    return json::value(nullptr);
  const BlockHeader& header = mined->block.header;
  ReceiptPlace place;
  place.tx = TxPlace{block_hash_of(header, call.state.suite), header.block_number, mined->index};
  place.base_fee = header.base_fee_per_gas.value_or(u256(0));
  std::uint64_t previous_cumulative = 0;
  for (std::uint32_t i = 0; i <= mined->index; ++i) {
    TALLY_TRY(auto receipt, checked(call.ledger.receipt(header.block_number, i)));
    if (!receipt)
      return rpc_fail(kServerError, str_cat("ledger: no receipt for tx ", i));
    if (i < mined->index) {
      place.first_log_index += static_cast<std::uint32_t>(receipt->logs.size());
      previous_cumulative = receipt->cumulative_gas_used;
      continue;
    }
    place.gas_used = receipt->cumulative_gas_used - previous_cumulative;
    return eth_receipt_json(*receipt, mined->tx, place);
  }
  return rpc_fail(kInternalError, "unreachable");
}

RpcResult eth_send_raw_transaction(Call& call) {
  TALLY_TRY_VOID(param_count(call, 1, 1));
  TALLY_TRY(auto raw, checked(parse_eth_data(param(call, 0), "raw tx")));
  auto hash = call.state.node.submit_raw_tx(raw);
  if (!hash)
    return rpc_fail(kServerError, hash.error().message);  // the pool's text, as geth
  return json::value(hash->hex());
}

// The block range of a filter against the head; blockHash pins one block.
std::expected<std::pair<std::uint64_t, std::uint64_t>, RpcError> filter_range(
    Call& call,
    const FilterRequest& criteria) {
  TALLY_TRY(auto head, head_number(call));
  if (criteria.block_hash) {
    TALLY_TRY(auto number, block_number_of(call, *criteria.block_hash));
    if (!number)
      return rpc_fail(kServerError, "unknown block");
    return std::pair(*number, *number);
  }
  const auto bound =
      [&](const std::optional<BlockSelector>& selector) -> std::expected<std::uint64_t, RpcError> {
    if (!selector)
      return head;
    if (const auto* number = std::get_if<std::uint64_t>(&*selector))
      return *number;  // a number past the head is kept: the range just ends early
    TALLY_TRY(auto resolved, block_number_of(call, *selector));
    if (!resolved)
      return rpc_fail(kServerError, "unknown block");
    return *resolved;
  };
  auto from = bound(criteria.from_block);
  auto to = bound(criteria.to_block);
  if (!from || !to)
    return std::unexpected(!from ? from.error() : to.error());
  if (*from > *to && *from <= head)
    return rpc_fail(kInvalidParams, "invalid block range: fromBlock is after toBlock");
  return std::pair(*from, std::min(*to, head));
}

RpcResult eth_get_logs(Call& call) {
  TALLY_TRY_VOID(param_count(call, 1, 1));
  TALLY_TRY(auto criteria, checked(parse_filter_request(param(call, 0))));
  TALLY_TRY(auto range, filter_range(call, criteria));
  TALLY_TRY(auto logs, query_logs(call, criteria, range.first, range.second));
  return logs_json(logs);
}

}  // namespace

std::expected<std::pair<std::uint64_t, std::uint64_t>, RpcError> resolve_filter_range(
    Call& call,
    const FilterRequest& criteria) {
  return filter_range(call, criteria);
}

void add_read_methods(MethodTable& table) {
  table.emplace("eth_chainId", eth_chain_id);
  table.emplace("net_version", net_version);
  table.emplace("net_listening", net_listening);
  table.emplace("net_peerCount", net_peer_count);
  table.emplace("web3_clientVersion", web3_client_version);
  table.emplace("eth_accounts", eth_accounts);
  table.emplace("eth_gasPrice", eth_gas_price);
  table.emplace("eth_maxPriorityFeePerGas", eth_gas_price);
  table.emplace("eth_blockNumber", eth_block_number);
  table.emplace("eth_syncing", eth_syncing);
  table.emplace("eth_getBlockByNumber", eth_get_block_by_number);
  table.emplace("eth_getBlockByHash", eth_get_block_by_hash);
  table.emplace("eth_getTransactionByHash", eth_get_transaction_by_hash);
  table.emplace("eth_getTransactionReceipt", eth_get_transaction_receipt);
  table.emplace("eth_sendRawTransaction", eth_send_raw_transaction);
  table.emplace("eth_getLogs", eth_get_logs);
}

}  // namespace tally::chain::rpc
