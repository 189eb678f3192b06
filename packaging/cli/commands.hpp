#pragma once
// The `tally` command-line tool: one function per command, each taking its arguments (after the
// command's name) and the streams to write to, returning the process exit code. Exit codes:
// 0 done; 1 done, but the input was refused (a file, a check); 2 the command could not run
// (bad usage, unreadable file, broken store).

#include <iosfwd>
#include <span>
#include <string_view>

#include <tally/core/clock.hpp>

namespace tally::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;
inline constexpr int kExitFailed = 2;

// `tally ingest --profile P [--db FILE] [--institution I] [--format table|json] [--check] FILE...`
int run_ingest(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

// `tally reconcile --rules R --left A --right B [--ledger L] ...`: matches the sources by the
// rules, stores the run with its groups and breaks, and shows the breaks. Exit 1 when there are
// breaks.
int run_reconcile(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

// `tally breaks SUBCOMMAND ...`: the breaks workflow and its audit log (usage: `tally breaks
// help`).
int run_breaks(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);
// The same, with the clock that stamps audit entries (tests pass a ManualClock).
int run_breaks(std::span<const std::string_view> args,
               std::ostream& out,
               std::ostream& err,
               const Clock& clock);

// `tally init --out DIR --institutions N ...`: generates a consortium (CAs, node keys and
// certificates, genesis, one configuration per node, demo accounts) into a new folder.
int run_init(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

// `tally chain SUBCOMMAND ...`: a client of a node over JSON-RPC that signs in the chain's suite
// (head, balance, send, deploy, call, receipt, logs; usage: `tally chain help`). Exit 1 when the
// chain refused (JSON-RPC error, failed or missing receipt).
int run_chain(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

// The whole tool: `args` excludes the program's name.
int run_tally(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

}  // namespace tally::cli
