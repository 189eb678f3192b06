#include "chain_client.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/json.hpp>

#include <tally/chain/eth_json.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/core/trim.hpp>

namespace tally::cli {
namespace {

namespace json = boost::json;

// Key files are a few bytes; accounts.json holds at most a thousand accounts.
constexpr std::uintmax_t kMaxKeyFileBytes = 4096;
constexpr std::uintmax_t kMaxAccountsFileBytes = 4 << 20;

Result<std::string> read_small_file(const std::filesystem::path& path, std::uintmax_t limit) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error)
    return fail(Errc::io_error, str_cat("cannot read ", path.string(), ": ", error.message()));
  if (size > limit)
    return fail(Errc::limit_exceeded, str_cat(path.string(), ": larger than ", limit, " bytes"));
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in)
    return fail(Errc::io_error, str_cat("cannot read ", path.string()));
  return text.str();
}

Result<KeyPair> key_from_hex(std::string_view hex, SuiteId suite, std::string_view where) {
  auto bytes = from_hex(trim_ascii_space(hex));
  if (!bytes || bytes->size() != 32)
    return fail(Errc::malformed, str_cat(where, ": not a 32-byte hex private key"));
  return in_context(CryptoSuite(suite).key_pair_from_private_key(*bytes), where);
}

Result<json::value> read_accounts(const std::filesystem::path& path) {
  TALLY_TRY(const std::string text, read_small_file(path, kMaxAccountsFileBytes));
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  if (error || !value.is_object() || !value.as_object().contains("accounts") ||
      !value.at("accounts").is_array())
    return fail(Errc::malformed, str_cat(path.string(), ": not a `tally init` accounts.json"));
  return value;
}

const json::value* member(const json::value& object, std::string_view name) {
  return object.is_object() ? object.as_object().if_contains(name) : nullptr;
}

Result<std::uint64_t> estimate_gas(const RpcClient& client,
                                   const Address& from,
                                   const TxRequest& request) {
  json::object call{{"from", from.hex()},
                    {"value", chain::eth_quantity(request.value)},
                    {"data", chain::eth_data(request.data)}};
  if (request.to)
    call["to"] = request.to->hex();
  TALLY_TRY(const json::value estimate, client.call("eth_estimateGas", {std::move(call)}));
  TALLY_TRY(const std::uint64_t gas, chain::parse_eth_u64(estimate, "eth_estimateGas result"));
  return gas + gas * kGasMarginPercent / 100;
}

Result<std::uint64_t> pending_nonce(const RpcClient& client, const Address& from) {
  TALLY_TRY(const json::value count,
            client.call("eth_getTransactionCount", {from.hex(), "pending"}));
  return chain::parse_eth_u64(count, "eth_getTransactionCount result");
}

}  // namespace

Result<std::uint64_t> node_chain_id(const RpcClient& client) {
  TALLY_TRY(const json::value id, client.call("eth_chainId", {}));
  return chain::parse_eth_u64(id, "eth_chainId result");
}

Result<SuiteId> node_suite(const RpcClient& client) {
  auto proof = client.call("tally_finalityProof", {"latest"});
  const json::value* suite = proof ? member(*proof, "suite") : nullptr;
  if (!suite || !suite->is_string())
    return fail(
        Errc::unavailable,
        str_cat("the node at ", client.endpoint().url(), " does not tell its crypto suite yet (",
                proof ? "no sealed block" : proof.error().message, "): give --suite or --genesis"));
  return parse_suite_id(std::string_view(suite->get_string()));
}

Result<KeyPair> read_key_file(const std::filesystem::path& path, SuiteId suite) {
  TALLY_TRY(const std::string text, read_small_file(path, kMaxKeyFileBytes));
  return key_from_hex(text, suite, path.string());
}

