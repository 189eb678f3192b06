// The node configuration file and the node key file (packaging/node/).

#include "node/node_config.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "node/node_key.hpp"
#include "support/temp_dir.hpp"

namespace tally::node {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

constexpr std::string_view kMinimal = R"({
  "role": "validator",
  "institution": "bank-a",
  "data_dir": "data",
  "genesis": "../genesis.json",
  "node_key": "node.key",
  "tls": {"certificate": "tls/node.crt", "private_key": "tls/node-tls.key", "ca": "/etc/tally/ca.crt"},
  "p2p": {"listen_port": 30300}
})";

constexpr std::string_view kFull = R"({
  "role": "observer",
  "institution": "regulator",
  "data_dir": "/var/lib/tally",
  "genesis": "genesis.json",
  "node_key": "keys/node.key",
  "tls": {"certificate": "node.crt", "private_key": "node-tls.key", "ca": "ca.crt",
          "crls": ["a.crl", "b.crl"]},
  "p2p": {"listen_host": "127.0.0.1", "listen_port": 30304,
          "peers": [{"host": "127.0.0.1", "port": 30300}, {"host": "node2.example", "port": 30301}],
          "limits": {"max_peers": 8, "max_frame_bytes": 1048576, "send_queue_frames": 100,
                     "reconnect_max_ms": 5000}},
  "rpc": {"enabled": true, "listen_host": "0.0.0.0", "listen_port": 8549,
          "allowed_origins": ["http://localhost:3000"],
          "limits": {"max_request_bytes": 65536, "max_batch": 10, "max_connections": 4,
                     "request_timeout_ms": 1000}},
  "log": {"level": "debug", "format": "text"},
  "durability": "normal"
})";

std::string with(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  const auto at = out.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos)
    out.replace(at, from.size(), to);
  return out;
}

std::string error_of(const std::string& text) {
  const auto config = parse_node_config(text, "node.json", "/srv/c/node0");
  EXPECT_FALSE(config);
  return config ? std::string() : config.error().message;
}

TEST(NodeConfig, DefaultsAndRelativePaths) {
  const auto config = parse_node_config(kMinimal, "node.json", "/srv/c/node0");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->role, NodeRole::validator);
  EXPECT_EQ(config->institution, "bank-a");
  EXPECT_EQ(config->data_dir, fs::path("/srv/c/node0/data"));
  EXPECT_EQ(config->genesis, fs::path("/srv/c/genesis.json"));
  EXPECT_EQ(config->node_key, fs::path("/srv/c/node0/node.key"));
  EXPECT_EQ(config->tls.certificate, fs::path("/srv/c/node0/tls/node.crt"));
  EXPECT_EQ(config->tls.ca, fs::path("/etc/tally/ca.crt"));  // absolute stays
  EXPECT_TRUE(config->tls.crls.empty());
  EXPECT_EQ(config->p2p.listen_host, "0.0.0.0");
  EXPECT_EQ(config->p2p.listen_port, 30300);
  EXPECT_EQ(config->p2p.limits, P2pLimits{});
  EXPECT_TRUE(config->rpc.enabled);
  EXPECT_EQ(config->rpc.listen_host, "127.0.0.1");
  EXPECT_EQ(config->rpc.listen_port, kDefaultRpcPort);
  EXPECT_EQ(config->log.level, LogLevel::info);
  EXPECT_EQ(config->log.format, LogFormat::json);
  EXPECT_EQ(config->durability, sqlite::Durability::full);
}

TEST(NodeConfig, EveryFieldIsRead) {
  const auto config = parse_node_config(kFull, "node.json", "/srv/c/obs");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->role, NodeRole::observer);
  EXPECT_EQ(config->data_dir, fs::path("/var/lib/tally"));
  EXPECT_EQ(config->tls.crls, (std::vector<fs::path>{"/srv/c/obs/a.crl", "/srv/c/obs/b.crl"}));
  EXPECT_EQ(config->p2p.peers,
            (std::vector<Endpoint>{{"127.0.0.1", 30300}, {"node2.example", 30301}}));
  EXPECT_EQ(config->p2p.limits, (P2pLimits{8, 1048576, 100, 5000}));
  EXPECT_EQ(config->rpc.listen_port, 8549);
  EXPECT_EQ(config->rpc.allowed_origins, std::vector<std::string>{"http://localhost:3000"});
  EXPECT_EQ(config->rpc.limits, (RpcLimits{65536, 10, 4, 1000}));
  EXPECT_EQ(config->log.level, LogLevel::debug);
  EXPECT_EQ(config->log.format, LogFormat::text);
  EXPECT_EQ(config->durability, sqlite::Durability::normal);
}

