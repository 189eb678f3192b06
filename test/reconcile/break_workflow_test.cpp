// The breaks workflow's state machine: every allowed transition and every refusal, by rule.
#include <string>

#include <gtest/gtest.h>

#include <tally/core/str_cat.hpp>
#include <tally/reconcile/break_workflow.hpp>

namespace tally::reconcile {
namespace {

const User kOps{"olga", Role::ops};
const User kOps2{"oscar", Role::ops};
const User kApprover{"anna", Role::approver};
const User kApprover2{"arno", Role::approver};
const User kAuditor{"ada", Role::auditor};

Proposal write_off(std::string reason = "below threshold") {
  Proposal proposal;
  proposal.kind = Resolution::write_off;
  proposal.reason = std::move(reason);
  return proposal;
}

Proposal adjust(std::int64_t amount_minor) {
  Proposal proposal;
  proposal.kind = Resolution::adjust;
  proposal.adjust_minor = amount_minor;
  return proposal;
}

Proposal match(std::vector<std::string> records) {
  Proposal proposal;
  proposal.kind = Resolution::match;
  proposal.records = std::move(records);
  return proposal;
}

BreakState apply_ok(const BreakState& state, const Action& action, const User& actor) {
  auto next = apply_action(state, action, actor);
  EXPECT_TRUE(next.has_value()) << (next ? "" : next.error().message);
  return next ? *next : state;
}

BreakRule refusal_rule(const BreakState& state, const Action& action, const User& actor) {
  auto next = apply_action(state, action, actor);
  EXPECT_FALSE(next.has_value()) << "expected a refusal of " << action_name(action.kind);
  return next ? BreakRule{} : next.error().rule;
}

BreakState proposed_by(const User& proposer) {
  return apply_ok(BreakState{}, Action::propose(write_off()), proposer);
}

BreakState resolved() {
  return apply_ok(proposed_by(kOps), Action::approve(), kApprover);
}

TEST(BreakWorkflow, AFreshBreakIsOpenUnassignedWithoutProposal) {
  const BreakState state;
  EXPECT_EQ(state.status, BreakStatus::open);
  EXPECT_TRUE(state.owner.empty());
  EXPECT_FALSE(state.proposal);
  EXPECT_EQ(state.action_count, 0u);
}

TEST(BreakWorkflow, AssignSetsTheOwnerInOpenAndProposed) {
  const BreakState open = apply_ok(BreakState{}, Action::assign(kOps2), kOps);
  EXPECT_EQ(open.owner, "oscar");
  EXPECT_EQ(open.status, BreakStatus::open);
  EXPECT_EQ(open.action_count, 1u);
  const BreakState proposed = apply_ok(proposed_by(kOps), Action::assign(kApprover), kOps);
  EXPECT_EQ(proposed.owner, "anna");
  EXPECT_EQ(proposed.status, BreakStatus::proposed);
}

TEST(BreakWorkflow, CommentChangesNothingButTheCount) {
  const BreakState before = proposed_by(kOps);
  BreakState after = apply_ok(before, Action::comment("called the bank"), kApprover);
  EXPECT_EQ(after.action_count, before.action_count + 1);
  after.action_count = before.action_count;
  EXPECT_EQ(after, before);
}

TEST(BreakWorkflow, ProposeRecordsTheProposalAndItsProposer) {
  const BreakState state = apply_ok(BreakState{}, Action::propose(adjust(-150)), kOps);
  EXPECT_EQ(state.status, BreakStatus::proposed);
  ASSERT_TRUE(state.proposal);
  EXPECT_EQ(state.proposal->kind, Resolution::adjust);
  EXPECT_EQ(state.proposal->adjust_minor, -150);
  EXPECT_EQ(state.proposal->proposer, "olga");
}

TEST(BreakWorkflow, ProposerFieldOfTheActionIsIgnored) {
  Proposal forged = write_off();
  forged.proposer = "someone-else";
  Action action = Action::propose(forged);
  action.proposal.proposer = "someone-else";  // even when set after the factory
  const BreakState state = apply_ok(BreakState{}, action, kOps);
  EXPECT_EQ(state.proposal->proposer, "olga");
}

TEST(BreakWorkflow, ApprovalBySecondApproverResolves) {
  const BreakState state = apply_ok(proposed_by(kOps), Action::approve(), kApprover);
  EXPECT_EQ(state.status, BreakStatus::resolved);
  EXPECT_EQ(state.approved_by, "anna");
  ASSERT_TRUE(state.proposal);  // kept as the applied resolution
  EXPECT_EQ(state.proposal->proposer, "olga");
}

TEST(BreakWorkflow, AnApproverMayProposeAndAnotherApproverApproves) {
  const BreakState state = apply_ok(proposed_by(kApprover), Action::approve(), kApprover2);
  EXPECT_EQ(state.status, BreakStatus::resolved);
}

TEST(BreakWorkflow, RejectReturnsToOpenAndDropsTheProposal) {
  const BreakState state = apply_ok(proposed_by(kOps), Action::reject("wrong account"), kApprover);
  EXPECT_EQ(state.status, BreakStatus::open);
  EXPECT_FALSE(state.proposal);
  // and it may be proposed again
  EXPECT_EQ(apply_ok(state, Action::propose(write_off()), kOps).status, BreakStatus::proposed);
}

TEST(BreakWorkflow, ReopenReturnsAResolvedBreakToOpenAndCountsIt) {
  const BreakState state = apply_ok(resolved(), Action::reopen("bank recalled the payment"), kOps);
  EXPECT_EQ(state.status, BreakStatus::open);
  EXPECT_FALSE(state.proposal);
  EXPECT_TRUE(state.approved_by.empty());
  EXPECT_EQ(state.reopen_count, 1u);
}

TEST(BreakWorkflow, ManualMatchNamesRecords) {
  const BreakState state = apply_ok(BreakState{}, Action::propose(match({"f1:3", "f2:9"})), kOps);
  EXPECT_EQ(state.proposal->records, (std::vector<std::string>{"f1:3", "f2:9"}));
}

// --- refusals ---

TEST(BreakWorkflowRefusal, TheProposerCannotApproveTheirOwnProposal) {
  const BreakState state = proposed_by(kApprover);
  EXPECT_EQ(refusal_rule(state, Action::approve(), kApprover), BreakRule::four_eyes);
  const auto refused = apply_action(state, Action::approve(), kApprover);
  EXPECT_EQ(refused.error().message,
            "four-eyes: anna proposed this resolution and may not approve it; a second user "
            "decides");
}

TEST(BreakWorkflowRefusal, TheProposerCannotRejectTheirOwnProposal) {
  EXPECT_EQ(refusal_rule(proposed_by(kApprover), Action::reject("no"), kApprover),
            BreakRule::four_eyes);
}

TEST(BreakWorkflowRefusal, AnOpsUserCannotApproveOrReject) {
  const BreakState state = proposed_by(kOps);
  EXPECT_EQ(refusal_rule(state, Action::approve(), kOps2), BreakRule::role);
  EXPECT_EQ(refusal_rule(state, Action::reject("no"), kOps2), BreakRule::role);
  EXPECT_EQ(apply_action(state, Action::approve(), kOps2).error().message,
            "role: oscar (ops) may not approve; only an approver may");
}

TEST(BreakWorkflowRefusal, AnAuditorOnlyReads) {
  const BreakState open;
  EXPECT_EQ(refusal_rule(open, Action::assign(kOps), kAuditor), BreakRule::role);
  EXPECT_EQ(refusal_rule(open, Action::comment("hi"), kAuditor), BreakRule::role);
  EXPECT_EQ(refusal_rule(open, Action::propose(write_off()), kAuditor), BreakRule::role);
  EXPECT_EQ(refusal_rule(proposed_by(kOps), Action::approve(), kAuditor), BreakRule::role);
  EXPECT_EQ(refusal_rule(resolved(), Action::reopen("why"), kAuditor), BreakRule::role);
}

TEST(BreakWorkflowRefusal, ApprovingOrRejectingABreakThatIsNotProposed) {
  EXPECT_EQ(refusal_rule(BreakState{}, Action::approve(), kApprover), BreakRule::status);
  EXPECT_EQ(refusal_rule(resolved(), Action::approve(), kApprover2), BreakRule::status);
  EXPECT_EQ(refusal_rule(BreakState{}, Action::reject("no"), kApprover), BreakRule::status);
  EXPECT_EQ(apply_action(BreakState{}, Action::approve(), kApprover).error().message,
            "status: approve is not allowed on an open break");
}

TEST(BreakWorkflowRefusal, ReopeningABreakThatIsNotResolved) {
  EXPECT_EQ(refusal_rule(BreakState{}, Action::reopen("again"), kOps), BreakRule::status);
  EXPECT_EQ(refusal_rule(proposed_by(kOps), Action::reopen("again"), kOps), BreakRule::status);
}

TEST(BreakWorkflowRefusal, ProposingTwice) {
  EXPECT_EQ(refusal_rule(proposed_by(kOps), Action::propose(write_off()), kOps2),
            BreakRule::status);
  EXPECT_EQ(refusal_rule(resolved(), Action::propose(write_off()), kOps), BreakRule::status);
}

TEST(BreakWorkflowRefusal, AResolvedBreakTakesNoAssignmentOrComment) {
  EXPECT_EQ(refusal_rule(resolved(), Action::assign(kOps), kOps), BreakRule::status);
  EXPECT_EQ(refusal_rule(resolved(), Action::comment("late note"), kOps), BreakRule::status);
}

TEST(BreakWorkflowRefusal, ABreakGoesOnlyToOpsOrAnApprover) {
  EXPECT_EQ(refusal_rule(BreakState{}, Action::assign(kAuditor), kOps), BreakRule::assignee);
  EXPECT_EQ(refusal_rule(BreakState{}, Action::assign(User{"bad name", Role::ops}), kOps),
            BreakRule::input);
}

TEST(BreakWorkflowRefusal, ReasonsAreRequired) {
  EXPECT_EQ(refusal_rule(BreakState{}, Action::propose(write_off("")), kOps), BreakRule::input);
  EXPECT_EQ(refusal_rule(proposed_by(kOps), Action::reject(""), kApprover), BreakRule::input);
  EXPECT_EQ(refusal_rule(resolved(), Action::reopen(""), kOps), BreakRule::input);
  EXPECT_EQ(refusal_rule(BreakState{}, Action::comment(""), kOps), BreakRule::input);
}

TEST(BreakWorkflowRefusal, ProposalsMustBeWellFormed) {
  EXPECT_EQ(refusal_rule(BreakState{}, Action::propose(adjust(0)), kOps), BreakRule::input);
  Proposal write_off_with_amount = write_off();
  write_off_with_amount.adjust_minor = 5;
  EXPECT_EQ(refusal_rule(BreakState{}, Action::propose(write_off_with_amount), kOps),
            BreakRule::input);
  EXPECT_EQ(refusal_rule(BreakState{}, Action::propose(match({})), kOps), BreakRule::input);
  EXPECT_EQ(refusal_rule(BreakState{}, Action::propose(match({"a", "a"})), kOps), BreakRule::input);
  EXPECT_EQ(refusal_rule(BreakState{}, Action::propose(match({""})), kOps), BreakRule::input);
  Proposal adjust_with_records = adjust(10);
  adjust_with_records.records = {"a"};
  EXPECT_EQ(refusal_rule(BreakState{}, Action::propose(adjust_with_records), kOps),
            BreakRule::input);
}

TEST(BreakWorkflowRefusal, TextMustBeUtf8) {
  EXPECT_EQ(refusal_rule(BreakState{}, Action::comment("bad \xC3\x28 byte"), kOps),
            BreakRule::input);
  EXPECT_EQ(refusal_rule(BreakState{}, Action::comment("surrogate \xED\xA0\x80"), kOps),
            BreakRule::input);
  EXPECT_TRUE(apply_action(BreakState{}, Action::comment("对账 ok ✓"), kOps));
}

TEST(BreakWorkflowRefusal, TextAndListBoundsAreEnforcedAtTheirEdges) {
  EXPECT_TRUE(apply_action(BreakState{}, Action::comment(std::string(kMaxTextBytes, 'x')), kOps));
  EXPECT_EQ(refusal_rule(BreakState{}, Action::comment(std::string(kMaxTextBytes + 1, 'x')), kOps),
            BreakRule::limit);
  std::vector<std::string> records;
  for (std::size_t i = 0; i < kMaxMatchRecords; ++i)
    records.push_back(str_cat("r", i));
  EXPECT_TRUE(apply_action(BreakState{}, Action::propose(match(records)), kOps));
  records.push_back("one-more");
  EXPECT_EQ(refusal_rule(BreakState{}, Action::propose(match(records)), kOps), BreakRule::limit);
  EXPECT_TRUE(apply_action(BreakState{},
                           Action::propose(match({std::string(kMaxRecordRefBytes, 'r')})), kOps));
  EXPECT_EQ(refusal_rule(BreakState{},
                         Action::propose(match({std::string(kMaxRecordRefBytes + 1, 'r')})), kOps),
            BreakRule::input);
}

TEST(BreakWorkflowRefusal, UserNamesAreChecked) {
  EXPECT_EQ(refusal_rule(BreakState{}, Action::comment("x"), User{"", Role::ops}),
            BreakRule::input);
  EXPECT_TRUE(valid_user_name(std::string(kMaxUserNameBytes, 'u')));
  EXPECT_FALSE(valid_user_name(std::string(kMaxUserNameBytes + 1, 'u')));
  EXPECT_FALSE(valid_user_name("tab\tname"));
  EXPECT_TRUE(valid_user_name("ops.team-1@bank_a"));
}

TEST(BreakWorkflow, NamesRoundTrip) {
  for (auto role : {Role::ops, Role::approver, Role::auditor})
    EXPECT_EQ(role_from_name(role_name(role)), role);
  for (auto status : {BreakStatus::open, BreakStatus::proposed, BreakStatus::resolved})
    EXPECT_EQ(status_from_name(status_name(status)), status);
  for (auto kind : {ActionKind::assign, ActionKind::comment, ActionKind::propose,
                    ActionKind::approve, ActionKind::reject, ActionKind::reopen})
    EXPECT_EQ(action_from_name(action_name(kind)), kind);
  for (auto kind : {Resolution::match, Resolution::write_off, Resolution::adjust})
    EXPECT_EQ(resolution_from_name(resolution_name(kind)), kind);
  EXPECT_FALSE(role_from_name("admin"));
}

}  // namespace
}  // namespace tally::reconcile
