// Trade factor t_c from the measures in force on a date (docs/methods.md, docs/policies.md).
#include "lodestone/metrics/trade_factor.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/metrics/criticality.hpp"
#include "synthetic_world.hpp"

using namespace lodestone;
using namespace lodestone::metrics;
using lodestone::testing::day;
using lodestone::testing::measure;
using model::MeasureKind;

namespace {
const std::vector<std::string> kAny;
}

TEST(TradeFactor, OneBeforeALicensingRegimeAndItsFactorFromItsFirstDay) {
    auto w = lodestone::testing::two_producer_world();
    w.measures.push_back(measure("LIC", MeasureKind::ExportLicensing, "AAA", {"ga"}, "2023-08-01"));
    const auto before = trade_restrictions(w, w.methods, "ga", "refined", day("2023-07-31"), kAny);
    const auto after = trade_restrictions(w, w.methods, "ga", "refined", day("2023-08-01"), kAny);
    EXPECT_TRUE(before.empty());
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].country, "AAA");
    EXPECT_EQ(after[0].measure_id, "LIC");
    EXPECT_DOUBLE_EQ(after[0].factor, 1.3);
    EXPECT_DOUBLE_EQ(trade_factor_of(after, "AAA"), 1.3);
    EXPECT_DOUBLE_EQ(trade_factor_of(after, "BBB"), 1.0);
}

TEST(TradeFactor, StrongestMeasureOfACountryWins) {
    auto w = lodestone::testing::two_producer_world();
    w.methods.trade_factor["export_ban"] = 1.5;
    w.measures.push_back(measure("TAX", MeasureKind::ExportTax, "AAA", {"ga"}, "2020-01-01"));
    w.measures.push_back(measure("BAN", MeasureKind::ExportBan, "AAA", {"ga"}, "2021-01-01"));
    w.measures.push_back(measure("QUO", MeasureKind::ExportQuota, "BBB", {"ga"}, "2021-01-01"));
    const auto r = trade_restrictions(w, w.methods, "ga", "refined", day("2022-01-01"), kAny);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].measure_id, "BAN");
    EXPECT_DOUBLE_EQ(r[0].factor, 1.5);
    EXPECT_EQ(r[1].measure_id, "QUO");
    EXPECT_DOUBLE_EQ(r[1].factor, 1.2);
    const auto early = trade_restrictions(w, w.methods, "ga", "refined", day("2020-06-01"), kAny);
    ASSERT_EQ(early.size(), 1u);
    EXPECT_DOUBLE_EQ(early[0].factor, 1.1);
}

TEST(TradeFactor, SuspendedMeasuresDoNotCount) {
    auto w = lodestone::testing::two_producer_world();
    w.measures.push_back(measure("BAN", MeasureKind::ExportBan, "AAA", {"ga"}, "2024-12-03"));
    auto susp = measure("SUSP", MeasureKind::Suspension, "AAA", {}, "2025-11-10", "2026-11-27");
    susp.suspends = {"BAN"};
    w.measures.push_back(susp);
    EXPECT_EQ(trade_restrictions(w, w.methods, "ga", "refined", day("2025-11-09"), kAny).size(),
              1u);
    EXPECT_TRUE(trade_restrictions(w, w.methods, "ga", "refined", day("2026-11-27"), kAny).empty());
    EXPECT_EQ(trade_restrictions(w, w.methods, "ga", "refined", day("2026-11-28"), kAny).size(),
              1u);
}

TEST(TradeFactor, DestinationsFilterTargetedMeasures) {
    auto w = lodestone::testing::two_producer_world();
    auto ban = measure("BAN-XB", MeasureKind::ExportBan, "AAA", {"ga"}, "2024-01-01");
    ban.destinations = {model::DestinationSet::Mode::Listed, {"XB"}};
    w.measures.push_back(ban);
    const std::vector<std::string> ccc{"CCC"};
    const std::vector<std::string> bbb{"BBB"};
    EXPECT_EQ(trade_restrictions(w, w.methods, "ga", "refined", day("2024-06-01"), kAny).size(),
              1u);
    EXPECT_EQ(trade_restrictions(w, w.methods, "ga", "refined", day("2024-06-01"), ccc).size(), 1u);
    EXPECT_TRUE(trade_restrictions(w, w.methods, "ga", "refined", day("2024-06-01"), bbb).empty());
}

TEST(TradeFactor, OtherKindsAndOtherMaterialsOrStagesDoNotCount) {
    auto w = lodestone::testing::two_producer_world();
    w.measures.push_back(
        measure("TECH", MeasureKind::TechnologyControl, "AAA", {"ga"}, "2020-01-01"));
    w.measures.push_back(measure("GE", MeasureKind::ExportBan, "AAA", {"ge"}, "2020-01-01"));
    auto mine_only = measure("MINE", MeasureKind::ExportBan, "BBB", {"ga"}, "2020-01-01");
    mine_only.stages = {"mine"};
    w.measures.push_back(mine_only);
    EXPECT_TRUE(trade_restrictions(w, w.methods, "ga", "refined", day("2024-01-01"), kAny).empty());
}

TEST(TradeFactor, HhiWgiBeforeAndAfterDifferExactlyByTheLicensingFactor) {
    auto w = lodestone::testing::two_producer_world();
    w.methods.trade_factor["export_licensing"] = 1.25;
    w.measures.push_back(measure("LIC", MeasureKind::ExportLicensing, "AAA", {"ga"}, "2023-08-01"));
    auto mix = [&](const char* date) {
        const auto r = trade_restrictions(w, w.methods, "ga", "refined", day(date), kAny);
        const std::vector<WeightedShare> t{{"AAA", 0.6, 6.0, trade_factor_of(r, "AAA")},
                                           {"BBB", 0.4, 2.0, trade_factor_of(r, "BBB")}};
        return hhi_wgi_t(t, "ga");
    };
    EXPECT_NEAR(mix("2023-08-01") - mix("2023-07-31"), (1.25 - 1.0) * 0.36 * 6.0, 1e-12);
}

TEST(TradeFactor, AMissingFactorIsAClearError) {
    auto w = lodestone::testing::two_producer_world();
    w.methods.trade_factor.erase("export_quota");
    w.measures.push_back(measure("QUO", MeasureKind::ExportQuota, "AAA", {"ga"}, "2020-01-01"));
    try {
        (void)trade_restrictions(w, w.methods, "ga", "refined", day("2024-01-01"), kAny);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(e.diagnostics().at(0).to_string(),
                  "methods: trade_factor.export_quota is not set: every export restriction kind "
                  "needs a factor (E-TOML)");
    }
}
