// Ethereum's TransactionTests (ethereum/tests): <folder>/<file>.json, each file holding tests of
//   {"txbytes": "0x...", "result": {<fork>: {"hash", "sender", "intrinsicGas"} or
//                                   {"exception", "intrinsicGas"}}}.
// Every test is judged by its newest fork's expectation: Cancun when present (the rules this chain
// follows), else the latest fork present. A valid expectation needs the decoded tx's hash, its
// recovered sender and its intrinsic gas; an exception needs a refusal by the decoder, by
// validate_tx (chain id 1, replay protection optional, as on Ethereum's mainnet) or by sender
// recovery. The exception's name is not matched: our errors are our own, with their own messages.
// The code follows its own rules (transaction.hpp, tx_validation.hpp); these files only check them.

#include <algorithm>
#include <array>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <tally/chain/intrinsic_gas.hpp>
#include <tally/chain/transaction.hpp>
#include <tally/chain/tx_signing.hpp>
#include <tally/chain/tx_validation.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/core/u256.hpp>

#include "support/testdata.hpp"

namespace tally::chain {
namespace {

namespace json = boost::json;

// Forks oldest first. "Merge" is Paris's other name.
constexpr std::array<std::string_view, 17> kForks = {
    "Frontier",          "Homestead", "EIP150", "EIP158", "Byzantium", "Constantinople",
    "ConstantinopleFix", "Istanbul",  "Berlin", "London", "Paris",     "Merge",
    "Shanghai",          "Cancun",    "Prague", "Osaka",  "Amsterdam"};
constexpr std::string_view kTargetFork = "Cancun";

// Upstream ttData also has String10MbData.json and String10MbDataNotEnoughGAS.json, 10 MB each,
// left out of our copy of the suite. Only these may be missing; if present they run like any other.
constexpr std::array<std::string_view, 2> kKnownAbsent = {"ttData/String10MbData.json",
                                                          "ttData/String10MbDataNotEnoughGAS.json"};

constexpr TxRules kMainnetRules{1, ReplayProtection::optional};

std::filesystem::path suite_dir() {
  return test::testdata_dir() / "eth" / "TransactionTests";
}

std::ptrdiff_t fork_rank(std::string_view fork) {
  const auto* it = std::ranges::find(kForks, fork);
  return it == kForks.end() ? -1 : it - kForks.begin();
}

// The fork whose expectation counts; throws on a fork name we do not know (so that a new fork in
// the suite is noticed, not silently ranked).
std::string chosen_fork(const json::object& result) {
  std::string best;
  for (const auto& [fork, expectation] : result) {
    if (fork_rank(fork) < 0)
      throw std::runtime_error(str_cat("unknown fork ", std::string_view(fork)));
    if (fork == kTargetFork)
      return std::string(fork);
    if (best.empty() || fork_rank(fork) > fork_rank(best))
      best = std::string(fork);
  }
  if (best.empty())
    throw std::runtime_error("no fork results");
  return best;
}

// A decoded, validated, recovered tx, or the first refusal.
struct Outcome {
  std::optional<Transaction> decoded;
  std::optional<VerifiedTx> verified;
  std::optional<Error> refusal;
};

Outcome run(BytesView raw) {
  Outcome out;
  auto tx = Transaction::decode(CryptoSuite(SuiteId::standard), raw);
  if (!tx) {
    out.refusal = tx.error();
    return out;
  }
  out.decoded = *tx;
  if (auto valid = validate_tx(tx->fields(), kMainnetRules); !valid) {
    out.refusal = valid.error();
    return out;
  }
  auto verified = recover_sender(std::move(*tx));
  if (!verified) {
    out.refusal = verified.error();
    return out;
  }
  out.verified = std::move(*verified);
  return out;
}

std::uint64_t parse_gas(const json::value& value) {
  return u256::from_hex(value.as_string()).value().to_u64().value();
}

// Empty if the test passes, otherwise what went wrong.
std::string run_test(const json::object& test) {
  const Bytes raw = from_hex(test.at("txbytes").as_string()).value();
  const json::object& result = test.at("result").as_object();
  const std::string fork = chosen_fork(result);
  const json::object& expected = result.at(fork).as_object();
  const Outcome outcome = run(raw);

  // The intrinsic gas of a tx that decodes is known whether or not it is valid; an expectation of 0
  // means the reference stopped before computing it.
  if (outcome.decoded && expected.contains("intrinsicGas")) {
    const std::uint64_t gas = parse_gas(expected.at("intrinsicGas"));
    const auto ours = intrinsic_gas(outcome.decoded->fields());
    if (gas != 0 && (!ours || *ours != gas))
      return str_cat(fork, ": intrinsic gas ", ours ? *ours : 0, ", expected ", gas);
  }
  if (expected.contains("exception")) {
    if (!outcome.refusal)
      return str_cat(fork, ": accepted, expected ",
                     std::string_view(expected.at("exception").as_string()));
    return {};
  }
  if (outcome.refusal)
    return str_cat(fork, ": refused (", to_string(*outcome.refusal), "), expected valid");
  const std::string hash = outcome.verified->hash().hex();
  if (hash != expected.at("hash").as_string())
    return str_cat(fork, ": hash ", hash);
  const std::string sender = outcome.verified->sender().hex();
  if (sender != expected.at("sender").as_string())
    return str_cat(fork, ": sender ", sender);
  return {};
}

std::vector<std::filesystem::path> sorted_entries(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    out.push_back(entry.path());
  std::ranges::sort(out);
  return out;
}

struct FolderCount {
  std::size_t passed = 0;
  std::size_t total = 0;
};

FolderCount run_folder(const std::filesystem::path& folder) {
  FolderCount count;
  for (const std::filesystem::path& file : sorted_entries(folder)) {
    if (file.extension() != ".json")
      continue;
    const json::value tests = test::read_json(file);
    for (const auto& [name, test] : tests.as_object()) {
      ++count.total;
      std::string problem;
      try {
        problem = run_test(test.as_object());
      } catch (const std::exception& e) {
        problem = str_cat("bad test: ", e.what());
      }
      EXPECT_TRUE(problem.empty())
          << file.filename().string() << ": " << std::string_view(name) << ": " << problem;
      if (problem.empty())
        ++count.passed;
    }
  }
  return count;
}

TEST(TransactionConformance, EveryTestPassesAtItsNewestFork) {
  const std::filesystem::path dir = suite_dir();
  std::size_t folders = 0;
  std::size_t total = 0;
  for (const std::filesystem::path& folder : sorted_entries(dir)) {
    if (!std::filesystem::is_directory(folder))
      continue;
    ++folders;
    const FolderCount count = run_folder(folder);
    const std::string name = folder.filename().string();
    EXPECT_GT(count.total, 0u) << name << " holds no tests";
    RecordProperty(name, str_cat(count.passed, "/", count.total));
    std::cout << "TransactionTests conformance: " << name << " " << count.passed << "/"
              << count.total << "\n";
    total += count.total;
  }
  for (const std::string_view absent : kKnownAbsent) {
    if (!std::filesystem::exists(dir / absent))
      std::cout << "TransactionTests conformance: skipped " << absent << " (not in our copy)\n";
  }
  EXPECT_GE(folders, 14u);
  EXPECT_GT(total, 200u);
}

TEST(TransactionConformance, NewestForkIsCancunWhenPresentElseTheLatest) {
  const auto result = [](std::initializer_list<std::string_view> forks) {
    json::object out;
    for (const std::string_view fork : forks)
      out[fork] = json::object();
    return out;
  };
  EXPECT_EQ(chosen_fork(result({"Frontier", "Cancun", "Prague"})), "Cancun");
  EXPECT_EQ(chosen_fork(result({"Shanghai", "London", "Frontier"})), "Shanghai");
  EXPECT_EQ(chosen_fork(result({"Berlin", "Merge"})), "Merge");
  EXPECT_THROW(chosen_fork(result({"Atlantis"})), std::runtime_error);
}

}  // namespace
}  // namespace tally::chain
