// genesis.json in and out: schema validation, the semantic checks, the canonical form.

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <boost/json.hpp>

#include <tally/chain/extra_data.hpp>
#include <tally/chain/genesis.hpp>
#include <tally/chain/system_contract.hpp>
#include <tally/core/str_cat.hpp>
#include <tally/schemas/json_schema.hpp>

namespace tally::chain {
namespace json = boost::json;
namespace {

std::string_view text(const json::value& value) {
  const json::string& s = value.get_string();
  return {s.data(), s.size()};
}

Result<Address> to_address(const json::value& value, std::string_view where) {
  auto address = Address::from_hex(text(value));
  if (!address)
    return fail(Errc::invalid_argument, str_cat(where, ": ", address.error().message));
  return *address;
}

Result<u256> to_amount(const json::value& value, std::string_view where) {
  auto amount = u256::from_decimal(text(value));
  if (!amount)
    return fail(Errc::invalid_argument, str_cat(where, ": not a 256-bit amount"));
  return *amount;
}

Result<u256> to_word(std::string_view hex, std::string_view where) {
  auto word = u256::from_hex(hex);
  if (!word)
    return fail(Errc::invalid_argument, str_cat(where, ": not a 256-bit word"));
  return *word;
}

Result<std::vector<Address>> to_addresses(const json::object& root, std::string_view key) {
  std::vector<Address> out;
  const json::value* list = root.if_contains(key);
  if (list == nullptr)
    return out;
  for (std::size_t i = 0; i < list->as_array().size(); ++i) {
    TALLY_TRY(auto address, to_address(list->as_array()[i], str_cat("/", key, "/", i)));
    out.push_back(address);
  }
  return out;
}

Result<GenesisAlloc> to_alloc(const json::object& entry, std::size_t index) {
  const std::string where = str_cat("/alloc/", index);
  GenesisAlloc alloc;
  TALLY_TRY(alloc.address, to_address(entry.at("address"), where + "/address"));
  if (const auto* balance = entry.if_contains("balance")) {
    TALLY_TRY(alloc.balance, to_amount(*balance, where + "/balance"));
  }
  if (const auto* nonce = entry.if_contains("nonce"))
    alloc.nonce = schemas::validated_u64(*nonce);
  if (const auto* code = entry.if_contains("code")) {
    auto bytes = from_hex(text(*code));
    if (!bytes)
      return fail(Errc::invalid_argument, str_cat(where, "/code: ", bytes.error().message));
    alloc.code = std::move(*bytes);
  }
  if (const auto* storage = entry.if_contains("storage")) {
    for (const auto& slot : storage->as_object()) {
      const std::string slot_where =
          str_cat(where, "/storage/", schemas::json_pointer_token(slot.key()));
      TALLY_TRY(const u256 key, to_word(slot.key(), slot_where));
      TALLY_TRY(const u256 value, to_word(text(slot.value()), slot_where));
      if (alloc.storage.contains(key))
        return fail(Errc::invalid_argument, str_cat(slot_where, ": slot given twice"));
      if (!value.is_zero())
        alloc.storage.emplace(key, value);
    }
  }
  return alloc;
}

Result<Genesis> from_document(const json::object& root) {
  Genesis g;
  g.consortium = std::string(text(root.at("consortium")));
  g.chain_id = schemas::validated_u64(root.at("chain_id"));
  TALLY_TRY(g.suite, parse_suite_id(text(root.at("suite"))));
  g.block_gas_limit = schemas::validated_u64(root.at("block_gas_limit"));
  g.timestamp = schemas::validated_u64(root.at("timestamp"));
  const json::object& consensus = root.at("consensus").as_object();
  g.consensus.block_period_ms = schemas::validated_u64(consensus.at("block_period_ms"));
  g.consensus.round_timeout_ms = schemas::validated_u64(consensus.at("round_timeout_ms"));
  g.consensus.round_timeout_max_ms = schemas::validated_u64(consensus.at("round_timeout_max_ms"));
  TALLY_TRY(g.validators, to_addresses(root, "validators"));
  TALLY_TRY(g.observers, to_addresses(root, "observers"));
  const json::array& accounts = root.at("accounts").as_array();
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    const json::object& entry = accounts[i].as_object();
    GenesisAccount account;
    TALLY_TRY(account.address, to_address(entry.at("address"), str_cat("/accounts/", i)));
    const std::string balance_where = str_cat("/accounts/", i, "/balance");
    TALLY_TRY(account.balance, to_amount(entry.at("balance"), balance_where));
    g.accounts.push_back(account);
  }
  if (const auto* alloc = root.if_contains("alloc")) {
    for (std::size_t i = 0; i < alloc->as_array().size(); ++i) {
      TALLY_TRY(auto entry, to_alloc(alloc->as_array()[i].as_object(), i));
      g.alloc.push_back(std::move(entry));
    }
  }
  return g;
}

// Appends "<pointer>: <reason>" problems; the checks below share it.
class Problems {
 public:
  void add(std::string pointer, std::string_view reason) {
    if (!text_.empty())
      text_ += '\n';
    text_ += str_cat(pointer, ": ", reason);
  }
  Result<void> result() const {
    if (text_.empty())
      return {};
    return fail(Errc::invalid_argument, text_);
  }