Result<ChainParams> read_accounts_params(const std::filesystem::path& accounts_file) {
  TALLY_TRY(const json::value accounts, read_accounts(accounts_file));
  const json::value* suite = member(accounts, "suite");
  const json::value* chain_id = member(accounts, "chain_id");
  if (!suite || !suite->is_string() || !chain_id || !chain_id->is_number())
    return fail(Errc::malformed, str_cat(accounts_file.string(), ": no suite or chain_id"));
  TALLY_TRY(const SuiteId id, parse_suite_id(std::string_view(suite->get_string())));
  boost::system::error_code error;
  const auto number = chain_id->to_number<std::uint64_t>(error);
  if (error)
    return fail(Errc::malformed, str_cat(accounts_file.string(), ": chain_id: not a number"));
  return ChainParams{number, id};
}

Result<KeyPair> read_account_key(const std::filesystem::path& accounts_file,
                                 std::string_view name,
                                 SuiteId suite) {
  TALLY_TRY(const ChainParams params, read_accounts_params(accounts_file));
  if (params.suite != suite)
    return fail(Errc::invalid_argument,
                str_cat(accounts_file.string(), " holds ", suite_name(params.suite),
                        " keys; the chain's suite is ", suite_name(suite)));
  TALLY_TRY(const json::value accounts, read_accounts(accounts_file));
  const json::array& list = accounts.at("accounts").as_array();
  std::size_t index = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), index);
  const bool by_position = ec == std::errc() && end == name.data() + name.size();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json::value* address = member(list[i], "address");
    const json::value* key = member(list[i], "private_key");
    if (!address || !address->is_string() || !key || !key->is_string())
      return fail(Errc::malformed, str_cat(accounts_file.string(), ": account ", i + 1,
                                           ": needs address and private_key"));
    const auto wanted = Address::from_hex(name);
    const auto listed = Address::from_hex(std::string_view(address->get_string()));
    if ((by_position && index == i + 1) || (wanted && listed && *wanted == *listed))
      return key_from_hex(std::string_view(key->get_string()), suite,
                          str_cat(accounts_file.string(), ": account ", i + 1));
  }
  return fail(Errc::not_found, str_cat(accounts_file.string(), ": no account '", name, "' (",
                                       list.size(), " accounts, numbered from 1)"));
}

Result<SubmittedTx> submit_tx(const RpcClient& client,
                              const ChainParams& params,
                              const KeyPair& key,
                              const TxRequest& request) {
  const CryptoSuite suite(params.suite);
  SubmittedTx submitted;
  submitted.from = suite.address(key.public_key());
  if (request.nonce) {
    submitted.nonce = *request.nonce;
  } else {
    TALLY_TRY(submitted.nonce, pending_nonce(client, submitted.from));
  }
  if (request.gas_limit) {
    submitted.gas_limit = *request.gas_limit;
  } else {
    TALLY_TRY(submitted.gas_limit, estimate_gas(client, submitted.from, request));
  }

  chain::TxFields fields;
  fields.type = chain::TxType::dynamic_fee;
  fields.chain_id = params.chain_id;
  fields.nonce = submitted.nonce;
  fields.set_gas_price(0);
  fields.gas_limit = submitted.gas_limit;
  fields.to = request.to;
  fields.value = request.value;
  fields.data = request.data;
  TALLY_TRY(const chain::Transaction tx, chain::sign_tx(std::move(fields), key));
  TALLY_TRY(const json::value hash,
            client.call("eth_sendRawTransaction", {chain::eth_data(tx.encoded())}));
  TALLY_TRY(submitted.hash, chain::parse_eth_hash(hash, "eth_sendRawTransaction result"));
  if (submitted.hash != tx.hash())
    return fail(Errc::verification_failed, str_cat("the node named the tx ", submitted.hash.hex(),
                                                   "; its hash is ", tx.hash().hex()));
  return submitted;
}

Result<json::object> wait_for_receipt(const RpcClient& client,
                                      const Hash256& tx_hash,
                                      std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    TALLY_TRY(const json::value receipt, client.call("eth_getTransactionReceipt", {tx_hash.hex()}));
    if (receipt.is_object())
      return receipt.get_object();
    if (std::chrono::steady_clock::now() >= deadline)
      return fail(Errc::unavailable,
                  str_cat("no receipt for ", tx_hash.hex(), " within ", timeout.count(), " ms"));
    std::this_thread::sleep_for(kReceiptPollInterval);
  }
}

}  // namespace tally::cli
