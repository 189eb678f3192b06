#pragma once
// An action's payload as the audit log stores and hashes it: canonical JSON, so one action has
// exactly one encoding. Canonical here means: UTF-8; no whitespace; object keys unique and sorted
// by their bytes; strings escaped as RFC 8785 does (\" \\ \b \f \n \r \t, other controls as
// \u00xx, everything else as is); integers in decimal, no floats. The shapes, by action:
//   assign   {"to":"bob","to_role":"ops"}
//   comment  {"text":"..."}
//   propose  {"amount_minor":-150,"kind":"adjust","reason":"..."}       (amount_minor: adjust only)
//            {"kind":"match","reason":"","records":["r1","r2"]}          (records: match only)
//   approve  {}
//   reject   {"reason":"..."}      reopen {"reason":"..."}

#include <string>
#include <string_view>

#include <tally/core/error.hpp>
#include <tally/reconcile/break_workflow.hpp>

namespace tally::reconcile {

inline constexpr std::size_t kMaxPayloadBytes = 256 * 1'024;

std::string encode_payload(const Action& action);
// The action of a payload, which must be exactly its canonical encoding (anything else, even the
// same data spelt differently, is malformed: a stored payload is never reinterpreted).
Result<Action> decode_payload(ActionKind kind, std::string_view json);

// A JSON string literal, escaped canonically (with its quotes).
std::string json_quote(std::string_view text);

}  // namespace tally::reconcile
