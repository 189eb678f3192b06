#include <boost/json.hpp>

#include <tally/chain/rpc_dispatcher.hpp>
#include <tally/core/str_cat.hpp>

#include "rpc_state.hpp"

namespace tally::chain {
namespace json = boost::json;
using rpc::RpcError;

namespace {

const rpc::MethodTable& method_table() {
  static const rpc::MethodTable table = [] {
    rpc::MethodTable out;
    rpc::add_read_methods(out);
    rpc::add_exec_methods(out);
    rpc::add_filter_methods(out);
    rpc::add_tally_methods(out);
    return out;
  }();
  return table;
}

json::object error_response(const json::value& id, const RpcError& error) {
  json::object body{{"code", error.code}, {"message", error.message}};
  if (error.data)
    body["data"] = *error.data;
  return json::object{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(body)}};
}

bool valid_id(const json::value& id) {
  return id.is_string() || id.is_number() || id.is_null();
}

}  // namespace

RpcDispatcher::RpcDispatcher(std::unique_ptr<State> state) : state_(std::move(state)) {}
RpcDispatcher::~RpcDispatcher() = default;

Result<std::unique_ptr<RpcDispatcher>> RpcDispatcher::open(const Config& config,
                                                           RpcNode& node,
                                                           const Clock& clock) {
  auto state = std::make_unique<State>(config, node, clock);
  if (config.limits.max_log_results > kMaxLogResults)
    return fail(Errc::invalid_argument,
                str_cat("rpc: max_log_results above the ledger's ", kMaxLogResults));
  auto first = state->ledgers.acquire();  // the path and suite are checked here, once
  if (!first)
    return std::unexpected(first.error());
  if (const auto& head = (*first)->head())
    state->last_published = head->block_number;
  return std::unique_ptr<RpcDispatcher>(new RpcDispatcher(std::move(state)));
}

namespace {

// One request object; nullopt for a notification.
std::optional<json::value> handle_one(RpcDispatcher::State& state,
                                      const json::value& request,
                                      const RpcCaller& caller) {
  if (!request.is_object())
    return error_response(nullptr, {rpc::kInvalidRequest, "invalid request: not an object", {}});
  const json::object& object = request.as_object();
  const json::value* id = object.if_contains("id");
  const json::value null_id;
  const json::value& echo = (id != nullptr && valid_id(*id)) ? *id : null_id;
  const json::value* version = object.if_contains("jsonrpc");
  const json::value* method = object.if_contains("method");
  if (version == nullptr || !version->is_string() || version->get_string() != "2.0")
    return error_response(echo,
                          {rpc::kInvalidRequest, "invalid request: jsonrpc must be \"2.0\"", {}});
  if (method == nullptr || !method->is_string())
    return error_response(echo, {rpc::kInvalidRequest, "invalid request: no method", {}});
  if (id != nullptr && !valid_id(*id))
    return error_response(echo, {rpc::kInvalidRequest, "invalid request: bad id", {}});

  const json::value* params = object.if_contains("params");
  static const json::array no_params;
  if (params != nullptr && !params->is_array() && !params->is_null()) {
    if (id == nullptr)
      return std::nullopt;
    return error_response(echo, {rpc::kInvalidParams, "params must be a list", {}});
  }
  const json::array& list =
      (params != nullptr && params->is_array()) ? params->get_array() : no_params;
  const std::string_view name = method->get_string();
  rpc::RpcResult result;
  const auto& table = method_table();
  if (const auto found = table.find(name); found == table.end()) {
    result = rpc::rpc_fail(rpc::kMethodNotFound,
                           str_cat("the method ", std::string(name), " does not exist"));
  } else if (auto lease = state.ledgers.acquire(); !lease) {
    result = rpc::rpc_fail(rpc::kServerError, lease.error().message);
  } else {
    rpc::Call call{state, **lease, caller, list};
    result = found->second(call);
  }
  if (id == nullptr)
    return std::nullopt;
  if (!result)
    return error_response(echo, result.error());
  return json::object{{"jsonrpc", "2.0"}, {"id", echo}, {"result", std::move(*result)}};
}

std::string serialized(const json::value& value) {
  return json::serialize(value);
}

}  // namespace

std::optional<std::string> RpcDispatcher::handle(std::string_view body, const RpcCaller& caller) {
  const RpcLimits& limits = state_->config.limits;
  if (body.size() > limits.max_request_bytes)
    return serialized(error_response(
        nullptr, {rpc::kInvalidRequest,
                  str_cat("request of more than ", limits.max_request_bytes, " bytes"),
                  {}}));
  json::error_code parse_error;
  // Depth is bounded by Boost.JSON's parse options (32 by default in 1.81: 32 levels).
  const json::value request = json::parse(body, parse_error);
  if (parse_error)
    return serialized(error_response(
        nullptr, {rpc::kParseError, str_cat("parse error: ", parse_error.message()), {}}));
  if (!request.is_array()) {
    auto response = handle_one(*state_, request, caller);
    return response ? std::optional(serialized(*response)) : std::nullopt;
  }
  const json::array& batch = request.get_array();
  if (batch.empty())
    return serialized(error_response(nullptr, {rpc::kInvalidRequest, "empty batch", {}}));
  if (batch.size() > limits.max_batch_length)
    return serialized(error_response(
        nullptr, {rpc::kInvalidRequest,
                  str_cat("batch of more than ", limits.max_batch_length, " requests"),
                  {}}));
  json::array responses;
  for (const json::value& item : batch) {
    if (auto response = handle_one(*state_, item, caller))
      responses.push_back(std::move(*response));
  }
  if (responses.empty())
    return std::nullopt;
  return serialized(responses);
}

void RpcDispatcher::connection_closed(std::uint64_t connection_id) {
  const std::lock_guard lock(state_->mutex);
  std::erase_if(state_->subscriptions,
                [&](const auto& entry) { return entry.second.connection_id == connection_id; });
}

}  // namespace tally::chain
