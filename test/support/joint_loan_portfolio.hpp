#pragma once
// A synthetic joint-loan portfolio for tests and benchmarks: loans funded by a platform bank and
// a partner bank at a fixed split, each with a disbursement and monthly repayments (principal,
// interest, now and then penalty interest and a fee). It writes what each institution would send:
// the platform's joint-loan CSV (schemas/profiles/platform-joint-loan.json: UTF-8 with a BOM, a
// preamble, Chinese headers, a 合计 trailer) and the partner's GBK fixed-width settlement file
// (partner-gbk-fixed.json: H/D/T records, customer names in GBK), plus the shared ledger's entries.
//
// It injects known breaks of every class, each on its own movement, and lists them, so a run can
// be scored for precision and recall. The partner's share is computed here by its own largest-
// remainder code, not by Amount::allocate, so the engine is checked against an independent sum.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <tally/reconcile/ledger_source.hpp>
#include <tally/reconcile/match_result.hpp>

namespace tally::test {

struct PortfolioOptions {
  std::uint64_t seed = 1;
  std::size_t loans = 100;
  std::uint32_t terms = 6;                 // monthly repayments per loan
  std::uint32_t platform_share_bp = 3000;  // the partner funds the rest
  std::size_t injected_per_class = 2;      // 0: a clean portfolio
  bool ledger = true;                      // also produce the ledger's entries
};

struct InjectedBreak {
  reconcile::BreakClass break_class;
  std::string reference;  // the movement's number, the last field of the break's key
};

struct Portfolio {
  std::vector<InjectedBreak> injected;
  std::vector<reconcile::LedgerEntry> ledger;
  std::uint64_t platform_rows = 0;
  std::uint64_t partner_rows = 0;
};

// Writes the platform's CSV to `platform` and the partner's file to `partner` as it goes.
Portfolio write_joint_loan_portfolio(const PortfolioOptions& options,
                                     std::ostream& platform,
                                     std::ostream& partner);

// The partner's part of `minor` by largest remainder between platform and partner (ties to the
// platform, the earlier part).
std::int64_t partner_share(std::int64_t minor, std::uint32_t platform_share_bp);

}  // namespace tally::test
