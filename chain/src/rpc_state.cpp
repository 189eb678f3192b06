#include "rpc_state.hpp"

#include <tally/chain/block_seal.hpp>
#include <tally/chain/transaction.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {

std::string RpcDispatcher::State::new_id() {
  Bytes raw(16);
  for (std::size_t i = 0; i < raw.size(); i += 8) {
    const std::uint64_t word = rng();
    for (std::size_t j = 0; j < 8; ++j)
      raw[i + j] = static_cast<Byte>(word >> (8 * j));
  }
  return to_hex(raw);
}

}  // namespace tally::chain

namespace tally::chain::rpc {

std::unexpected<RpcError> rpc_fail(const Error& error) {
  switch (error.code) {
    case Errc::invalid_argument:
    case Errc::malformed:
    case Errc::out_of_range:
      return rpc_fail(kInvalidParams, error.message);
    case Errc::limit_exceeded:
      return rpc_fail(kLimitExceeded, error.message);
    default:
      return rpc_fail(kServerError, error.message);
  }
}

LedgerPool::Lease::~Lease() {
  if (ledger_ == nullptr)
    return;
  const std::lock_guard lock(pool_->mutex_);
  if (pool_->idle_.size() < kMaxIdle)
    pool_->idle_.push_back(std::move(ledger_));
}

Result<LedgerPool::Lease> LedgerPool::acquire() {
  std::unique_ptr<Ledger> ledger;
  {
    const std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      ledger = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (ledger == nullptr) {
    auto opened = Ledger::open(path_, CryptoSuite(suite_), {.read_only = true});
    if (!opened)
      return std::unexpected(opened.error());
    ledger = std::make_unique<Ledger>(std::move(*opened));
  }
  if (auto refreshed = ledger->refresh_head(); !refreshed)
    return std::unexpected(refreshed.error());
  return Lease(*this, std::move(ledger));
}

std::expected<void, RpcError> param_count(const Call& call, std::size_t min, std::size_t max) {
  const std::size_t count = call.params.size();
  if (count < min)
    return rpc_fail(kInvalidParams, str_cat("missing value for required argument ", count));
  if (count > max)
    return rpc_fail(kInvalidParams, str_cat("too many arguments, want at most ", max));
  return {};
}

const json::value& param(const Call& call, std::size_t index) {
  static const json::value null_value;
  return index < call.params.size() ? call.params[index] : null_value;
}

Hash256 block_hash_of(const BlockHeader& header, const CryptoSuite& suite) {
  if (auto digest = block_digest(header, suite))
    return *digest;
  return header.hash(suite);
}

std::expected<std::uint64_t, RpcError> head_number(Call& call) {
  const auto& head = call.ledger.head();
  if (!head)
    return rpc_fail(kServerError, "the ledger holds no block yet");
  return head->block_number;
}

std::expected<std::optional<std::uint64_t>, RpcError> block_number_of(
    Call& call,
    const BlockSelector& selector) {
  if (const auto* number = std::get_if<std::uint64_t>(&selector)) {
    const auto& head = call.ledger.head();
    if (!head || *number > head->block_number)
      return std::optional<std::uint64_t>();
    return std::optional<std::uint64_t>(*number);
  }
  if (const auto* hash = std::get_if<Hash256>(&selector)) {
    auto block = checked(call.ledger.block_by_hash(*hash));
    if (!block)
      return std::unexpected(block.error());
    if (!*block)
      return std::optional<std::uint64_t>();
    return std::optional<std::uint64_t>((*block)->header.block_number);
  }
  const auto& head = call.ledger.head();
  if (!head)
    return std::optional<std::uint64_t>();
  if (std::get<BlockTag>(selector) == BlockTag::earliest)
    return std::optional<std::uint64_t>(0);
  return std::optional<std::uint64_t>(head->block_number);
}

std::expected<BlockHeader, RpcError> state_header(Call& call, const json::value& value) {
  // A state read without a block means the head.
  BlockSelector selector = BlockTag::latest;
  if (!value.is_null()) {
    auto parsed = checked(parse_block_selector(value, "block"));
    if (!parsed)
      return std::unexpected(parsed.error());
    selector = *parsed;
  }
  auto number = block_number_of(call, selector);
  if (!number)
    return std::unexpected(number.error());
  if (!*number)
    return rpc_fail(kServerError, "header not found");
  auto header = checked(call.ledger.header_by_number(**number));
  if (!header)
    return std::unexpected(header.error());
  if (!*header)
    return rpc_fail(kServerError, "header not found");
  return std::move(**header);
}

std::expected<std::vector<VerifiedTx>, RpcError> verified_txs(const Block& block,
                                                              const CryptoSuite& suite) {
  std::vector<VerifiedTx> out;
  out.reserve(block.txs.size());
  for (std::size_t i = 0; i < block.txs.size(); ++i) {
    auto tx = Transaction::decode(suite, block.txs[i]);
    if (!tx)
      return rpc_fail(kServerError, str_cat("block ", block.header.block_number, " tx ", i, ": ",
                                            tx.error().message));
    auto verified = recover_sender(std::move(*tx));
    if (!verified)
      return rpc_fail(kServerError, str_cat("block ", block.header.block_number, " tx ", i, ": ",
                                            verified.error().message));
    out.push_back(std::move(*verified));
  }
  return out;
}

std::expected<std::vector<LogEntry>, RpcError> query_logs(Call& call,
                                                          const FilterRequest& criteria,
                                                          std::uint64_t from,
                                                          std::uint64_t to) {
  const RpcLimits& limits = call.state.config.limits;
  if (from > to)
    return std::vector<LogEntry>{};
  if (to - from >= limits.max_log_block_range)
    return rpc_fail(kLimitExceeded, str_cat("block range of more than ", limits.max_log_block_range,
                                            " blocks: narrow it"));
  LogFilter filter;
  filter.from_block = from;
  filter.to_block = to;
  filter.addresses = criteria.addresses;
  filter.topics = criteria.topics;
  auto logs = call.ledger.logs(filter);
  if (!logs)
    return rpc_fail(logs.error());
  if (logs->size() > limits.max_log_results)
    return rpc_fail(kLimitExceeded,
                    str_cat("more than ", limits.max_log_results, " logs: narrow the query"));
  return std::move(*logs);
}

json::array logs_json(const std::vector<LogEntry>& logs) {
  json::array out;
  out.reserve(logs.size());
  for (const LogEntry& entry : logs)
    out.emplace_back(eth_log_json(entry));
  return out;
}

}  // namespace tally::chain::rpc
