// Ledger::logs: eth_getLogs over the logs table and its address and topic indexes.
#include <tally/chain/ledger.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

// "?3, ?4, ?5" for `count` parameters numbered from `first`.
std::string placeholders(int first, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0)
      out += ", ";
    out += str_cat("?", first + static_cast<int>(i));
  }
  return out;
}

Result<void> check_bounds(const LogFilter& filter) {
  if (filter.from_block > filter.to_block) {
    return fail(Errc::invalid_argument, str_cat("logs: from block ", filter.from_block,
                                                " is after to block ", filter.to_block));
  }
  if (filter.addresses.size() > kMaxFilterAddresses) {
    return fail(Errc::limit_exceeded, str_cat("logs: ", filter.addresses.size(),
                                              " addresses, at most ", kMaxFilterAddresses));
  }
  for (const auto& position : filter.topics) {
    if (position.size() > kMaxFilterTopicsPerPosition) {
      return fail(Errc::limit_exceeded,
                  str_cat("logs: ", position.size(), " topics at one position, at most ",
                          kMaxFilterTopicsPerPosition));
    }
  }
  return {};
}

std::int64_t clamp_block(std::uint64_t block_number) {
  return static_cast<std::int64_t>(std::min<std::uint64_t>(block_number, INT64_MAX));
}

}  // namespace

Result<std::vector<LogEntry>> Ledger::logs(const LogFilter& filter) {
  TALLY_TRY_VOID(check_bounds(filter));
  std::string sql =
      "SELECT l.block_number, b.hash, l.tx_index, t.hash, l.log_index, l.address, l.topic0, "
      "l.topic1, l.topic2, l.topic3, l.data FROM logs l "
      "JOIN blocks b ON b.block_number = l.block_number "
      "JOIN txs t ON t.block_number = l.block_number AND t.tx_index = l.tx_index "
      "WHERE l.block_number BETWEEN ?1 AND ?2";
  int next = 3;
  if (!filter.addresses.empty()) {
    sql += str_cat(" AND l.address IN (", placeholders(next, filter.addresses.size()), ")");
    next += static_cast<int>(filter.addresses.size());
  }
  for (std::size_t t = 0; t < kMaxTopics; ++t) {
    if (filter.topics[t].empty())
      continue;
    sql += str_cat(" AND l.topic", t, " IN (", placeholders(next, filter.topics[t].size()), ")");
    next += static_cast<int>(filter.topics[t].size());
  }
  sql += str_cat(" ORDER BY l.block_number, l.log_index LIMIT ", kMaxLogResults + 1);

  TALLY_TRY(auto select, database_.prepare(sql));
  TALLY_TRY_VOID(select.bind(1, clamp_block(filter.from_block)));
  TALLY_TRY_VOID(select.bind(2, clamp_block(filter.to_block)));
  int parameter = 3;
  for (const Address& address : filter.addresses) {
    TALLY_TRY_VOID(select.bind(parameter++, address.view()));
  }
  for (const auto& position : filter.topics) {
    for (const Hash256& topic : position)
      TALLY_TRY_VOID(select.bind(parameter++, topic.view()));
  }

  std::vector<LogEntry> entries;
  for (;;) {
    TALLY_TRY(const bool row, select.step());
    if (!row)
      break;
    if (entries.size() == kMaxLogResults) {
      return fail(Errc::limit_exceeded,
                  str_cat("logs: more than ", kMaxLogResults, " results; narrow the block range"));
    }
    LogEntry entry;
    entry.block_number = static_cast<std::uint64_t>(select.column_int64(0));
    TALLY_TRY(entry.block_hash, in_context(Hash256::from_span(select.column_blob(1)), "logs"));
    entry.tx_index = static_cast<std::uint32_t>(select.column_int64(2));
    TALLY_TRY(entry.tx_hash, in_context(Hash256::from_span(select.column_blob(3)), "logs"));
    entry.log_index = static_cast<std::uint32_t>(select.column_int64(4));
    TALLY_TRY(entry.log.address, in_context(Address::from_span(select.column_blob(5)), "logs"));
    for (int t = 0; t < static_cast<int>(kMaxTopics) && !select.is_null(6 + t); ++t) {
      TALLY_TRY(const Hash256 topic,
                in_context(Hash256::from_span(select.column_blob(6 + t)), "logs"));
      entry.log.topics.push_back(topic);
    }
    const BytesView data = select.column_blob(10);
    entry.log.data.assign(data.begin(), data.end());
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace tally::chain
