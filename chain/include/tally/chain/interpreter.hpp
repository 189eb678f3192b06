#pragma once
// The interpreter: runs one frame of code (a call's code or a creation's init code) for `message`
// and returns how it ended. Sub-calls and creations go back through the Evm.
//
// Dispatch is one switch over the opcode after a table check (gas_schedule.hpp): defined, stack
// height, static gas. The stack is a fixed array per depth, memory grows in words, jump
// destinations come from the code's cached analysis.

#include <tally/chain/code_analysis.hpp>
#include <tally/chain/evm.hpp>

namespace tally::chain {

ExecResult interpret(Evm& evm, const Message& message, const CodeAnalysis& code);

}  // namespace tally::chain
