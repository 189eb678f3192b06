#pragma once
// ISO 4217 currencies: alphabetic code, numeric code and exponent (digits of the minor unit).
// The table covers the currencies in circulation and those withdrawn recently enough to appear in
// bank files still being reconciled (HRK, SLL, ...). Funds codes without a minor unit (XAU, XDR)
// are not currencies an amount can be booked in and are absent.

#include <cstdint>
#include <span>
#include <string_view>

#include <tally/core/error.hpp>

namespace tally {

class Currency {
 public:
  // Looks up an upper-case alphabetic code ("CNY"). Unknown or lower-case codes are refused.
  static Result<Currency> from_code(std::string_view code);
  // Looks up a numeric code (156 for CNY).
  static Result<Currency> from_numeric(std::uint16_t numeric);
  // Every currency in the table, ordered by alphabetic code.
  static std::span<const Currency> all() noexcept;

  // A view into the static table: it stays valid for the life of the program.
  std::string_view code() const noexcept;
  std::uint16_t numeric() const noexcept;
  // Digits after the decimal point: 2 for CNY, 0 for JPY, 3 for KWD, 4 for CLF.
  std::uint8_t exponent() const noexcept;

  bool operator==(const Currency&) const noexcept = default;

 private:
  // Only the table makes currencies, so a code always carries its true exponent.
  constexpr explicit Currency(std::uint16_t index) noexcept : index_(index) {}

  std::uint16_t index_;  // into the table in currency.cpp
};

}  // namespace tally