 private:
  std::string text_;
};

void check_nodes(const Genesis& g, Problems& problems) {
  for (std::size_t i = 1; i < g.validators.size(); ++i) {
    if (g.validators[i] == g.validators[i - 1])
      problems.add(str_cat("/validators/", i), "duplicate validator");
    else if (g.validators[i] < g.validators[i - 1])
      problems.add(str_cat("/validators/", i), "validators must be in ascending order");
  }
  std::set<Address> observers;
  for (std::size_t i = 0; i < g.observers.size(); ++i) {
    if (!observers.insert(g.observers[i]).second)
      problems.add(str_cat("/observers/", i), "duplicate observer");
    if (std::binary_search(g.validators.begin(), g.validators.end(), g.observers[i]))
      problems.add(str_cat("/observers/", i), "is also a validator");
  }
}

void check_state(const Genesis& g, Problems& problems) {
  std::set<Address> seen;
  const auto check_address = [&](const Address& address, const std::string& pointer) {
    if (!seen.insert(address).second)
      problems.add(pointer, "duplicate address (in accounts or alloc)");
    if (is_system_contract_address(address))
      problems.add(pointer, "address in the system-contract range 0x...1000-0x...1fff");
  };
  for (std::size_t i = 0; i < g.accounts.size(); ++i)
    check_address(g.accounts[i].address, str_cat("/accounts/", i, "/address"));
  for (std::size_t i = 0; i < g.alloc.size(); ++i) {
    const GenesisAlloc& alloc = g.alloc[i];
    check_address(alloc.address, str_cat("/alloc/", i, "/address"));
    if (alloc.code.size() > kMaxGenesisCodeBytes)
      problems.add(str_cat("/alloc/", i, "/code"),
                   str_cat("longer than ", kMaxGenesisCodeBytes, " bytes"));
    if (alloc.storage.size() > kMaxGenesisStorageSlots)
      problems.add(str_cat("/alloc/", i, "/storage"),
                   str_cat("more than ", kMaxGenesisStorageSlots, " slots"));
  }
}

void check_parameters(const Genesis& g, Problems& problems) {
  if (g.consortium.empty())
    problems.add("/consortium", "must not be empty");
  if (g.chain_id == 0)
    problems.add("/chain_id", "must be at least 1");
  if (g.block_gas_limit == 0)
    problems.add("/block_gas_limit", "must not be zero");
  if (g.validators.empty())
    problems.add("/validators", "at least one validator is needed");
  if (g.validators.size() > kMaxValidators)
    problems.add("/validators", str_cat("at most ", kMaxValidators, " validators"));
  const ConsensusTiming& t = g.consensus;
  if (t.block_period_ms == 0 || t.round_timeout_ms == 0)
    problems.add("/consensus", "block_period_ms and round_timeout_ms must not be zero");
  if (t.round_timeout_max_ms < t.round_timeout_ms)
    problems.add("/consensus/round_timeout_max_ms", "must be >= round_timeout_ms");
}

Result<std::string> read_text(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error)
    return fail(Errc::io_error, str_cat(path.string(), ": ", error.message()));
  if (size > kMaxGenesisFileBytes)
    return fail(Errc::limit_exceeded,
                str_cat(path.string(), ": larger than ", kMaxGenesisFileBytes, " bytes"));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in)
    return fail(Errc::io_error, str_cat(path.string(), ": cannot read"));
  return std::move(buffer).str();
}

