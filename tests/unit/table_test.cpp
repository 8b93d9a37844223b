#include "lodestone/report/table.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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
