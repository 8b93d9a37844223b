#include "lodestone/report/table.hpp"

#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "lodestone/report/table_fit.hpp"

using namespace lodestone::report;

namespace {
Table sample() {
    Table t{"Materials", {{"material"}, {"hhi", 3}, {"critical"}, {"n"}}, {}, {"a note"}};
    t.add({"gallium", 0.9604, true, std::int64_t{4}});
    t.add({"tin, \"refined\"", Cell{}, false, std::int64_t{12}});
    return t;
}
}  // namespace

TEST(Table, TextAlignsColumnsAndPrintsNotes) {
    EXPECT_EQ(render_text(sample()),
              "Materials\n"
              "material        hhi    critical  n\n"
              "--------------  -----  --------  --\n"
              "gallium         0.960  yes        4\n"
              "tin, \"refined\"         no        12\n"
              "  note: a note\n");
}

TEST(Table, TextFitsAWidthByTrimmingTextColumnsOnly) {
    Table t{"Sources", {{"id"}, {"tonnes"}, {"source"}}, {}, {}};
    t.add({"A", 1234.5,
           std::string("https://example.org/a/very/long/path/to/a/source/document.pdf")});
    const auto text = render_text_fitted(t, 40);
    for (std::size_t start = 0, end; start < text.size(); start = end + 1) {
        end = text.find('\n', start);
        const auto line = text.substr(start, end - start);
        const auto columns = std::count_if(line.begin(), line.end(), [](char c) {
            return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        });
        EXPECT_LE(columns, 40) << line;
    }
    EXPECT_NE(text.find("1234.5"), std::string::npos);  // numbers are never cut
    EXPECT_NE(text.find("https://example.org/a/v"), std::string::npos);
    EXPECT_NE(text.find("\u2026"), std::string::npos);
    EXPECT_EQ(render_text_fitted(t, 0), render_text(t));               // 0 = no limit
    EXPECT_NE(render_csv(t).find("document.pdf"), std::string::npos);  // CSV keeps the whole text
}

TEST(Table, CsvQuotesAndKeepsFullPrecision) {
    EXPECT_EQ(render_csv(sample()),
              "material,hhi,critical,n\n"
              "gallium,0.9604,true,4\n"
              "\"tin, \"\"refined\"\"\",,false,12\n");
}

TEST(Table, JsonUsesColumnNamesAndNulls) {
    const auto j = to_json(sample());
    ASSERT_EQ(j.size(), 2u);
    EXPECT_DOUBLE_EQ(j[0]["hhi"].get<double>(), 0.9604);
    EXPECT_TRUE(j[1]["hhi"].is_null());
    EXPECT_EQ(j[0]["critical"], true);
    EXPECT_EQ(j[1]["n"], 12);
}
