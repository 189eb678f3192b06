#include "support/joint_loan_portfolio.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>

#include <tally/core/str_cat.hpp>

namespace tally::test {
namespace {

using reconcile::BreakClass;

constexpr std::uint32_t kWholeBp = 10'000;
constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kHeader =
    "交易流水号,借据号,期次,交易类型,借贷标志,合作银行,出资比例,交易日期,起息日,币种,金额,本金,"
    "利息,罚息,费用,备注";

// GBK bytes of a few given names' characters (checked with iconv -t GBK).
constexpr std::array<std::string_view, 12> kGbkNameCharacters = {
    "\xD5\xC5", "\xCD\xF5", "\xC0\xEE", "\xD5\xD4", "\xC1\xF5", "\xB3\xC2",
    "\xD1\xEE", "\xBB\xC6", "\xCE\xB0", "\xB7\xBC", "\xC4\xC8", "\xC3\xF4"};

// The classes injected, each on a movement of its own.
constexpr std::array<BreakClass, 8> kInjectedClasses = {
    BreakClass::missing_right,   BreakClass::missing_left,       BreakClass::missing_ledger,
    BreakClass::amount_mismatch, BreakClass::date_mismatch,      BreakClass::duplicate,
    BreakClass::ambiguous,       BreakClass::allocation_mismatch};

struct Movement {
  std::uint64_t number = 0;
  std::uint64_t loan = 0;
  std::uint32_t term = 0;
  bool disbursement = false;
  std::int32_t day = 0;                      // days since 1970-01-01
  std::array<std::int64_t, 4> components{};  // principal, interest, penalty interest, fee
  std::int64_t amount() const {
    return components[0] + components[1] + components[2] + components[3];
  }
};

adapters::Date date_of(std::int32_t day) {
  return adapters::Date{std::chrono::sys_days{std::chrono::days{day}}};
}

std::string date_text(std::int32_t day, bool dashes) {
  const auto d = date_of(day);
  char text[16];
  std::snprintf(text, sizeof text, dashes ? "%04d-%02u-%02u" : "%04d%02u%02u",
                static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return text;
}

std::string money(std::int64_t minor) {
  return Amount(minor, Currency::from_code("CNY").value()).to_string();
}

std::string padded(std::string text, std::size_t width) {
  text.resize(width, ' ');
  return text;
}

std::string zero_padded(std::uint64_t value, int width) {
  char text[32];
  std::snprintf(text, sizeof text, "%0*llu", width, static_cast<unsigned long long>(value));
  return text;
}

std::string loan_id(std::uint64_t loan) {
  return str_cat("LOAN-", zero_padded(loan, 6));
}

// Every seventh loan is written in fullwidth forms by the platform, as some platform files do;
// the key's NFKC folding makes it the partner's ASCII id again.
std::string platform_loan_id(std::uint64_t loan) {
  if (loan % 7 != 3)
    return loan_id(loan);
  std::string out = "ＬＯＡＮ－";
  for (const char digit : zero_padded(loan, 6))
    out += str_cat("\xEF\xBC", static_cast<char>('\x90' + (digit - '0')));  // U+FF10 + digit
  return out;
}

std::string reference_digits(std::uint64_t number) {
  return zero_padded(number, 8);
}

class Writer {
 public:
  Writer(const PortfolioOptions& options, std::ostream& platform, std::ostream& partner)
      : options_(options), rng_(options.seed), platform_(platform), partner_(partner) {}

  Portfolio run() {
    platform_ << kBom << "联合贷款对账单\r\n对账日期：" << date_text(last_day_, true) << ",,\r\n"
              << kHeader << "\r\n";
    partner_ << padded(str_cat("H", date_text(last_day_, false), "PARTNER01"), 30) << "\r\n";
    const auto movements = plan();
    choose_injections(movements.size());
    for (std::size_t i = 0; i < movements.size(); ++i)
      write(movements[i], injection_[i]);
    platform_ << "合计," << portfolio_.platform_rows << ",,,,,,,,,\"" << money(platform_sum_)
              << "\",,,,,\r\n";
    partner_ << "T" << zero_padded(portfolio_.partner_rows, 8)
             << zero_padded(static_cast<std::uint64_t>(partner_sum_), 17) << "    \r\n";
    return std::move(portfolio_);
  }

 private:
  std::vector<Movement> plan() {
    std::vector<Movement> movements;
    for (std::uint64_t loan = 1; loan <= options_.loans; ++loan) {
      const std::int64_t principal = 1'000'000 + static_cast<std::int64_t>(rng_() % 49'000'000);
      const std::int32_t start = first_day_ + static_cast<std::int32_t>(rng_() % 28);
      Movement disbursement{next_number_++, loan, 1, true, start, {principal, 0, 0, 0}};
      movements.push_back(disbursement);
      std::int64_t outstanding = principal;
      for (std::uint32_t term = 1; term <= options_.terms; ++term) {
        const std::int64_t repaid =
            term == options_.terms ? outstanding : principal / std::int64_t{options_.terms};
        Movement repayment{
            next_number_++, loan, term, false, start + static_cast<std::int32_t>(30 * term), {}};
        repayment.components[0] = repaid;
        repayment.components[1] = outstanding * 45 / 10'000;  // 0.45% a month
        repayment.components[2] = rng_() % 10 == 0 ? static_cast<std::int64_t>(rng_() % 5'000) : 0;
        repayment.components[3] = rng_() % 8 == 0 ? 1'500 : 0;
        outstanding -= repaid;
        movements.push_back(repayment);
      }
    }
    return movements;
  }

  void choose_injections(std::size_t count) {
    injection_.assign(count, std::nullopt);
    std::vector<std::size_t> order(count);
    for (std::size_t i = 0; i < count; ++i)
      order[i] = i;
    std::shuffle(order.begin(), order.end(), rng_);
    std::size_t next = 0;
    for (const BreakClass break_class : kInjectedClasses) {
      for (std::size_t k = 0; k < options_.injected_per_class && next < count; ++k) {
        if (!options_.ledger && (break_class == BreakClass::missing_ledger ||
                                 break_class == BreakClass::amount_mismatch))
          continue;
        injection_[order[next++]] = break_class;
      }
    }
  }

  std::int64_t partner_amount(const Movement& m) const {
    std::int64_t share = 0;
    for (const std::int64_t component : m.components)
      share += partner_share(component, options_.platform_share_bp);
    return share;
  }

  void write(const Movement& m, std::optional<BreakClass> injected) {
    if (injected)
      portfolio_.injected.push_back({*injected, reference_digits(m.number)});
    const bool skip_platform = injected == BreakClass::missing_left;
    const bool skip_partner = injected == BreakClass::missing_right;
    if (!skip_platform)
      write_platform(m);
    if (options_.ledger && !skip_platform && injected != BreakClass::missing_ledger)
      add_ledger(m, injected == BreakClass::amount_mismatch ? 100 : 0);
    if (skip_partner)
      return;
    std::int64_t share = partner_amount(m);
    std::int32_t day = m.day;
    if (injected == BreakClass::allocation_mismatch)
      share += 1;
    if (injected == BreakClass::date_mismatch)
      day += 10;
    if (injected == BreakClass::ambiguous) {
      // The same share a day early and a day late: equally good, so neither may be chosen.
      write_partner(m, share, day - 1, 0);
      write_partner(m, share, day + 1, 1);
      return;
    }
    write_partner(m, share, day, 0);
    if (injected == BreakClass::duplicate)
      write_partner(m, share, day, 1);  // another customer name: not a duplicate within the file
  }

  void write_platform(const Movement& m) {
    const auto component = [&m](std::size_t i) {
      return m.components[i] == 0 && i > 0 ? std::string() : money(m.components[i]);
    };
    platform_ << "JL" << reference_digits(m.number) << ',' << platform_loan_id(m.loan) << ','
              << m.term << ',' << (m.disbursement ? "放款" : "还款") << ','
              << (m.disbursement ? "借" : "贷") << ",合作银行甲,"
              << options_.platform_share_bp / 100 << "%," << date_text(m.day, true) << ','
              << date_text(m.day, true) << ",CNY," << money(m.amount()) << ',' << component(0)
              << ',' << (m.disbursement ? "" : component(1)) << ',' << component(2) << ','
              << component(3) << ",\r\n";
    ++portfolio_.platform_rows;
    platform_sum_ += m.amount();
  }

  void write_partner(const Movement& m, std::int64_t share, std::int32_t day, std::size_t variant) {
    const std::size_t name = (m.loan * 3 + variant * 5) % kGbkNameCharacters.size();
    std::string customer =
        str_cat(kGbkNameCharacters[name],
                kGbkNameCharacters[(name + 1 + variant) % kGbkNameCharacters.size()]);
    partner_ << 'D' << padded(loan_id(m.loan), 20) << padded(customer, 10) << date_text(day, false)
             << "CNY" << zero_padded(static_cast<std::uint64_t>(share), 15)
             << (m.disbursement ? 'D' : 'C') << (m.disbursement ? "01" : "02")
             << padded(str_cat("P", reference_digits(m.number)), 20) << "\r\n";
    ++portfolio_.partner_rows;
    partner_sum_ += share;
  }

  void add_ledger(const Movement& m, std::int64_t error_minor) {
    adapters::Record r(Amount(m.amount() + error_minor, Currency::from_code("CNY").value()),
                       m.disbursement ? adapters::Direction::debit : adapters::Direction::credit);
    r.loan_id = loan_id(m.loan);
    r.reference = str_cat("JL", reference_digits(m.number));
    r.kind = m.disbursement ? adapters::RecordKind::disbursement : adapters::RecordKind::repayment;
    r.business_date = date_of(m.day);
    r.value_date = date_of(m.day);
    r.term = m.term;
    Hash256 batch;
    batch.data()[0] = 0x1e;
    portfolio_.ledger.push_back({batch, portfolio_.ledger.size(), std::move(r)});
  }

  const PortfolioOptions& options_;
  std::mt19937_64 rng_;
  std::ostream& platform_;
  std::ostream& partner_;
  Portfolio portfolio_;
  std::vector<std::optional<BreakClass>> injection_;
  std::uint64_t next_number_ = 1;
  std::int32_t first_day_ = static_cast<std::int32_t>(std::chrono::sys_days{
      adapters::Date{std::chrono::year{2024}, std::chrono::January, std::chrono::day{1}}}
                                                          .time_since_epoch()
                                                          .count());
  std::int32_t last_day_ = first_day_ + 400;
  std::int64_t platform_sum_ = 0;
  std::int64_t partner_sum_ = 0;
};

}  // namespace

std::int64_t partner_share(std::int64_t minor, std::uint32_t platform_share_bp) {
  const std::uint32_t partner_bp = kWholeBp - platform_share_bp;
  const std::int64_t platform = minor * platform_share_bp / kWholeBp;
  std::int64_t partner = minor * partner_bp / kWholeBp;
  if (platform + partner < minor) {
    // One minor unit is left: it goes to the larger remainder, the platform's on a tie.
    const std::int64_t platform_remainder = minor * platform_share_bp % kWholeBp;
    const std::int64_t partner_remainder = minor * partner_bp % kWholeBp;
    if (partner_remainder > platform_remainder)
      ++partner;
  }
  return partner;
}

Portfolio write_joint_loan_portfolio(const PortfolioOptions& options,
                                     std::ostream& platform,
                                     std::ostream& partner) {
  return Writer(options, platform, partner).run();
}

}  // namespace tally::test
