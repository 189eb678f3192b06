// `tally chain` without a node: ABI arguments as typed on the command line, RPC URLs, the HTTP
// client against a scripted one-shot server (answers, JSON-RPC errors, silence, oversize bodies),
// key loading from accounts.json, and usage errors. The whole flow against real tallyd processes
// is tallyd_chain_cli_test.cpp.

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tally/chain/abi.hpp>
#include <tally/core/keccak.hpp>

#include "abi_text.hpp"
#include "chain_client.hpp"
#include "commands.hpp"
#include "packaging/process_support.hpp"
#include "rpc_client.hpp"
#include "support/temp_dir.hpp"

namespace tally::cli {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;
namespace json = boost::json;

struct CliRun {
  int code = 0;
  std::string out;
  std::string err;
};

CliRun chain_cli(const std::vector<std::string>& args) {
  std::vector<std::string_view> views{"chain"};
  views.insert(views.end(), args.begin(), args.end());
  std::ostringstream out, err;
  const int code = run_tally(views, out, err);
  return {code, out.str(), err.str()};
}

chain::AbiType type(std::string_view text) {
  return chain::AbiType::parse(text).value();
}

// ---- ABI arguments

TEST(AbiText, EncodesAFunctionCallLikeSolidity) {
  const std::vector<std::string> args{"0x" + std::string(64, '1'), "100"};
  const auto calldata = encode_function_call("disburse(bytes32,uint256)", args);
  ASSERT_TRUE(calldata.has_value()) << calldata.error();
  const auto selector = chain::function_selector("disburse(bytes32,uint256)");
  ASSERT_EQ(calldata->size(), 4u + 64u);
  EXPECT_TRUE(std::equal(selector.bytes.begin(), selector.bytes.end(), calldata->begin()));
  EXPECT_EQ(to_hex(BytesView(*calldata).subspan(4, 32), false), std::string(64, '1'));
  EXPECT_EQ(to_hex(BytesView(*calldata).subspan(36), false), std::string(62, '0') + "64");
}

TEST(AbiText, ReadsEveryElementaryTypeAndWritesItBack) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"uint256", "12345"},
      {"uint8", "255"},
      {"int32", "-7"},
      {"int256", "-57896044618658097711785492504343953926634992332820282019728792003956564819968"},
      {"address", "0x00000000000000000000000000000000000000aa"},
      {"bool", "true"},
      {"bytes4", "0xdeadbeef"},
      {"bytes", "0x0102"},
      {"string", "\"hello\""},
      {"uint256[]", "[1,2,3]"},
      {"(uint256,bool)", "(9,false)"},
      {"uint8[2][]", "[[1,2],[3,4]]"},
  };
  for (const auto& [type_text, text] : cases) {
    SCOPED_TRACE(type_text);
    const chain::AbiType t = type(type_text);
    // Strings are written quoted and read as is.
    const std::string input = type_text == "string" ? "hello" : text;
    const auto value = parse_abi_value(t, input);
    ASSERT_TRUE(value.has_value()) << value.error();
    const auto encoded = chain::abi_encode(t, *value);
    ASSERT_TRUE(encoded.has_value()) << encoded.error();
    const auto decoded = chain::abi_decode(t, *encoded);
    ASSERT_TRUE(decoded.has_value()) << decoded.error();
    EXPECT_EQ(abi_value_text(t, *decoded), text);
  }
}

TEST(AbiText, HexIntegersAndSpacesInListsAreAccepted) {
  const auto value = parse_abi_value(type("uint256[]"), "[0x10, 2]");
  ASSERT_TRUE(value.has_value()) << value.error();
  EXPECT_EQ(abi_value_text(type("uint256[]"), *value), "[16,2]");
}

