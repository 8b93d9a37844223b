#include "lodestone/core/date.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "lodestone/core/diagnostic.hpp"

namespace lodestone {

Date Date::from_ymd(int year, unsigned month, unsigned day) {
    const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                          std::chrono::day{day}};
    return Date(static_cast<int>(std::chrono::sys_days{ymd}.time_since_epoch().count()));
}

std::optional<Date> Date::parse(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    auto number = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
        int value = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return std::nullopt;
            }
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    const auto y = number(0, 4);
    const auto m = number(5, 2);
    const auto d = number(8, 2);
    if (!y || !m || !d) {
        return std::nullopt;
    }
    const std::chrono::year_month_day ymd{std::chrono::year{*y},
                                          std::chrono::month{static_cast<unsigned>(*m)},
                                          std::chrono::day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return from_ymd(*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d));
}

Date Date::today() {
    // "Today" in UTC, or the date in the environment variable LODESTONE_TODAY (YYYY-MM-DD) when it
    // is set: tests and reproducible reports pin it. A bad value is an error (InputError, E-USAGE),
    // never ignored.
    if (const char* pinned = std::getenv("LODESTONE_TODAY"); pinned != nullptr && *pinned != '\0') {
        if (const auto d = parse(pinned)) {
            return *d;
        }
        throw InputError(
            ErrorCode::Usage,
            std::string("LODESTONE_TODAY: expected a date YYYY-MM-DD, got '") + pinned + "'");
    }
    const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    return Date(static_cast<int>(now.time_since_epoch().count()));
}

int Date::year() const {
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days_}}};
    return static_cast<int>(ymd.year());
}

std::string Date::to_string() const {
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days_}}};
    const int y = static_cast<int>(ymd.year());
    const auto m = static_cast<unsigned>(ymd.month());
    const auto d = static_cast<unsigned>(ymd.day());
    // Every digit of the year: a date past 9999 prints as 10000-01-01, never as 0000-01-01.
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
    return buf;
}

std::optional<int> parse_duration_days(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    int factor = 1;
    switch (text.back()) {
        case 'd':
            factor = 1;
            text.remove_suffix(1);
            break;
        case 'w':
            factor = 7;
            text.remove_suffix(1);
            break;
        case 'm':
            factor = 30;
            text.remove_suffix(1);
            break;
        case 'y':
            factor = 365;
            text.remove_suffix(1);
            break;
        default:
            break;
    }
    int value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end || value < 0 || value > 100000) {
        return std::nullopt;
    }
    return value * factor;
}

}  // namespace lodestone
