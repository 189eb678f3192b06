// `tally init`: the generated consortium validates and parses, its certificates chain to the
// consortium CA and name the node accounts of genesis, and it is reproducible from a seed.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <tally/chain/genesis.hpp>
#include <tally/chain/pki.hpp>
#include <tally/schemas/json_schema.hpp>

#include "commands.hpp"
#include "node/node_config.hpp"
#include "node/node_key.hpp"
#include "support/temp_dir.hpp"

namespace tally::cli {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

struct CliRun {
  int code = 0;
  std::string out;
  std::string err;
};

CliRun init(const std::vector<std::string>& args) {
  std::vector<std::string_view> views{"init"};
  views.insert(views.end(), args.begin(), args.end());
  std::ostringstream out, err;
  const int code = run_tally(views, out, err);
  return {code, out.str(), err.str()};
}

std::string read(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// All PEM blocks of one kind in a file, as OpenSSL objects.
std::vector<X509*> read_certificates(const std::string& pem) {
  std::vector<X509*> out;
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr))
    out.push_back(cert);
  BIO_free(bio);
  return out;
}

X509_CRL* read_crl(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509_CRL* crl = PEM_read_bio_X509_CRL(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return crl;
}

// X509_verify_cert of the node certificate file (node, then its institution CA) against the
// consortium root, with every CRL checked along the chain.
std::string verify_chain(const node::NodeConfig& config) {
  X509_STORE* store = X509_STORE_new();
  for (X509* root : read_certificates(read(config.tls.ca))) {
    X509_STORE_add_cert(store, root);
    X509_free(root);
  }
  for (const fs::path& crl_path : config.tls.crls) {
    X509_CRL* crl = read_crl(read(crl_path));
    EXPECT_NE(crl, nullptr) << crl_path;
    X509_STORE_add_crl(store, crl);
    X509_CRL_free(crl);
  }
  X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  std::vector<X509*> chain = read_certificates(read(config.tls.certificate));
  EXPECT_EQ(chain.size(), 2u);
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  for (std::size_t i = 1; i < chain.size(); ++i)
    sk_X509_push(untrusted, chain[i]);
  X509_STORE_CTX* context = X509_STORE_CTX_new();
  X509_STORE_CTX_init(context, store, chain.front(), untrusted);
  const bool ok = X509_verify_cert(context) == 1;
  std::string result = ok ? "ok" : X509_verify_cert_error_string(X509_STORE_CTX_get_error(context));
  X509_STORE_CTX_free(context);
  sk_X509_free(untrusted);
  for (X509* cert : chain)
    X509_free(cert);
  X509_STORE_free(store);
  return result;
}

class InitCommand : public ::testing::Test {
 protected:
  test::TempDir dir_;
  fs::path out_ = dir_ / "consortium";

  std::vector<std::string> args(std::string suite, std::string seed = "7") const {
    return {"--out",       out_.string(), "--institutions", "4",     "--observers",     "1",
            "--suite",     suite,         "--accounts",     "3",     "--seed",          seed,
            "--timestamp", "1700000000",  "--base-port",    "31000", "--rpc-base-port", "18545"};
  }

  // Every check of one generated consortium in `suite`.
  void check_consortium(SuiteId suite) {
    const auto genesis = chain::load_genesis(out_ / "genesis.json");
    ASSERT_TRUE(genesis) << genesis.error().message;
    EXPECT_EQ(genesis->suite, suite);
    EXPECT_EQ(genesis->validators.size(), 4u);
    EXPECT_EQ(genesis->observers.size(), 1u);
    EXPECT_EQ(genesis->accounts.size(), 3u + 5u);  // demo accounts and node accounts
    const CryptoSuite crypto(suite);
    const Hash256 hash = chain::genesis_hash(*genesis, crypto).value();

    std::size_t validators = 0;
    for (const auto& entry : fs::directory_iterator(out_ / "nodes")) {
      SCOPED_TRACE(entry.path().string());
      const auto config = node::load_node_config(entry.path() / "node.json");
      ASSERT_TRUE(config) << config.error().message;
      EXPECT_TRUE(schemas::validate(boost::json::parse(read(entry.path() / "node.json")),
                                    node::kNodeConfigSchema)
                      .empty());
      EXPECT_EQ(config->genesis, (out_ / "genesis.json").lexically_normal());
      EXPECT_EQ(config->p2p.peers.size(), 4u);
      EXPECT_EQ(config->tls.crls.size(), 6u);  // the root's and five institutions'
      const auto key = node::load_node_key(config->node_key, crypto);
      ASSERT_TRUE(key) << key.error().message;
      const Address account = crypto.address(key->public_key());
      const auto& role_list =
          config->role == node::NodeRole::validator ? genesis->validators : genesis->observers;
      EXPECT_NE(std::find(role_list.begin(), role_list.end(), account), role_list.end());
      validators += config->role == node::NodeRole::validator ? 1u : 0u;

      const auto cert = chain::read_certificate(read(config->tls.certificate));
      ASSERT_TRUE(cert);
      EXPECT_EQ(cert->account, account);
      EXPECT_EQ(verify_chain(*config), "ok");
      EXPECT_EQ(fs::status(config->tls.private_key).permissions() & fs::perms::all,
                fs::perms::owner_read | fs::perms::owner_write);
    }
    EXPECT_EQ(validators, 4u);
    const std::string readme = read(out_ / "README.txt");
    EXPECT_THAT(readme, HasSubstr(hash.hex()));
    EXPECT_THAT(readme, HasSubstr("accounts.json"));
  }
};

TEST_F(InitCommand, StandardConsortiumValidatesChainsAndNamesTheAccounts) {
  const CliRun run = init(args("standard"));
  ASSERT_EQ(run.code, kExitOk) << run.err;
  EXPECT_THAT(run.out, HasSubstr("genesis hash 0x"));
  EXPECT_THAT(run.out, HasSubstr("rpc http://127.0.0.1:18545"));
  EXPECT_THAT(run.out, HasSubstr("observer-1  observer  regulator"));
  check_consortium(SuiteId::standard);
}

TEST_F(InitCommand, GuomiConsortium) {
  const CliRun run = init(args("guomi"));
  ASSERT_EQ(run.code, kExitOk) << run.err;
  check_consortium(SuiteId::guomi);
}

TEST_F(InitCommand, AccountsFileHoldsKeysOfTheFundedAccounts) {
  ASSERT_EQ(init(args("standard")).code, kExitOk);
  EXPECT_EQ(fs::status(out_ / "accounts.json").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  const auto accounts = boost::json::parse(read(out_ / "accounts.json")).as_object();
  const auto genesis = chain::load_genesis(out_ / "genesis.json").value();
  const CryptoSuite suite(SuiteId::standard);
  ASSERT_EQ(accounts.at("accounts").as_array().size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& entry = accounts.at("accounts").as_array()[i].as_object();
    const auto key = node::parse_node_key(std::string(entry.at("private_key").as_string()), suite);
    ASSERT_TRUE(key);
    EXPECT_EQ(suite.address(key->public_key()).hex(), std::string(entry.at("address").as_string()));
    EXPECT_EQ(genesis.accounts[i].address, suite.address(key->public_key()));
    EXPECT_GT(genesis.accounts[i].balance, u256(0));
  }
}

TEST_F(InitCommand, BlocksFollowAsFastAsValidatorsAgreeUnlessAPeriodIsGiven) {
  ASSERT_EQ(init(args("standard")).code, kExitOk);
  const auto genesis = chain::load_genesis(out_ / "genesis.json").value();
  EXPECT_LT(genesis.consensus.block_period_ms, 1000u);  // tallyd's engine: a period of 0 s
  EXPECT_EQ(genesis.block_gas_limit, 30'000'000u);

  fs::remove_all(out_);
  std::vector<std::string> slow = args("standard");
  slow.insert(slow.end(), {"--block-period-ms", "2000", "--gas-limit", "60000000"});
  ASSERT_EQ(init(slow).code, kExitOk);
  const auto given = chain::load_genesis(out_ / "genesis.json").value();
  EXPECT_EQ(given.consensus.block_period_ms, 2000u);
  EXPECT_EQ(given.block_gas_limit, 60'000'000u);
}

TEST_F(InitCommand, SameSeedSameGenesisOtherSeedAnother) {
  ASSERT_EQ(init(args("standard")).code, kExitOk);
  const std::string first = read(out_ / "genesis.json");
  const std::string first_accounts = read(out_ / "accounts.json");
  fs::remove_all(out_);
  ASSERT_EQ(init(args("standard")).code, kExitOk);
  EXPECT_EQ(read(out_ / "genesis.json"), first);
  EXPECT_EQ(read(out_ / "accounts.json"), first_accounts);
  fs::remove_all(out_);
  ASSERT_EQ(init(args("standard", "8")).code, kExitOk);
  EXPECT_NE(read(out_ / "genesis.json"), first);
}

TEST_F(InitCommand, RefusesANonEmptyFolder) {
  fs::create_directories(out_);
  std::ofstream(out_ / "keep.txt") << "mine";
  const CliRun run = init(args("standard"));
  EXPECT_EQ(run.code, kExitFailed);
  EXPECT_THAT(run.err, HasSubstr("is not empty"));
  EXPECT_EQ(read(out_ / "keep.txt"), "mine");
  EXPECT_FALSE(fs::exists(out_ / "genesis.json"));
}

TEST_F(InitCommand, HostsFileGivesEachNodeItsHost) {
  const fs::path hosts = dir_ / "hosts.txt";
  std::ofstream(hosts) << "# one per node\n10.0.0.1\n10.0.0.2\nnode3.example\n10.0.0.4\n";
  const CliRun run = init({"--out", out_.string(), "--institutions", "4", "--hosts-file",
                           hosts.string(), "--accounts", "0"});
  ASSERT_EQ(run.code, kExitOk) << run.err;
  const auto config = node::load_node_config(out_ / "nodes" / "validator-3" / "node.json");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->p2p.listen_host, "node3.example");
  EXPECT_EQ(config->p2p.listen_port, 30302);
  EXPECT_EQ(config->rpc.listen_port, 8547);
  EXPECT_EQ(config->p2p.peers.front(), (node::Endpoint{"10.0.0.1", 30300}));
  const auto cert = chain::read_certificate(read(config->tls.certificate));
  ASSERT_TRUE(cert);

  const fs::path short_hosts = dir_ / "short.txt";
  std::ofstream(short_hosts) << "10.0.0.1\n";
  const CliRun refused = init({"--out", (dir_ / "other").string(), "--institutions", "4",
                               "--hosts-file", short_hosts.string()});
  EXPECT_EQ(refused.code, kExitFailed);
  EXPECT_THAT(refused.err, HasSubstr("--hosts-file has 1 hosts; the consortium has 4 nodes"));

  const fs::path bad_hosts = dir_ / "bad.txt";
  std::ofstream(bad_hosts) << "10.0.0.1\n10.0.0.2\nnode/3\n10.0.0.4\n";
  const CliRun bad = init({"--out", (dir_ / "bad").string(), "--institutions", "4", "--hosts-file",
                           bad_hosts.string()});
  EXPECT_EQ(bad.code, kExitFailed);
  EXPECT_THAT(bad.err, HasSubstr("'node/3' is not a host name or address"));
  EXPECT_FALSE(fs::exists(dir_ / "bad"));
}

TEST_F(InitCommand, BadArgumentsAreNamed) {
  EXPECT_THAT(init({"--out", out_.string()}).err, HasSubstr("needs --out and --institutions"));
  EXPECT_THAT(init({"--out", out_.string(), "--institutions", "0"}).err,
              HasSubstr("--institutions 0: must be a number from 1 to 64"));
  EXPECT_THAT(init({"--out", out_.string(), "--institutions", "4", "--suite", "sm"}).err,
              HasSubstr("sm"));
  EXPECT_THAT(init({"--out", out_.string(), "--institutions", "4", "--base-port", "8545"}).err,
              HasSubstr("overlap"));
  EXPECT_THAT(init({"--out", out_.string(), "--institutions", "4", "--colour", "red"}).err,
              HasSubstr("colour"));
  EXPECT_FALSE(fs::exists(out_));
  EXPECT_EQ(init({"--help"}).code, kExitOk);
}

}  // namespace
}  // namespace tally::cli
