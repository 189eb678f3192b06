// The audit log's hash chain, and what verify() detects when the SQLite rows are changed directly.
// What it cannot detect on its own (a rewritten tail with its anchor) is shown too, with the
// trusted head that closes it.
#include <gtest/gtest.h>

#include <tally/core/str_cat.hpp>
#include <tally/reconcile/audit_log.hpp>

#include "reconcile/break_fixture.hpp"

namespace tally::reconcile {
namespace {

const User kOps{"olga", Role::ops};
const User kApprover{"anna", Role::approver};

class AuditLogTest : public test::BreakStoreFixture {
 protected:
  // Five entries on two breaks.
  void SetUp() override {
    test::BreakStoreFixture::SetUp();
    const auto a = add_break();
    const auto b = add_break();
    Proposal proposal;
    proposal.kind = Resolution::adjust;
    proposal.adjust_minor = -1'250;
    for (const auto& [id, action, user] :
         {std::tuple{a, Action::assign(kOps), kApprover},
          std::tuple{a, Action::comment("c1"), kOps}, std::tuple{b, Action::comment("c2"), kOps},
          std::tuple{a, Action::propose(proposal), kOps},
          std::tuple{a, Action::approve(), kApprover}}) {
      clock_.advance(std::chrono::seconds{1});
      ASSERT_TRUE(store().act(id, action, user));
    }
  }

  AuditVerdict verify(std::optional<AuditHead> trusted = std::nullopt) {
    auto verdict = store().audit_log().verify(trusted);
    EXPECT_TRUE(verdict) << verdict.error().message;
    return verdict ? *verdict : AuditVerdict{};
  }

  // Whoever edits the rows directly can drop the append-only triggers first.
  void drop_guards() {
    tamper("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete");
  }

  AuditHead head() { return store().audit_log().head().value(); }
};

TEST_F(AuditLogTest, AnUntouchedLogVerifies) {
  const AuditVerdict verdict = verify();
  EXPECT_TRUE(verdict.intact()) << verdict.reason;
  EXPECT_EQ(verdict.entries, 5u);
  EXPECT_EQ(verdict.head, head());
  EXPECT_EQ(verdict.head.seq, 5u);
  EXPECT_TRUE(verify(verdict.head).intact());
  EXPECT_TRUE(verify(AuditHead{}).intact());
}

TEST_F(AuditLogTest, EntriesAreChainedAndNumberedFromOne) {
  const auto entries = store().audit_log().entries().value();
  ASSERT_EQ(entries.size(), 5u);
  Hash256 previous{};
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].seq, i + 1);
    EXPECT_EQ(entries[i].prev_hash, previous);
    EXPECT_EQ(entries[i].hash, audit_entry_hash(entries[i]));
    previous = entries[i].hash;
  }
  EXPECT_EQ(entries[3].payload, R"({"amount_minor":-1250,"kind":"adjust","reason":""})");
}

// The encoding is a persistent format: a change shows here before it breaks stored logs.
TEST(AuditEntryEncoding, IsPinned) {
  AuditEntry entry;
  entry.seq = 1;
  entry.at = "2026-11-21T09:00:00.000Z";
  entry.user = "anna";
  entry.role = "approver";
  entry.action = "approve";
  entry.break_id = 7;
  entry.payload = "{}";
  EXPECT_EQ(to_hex(audit_entry_encoding(entry), false),
            "f8638d74616c6c792d61756469742d310198323032362d31312d32315430393a30303a30302e3030305a"
            "84616e6e6188617070726f76657287617070726f766507827b7da0000000000000000000000000000000"
            "0000000000000000000000000000000000");
  entry.break_id = -1;  // two's complement, 8 bytes
  const Bytes encoded = audit_entry_encoding(entry);
  EXPECT_NE(to_hex(encoded, false).find("88ffffffffffffffff"), std::string::npos);
}

TEST_F(AuditLogTest, TheTriggersRefuseOrdinaryEdits) {
  EXPECT_FALSE(db().execute("UPDATE audit_log SET payload = '{}' WHERE seq = 2"));
  EXPECT_FALSE(db().execute("DELETE FROM audit_log WHERE seq = 5"));
  EXPECT_TRUE(verify().intact());
}

TEST_F(AuditLogTest, AnEditedPayloadIsFound) {
  drop_guards();
  tamper(R"(UPDATE audit_log SET payload = '{"text":"c9"}' WHERE seq = 3)");
  const AuditVerdict verdict = verify();
  EXPECT_EQ(verdict.first_bad, 3u);
  EXPECT_EQ(verdict.reason, "entry 3: its hash does not match its contents (edited)");
}