TEST(AbiText, RefusalsNameTheArgument) {
  const std::vector<std::string> too_big{"256"};
  const auto overflow = encode_function_call("f(uint8)", too_big);
  ASSERT_FALSE(overflow.has_value());
  EXPECT_THAT(overflow.error().message, HasSubstr("uint8"));

  const std::vector<std::string> bad{"1", "maybe"};
  const auto not_bool = encode_function_call("f(uint256,bool)", bad);
  ASSERT_FALSE(not_bool.has_value());
  EXPECT_THAT(not_bool.error().message, HasSubstr("argument 2 (bool)"));

  const std::vector<std::string> one{"1"};
  const auto arity = encode_function_call("f(uint256,uint256)", one);
  ASSERT_FALSE(arity.has_value());
  EXPECT_THAT(arity.error().message, HasSubstr("takes 2 arguments, 1 given"));

  EXPECT_FALSE(parse_abi_value(type("uint256[]"), "[1,[2]").has_value());
  EXPECT_FALSE(parse_abi_value(type("uint256[]"), "1,2").has_value());
  EXPECT_FALSE(parse_abi_value(type("bytes"), "0102").has_value());
  EXPECT_FALSE(parse_abi_value(type("address"), "0x12").has_value());
  EXPECT_FALSE(parse_abi_value(type("uint256"), "-1").has_value());
  EXPECT_FALSE(encode_function_call("f(uint8[2])", std::vector<std::string>{"[1,2,3]"}));
}

// ---- URLs

TEST(RpcUrl, ParsesHostPortAndTarget) {
  const auto plain = parse_rpc_url("http://127.0.0.1:8545");
  ASSERT_TRUE(plain.has_value()) << plain.error();
  EXPECT_EQ(plain->host, "127.0.0.1");
  EXPECT_EQ(plain->port, "8545");
  EXPECT_EQ(plain->target, "/");
  const auto v6 = parse_rpc_url("http://[::1]:9000/rpc");
  ASSERT_TRUE(v6.has_value()) << v6.error();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->target, "/rpc");
  for (const char* bad : {"https://a:1", "http://a", "http://a:0", "http://a:65536", "http://:80",
                          "http://a:8x", "a:80"})
    EXPECT_FALSE(parse_rpc_url(bad).has_value()) << bad;
}

// ---- The HTTP client against a one-shot server

// Accepts one connection on a loopback port, reads the request head and body, and answers with
// `response` (raw bytes, or nothing: it then holds the connection open until destroyed).
class OneShotServer {
 public:
  explicit OneShotServer(std::string response) : response_(std::move(response)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    listen(listener_, 1);
    thread_ = std::thread([this] { serve(); });
  }
  ~OneShotServer() {
    stop_ = true;
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& request() const { return request_; }

 private:
  void serve() {
    const int fd = accept(listener_, nullptr, nullptr);
    if (fd < 0)
      return;
    char buffer[4096];
    while (request_.find("\r\n\r\n") == std::string::npos || !body_complete()) {
      const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0)
        break;
      request_.append(buffer, static_cast<std::size_t>(n));
    }
    if (response_.empty()) {
      while (!stop_)
        std::this_thread::sleep_for(10ms);
    } else {
      send(fd, response_.data(), response_.size(), MSG_NOSIGNAL);
    }
    close(fd);
  }
  bool body_complete() const {
    const auto head_end = request_.find("\r\n\r\n");
    const auto length_at = request_.find("Content-Length: ");
    if (length_at == std::string::npos)
      return true;
    const std::size_t length = std::stoul(request_.substr(length_at + 16));
    return request_.size() >= head_end + 4 + length;
  }

