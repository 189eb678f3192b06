#include <ostream>

#include "commands.hpp"

namespace tally::cli {
namespace {

constexpr std::string_view kUsage =
    "usage: tally COMMAND [ARGS]\n"
    "commands:\n"
    "  init       generate a consortium: CAs, node keys and certificates, genesis, node configs\n"
    "  ingest     check bank files against a profile and take them into the records store\n"
    "  reconcile  match two or three sources by a rule set and store the breaks\n"
    "  breaks     list breaks, drive their four-eyes workflow, verify the audit log\n"
    "  chain      a node's client: head, balance, send, deploy, call, receipt, logs\n"
    "run `tally COMMAND --help` for a command's arguments\n";

}  // namespace

int run_tally(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << kUsage;
    return kExitFailed;
  }
  const std::string_view command = args.front();
  const auto rest = args.subspan(1);
  if (command == "init")
    return run_init(rest, out, err);
  if (command == "ingest")
    return run_ingest(rest, out, err);
  if (command == "reconcile")
    return run_reconcile(rest, out, err);
  if (command == "breaks")
    return run_breaks(rest, out, err);
  if (command == "chain")
    return run_chain(rest, out, err);
  if (command == "--help" || command == "help") {
    out << kUsage;
    return kExitOk;
  }
  err << "tally: unknown command '" << command << "'\n" << kUsage;
  return kExitFailed;
}

}  // namespace tally::cli
