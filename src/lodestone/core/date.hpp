// lodestone/core/date.hpp: a calendar date as a day count, parsed from and printed as YYYY-MM-DD.
// Example: Date::parse("2026-11-27")->plus_days(1).to_string() == "2026-11-28"
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace lodestone {

/// Days since 1970-01-01 in the proleptic Gregorian calendar. Trivially copyable, ordered.
class Date {
public:
    constexpr Date() = default;
    [[nodiscard]] static Date from_days(int days_since_epoch) { return Date(days_since_epoch); }
    /// Pre: a valid calendar day.
    [[nodiscard]] static Date from_ymd(int year, unsigned month, unsigned day);
    /// Strict YYYY-MM-DD with a real calendar day; nullopt otherwise.
    [[nodiscard]] static std::optional<Date> parse(std::string_view text);
    /// Today in UTC.
    [[nodiscard]] static Date today();

    [[nodiscard]] int days() const { return days_; }
    [[nodiscard]] Date plus_days(int n) const { return Date(days_ + n); }
    [[nodiscard]] int year() const;
    [[nodiscard]] std::string to_string() const;

    friend constexpr auto operator<=>(Date, Date) = default;

private:
    constexpr explicit Date(int days) : days_(days) {}
    int days_ = 0;
};

/// Days from a to b (b - a).
[[nodiscard]] inline int days_between(Date a, Date b) {
    return b.days() - a.days();
}

/// Parses a duration like "30d", "6w", "3m" (months of 30 days) or a bare day count; nullopt if
/// bad.
[[nodiscard]] std::optional<int> parse_duration_days(std::string_view text);

}  // namespace lodestone