  std::string response_;
  std::string request_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::string http_ok(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

RpcClient client_for(const OneShotServer& server, std::chrono::milliseconds timeout = 5s) {
  return RpcClient(parse_rpc_url(server.url()).value(), timeout);
}

TEST(RpcClient, SendsAJsonRpcRequestAndReturnsTheResult) {
  OneShotServer server(http_ok(R"({"jsonrpc":"2.0","id":1,"result":"0x1092"})"));
  const auto result = client_for(server).call("eth_chainId", {});
  ASSERT_TRUE(result.has_value()) << result.error();
  EXPECT_EQ(*result, json::value("0x1092"));
  EXPECT_THAT(server.request(), HasSubstr("POST / HTTP/1.1"));
  EXPECT_THAT(server.request(), HasSubstr("application/json"));
  EXPECT_THAT(server.request(), HasSubstr(R"("method":"eth_chainId")"));
}

TEST(RpcClient, AJsonRpcErrorIsARefusalNamingCodeAndMessage) {
  OneShotServer server(
      http_ok(R"({"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"nonce too low"}})"));
  const auto result = client_for(server).call("eth_sendRawTransaction", {"0x00"});
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(is_rpc_refusal(result.error()));
  EXPECT_THAT(result.error().message, HasSubstr("eth_sendRawTransaction at " + server.url() +
                                                "/: RPC error -32000: nonce too low"));
}

TEST(RpcClient, TransportFailuresAreNotRefusals) {
  const std::uint16_t closed = test::free_port();
  const RpcClient nobody(parse_rpc_url("http://127.0.0.1:" + std::to_string(closed)).value(), 5s);
  const auto refused = nobody.call("eth_chainId", {});
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, Errc::io_error);
  EXPECT_FALSE(is_rpc_refusal(refused.error()));
  EXPECT_THAT(refused.error().message, HasSubstr("connect"));

  OneShotServer teapot("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n");
  const auto status = client_for(teapot).call("eth_chainId", {});
  ASSERT_FALSE(status.has_value());
  EXPECT_THAT(status.error().message, HasSubstr("HTTP 418"));

  OneShotServer garbage(http_ok("not json"));
  const auto body = client_for(garbage).call("eth_chainId", {});
  ASSERT_FALSE(body.has_value());
  EXPECT_EQ(body.error().code, Errc::malformed);
}

