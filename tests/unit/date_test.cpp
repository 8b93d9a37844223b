#include "lodestone/core/date.hpp"

#include <gtest/gtest.h>

using lodestone::Date;

TEST(Date, ParsesAndPrintsRoundTrip) {
    const auto d = Date::parse("2026-11-27");
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->to_string(), "2026-11-27");
    EXPECT_EQ(d->plus_days(1).to_string(), "2026-11-28");
    EXPECT_EQ(d->year(), 2026);
}

TEST(Date, EpochIsDayZero) {
    EXPECT_EQ(Date::parse("1970-01-01")->days(), 0);
}

TEST(Date, LeapDayAndMonthEnds) {
    EXPECT_TRUE(Date::parse("2024-02-29").has_value());
    EXPECT_FALSE(Date::parse("2025-02-29").has_value());
    EXPECT_EQ(Date::parse("2024-12-31")->plus_days(1).to_string(), "2025-01-01");
}

TEST(Date, RejectsMalformedText) {
    for (const char* bad : {"", "2026-1-27", "2026/11/27", "2026-13-01", "2026-11-31", "20261127",
                            "2026-11-27x", "abcd-ef-gh", " 2026-11-27"}) {
        EXPECT_FALSE(Date::parse(bad).has_value()) << bad;
    }
}

TEST(Date, DaysBetweenCountsCalendarDays) {
    EXPECT_EQ(lodestone::days_between(*Date::parse("2026-11-10"), *Date::parse("2026-11-27")), 17);
}

TEST(Duration, ParsesUnits) {
    EXPECT_EQ(lodestone::parse_duration_days("30d"), 30);
    EXPECT_EQ(lodestone::parse_duration_days("2w"), 14);
    EXPECT_EQ(lodestone::parse_duration_days("45"), 45);
    EXPECT_FALSE(lodestone::parse_duration_days("-3d").has_value());
    EXPECT_FALSE(lodestone::parse_duration_days("x").has_value());
}

TEST(Date, YearsBeyond9999PrintEveryDigit) {
    const auto last = *Date::parse("9999-12-31");
    EXPECT_EQ(last.plus_days(1).to_string(), "10000-01-01");
    EXPECT_EQ(last.to_string(), "9999-12-31");
    EXPECT_EQ(Date::parse("0001-01-01")->to_string(), "0001-01-01");
}