std::string json_quoted(std::string_view s) {
  return json::serialize(json::value(json::string(s)));
}

void write_addresses(std::string& out, std::string_view key, const std::vector<Address>& list) {
  out += str_cat("  \"", key, "\": [");
  for (std::size_t i = 0; i < list.size(); ++i)
    out += str_cat(i == 0 ? "\n    \"" : ",\n    \"", list[i].hex(), "\"");
  out += list.empty() ? "],\n" : "\n  ],\n";
}

std::string alloc_json(const GenesisAlloc& a) {
  std::string out = str_cat("    {\"address\": \"", a.address.hex(), "\", \"balance\": \"",
                            a.balance.decimal(), "\", \"nonce\": ", a.nonce, ", \"code\": \"",
                            to_hex(a.code, true), "\", \"storage\": {");
  bool first = true;
  for (const auto& [slot, value] : a.storage) {
    out += str_cat(first ? "" : ", ", "\"", slot.hex(), "\": \"", value.hex(), "\"");
    first = false;
  }
  return out + "}}";
}

}  // namespace

Hash256 bft_mix_hash() {
  return Hash256::from_hex(kBftMixHashHex).value();
}

Result<void> check_genesis(const Genesis& genesis) {
  Problems problems;
  check_parameters(genesis, problems);
  check_nodes(genesis, problems);
  check_state(genesis, problems);
  return problems.result();
}

Result<Genesis> parse_genesis(std::string_view json_text, std::string_view file_name) {
  auto document = schemas::parse_validated(json_text, file_name, kGenesisSchema);
  if (!document)
    return std::unexpected(std::move(document.error()));
  auto genesis = from_document(document->as_object());
  if (!genesis)
    return fail(genesis.error().code, str_cat(file_name, ": ", genesis.error().message));
  if (auto checked = check_genesis(*genesis); !checked) {
    std::string message;
    std::istringstream lines(checked.error().message);
    for (std::string line; std::getline(lines, line);)
      message += str_cat(message.empty() ? "" : "\n", file_name, ": ", line);
    return fail(Errc::invalid_argument, message);
  }
  return genesis;
}

Result<Genesis> load_genesis(const std::filesystem::path& path) {
  TALLY_TRY(const std::string text, read_text(path));
  return parse_genesis(text, path.string());
}

std::string to_json(const Genesis& g) {
  std::string out = "{\n";
  out += str_cat("  \"consortium\": ", json_quoted(g.consortium), ",\n");
  out += str_cat("  \"chain_id\": ", g.chain_id, ",\n");
  out += str_cat("  \"suite\": \"", suite_name(g.suite), "\",\n");
  out += str_cat("  \"block_gas_limit\": ", g.block_gas_limit, ",\n");
  out += str_cat("  \"timestamp\": ", g.timestamp, ",\n");
  out += str_cat("  \"consensus\": {\"block_period_ms\": ", g.consensus.block_period_ms,
                 ", \"round_timeout_ms\": ", g.consensus.round_timeout_ms,
                 ", \"round_timeout_max_ms\": ", g.consensus.round_timeout_max_ms, "},\n");
  write_addresses(out, "validators", g.validators);
  write_addresses(out, "observers", g.observers);
  out += "  \"accounts\": [";
  for (std::size_t i = 0; i < g.accounts.size(); ++i)
    out += str_cat(i == 0 ? "\n" : ",\n", "    {\"address\": \"", g.accounts[i].address.hex(),
                   "\", \"balance\": \"", g.accounts[i].balance.decimal(), "\"}");
  out += g.accounts.empty() ? "],\n" : "\n  ],\n";
  out += "  \"alloc\": [";
  for (std::size_t i = 0; i < g.alloc.size(); ++i)
    out += str_cat(i == 0 ? "\n" : ",\n", alloc_json(g.alloc[i]));
  out += g.alloc.empty() ? "]\n" : "\n  ]\n";
  return out + "}\n";
}

}  // namespace tally::chain
