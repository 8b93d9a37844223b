#include "lodestone/core/diagnostic.hpp"

#include <iterator>
#include <set>
#include <string_view>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace lodestone;

TEST(Diagnostic, PrintsCompilerStyle) {
    Diagnostic d{Severity::Error, ErrorCode::ShareRange,    "supply.csv", 14, 3,
                 "share",         "share 1.7 outside [0,1]"};
    EXPECT_EQ(d.to_string(), "supply.csv:14:3: share 1.7 outside [0,1] (E-SHARE-RANGE)");
}

TEST(Diagnostic, OmitsMissingPositions) {
    Diagnostic d{Severity::Error,           ErrorCode::FileMissing, "x/countries.csv", 0, 0, "",
                 "required file is missing"};
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

// The stable names, written out by hand from the list in diagnostic.hpp (docs and API clients
// match on them), in enum order: a renamed, renumbered or reordered code fails here.
struct NamedCode {
    ErrorCode code;
    std::string_view name;
};
constexpr NamedCode kStableNames[] = {
    {ErrorCode::FileMissing, "E-FILE-MISSING"},
    {ErrorCode::NotADirectory, "E-NOT-DIR"},
    {ErrorCode::NotAFile, "E-NOT-FILE"},
    {ErrorCode::FileUnreadable, "E-FILE-READ"},
    {ErrorCode::FileEmpty, "E-FILE-EMPTY"},
    {ErrorCode::Header, "E-HEADER"},
    {ErrorCode::Encoding, "E-UTF8"},
    {ErrorCode::LineTooLong, "E-LINE-LONG"},
    {ErrorCode::Quote, "E-QUOTE"},
    {ErrorCode::FieldCount, "E-FIELD-COUNT"},
    {ErrorCode::Required, "E-REQUIRED"},
    {ErrorCode::Number, "E-NUMBER"},
    {ErrorCode::Negative, "E-NEGATIVE"},
    {ErrorCode::ShareRange, "E-SHARE-RANGE"},
    {ErrorCode::Range, "E-RANGE"},
    {ErrorCode::Date, "E-DATE"},
    {ErrorCode::DateOrder, "E-DATE-ORDER"},
    {ErrorCode::Enum, "E-ENUM"},
    {ErrorCode::UnknownMaterial, "E-UNKNOWN-MATERIAL"},
    {ErrorCode::UnknownStage, "E-UNKNOWN-STAGE"},
    {ErrorCode::UnknownCountry, "E-UNKNOWN-COUNTRY"},
    {ErrorCode::UnknownSector, "E-UNKNOWN-SECTOR"},
    {ErrorCode::UnknownMeasure, "E-UNKNOWN-MEASURE"},
    {ErrorCode::Duplicate, "E-DUPLICATE"},
    {ErrorCode::StageOrder, "E-STAGE-ORDER"},
    {ErrorCode::EndUseSum, "E-END-USE-SUM"},
    {ErrorCode::EmptyStage, "E-EMPTY-STAGE"},
    {ErrorCode::Toml, "E-TOML"},
    {ErrorCode::Json, "E-JSON"},
    {ErrorCode::UnknownPerspective, "E-UNKNOWN-PERSPECTIVE"},
    {ErrorCode::Usage, "E-USAGE"},
    {ErrorCode::NotFound, "E-NOT-FOUND"},
    {ErrorCode::Store, "E-STORE"},
    {ErrorCode::Internal, "E-INTERNAL"},
    {ErrorCode::MissingParent, "E-MISSING-PARENT"},
    {ErrorCode::Auth, "E-AUTH"},
};

TEST(ErrorCode, EveryCodeHasItsStableName) {
    const int n = static_cast<int>(std::size(kStableNames));
    for (int i = 0; i < n; ++i) {
        SCOPED_TRACE(kStableNames[i].name);
        EXPECT_EQ(static_cast<int>(kStableNames[i].code), i)
            << "codes are append-only, never renumbered";
        EXPECT_EQ(to_string(kStableNames[i].code), kStableNames[i].name);
    }
}

TEST(ErrorCode, NamesAreDistinct) {
    std::set<std::string_view> seen;
    for (const auto& c : kStableNames) {
        EXPECT_TRUE(seen.insert(to_string(c.code)).second)
            << to_string(c.code) << " names two codes";
    }
}

TEST(ErrorCode, TheTableCoversEveryCode) {
    // to_string names exactly the values 0..n-1: a code appended to the enum without a row here
    // (or without a case in to_string) fails one of these.
    const int n = static_cast<int>(std::size(kStableNames));
    for (int c = 0; c < n; ++c) {
        EXPECT_FALSE(to_string(static_cast<ErrorCode>(c)).empty())
            << "code " << c << " has no name";
    }
    EXPECT_TRUE(to_string(static_cast<ErrorCode>(n)).empty())
        << "code " << n << " is named '" << to_string(static_cast<ErrorCode>(n))
        << "' but has no row in kStableNames";
}