TEST_F(AuditLogTest, AnEditedUserTimeOrBreakIsFound) {
  drop_guards();
  for (const char* edit : {"user_name = 'mallory'", "at = '2026-11-21T09:00:09.000Z'",
                           "break_id = 2", "role = 'ops'", "action = 'reject'"}) {
    SCOPED_TRACE(edit);
    tamper("SAVEPOINT edit");
    tamper(str_cat("UPDATE audit_log SET ", edit, " WHERE seq = 5"));
    EXPECT_EQ(verify().first_bad, 5u);
    tamper("ROLLBACK TO edit; RELEASE edit");
  }
  EXPECT_TRUE(verify().intact());
}

TEST_F(AuditLogTest, AnEditedEntryWithItsHashRecomputedBreaksTheNextLink) {
  drop_guards();
  auto entry = store().audit_log().entries().value()[1];
  entry.payload = R"({"text":"forged"})";
  entry.hash = audit_entry_hash(entry);
  auto update = db().prepare("UPDATE audit_log SET payload = ?1, hash = ?2 WHERE seq = 2");
  ASSERT_TRUE(update);
  ASSERT_TRUE(update->bind_text(1, entry.payload));
  ASSERT_TRUE(update->bind(2, entry.hash.view()));
  ASSERT_TRUE(update->run());
  const AuditVerdict verdict = verify();
  EXPECT_EQ(verdict.first_bad, 3u);
  EXPECT_EQ(verdict.reason, "entry 3: its previous hash is not the hash of the entry before it");
}

TEST_F(AuditLogTest, ADeletedMiddleEntryIsFound) {
  drop_guards();
  tamper("DELETE FROM audit_log WHERE seq = 3");
  const AuditVerdict verdict = verify();
  EXPECT_EQ(verdict.first_bad, 3u);
  EXPECT_EQ(verdict.reason, "entry 4: entry 3 is missing (next entry is 4)");
}

TEST_F(AuditLogTest, ADeletedFirstEntryIsFound) {
  drop_guards();
  tamper("DELETE FROM audit_log WHERE seq = 1");
  EXPECT_EQ(verify().first_bad, 1u);
}

TEST_F(AuditLogTest, ADeletedLastEntryIsFoundByTheAnchor) {
  drop_guards();
  tamper("DELETE FROM audit_log WHERE seq = 5");
  const AuditVerdict verdict = verify();
  EXPECT_EQ(verdict.first_bad, 5u);
  EXPECT_EQ(verdict.reason,
            "the anchor says the log ends at entry 5 but it ends at 4 (entries removed)");
}

TEST_F(AuditLogTest, AnEmptiedLogIsFoundByTheAnchor) {
  drop_guards();
  tamper("DELETE FROM audit_log");
  EXPECT_EQ(verify().first_bad, 1u);
}

TEST_F(AuditLogTest, ATruncationWithTheAnchorRewrittenNeedsATrustedHead) {
  const AuditHead trusted = head();
  drop_guards();
  tamper("DELETE FROM audit_log WHERE seq = 5");
  tamper("UPDATE audit_anchor SET seq = 4, hash = (SELECT hash FROM audit_log WHERE seq = 4)");
  // Undetectable from the database alone: the shorter log is a valid chain with its anchor.
  EXPECT_TRUE(verify().intact());
  const AuditVerdict verdict = verify(trusted);
  EXPECT_EQ(verdict.first_bad, 5u);
  EXPECT_EQ(verdict.reason,
            "the trusted head is entry 5 but the log ends at 4 (entries removed and the anchor "
            "rewritten)");
}

TEST_F(AuditLogTest, ARewrittenTailWithRecomputedHashesNeedsATrustedHead) {
  const AuditHead trusted = head();
  drop_guards();
  // Rewrite entry 4 and re-chain entry 5 and the anchor, as an attacker who knows the format can.
  auto entries = store().audit_log().entries().value();
  entries[3].payload = R"({"amount_minor":-99999,"kind":"adjust","reason":""})";
  entries[3].hash = audit_entry_hash(entries[3]);
  entries[4].prev_hash = entries[3].hash;
  entries[4].hash = audit_entry_hash(entries[4]);
  for (std::size_t i : {3u, 4u}) {
    auto update =
        db().prepare("UPDATE audit_log SET payload = ?1, prev_hash = ?2, hash = ?3 WHERE seq = ?4");
    ASSERT_TRUE(update);
    ASSERT_TRUE(update->bind_text(1, entries[i].payload));
    ASSERT_TRUE(update->bind(2, entries[i].prev_hash.view()));
    ASSERT_TRUE(update->bind(3, entries[i].hash.view()));
    ASSERT_TRUE(update->bind(4, static_cast<std::int64_t>(entries[i].seq)));
    ASSERT_TRUE(update->run());
  }
  auto anchor = db().prepare("UPDATE audit_anchor SET hash = ?1");
  ASSERT_TRUE(anchor);
  ASSERT_TRUE(anchor->bind(1, entries[4].hash.view()));
  ASSERT_TRUE(anchor->run());

  EXPECT_TRUE(verify().intact());  // the documented limit
  const AuditVerdict verdict = verify(trusted);
  EXPECT_EQ(verdict.first_bad, 5u);
  EXPECT_EQ(verdict.reason, "entry 5: its hash is not the trusted head's");
}

