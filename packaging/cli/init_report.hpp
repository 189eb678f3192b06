#pragma once
// What `tally init` says about the consortium it generated: the summary on stdout and README.txt
// in the output folder.

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include <tally/core/fixed_bytes.hpp>

namespace tally::cli {

struct InitNodeSummary {
  std::string name;         // "validator-1"
  std::string role;         // "validator" | "observer"
  std::string institution;  // "bank-1"
  Address account;
  std::string host;
  std::uint16_t p2p_port = 0;
  std::uint16_t rpc_port = 0;
};

struct InitSummary {
  std::string out_dir;
  std::string suite;
  std::uint64_t chain_id = 0;
  Hash256 genesis_hash;
  std::vector<InitNodeSummary> nodes;
  std::size_t accounts = 0;  // demo accounts in accounts.json
  bool seeded = false;       // chain and account keys derived from --seed
};

void write_init_summary(std::ostream& out, const InitSummary& summary);
// README.txt: what each file is, which are secret, how to start a node.
std::string init_readme(const InitSummary& summary);

}  // namespace tally::cli
