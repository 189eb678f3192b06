#pragma once
// The rule sets the interpreter knows. Cancun is the chain's; the legacy set is what Ethereum's old
// VM tests (shared/testdata/evm/legacy-vmtests) were filled with: the Frontier/Homestead opcodes
// and gas (no warm/cold access, SSTORE 20000/5000 with a 15000 refund, calls without the 63/64
// rule, SELFDESTRUCT destroying at once), kept only so those tests can check the shared
// instructions.

#include <cstdint>

namespace tally::chain {

enum class Revision : std::uint8_t { homestead, cancun };

}  // namespace tally::chain