TEST_F(AuditLogTest, AnEntryAppendedOutsideTheLogIsFound) {
  // A forged entry, correctly chained, but the anchor was not moved.
  auto forged = store().audit_log().entries().value().back();
  forged.seq = 6;
  forged.prev_hash = forged.hash;
  forged.action = "comment";
  forged.payload = R"({"text":"forged"})";
  forged.hash = audit_entry_hash(forged);
  auto insert = db().prepare(
      "INSERT INTO audit_log (seq, at, user_name, role, action, break_id, payload, prev_hash, "
      "hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  ASSERT_TRUE(insert);
  ASSERT_TRUE(insert->bind(1, 6));
  ASSERT_TRUE(insert->bind_text(2, forged.at));
  ASSERT_TRUE(insert->bind_text(3, forged.user));
  ASSERT_TRUE(insert->bind_text(4, forged.role));
  ASSERT_TRUE(insert->bind_text(5, forged.action));
  ASSERT_TRUE(insert->bind(6, forged.break_id));
  ASSERT_TRUE(insert->bind_text(7, forged.payload));
  ASSERT_TRUE(insert->bind(8, forged.prev_hash.view()));
  ASSERT_TRUE(insert->bind(9, forged.hash.view()));
  ASSERT_TRUE(insert->run());
  const AuditVerdict verdict = verify();
  EXPECT_EQ(verdict.first_bad, 6u);
  EXPECT_EQ(verdict.reason,
            "the log ends at entry 6 but the anchor says 5 (entries appended outside the log)");

  // Moving the anchor too makes the chain verify; the replay still shows an entry whose action
  // never happened to the break's state.
  tamper("UPDATE audit_anchor SET seq = 6, hash = (SELECT hash FROM audit_log WHERE seq = 6)");
  EXPECT_TRUE(verify().intact());
  const auto replay = store().check_replay();
  ASSERT_TRUE(replay);
  EXPECT_FALSE(replay->consistent());
}

TEST_F(AuditLogTest, AnInsertedMiddleEntryIsFound) {
  drop_guards();
  // Make room by renumbering 3..5 to 4..6, then put a forged entry at 3.
  tamper("UPDATE audit_log SET seq = seq + 10 WHERE seq >= 3");
  tamper("UPDATE audit_log SET seq = seq - 9 WHERE seq >= 13");
  tamper(
      "INSERT INTO audit_log SELECT 3, at, user_name, role, action, break_id, payload, "
      "prev_hash, hash FROM audit_log WHERE seq = 2");
  EXPECT_EQ(verify().first_bad, 3u);
}

TEST_F(AuditLogTest, SwappedEntriesAreFound) {
  drop_guards();
  tamper("UPDATE audit_log SET seq = 100 WHERE seq = 2");
  tamper("UPDATE audit_log SET seq = 2 WHERE seq = 3");
  tamper("UPDATE audit_log SET seq = 3 WHERE seq = 100");
  const AuditVerdict verdict = verify();
  EXPECT_EQ(verdict.first_bad, 2u);
}

TEST_F(AuditLogTest, AnEditedAnchorIsFound) {
  tamper("UPDATE audit_anchor SET hash = zeroblob(32)");
  const AuditVerdict verdict = verify();
  EXPECT_EQ(verdict.first_bad, 5u);
  EXPECT_EQ(verdict.reason, "the log ends at entry 5 but the anchor says 5 with another hash");
}

TEST_F(AuditLogTest, AWrongTrustedHeadIsFound) {
  AuditHead wrong = head();
  wrong.seq = 2;
  EXPECT_EQ(verify(wrong).first_bad, 2u);
}

}  // namespace
}  // namespace tally::reconcile