TEST(NodeConfig, SchemaErrorsNameTheField) {
  EXPECT_THAT(error_of(with(kMinimal, "30300", "70000")),
              HasSubstr("node.json: /p2p/listen_port: must be <= 65535"));
  EXPECT_THAT(error_of(with(kMinimal, "\"validator\"", "\"leader\"")), HasSubstr("/role"));
  EXPECT_THAT(error_of(with(kMinimal, "\"node_key\": \"node.key\",", "")), HasSubstr("node_key"));
  EXPECT_THAT(error_of(with(kFull, "\"text\"", "\"xml\"")), HasSubstr("/log/format"));
  EXPECT_THAT(error_of(with(kMinimal, "\"p2p\"", "\"p2p_typo\": {}, \"p2p\"")),
              HasSubstr("p2p_typo"));
  EXPECT_THAT(error_of("{"), HasSubstr("node.json: line"));
}

TEST(NodeConfig, CrossFieldMistakesNameTheField) {
  const std::string self_peer = with(kFull, R"({"host": "127.0.0.1", "port": 30300})",
                                     R"({"host": "127.0.0.1", "port": 30304})");
  EXPECT_THAT(error_of(self_peer), HasSubstr("/p2p/peers/0: is this node's own listen endpoint"));
  EXPECT_THAT(error_of(with(kFull, "8549", "30304")),
              HasSubstr("/rpc/listen_port: the same port as /p2p/listen_port"));
  EXPECT_THAT(error_of(with(kMinimal, "tls/node-tls.key", "node.key")),
              HasSubstr("/tls/private_key: the same file as /node_key"));
}

TEST(NodeConfig, LoadResolvesAgainstTheFilesFolder) {
  test::TempDir dir;
  fs::create_directories(dir / "node0");
  std::ofstream(dir / "node0" / "node.json") << kMinimal;
  const auto config = load_node_config(dir / "node0" / "node.json");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->genesis, (dir.path() / "genesis.json").lexically_normal());
  const auto missing = load_node_config(dir / "absent.json");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::io_error);
}

TEST(NodeConfig, OversizedFileIsRefusedUnread) {
  test::TempDir dir;
  std::ofstream(dir / "big.json") << std::string(kMaxNodeConfigBytes + 1, ' ');
  const auto config = load_node_config(dir / "big.json");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, Errc::limit_exceeded);
}

// A PEM private key on `curve` made by OpenSSL, as `openssl genpkey` writes it.
std::string openssl_pem_key(const char* curve) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve);
  if (key == nullptr)
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, curve);  // SM2 is its own key type
  EXPECT_NE(key, nullptr) << curve;
  BIO* bio = BIO_new(BIO_s_mem());
  EXPECT_EQ(PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr), 1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  EVP_PKEY_free(key);
  return pem;
}

TEST(NodeKey, HexKeyGivesTheSameAccountInEitherForm) {
  const CryptoSuite suite(SuiteId::standard);
  const KeyPair generated = suite.generate_key_pair();
  const std::string hex = to_hex(generated.reveal_private_key(), true);
  for (const std::string& text : {hex, hex.substr(2) + "\n", "  " + hex + "\r\n"}) {
    const auto parsed = parse_node_key(text, suite);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(suite.address(parsed->public_key()), suite.address(generated.public_key()));
  }
  EXPECT_EQ(parse_node_key("0x1234", suite).error().code, Errc::malformed);
  EXPECT_EQ(parse_node_key("not a key", suite).error().code, Errc::malformed);
  EXPECT_FALSE(parse_node_key(std::string(64, '0'), suite));  // zero is no key
}

TEST(NodeKey, PemKeysOnTheSuitesCurve) {
  const CryptoSuite standard(SuiteId::standard);
  const CryptoSuite guomi(SuiteId::guomi);
  const std::string secp = openssl_pem_key("secp256k1");
  const std::string sm2 = openssl_pem_key("SM2");
  EXPECT_TRUE(parse_node_key(secp, standard));
  EXPECT_TRUE(parse_node_key(sm2, guomi));
  const auto wrong = parse_node_key(secp, guomi);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, Errc::invalid_argument);
  EXPECT_THAT(wrong.error().message, HasSubstr("SM2"));
  EXPECT_FALSE(parse_node_key(openssl_pem_key("P-256"), standard));
}

TEST(NodeKey, FileMustBePrivate) {
  test::TempDir dir;
  const CryptoSuite suite(SuiteId::guomi);
  const KeyPair generated = suite.generate_key_pair();
  const fs::path path = dir / "node.key";
  ASSERT_TRUE(write_private_file(path, to_hex(generated.reveal_private_key(), true)));
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  const auto loaded = load_node_key(path, suite);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->public_key(), generated.public_key());

  const auto again = write_private_file(path, "x");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::already_exists);

  fs::permissions(path, fs::perms::group_read, fs::perm_options::add);
  const auto refused = load_node_key(path, suite);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("0600"));
}

}  // namespace
}  // namespace tally::node
