// Action payloads: one canonical JSON encoding per action, decoded strictly.
#include <gtest/gtest.h>

#include <tally/reconcile/action_payload.hpp>

namespace tally::reconcile {
namespace {

Action proposal(Resolution kind,
                std::string reason,
                std::int64_t amount,
                std::vector<std::string> records) {
  Proposal p;
  p.kind = kind;
  p.reason = std::move(reason);
  p.adjust_minor = amount;
  p.records = std::move(records);
  return Action::propose(std::move(p));
}

TEST(ActionPayload, EachActionHasItsDocumentedEncoding) {
  EXPECT_EQ(encode_payload(Action::assign(User{"bob", Role::approver})),
            R"({"to":"bob","to_role":"approver"})");
  EXPECT_EQ(encode_payload(Action::comment("line\none \"q\" \\ \x01")),
            R"({"text":"line\none \"q\" \\ \u0001"})");
  EXPECT_EQ(encode_payload(proposal(Resolution::adjust, "fee", -150, {})),
            R"({"amount_minor":-150,"kind":"adjust","reason":"fee"})");
  EXPECT_EQ(encode_payload(proposal(Resolution::match, "", 0, {"a:1", "b:2"})),
            R"({"kind":"match","reason":"","records":["a:1","b:2"]})");
  EXPECT_EQ(encode_payload(proposal(Resolution::write_off, "small", 0, {})),
            R"({"kind":"write_off","reason":"small"})");
  EXPECT_EQ(encode_payload(Action::approve()), "{}");
  EXPECT_EQ(encode_payload(Action::reject("no")), R"({"reason":"no"})");
  EXPECT_EQ(encode_payload(Action::reopen("recall")), R"({"reason":"recall"})");
}

TEST(ActionPayload, DecodeInvertsEncode) {
  const std::vector<Action> actions = {
      Action::assign(User{"bob", Role::ops}),
      Action::comment("对账 \t\r\b\f ok"),
      proposal(Resolution::adjust, "x", std::numeric_limits<std::int64_t>::min(), {}),
      proposal(Resolution::match, "n", 0, {"r1", "r\"2"}),
      proposal(Resolution::write_off, "w", 0, {}),
      Action::approve(),
      Action::reject("r"),
      Action::reopen("o"),
  };
  for (const Action& action : actions) {
    const std::string json = encode_payload(action);
    const auto decoded = decode_payload(action.kind, json);
    ASSERT_TRUE(decoded) << json << ": " << decoded.error().message;
    EXPECT_EQ(*decoded, action) << json;
  }
}

TEST(ActionPayload, OnlyTheCanonicalSpellingIsAccepted) {
  const auto refused = [](ActionKind kind, std::string_view json) {
    const auto decoded = decode_payload(kind, json);
    return !decoded && decoded.error().code == Errc::malformed;
  };
  EXPECT_TRUE(refused(ActionKind::comment, R"({ "text":"x"})"));              // whitespace
  EXPECT_TRUE(refused(ActionKind::assign, R"({"to_role":"ops","to":"b"})"));  // key order
  EXPECT_TRUE(refused(ActionKind::comment, R"({"text":"x","extra":1})"));     // unknown key
  EXPECT_TRUE(refused(ActionKind::comment, R"({"text":"\u0078"})"));          // needless escape
  EXPECT_TRUE(
      refused(ActionKind::propose, R"({"amount_minor":5,"kind":"write_off","reason":"r"})"));
  EXPECT_TRUE(refused(ActionKind::propose, R"({"amount_minor":1.5,"kind":"adjust","reason":""})"));
  EXPECT_TRUE(refused(ActionKind::propose, R"({"kind":"refund","reason":""})"));
  EXPECT_TRUE(refused(ActionKind::assign, R"({"to":"b","to_role":"root"})"));
  EXPECT_TRUE(refused(ActionKind::comment, R"({"text":1})"));
  EXPECT_TRUE(refused(ActionKind::comment, "[]"));
  EXPECT_TRUE(refused(ActionKind::comment, "{\"text\":\"\xC3\x28\"}"));  // not UTF-8
  EXPECT_TRUE(refused(ActionKind::comment, "{"));
  EXPECT_TRUE(refused(ActionKind::approve, R"({"note":"x"})"));
}

TEST(ActionPayload, APayloadLongerThanTheBoundIsRefused) {
  const std::string json = "{\"text\":\"" + std::string(kMaxPayloadBytes, 'x') + "\"}";
  EXPECT_EQ(decode_payload(ActionKind::comment, json).error().code, Errc::limit_exceeded);
}

}  // namespace
}  // namespace tally::reconcile
