// Expected texts are written by hand from the printf rules (%.Ng drops trailing zeros and switches
// to an exponent below 1e-4 or at 10^N and above).
#include "lodestone/core/number_text.hpp"

#include <limits>

#include <gtest/gtest.h>

namespace lodestone {
namespace {

TEST(NumberText, SignificantKeepsAtMostTheDigitsAsked) {
    EXPECT_EQ(significant(0.1234567, 4), "0.1235");
    EXPECT_EQ(significant(2.5), "2.5");
    EXPECT_EQ(significant(1e20), "1e+20");
    EXPECT_EQ(significant(0.00001234, 3), "1.23e-05");
    EXPECT_EQ(significant(123456.0, 3), "1.23e+05");
    EXPECT_EQ(significant(0.1, 17), "0.10000000000000001");
}

TEST(NumberText, SignificantSpellsNonFiniteValues) {
    EXPECT_EQ(significant(std::numeric_limits<double>::infinity()), "inf");
    EXPECT_EQ(significant(-std::numeric_limits<double>::infinity()), "-inf");
    EXPECT_EQ(significant(std::numeric_limits<double>::quiet_NaN()), "nan");
}

TEST(NumberText, PercentPutsASpaceBeforeTheSign) {
    EXPECT_EQ(percent(0.1234), "12.3 %");
    EXPECT_EQ(percent(0.984, 0), "98 %");
    EXPECT_EQ(percent(1.0, 2), "100.00 %");
    EXPECT_EQ(percent(0.0), "0.0 %");
}

}  // namespace
}  // namespace lodestone
