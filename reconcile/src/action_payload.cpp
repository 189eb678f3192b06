#include <boost/json.hpp>

#include <tally/core/str_cat.hpp>
#include <tally/reconcile/action_payload.hpp>

namespace tally::reconcile {
namespace {

namespace json = boost::json;

Result<std::string> text_field(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string())
    return fail(Errc::malformed, str_cat("payload: '", key, "' is missing or not a string"));
  return std::string(value->get_string());
}

Result<Proposal> decode_proposal(const json::object& object) {
  Proposal proposal;
  TALLY_TRY(const std::string kind, text_field(object, "kind"));
  const auto resolution = resolution_from_name(kind);
  if (!resolution)
    return fail(Errc::malformed, str_cat("payload: unknown resolution '", kind, "'"));
  proposal.kind = *resolution;
  TALLY_TRY(proposal.reason, text_field(object, "reason"));
  if (const json::value* amount = object.if_contains("amount_minor")) {
    if (!amount->is_int64())
      return fail(Errc::malformed, "payload: 'amount_minor' is not a 64-bit integer");
    proposal.adjust_minor = amount->get_int64();
  }
  if (const json::value* records = object.if_contains("records")) {
    if (!records->is_array())
      return fail(Errc::malformed, "payload: 'records' is not an array");
    for (const json::value& record : records->get_array()) {
      if (!record.is_string())
        return fail(Errc::malformed, "payload: a record reference is not a string");
      proposal.records.emplace_back(record.get_string());
    }
  }
  return proposal;
}

Result<Action> decode_object(ActionKind kind, const json::object& object) {
  switch (kind) {
    case ActionKind::assign: {
      TALLY_TRY(const std::string to, text_field(object, "to"));
      TALLY_TRY(const std::string role, text_field(object, "to_role"));
      const auto parsed = role_from_name(role);
      if (!parsed)
        return fail(Errc::malformed, str_cat("payload: unknown role '", role, "'"));
      return Action::assign(User{to, *parsed});
    }
    case ActionKind::comment: {
      TALLY_TRY(std::string text, text_field(object, "text"));
      return Action::comment(std::move(text));
    }
    case ActionKind::propose: {
      TALLY_TRY(Proposal proposal, decode_proposal(object));
      return Action::propose(std::move(proposal));
    }
    case ActionKind::approve:
      return Action::approve();
    case ActionKind::reject:
    case ActionKind::reopen: {
      TALLY_TRY(std::string reason, text_field(object, "reason"));
      return kind == ActionKind::reject ? Action::reject(std::move(reason))
                                        : Action::reopen(std::move(reason));
    }
  }
  return fail(Errc::malformed, "payload: unknown action");
}

}  // namespace

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          constexpr std::string_view kHex = "0123456789abcdef";
          const auto byte = static_cast<unsigned char>(c);
          out += "\\u00";
          out += kHex[byte >> 4];
          out += kHex[byte & 0x0F];
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

// Keys are written in sorted order by construction; decode_payload checks the result against it.
std::string encode_payload(const Action& action) {
  switch (action.kind) {
    case ActionKind::assign:
      return str_cat("{\"to\":", json_quote(action.assignee.name),
                     ",\"to_role\":", json_quote(role_name(action.assignee.role)), "}");
    case ActionKind::comment:
      return str_cat("{\"text\":", json_quote(action.text), "}");
    case ActionKind::propose: {
      const Proposal& proposal = action.proposal;
      std::string out = "{";
      if (proposal.kind == Resolution::adjust)
        out += str_cat("\"amount_minor\":", proposal.adjust_minor, ",");
      out += str_cat("\"kind\":", json_quote(resolution_name(proposal.kind)),
                     ",\"reason\":", json_quote(proposal.reason));
      if (proposal.kind == Resolution::match) {
        out += ",\"records\":[";
        for (std::size_t i = 0; i < proposal.records.size(); ++i)
          out += str_cat(i == 0 ? "" : ",", json_quote(proposal.records[i]));
        out += "]";
      }
      return out + "}";
    }
    case ActionKind::approve:
      return "{}";
    case ActionKind::reject:
    case ActionKind::reopen:
      return str_cat("{\"reason\":", json_quote(action.text), "}");
  }
  return "{}";
}

Result<Action> decode_payload(ActionKind kind, std::string_view text) {
  if (text.size() > kMaxPayloadBytes) {
    return fail(Errc::limit_exceeded,
                str_cat("payload: ", text.size(), " bytes, at most ", kMaxPayloadBytes));
  }
  boost::system::error_code error;
  const json::value value = json::parse(json::string_view(text.data(), text.size()), error);
  if (error)
    return fail(Errc::malformed, str_cat("payload: not JSON: ", error.message()));
  if (!value.is_object())
    return fail(Errc::malformed, "payload: not a JSON object");
  TALLY_TRY(Action action, decode_object(kind, value.get_object()));
  if (encode_payload(action) != text)
    return fail(Errc::malformed, "payload: not in canonical form");
  return action;
}

}  // namespace tally::reconcile