TEST(RpcClient, ASilentNodeTimesOut) {
  OneShotServer silent("");
  const auto started = std::chrono::steady_clock::now();
  const auto result = client_for(silent, 300ms).call("eth_chainId", {});
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.error().message, HasSubstr("no answer within 300 ms"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(RpcClient, AResponsePastTheBoundIsRefused) {
  // Only the header claims the size: the client must stop before reading (or allocating) it.
  OneShotServer huge("HTTP/1.1 200 OK\r\nContent-Length: " +
                     std::to_string(kMaxRpcResponseBytes + 1) + "\r\n\r\n{}");
  const auto result = client_for(huge).call("eth_getLogs", {});
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, Errc::io_error);
  EXPECT_THAT(result.error().message, HasSubstr("receive"));
}

// ---- Keys

TEST(ChainClient, ReadsAnAccountByPositionOrAddressInTheFilesSuite) {
  test::TempDir dir;
  const std::string out_dir = (dir / "c").string();
  const std::vector<std::string_view> init_args{"init",  "--out",      out_dir, "--institutions",
                                                "1",     "--accounts", "2",     "--suite",
                                                "guomi", "--seed",     "3"};
  std::ostringstream out, err;
  ASSERT_EQ(run_tally(init_args, out, err), kExitOk) << err.str();
  const auto accounts = dir / "c" / "accounts.json";
  const auto params = read_accounts_params(accounts);
  ASSERT_TRUE(params.has_value()) << params.error();
  EXPECT_EQ(params->suite, SuiteId::guomi);
  EXPECT_EQ(params->chain_id, 4242u);

  const auto second = read_account_key(accounts, "2", SuiteId::guomi);
  ASSERT_TRUE(second.has_value()) << second.error();
  const Address address = CryptoSuite(SuiteId::guomi).address(second->public_key());
  const auto by_address = read_account_key(accounts, address.hex(), SuiteId::guomi);
  ASSERT_TRUE(by_address.has_value()) << by_address.error();
  EXPECT_EQ(CryptoSuite(SuiteId::guomi).address(by_address->public_key()), address);

  EXPECT_EQ(read_account_key(accounts, "3", SuiteId::guomi).error().code, Errc::not_found);
  EXPECT_THAT(read_account_key(accounts, "1", SuiteId::standard).error().message,
              HasSubstr("holds guomi keys"));

  const auto key_file = dir / "node.key";
  std::ofstream(key_file) << "  0x" << std::string(63, '0') << "7\n";
  EXPECT_TRUE(read_key_file(key_file, SuiteId::guomi).has_value());
  std::ofstream(key_file) << "0x1234\n";
  EXPECT_EQ(read_key_file(key_file, SuiteId::guomi).error().code, Errc::malformed);
}

// ---- The command line

TEST(ChainCommand, UsageErrorsExitTwoAndNameTheProblem) {
  EXPECT_EQ(chain_cli({}).code, kExitFailed);
  const CliRun help = chain_cli({"help"});
  EXPECT_EQ(help.code, kExitOk);
  EXPECT_THAT(help.out, HasSubstr("usage: tally chain"));

  const CliRun unknown = chain_cli({"mine"});
  EXPECT_EQ(unknown.code, kExitFailed);
  EXPECT_THAT(unknown.err, HasSubstr("unknown subcommand 'mine'"));

  const CliRun option = chain_cli({"head", "--to", "0x00"});
  EXPECT_EQ(option.code, kExitFailed);
  EXPECT_THAT(option.err, HasSubstr("unknown option --to"));

  const CliRun url = chain_cli({"head", "--rpc", "https://node:8545"});
  EXPECT_EQ(url.code, kExitFailed);
  EXPECT_THAT(url.err, HasSubstr("must start with http://"));

  const CliRun no_to = chain_cli({"send", "--rpc", "http://127.0.0.1:1", "--key", "k"});
  EXPECT_EQ(no_to.code, kExitFailed);
  EXPECT_THAT(no_to.err, HasSubstr("send needs --to"));
}

TEST(ChainCommand, AnUnreachableNodeExitsTwo) {
  const std::string url = "http://127.0.0.1:" + std::to_string(test::free_port());
  const CliRun run = chain_cli({"head", "--rpc", url});
  EXPECT_EQ(run.code, kExitFailed);
  EXPECT_THAT(run.err, HasSubstr("tally chain head: eth_getBlockByNumber at " + url));
}

TEST(ChainCommand, ANodesRefusalExitsOne) {
  OneShotServer server(
      http_ok(R"({"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted: no"}})"));
  const CliRun run =
      chain_cli({"call", "--rpc", server.url(), "--to",
                 "0x00000000000000000000000000000000000000aa", "--function", "f(uint256)", "1"});
  EXPECT_EQ(run.code, kExitRefused);
  EXPECT_THAT(run.err, HasSubstr("RPC error 3: execution reverted: no"));
  // The calldata went out as the ABI encodes it.
  const auto calldata = encode_function_call("f(uint256)", std::vector<std::string>{"1"}).value();
  EXPECT_THAT(server.request(), HasSubstr(to_hex(calldata)));
}

TEST(ChainCommand, AnAnswerOfAnUnexpectedShapeExitsTwo) {
  OneShotServer server(http_ok(R"({"jsonrpc":"2.0","id":1,"result":[1]})"));
  const CliRun run = chain_cli({"logs", "--rpc", server.url()});
  EXPECT_EQ(run.code, kExitFailed);
  EXPECT_THAT(run.err, HasSubstr("the node's answer has an unexpected shape"));
}

TEST(ChainCommand, LogsFilterTakesTheEventsTopic) {
  OneShotServer server(http_ok(R"({"jsonrpc":"2.0","id":1,"result":[]})"));
  const CliRun run = chain_cli({"logs", "--rpc", server.url(), "--event",
                                "Incremented(address,uint256)", "--format", "json"});
  EXPECT_EQ(run.code, kExitOk) << run.err;
  EXPECT_EQ(run.out, "{\"logs\":[]}\n");
  EXPECT_THAT(server.request(),
              HasSubstr(keccak256(as_bytes("Incremented(address,uint256)")).hex()));
  EXPECT_THAT(server.request(), HasSubstr(R"("fromBlock":"earliest")"));
}

}  // namespace
}  // namespace tally::cli
