// Polling filters (eth_newFilter, eth_newBlockFilter, eth_getFilterChanges...) and WebSocket
// subscriptions (eth_subscribe newHeads and logs), and their feed from new blocks.
#include <tally/core/str_cat.hpp>

#include "rpc_state.hpp"

namespace tally::chain {
namespace rpc {
namespace {

// Drops filters nobody polled for the idle time. Needs state.mutex held.
void expire_filters(RpcDispatcher::State& state) {
  const MonotonicTime now = state.clock.monotonic();
  const auto idle = state.config.limits.filter_idle;
  std::erase_if(state.filters,
                [&](const auto& entry) { return now - entry.second.last_poll > idle; });
}

RpcResult install(Call& call, Filter filter) {
  TALLY_TRY(auto head, head_number(call));
  filter.next_block = head + 1;
  RpcDispatcher::State& state = call.state;
  const std::lock_guard lock(state.mutex);
  expire_filters(state);
  if (state.filters.size() >= state.config.limits.max_filters)
    return rpc_fail(kLimitExceeded, str_cat("more than ", state.config.limits.max_filters,
                                            " filters installed: uninstall some"));
  filter.last_poll = state.clock.monotonic();
  std::string id = state.new_id();
  state.filters.emplace(id, std::move(filter));
  return json::value(std::move(id));
}

RpcResult eth_new_filter(Call& call) {
  TALLY_TRY_VOID(param_count(call, 1, 1));
  TALLY_TRY(auto criteria, checked(parse_filter_request(param(call, 0))));
  return install(call, Filter{Filter::Kind::logs, std::move(criteria), 0, {}});
}

RpcResult eth_new_block_filter(Call& call) {
  TALLY_TRY_VOID(param_count(call, 0, 0));
  return install(call, Filter{Filter::Kind::blocks, {}, 0, {}});
}

// The pool is the node's; it does not stream its admissions to the RPC server.
RpcResult eth_new_pending_transaction_filter(Call&) {
  return rpc_fail(kMethodNotFound, "pending transaction filters are not supported");
}

// A copy of the filter, its poll time renewed.
std::expected<Filter, RpcError> touch(Call& call, const std::string& id) {
  RpcDispatcher::State& state = call.state;
  const std::lock_guard lock(state.mutex);
  expire_filters(state);
  const auto found = state.filters.find(id);
  if (found == state.filters.end())
    return rpc_fail(kServerError, "filter not found");
  found->second.last_poll = state.clock.monotonic();
  return found->second;
}

void advance(Call& call, const std::string& id, std::uint64_t next_block) {
  const std::lock_guard lock(call.state.mutex);
  if (const auto found = call.state.filters.find(id); found != call.state.filters.end())
    found->second.next_block = std::max(found->second.next_block, next_block);
}

std::expected<std::string, RpcError> filter_id(Call& call) {
  TALLY_TRY_VOID(param_count(call, 1, 1));
  if (!param(call, 0).is_string())
    return rpc_fail(kInvalidParams, "filter id: expected a string");
  return std::string(param(call, 0).get_string());
}

RpcResult block_changes(Call& call, const std::string& id, const Filter& filter) {
  TALLY_TRY(auto head, head_number(call));
  json::array hashes;
  // At most the range limit per poll; the rest comes with the next poll.
  const std::uint64_t last =
      std::min(head, filter.next_block + call.state.config.limits.max_log_block_range - 1);
  for (std::uint64_t n = filter.next_block; n <= last; ++n) {
    TALLY_TRY(auto header, checked(call.ledger.header_by_number(n)));
    if (header)
      hashes.emplace_back(block_hash_of(*header, call.state.suite).hex());
  }
  advance(call, id, last + 1);
  return hashes;
}

// A tag bound (latest, ...) moves with the head: each poll reports the blocks since the last.
std::uint64_t explicit_number(const std::optional<BlockSelector>& selector,
                              std::uint64_t fallback) {
  if (selector) {
    if (const auto* number = std::get_if<std::uint64_t>(&*selector))
      return *number;
  }
  return fallback;
}

RpcResult log_changes(Call& call, const std::string& id, const Filter& filter) {
  TALLY_TRY(auto head, head_number(call));
  std::uint64_t from = std::max(explicit_number(filter.criteria.from_block, 0), filter.next_block);
  std::uint64_t to = std::min(explicit_number(filter.criteria.to_block, head), head);
  if (filter.criteria.block_hash) {
    TALLY_TRY(auto range, resolve_filter_range(call, filter.criteria));
    from = std::max(range.first, filter.next_block);
    to = range.second;
  }
  // At most the range limit per poll; the rest comes with the next poll.
  const std::uint64_t capped_end = from + call.state.config.limits.max_log_block_range - 1;
  const bool capped = from <= to && capped_end < to;
  if (capped)
    to = capped_end;
  TALLY_TRY(auto logs, query_logs(call, filter.criteria, from, to));
  advance(call, id, capped ? to + 1 : head + 1);
  return logs_json(logs);
}

RpcResult eth_get_filter_changes(Call& call) {
  TALLY_TRY(auto id, filter_id(call));
  TALLY_TRY(auto filter, touch(call, id));
  if (filter.kind == Filter::Kind::blocks)
    return block_changes(call, id, filter);
  return log_changes(call, id, filter);
}

RpcResult eth_get_filter_logs(Call& call) {
  TALLY_TRY(auto id, filter_id(call));
  TALLY_TRY(auto filter, touch(call, id));
  if (filter.kind != Filter::Kind::logs)
    return rpc_fail(kServerError, "filter not found");  // geth's answer for a block filter
  TALLY_TRY(auto range, resolve_filter_range(call, filter.criteria));
  TALLY_TRY(auto logs, query_logs(call, filter.criteria, range.first, range.second));
  return logs_json(logs);
}

RpcResult eth_uninstall_filter(Call& call) {
  TALLY_TRY(auto id, filter_id(call));
  const std::lock_guard lock(call.state.mutex);
  expire_filters(call.state);
  return json::value(call.state.filters.erase(id) > 0);
}

// ---- Subscriptions

RpcResult eth_subscribe(Call& call) {
  if (!call.caller.push)
    return rpc_fail(kServerError, "notifications not supported: subscribe over a WebSocket");
  TALLY_TRY_VOID(param_count(call, 1, 2));
  Subscription subscription;
  subscription.connection_id = call.caller.connection_id;
  subscription.push = call.caller.push;
  const json::value& kind = param(call, 0);
  if (kind == "newHeads" && param(call, 1).is_null()) {
    subscription.kind = Subscription::Kind::new_heads;
  } else if (kind == "logs") {
    subscription.kind = Subscription::Kind::logs;
    if (!param(call, 1).is_null()) {
      TALLY_TRY(auto criteria, checked(parse_filter_request(param(call, 1))));
      subscription.criteria = std::move(criteria);
    }
  } else {
    return rpc_fail(kInvalidParams, "unsupported subscription: newHeads and logs only");
  }
  RpcDispatcher::State& state = call.state;
  const std::lock_guard lock(state.mutex);
  const auto count = std::count_if(
      state.subscriptions.begin(), state.subscriptions.end(),
      [&](const auto& entry) { return entry.second.connection_id == subscription.connection_id; });
  if (static_cast<std::size_t>(count) >= state.config.limits.max_subscriptions_per_connection)
    return rpc_fail(kLimitExceeded,
                    str_cat("more than ", state.config.limits.max_subscriptions_per_connection,
                            " subscriptions on this connection"));
  std::string id = state.new_id();
  state.subscriptions.emplace(id, std::move(subscription));
  return json::value(std::move(id));
}

RpcResult eth_unsubscribe(Call& call) {
  TALLY_TRY_VOID(param_count(call, 1, 1));
  if (!param(call, 0).is_string())
    return rpc_fail(kInvalidParams, "subscription id: expected a string");
  const std::lock_guard lock(call.state.mutex);
  const auto found = call.state.subscriptions.find(std::string(param(call, 0).get_string()));
  if (found == call.state.subscriptions.end() ||
      found->second.connection_id != call.caller.connection_id)
    return json::value(false);
  call.state.subscriptions.erase(found);
  return json::value(true);
}

std::string notification(const std::string& id, json::value result) {
  return json::serialize(
      json::object{{"jsonrpc", "2.0"},
                   {"method", "eth_subscription"},
                   {"params", json::object{{"subscription", id}, {"result", std::move(result)}}}});
}

// newHeads carries the header fields only.
json::object head_json(const Block& block, const CryptoSuite& suite) {
  json::object out = eth_block_json(block, block_hash_of(block.header, suite), {}, false);
  for (const char* key : {"transactions", "uncles", "size", "totalDifficulty"})
    out.erase(key);
  return out;
}

// Pushes what block `number` gives each subscription.
Result<void> publish_block(RpcDispatcher::State& state,
                           Ledger& ledger,
                           std::uint64_t number,
                           const std::vector<std::pair<std::string, Subscription>>& subscriptions) {
  TALLY_TRY(auto block, ledger.block_by_number(number));
  if (!block)
    return fail(Errc::not_found, str_cat("rpc publish: no block ", number));
  for (const auto& [id, subscription] : subscriptions) {
    if (subscription.kind == Subscription::Kind::new_heads) {
      subscription.push(notification(id, head_json(*block, state.suite)));
      continue;
    }
    LogFilter filter{number, number, subscription.criteria.addresses, subscription.criteria.topics};
    TALLY_TRY(auto logs, ledger.logs(filter));
    for (const LogEntry& entry : logs)
      subscription.push(notification(id, eth_log_json(entry)));
  }
  return {};
}

}  // namespace

void add_filter_methods(MethodTable& table) {
  table.emplace("eth_newFilter", eth_new_filter);
  table.emplace("eth_newBlockFilter", eth_new_block_filter);
  table.emplace("eth_newPendingTransactionFilter", eth_new_pending_transaction_filter);
  table.emplace("eth_getFilterChanges", eth_get_filter_changes);
  table.emplace("eth_getFilterLogs", eth_get_filter_logs);
  table.emplace("eth_uninstallFilter", eth_uninstall_filter);
  table.emplace("eth_subscribe", eth_subscribe);
  table.emplace("eth_unsubscribe", eth_unsubscribe);
}

}  // namespace rpc

void RpcDispatcher::publish_new_blocks() {
  // One publisher at a time, so notifications leave in block order.
  const std::lock_guard publishing(state_->publish_mutex);
  auto lease = state_->ledgers.acquire();
  if (!lease || !(*lease)->head())
    return;
  const std::uint64_t head = (*lease)->head()->block_number;
  std::uint64_t first = 0;
  std::vector<std::pair<std::string, rpc::Subscription>> subscriptions;
  {
    const std::lock_guard lock(state_->mutex);
    if (state_->last_published)
      first = *state_->last_published + 1;
    subscriptions.assign(state_->subscriptions.begin(), state_->subscriptions.end());
  }
  for (std::uint64_t number = first; number <= head; ++number) {
    if (!rpc::publish_block(*state_, **lease, number, subscriptions))
      return;  // retried with the next notification
    const std::lock_guard lock(state_->mutex);
    state_->last_published = number;
  }
}

}  // namespace tally::chain
