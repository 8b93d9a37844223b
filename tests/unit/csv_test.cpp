#include "lodestone/io/csv.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace lodestone;
using namespace lodestone::io;

namespace {
const CsvSchema kSchema{{"a", "b"}, {"c"}};

std::vector<std::string> messages(const Diagnostics& d) {
    std::vector<std::string> out;
    for (const auto& x : d.items()) {
        out.push_back(x.to_string());
    }
    return out;
}
}  // namespace

TEST(Csv, ReadsQuotedFieldsWithCommasQuotesAndNewlines) {
    Diagnostics d;
    const auto t =
        parse_csv("a,b\n\"x,1\",\"say \"\"hi\"\"\"\n\"multi\nline\",2\n", "t.csv", kSchema, d);
    ASSERT_FALSE(d.has_errors()) << ::testing::PrintToString(messages(d));
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.rows[0].fields[0], "x,1");
    EXPECT_EQ(t.rows[0].fields[1], "say \"hi\"");
    EXPECT_EQ(t.rows[1].fields[0], "multi\nline");
    EXPECT_EQ(t.rows[1].line, 3);
}

TEST(Csv, AcceptsBomCrlfAndComments) {
    Diagnostics d;
    const auto t = parse_csv(
        "\xEF\xBB\xBF"
        "a,b\r\n# comment\r\n1,2\r\n\r\n3,4",
        "t.csv", kSchema, d);
    EXPECT_FALSE(d.has_errors());
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.header[0], "a");
    EXPECT_EQ(t.rows[0].fields[1], "2");
    EXPECT_EQ(t.rows[1].line, 5);
}

TEST(Csv, ReportsEveryBadRowAndKeepsGoodOnes) {
    Diagnostics d;
    const auto t = parse_csv("a,b\n1,2,3\n1,2\nx\"y,2\n\"open,2\n", "t.csv", kSchema, d);
    EXPECT_EQ(t.rows.size(), 1u);
    EXPECT_THAT(messages(d),
                ::testing::ElementsAre("t.csv:2:1: expected 2 fields, found 3 (E-FIELD-COUNT)",
                                       "t.csv:4:2: quote inside an unquoted field (quote the whole "
                                       "field and double the inner quotes) (E-QUOTE)",
                                       "t.csv:5:1: unterminated quoted field: the quote opened "
                                       "here runs to the end of the file (E-QUOTE)"));
}

TEST(Csv, RejectsInvalidUtf8WithPosition) {
    Diagnostics d;
    const auto t = parse_csv("a,b\n1,caf\xE9\n2,ok\n", "t.csv", kSchema, d);
    EXPECT_EQ(t.rows.size(), 1u);
    EXPECT_THAT(messages(d),
                ::testing::ElementsAre(
                    "t.csv:2:6: byte 0xE9 is not valid UTF-8 (save the file as UTF-8) (E-UTF8)"));
}

TEST(Csv, ReportsMissingColumnsAndEmptyFile) {
    Diagnostics d;
    (void)parse_csv("a,x\n1,2\n", "t.csv", kSchema, d);
    (void)parse_csv("", "e.csv", kSchema, d);
    EXPECT_THAT(messages(d),
                ::testing::ElementsAre(
                    "t.csv:1:3: warning: unknown column 'x' is ignored (E-HEADER)",
                    "t.csv:1:1: header lacks required column(s) b; expected a,b (E-HEADER)",
                    "e.csv: file is empty: expected a header row (E-FILE-EMPTY)"));
}

TEST(Csv, RejectsHugeLine) {
    Diagnostics d;
    std::string doc = "a,b\n" + std::string(kMaxLineBytes + 10, 'x') + "\n1,2\n";
    const auto t = parse_csv(doc, "t.csv", kSchema, d);
    EXPECT_EQ(t.rows.size(), 1u);
    ASSERT_EQ(d.items().size(), 1u);
    EXPECT_EQ(d.items()[0].code, ErrorCode::LineTooLong);
}

TEST(Csv, NeverCrashesOnArbitraryBytes) {
    // Deterministic pseudo-random documents: the reader must return, not crash or hang.
    std::uint64_t state = 42;
    for (int doc = 0; doc < 2000; ++doc) {
        std::string bytes;
        const int len = static_cast<int>(state % 200);
        for (int i = 0; i < len; ++i) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            const char alphabet[] = {'a',    ',',    '"',    '\n',   '\r', '#', '\xEF',
                                     '\xBB', '\xBF', '\xC3', '\xA9', '\0', ' ', '1'};
            bytes += alphabet[(state >> 33) % sizeof alphabet];
        }
        Diagnostics d;
        const auto t = parse_csv(bytes, "f.csv", kSchema, d);
        for (const auto& row : t.rows) {
            EXPECT_EQ(row.fields.size(), t.header.size());
        }
    }
}

TEST(FieldReader, ReportsTypedProblemsWithColumnPositions) {
    Diagnostics d;
    const auto t = parse_csv("a,b,c\n-5,1.7,2026-02-30\n", "t.csv", {{"a", "b", "c"}, {}}, d);
    ASSERT_EQ(t.rows.size(), 1u);
    FieldReader r(t, t.rows[0], d);
    EXPECT_FALSE(r.non_negative("a").has_value());
    EXPECT_FALSE(r.share("b").has_value());
    EXPECT_FALSE(r.date("c").has_value());
    EXPECT_THAT(messages(d),
                ::testing::ElementsAre(
                    "t.csv:2:1: a: expected a number >= 0, got '-5' (E-NEGATIVE)",
                    "t.csv:2:4: b: expected a share in [0,1], got '1.7' (E-SHARE-RANGE)",
                    "t.csv:2:8: c: expected a date YYYY-MM-DD, got '2026-02-30' (E-DATE)"));
}

TEST(SplitList, TrimsAndDropsEmptyItems) {
    EXPECT_THAT(split_list(" a; b;;c "), ::testing::ElementsAre("a", "b", "c"));
}
