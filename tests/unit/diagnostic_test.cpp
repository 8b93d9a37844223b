#include "lodestone/core/diagnostic.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace lodestone;

TEST(Diagnostic, PrintsCompilerStyle) {
    Diagnostic d{Severity::Error, ErrorCode::ShareRange, "supply.csv", 14, 3, "share",
                 "share 1.7 outside [0,1]"};
    EXPECT_EQ(d.to_string(), "supply.csv:14:3: share 1.7 outside [0,1] (E-SHARE-RANGE)");
}

TEST(Diagnostic, OmitsMissingPositions) {
    Diagnostic d{Severity::Error, ErrorCode::FileMissing, "x/countries.csv", 0, 0, "", "required file is missing"};
    EXPECT_EQ(d.to_string(), "x/countries.csv: required file is missing (E-FILE-MISSING)");
}

TEST(Diagnostics, ThrowsAllErrorsAtOnceAndKeepsWarningsOut) {
    Diagnostics diags;
    diags.error(ErrorCode::Number, "a.csv", 2, 1, "first");
    diags.warning(ErrorCode::Header, "a.csv", 1, 5, "unknown column");
    diags.error(ErrorCode::Negative, "a.csv", 3, 7, "second");
    try {
        diags.throw_if_errors();
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        ASSERT_EQ(e.diagnostics().size(), 2u);
        EXPECT_STREQ(e.what(), "a.csv:2:1: first (E-NUMBER)\na.csv:3:7: second (E-NEGATIVE)");
    }
}

TEST(ErrorCode, EveryCodeHasAStableName) {
    EXPECT_EQ(to_string(ErrorCode::UnknownMeasure), "E-UNKNOWN-MEASURE");
    EXPECT_EQ(to_string(ErrorCode::EndUseSum), "E-END-USE-SUM");
    for (int c = 0; c <= static_cast<int>(ErrorCode::Internal); ++c) {
        EXPECT_THAT(std::string(to_string(static_cast<ErrorCode>(c))), ::testing::StartsWith("E-"));
    }
}
