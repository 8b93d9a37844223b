// Ranking and agreement of the method panel.
#include "lodestone/metrics/panel.hpp"

#include <gtest/gtest.h>

using namespace lodestone::metrics;

TEST(Panel, CompetitionRanksShareTheSmallerRankOnTies) {
    const std::vector<double> s{3.0, 1.0, 3.0, 2.0};
    EXPECT_EQ(competition_ranks(s), (std::vector<int>{1, 4, 1, 3}));
}

TEST(Panel, SpearmanOfSameAndReversedOrders) {
    const std::vector<double> a{1, 2, 3, 4};
    const std::vector<double> b{10, 20, 30, 40};
    const std::vector<double> c{4, 3, 2, 1};
    EXPECT_DOUBLE_EQ(*spearman(a, b), 1.0);
    EXPECT_DOUBLE_EQ(*spearman(a, c), -1.0);
    EXPECT_FALSE(spearman(a, std::vector<double>{1, 1, 1, 1}).has_value());
    EXPECT_FALSE(spearman(std::vector<double>{1}, std::vector<double>{2}).has_value());
}

TEST(Panel, SpearmanByHandWithOneSwap) {
    // ranks 1..4 vs 1,2,4,3: d^2 = 2, rho = 1 - 6*2/(4*15) = 0.8
    const std::vector<double> a{4, 3, 2, 1};
    const std::vector<double> b{4, 3, 1, 2};
    EXPECT_NEAR(*spearman(a, b), 0.8, 1e-12);
}

TEST(Panel, RowsRankedByThePrimaryMethodWithSpreadAndAgreement) {
    auto stage = [](const char* m, double sr, double gpr, double usgs, double hhi) {
        StageRisk s;
        s.material = m;
        s.stage = "x";
        s.sr = sr;
        s.geopolrisk = gpr;
        s.usgs_score = usgs;
        s.hhi = hhi;
        return s;
    };
    std::vector<MaterialRisk> risks(3);
    risks[0].material = "a";
    risks[0].stages = {stage("a", 1.0, 0.3, 0.1, 0.9)};
    risks[1].material = "b";
    risks[1].stages = {stage("b", 3.0, 0.1, 0.3, 0.5)};
    risks[2].material = "c";
    risks[2].stages = {stage("c", 2.0, 0.2, 0.2, 0.7)};
    const auto rows = panel_rows(risks, false, kAllMethods);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].material->material, "b");
    EXPECT_EQ(rows[1].material->material, "c");
    EXPECT_EQ(rows[2].material->material, "a");
    EXPECT_EQ(rows[0].rank.at(Method::GeoPolRisk), 3);
    EXPECT_EQ(rows[0].rank.at(Method::Usgs), 1);
    EXPECT_EQ(rows[0].rank_spread, 2);
    EXPECT_EQ(rows[1].rank_spread, 0);
    const auto agree = agreement(rows, kAllMethods);
    ASSERT_EQ(agree.size(), 3u);
    EXPECT_EQ(agree[0].method, Method::GeoPolRisk);
    EXPECT_DOUBLE_EQ(*agree[0].spearman, -1.0);
    EXPECT_EQ(agree[0].max_shift, 2);
    EXPECT_EQ(agree[0].max_shift_row, "b");
    EXPECT_DOUBLE_EQ(*agree[1].spearman, 1.0);
    EXPECT_DOUBLE_EQ(agree[1].mean_abs_shift, 0.0);
}

TEST(Panel, MethodNamesRoundTrip) {
    for (const auto m : kAllMethods) {
        EXPECT_EQ(parse_method(to_string(m)), m);
    }
    EXPECT_FALSE(parse_method("gdp").has_value());
}

TEST(Panel, MaterialRowShowsTheStageWhereTheRankingMethodPeaks) {
    std::vector<MaterialRisk> risks(1);
    risks[0].material = "m";
    StageRisk mine;
    mine.material = "m";
    mine.stage = "mine";
    mine.sr = 1.0;
    mine.hhi = 0.9;
    StageRisk refined = mine;
    refined.stage = "refined";
    refined.order = 2;
    refined.sr = 2.0;
    refined.hhi = 0.4;
    risks[0].stages = {mine, refined};
    risks[0].bottleneck = 1;
    const std::vector<Method> by_hhi{Method::Hhi, Method::Eu};
    const auto rows = panel_rows(risks, false, by_hhi);
    EXPECT_EQ(rows.at(0).stage->stage, "mine");
    EXPECT_EQ(rows[0].peak.at(Method::Eu), "refined");
    EXPECT_DOUBLE_EQ(rows[0].score.at(Method::Hhi), 0.9);
    EXPECT_DOUBLE_EQ(rows[0].score.at(Method::Eu), 2.0);
    EXPECT_EQ(panel_rows(risks, false, kAllMethods).at(0).stage->stage, "refined");
}
