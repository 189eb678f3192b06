#include <tally/chain/receipt.hpp>
#include <tally/core/rlp.hpp>
#include <tally/core/str_cat.hpp>

namespace tally::chain {
namespace {

constexpr std::uint8_t kMaxTxType = 2;

std::string at(std::string_view name) {
  return str_cat("receipt: ", name);
}

void add_log(RlpWriter& writer, const Log& log) {
  writer.begin_list();
  writer.add_string(log.address.view());
  writer.begin_list();
  for (const Hash256& topic : log.topics)
    writer.add_string(topic.view());
  writer.end_list();
  writer.add_string(log.data);
  writer.end_list();
}

Result<Log> read_log(RlpReader& logs) {
  TALLY_TRY(RlpReader reader, in_context(logs.read_list(), at("log")));
  Log log;
  TALLY_TRY(log.address, in_context(reader.read_fixed<20>(), at("log address")));
  TALLY_TRY(RlpReader topics, in_context(reader.read_list(), at("log topics")));
  while (!topics.at_end()) {
    if (log.topics.size() == kMaxTopics) {
      return fail(Errc::malformed, at("a log has more than four topics"));
    }
    TALLY_TRY(const Hash256 topic, in_context(topics.read_fixed<32>(), at("log topic")));
    log.topics.push_back(topic);
  }
  TALLY_TRY(const BytesView data, in_context(reader.read_string(), at("log data")));
  log.data.assign(data.begin(), data.end());
  TALLY_TRY_VOID(in_context(reader.finish(), at("after log data")));
  return log;
}

}  // namespace

Bloom logs_bloom(const std::vector<Log>& logs) {
  Bloom bloom;
  for (const Log& log : logs) {
    bloom.add(log.address.view());
    for (const Hash256& topic : log.topics)
      bloom.add(topic.view());
  }
  return bloom;
}

Bytes Receipt::encode() const {
  RlpWriter writer;
  writer.begin_list();
  writer.add_uint(success ? 1 : 0);
  writer.add_uint(cumulative_gas_used);
  writer.add_string(bloom.bits().view());
  writer.begin_list();
  for (const Log& log : logs)
    add_log(writer, log);
  writer.end_list();
  writer.end_list();
  Bytes out;
  if (tx_type != 0)
    out.push_back(tx_type);
  writer.finish_append(out);
  return out;
}

Result<Receipt> Receipt::decode(BytesView encoded) {
  Receipt receipt;
  // A typed receipt starts with its type byte; an RLP list starts at 0xc0 or above.
  if (!encoded.empty() && encoded[0] < 0x80) {
    if (encoded[0] == 0 || encoded[0] > kMaxTxType) {
      return fail(Errc::unsupported, at(str_cat("unknown receipt type ", encoded[0])));
    }
    receipt.tx_type = encoded[0];
    encoded = encoded.subspan(1);
  }
  TALLY_TRY(RlpReader reader, in_context(rlp_open_list(encoded), "receipt"));
  TALLY_TRY(const std::uint64_t status, in_context(reader.read_uint64(), at("status")));
  if (status > 1)
    return fail(Errc::malformed, at(str_cat("status ", status, " is not 0 or 1")));
  receipt.success = status == 1;
  TALLY_TRY(receipt.cumulative_gas_used,
            in_context(reader.read_uint64(), at("cumulative_gas_used")));
  TALLY_TRY(const auto bloom, in_context(reader.read_fixed<Bloom::kSize>(), at("logs_bloom")));
  receipt.bloom = Bloom(bloom);
  TALLY_TRY(RlpReader logs, in_context(reader.read_list(), at("logs")));
  while (!logs.at_end()) {
    TALLY_TRY(Log log, read_log(logs));
    receipt.logs.push_back(std::move(log));
  }
  TALLY_TRY_VOID(in_context(reader.finish(), at("after logs")));
  return receipt;
}

}  // namespace tally::chain
