// tally_sign_transfers: pre-signs value transfers for the node throughput benchmark
// (node_tps.py), with the chain's own signing code.
//
//   tally_sign_transfers ACCOUNTS_JSON CHAIN_ID FIRST COUNT
//
// ACCOUNTS_JSON is the accounts.json `tally init --accounts K` writes (standard suite; its
// /accounts/*/private_key). Transfer i
// (FIRST <= i < FIRST + COUNT) is sent by account i % K with nonce i / K, so consecutive transfers
// come from different senders and each sender's nonces rise without gaps in index order. Each is a
// legacy EIP-155 tx (gas 21000, gas price 1 gwei, value 1 wei) to the next account. One line per
// transfer on stdout: "<tx hash hex> <raw tx hex>". Exit 1 with a message on stderr on any error.

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include <tally/chain/tx_signing.hpp>
#include <tally/core/bytes.hpp>
#include <tally/core/crypto_suite.hpp>
#include <tally/core/error.hpp>
#include <tally/core/str_cat.hpp>

namespace {

using namespace tally;
namespace json = boost::json;

constexpr std::uint64_t kTransferGas = 21'000;
constexpr std::uint64_t kGasPriceWei = 1'000'000'000;
// Bounds what a typo on the command line can make the program do.
constexpr std::uint64_t kMaxTransfers = 10'000'000;

struct Account {
  KeyPair key_pair;
  Address address;
};

Result<std::uint64_t> number(std::string_view text, std::string_view what) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    return fail(Errc::invalid_argument, str_cat(what, ": '", text, "' is not a number"));
  return value;
}

std::string_view strip_0x(std::string_view hex) {
  return hex.starts_with("0x") ? hex.substr(2) : hex;
}

Result<std::vector<Account>> load_accounts(const std::string& path, const CryptoSuite& suite) {
  std::ifstream file(path);
  if (!file)
    return fail(Errc::io_error, str_cat(path, ": cannot read"));
  std::stringstream text;
  text << file.rdbuf();
  boost::system::error_code error;
  const json::value root = json::parse(text.str(), error);
  const json::value* list =
      !error && root.is_object() ? root.get_object().if_contains("accounts") : nullptr;
  if (list == nullptr || !list->is_array())
    return fail(Errc::malformed, str_cat(path, ": no /accounts array"));
  std::vector<Account> accounts;
  for (const json::value& entry : list->get_array()) {
    const json::value* field =
        entry.is_object() ? entry.get_object().if_contains("private_key") : nullptr;
    const json::string* key = field != nullptr ? field->if_string() : nullptr;
    if (key == nullptr)
      return fail(Errc::malformed, str_cat(path, ": [", accounts.size(), "]: no private_key"));
    TALLY_TRY(const Bytes secret, from_hex(strip_0x(*key)));
    TALLY_TRY(KeyPair key_pair, suite.key_pair_from_private_key(secret));
    const Address address = suite.address(key_pair.public_key());
    accounts.push_back(Account{std::move(key_pair), address});
  }
  if (accounts.size() < 2)
    return fail(Errc::invalid_argument, str_cat(path, ": needs at least two accounts"));
  return accounts;
}

Result<void> run(int argc, char** argv) {
  if (argc != 5)
    return fail(Errc::invalid_argument,
                "usage: tally_sign_transfers ACCOUNTS_JSON CHAIN_ID FIRST COUNT");
  const CryptoSuite suite(SuiteId::standard);
  TALLY_TRY(const std::vector<Account> accounts, load_accounts(argv[1], suite));
  TALLY_TRY(const std::uint64_t chain_id, number(argv[2], "CHAIN_ID"));
  TALLY_TRY(const std::uint64_t first, number(argv[3], "FIRST"));
  TALLY_TRY(const std::uint64_t count, number(argv[4], "COUNT"));
  if (count > kMaxTransfers || first > kMaxTransfers)
    return fail(Errc::invalid_argument, str_cat("at most ", kMaxTransfers, " transfers"));
  const std::uint64_t senders = accounts.size();
  std::string out;
  for (std::uint64_t i = first; i < first + count; ++i) {
    const Account& from = accounts[i % senders];
    chain::TxFields fields;
    fields.type = chain::TxType::legacy;
    fields.chain_id = chain_id;
    fields.nonce = i / senders;
    fields.set_gas_price(kGasPriceWei);
    fields.gas_limit = kTransferGas;
    fields.to = accounts[(i + 1) % senders].address;
    fields.value = 1;
    TALLY_TRY(const chain::Transaction tx, chain::sign_tx(std::move(fields), from.key_pair));
    out = str_cat(to_hex(tx.hash().view()), " ", to_hex(tx.encoded()), "\n");
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  if (auto done = run(argc, argv); !done) {
    std::cerr << "tally_sign_transfers: " << done.error().message << "\n";
    return 1;
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}
