#include "rpc_client.hpp"

#include <charconv>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <tally/core/str_cat.hpp>

namespace tally::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

// One exchange driven by asynchronous operations so that io_context::run_for bounds the whole of
// it in time: Beast's synchronous calls would wait forever on a node that accepts and never
// answers.
class Exchange {
 public:
  Exchange(const RpcEndpoint& endpoint, const std::string& body) : stream_(io_) {
    request_ = {http::verb::post, endpoint.target, 11};
    request_.set(http::field::host, endpoint.host + ":" + endpoint.port);
    request_.set(http::field::content_type, "application/json");
    request_.set(http::field::user_agent, "tally-cli");
    request_.body() = body;
    request_.prepare_payload();
    parser_.body_limit(kMaxRpcResponseBytes);
  }

  Result<std::string> run(const RpcEndpoint& endpoint, std::chrono::milliseconds timeout) {
    tcp::resolver resolver(io_);
    resolver.async_resolve(endpoint.host, endpoint.port,
                           [this](beast::error_code error, tcp::resolver::results_type found) {
                             if (error)
                               return finish(error, "resolve");
                             stream_.async_connect(found, [this](beast::error_code e, auto) {
                               e ? finish(e, "connect") : write();
                             });
                           });
    io_.run_for(timeout);
    if (!outcome_)
      return fail(Errc::io_error, str_cat("no answer within ", timeout.count(), " ms"));
    return std::move(*outcome_);
  }

 private:
  void write() {
    http::async_write(stream_, request_, [this](beast::error_code error, std::size_t) {
      if (error)
        return finish(error, "send");
      http::async_read(stream_, buffer_, parser_, [this](beast::error_code e, std::size_t) {
        e ? finish(e, "receive") : done();
      });
    });
  }

  void done() {
    const auto& response = parser_.get();
    if (response.result() != http::status::ok)
      outcome_ = fail(Errc::io_error,
                      str_cat("HTTP ", response.result_int(), " ", std::string(response.reason())));
    else
      outcome_ = response.body();
    io_.stop();
  }

  void finish(beast::error_code error, std::string_view step) {
    outcome_ = fail(Errc::io_error, str_cat(step, ": ", error.message()));
    io_.stop();
  }

  asio::io_context io_;
  beast::tcp_stream stream_;
  http::request<http::string_body> request_;
  http::response_parser<http::string_body> parser_;
  beast::flat_buffer buffer_;
  std::optional<Result<std::string>> outcome_;
};

std::string rpc_error_text(const json::value& error) {
  const json::object* object = error.if_object();
  if (!object)
    return str_cat("RPC error ", json::serialize(error));
  std::string text = "RPC error";
  if (const auto* code = object->if_contains("code"); code && code->is_int64())
    text += str_cat(" ", code->get_int64());
  if (const auto* message = object->if_contains("message"); message && message->is_string())
    text += str_cat(": ", std::string_view(message->get_string()));
  if (const auto* data = object->if_contains("data"); data && !data->is_null())
    text += str_cat(" (data ", json::serialize(*data), ")");
  return text;
}

}  // namespace

bool is_rpc_refusal(const Error& error) {
  return error.code == Errc::invalid_argument &&
         error.message.find(": RPC error") != std::string::npos;
}

Result<RpcEndpoint> parse_rpc_url(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme))
    return fail(Errc::invalid_argument,
                str_cat("RPC URL '", url, "': must start with http:// (a node serves plain HTTP)"));
  std::string_view rest = url.substr(kScheme.size());
  RpcEndpoint endpoint;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    endpoint.target = std::string(rest.substr(slash));
    rest = rest.substr(0, slash);
  }
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return fail(Errc::invalid_argument, str_cat("RPC URL '", url, "': needs host:port"));
  std::string_view host = rest.substr(0, colon);
  if (host.starts_with('[') && host.ends_with(']'))  // [::1]
    host = host.substr(1, host.size() - 2);
  const std::string_view port = rest.substr(colon + 1);
  unsigned number = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (host.empty() || ec != std::errc() || end != port.data() + port.size() || number == 0 ||
      number > 65535)
    return fail(Errc::invalid_argument, str_cat("RPC URL '", url, "': bad host or port"));
  endpoint.host = std::string(host);
  endpoint.port = std::string(port);
  return endpoint;
}

Result<std::string> RpcClient::post(const std::string& body) const {
  Exchange exchange(endpoint_, body);
  return exchange.run(endpoint_, timeout_);
}

Result<json::value> parse_rpc_response(std::string_view body, std::string_view where) {
  boost::system::error_code error;
  json::value response = json::parse(body, error);
  const json::object* object = error ? nullptr : response.if_object();
  if (!object)
    return fail(Errc::malformed, str_cat(where, ": the answer is not a JSON-RPC response"));
  if (const auto* rpc_error = object->if_contains("error"))
    return fail(Errc::invalid_argument, str_cat(where, ": ", rpc_error_text(*rpc_error)));
  if (const auto* result = object->if_contains("result"))
    return *result;
  return fail(Errc::malformed, str_cat(where, ": the answer has neither result nor error"));
}

Result<json::value> RpcClient::call(std::string_view method, json::array params) const {
  const json::object request{
      {"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", std::move(params)}};
  const std::string where = str_cat(method, " at ", endpoint_.url());
  auto body = post(json::serialize(request));
  if (!body)
    return fail(body.error().code, str_cat(where, ": ", body.error().message));
  return parse_rpc_response(*body, where);
}

}  // namespace tally::cli
