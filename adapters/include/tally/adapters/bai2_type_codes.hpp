#pragma once
// BAI2 type codes (three digits) and what a transaction detail (16) record with each one means
// for the normalized record. The ranges are those of the Cash Management Balance Reporting
// Specification, version 2:
//   001-099 account status (balances), 100 total credits, 101-399 credit summary and detail,
//   400 total debits, 401-699 debit summary and detail, 700-799 loan summary and detail,
//   800-899 unused, 900-919 customer-defined status, 920-959 customer-defined credits,
//   960-999 customer-defined debits.
// Only credit and debit codes say which way money moved, so only they may head a 16 record; a
// 16 with a status, loan or unused code is refused rather than given a guessed direction (the
// loan codes mix principal and interest of both directions).

#include <cstdint>
#include <optional>

#include <tally/adapters/record.hpp>

namespace tally::adapters {

enum class Bai2TypeClass : std::uint8_t { status, credit, debit, loan, unused };

Bai2TypeClass bai2_type_class(std::uint16_t type_code) noexcept;

// The direction of a 16 record with this code; nullopt for codes that cannot head one.
std::optional<Direction> bai2_detail_direction(std::uint16_t type_code) noexcept;

// The record kind for a detail code: reversal for the returned-item codes, fee for the fee
// codes, transfer for money, book and ZBA transfers and ACH credits/debits, other otherwise.
RecordKind bai2_detail_kind(std::uint16_t type_code) noexcept;

}  // namespace tally::adapters
