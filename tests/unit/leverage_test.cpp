// Two-sided leverage (docs/methods.md): hand-computed dyads on a synthetic world, errors, the
// shipped data.
#include "lodestone/metrics/leverage.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "error_text.hpp"
#include "lodestone/core/diagnostic.hpp"
#include "lodestone/io/dataset_reader.hpp"
#include "synthetic_world.hpp"

using namespace lodestone;
using lodestone::testing::error_text;
using namespace lodestone::metrics;
using lodestone::testing::day;

namespace {

/// CCC imports 30 t from AAA and 40 t from BBB; AAA imports 5 t of "sb" from CCC.
model::World dyad_world() {
    auto w = lodestone::testing::two_producer_world();
    model::Material sb;
    sb.id = "sb";
    sb.name = "Sb";
    sb.price_usd_t = 2000.0;
    sb.si_sr = 0.5;
    w.materials.push_back(sb);
    w.stages.push_back({"sb", "mine", 1, 1.0, "mine"});
    w.production.push_back({"sb", "mine", "CCC", 2024, 10.0, {}, ""});
    w.production.push_back({"sb", "mine", "AAA", 2024, 5.0, {}, ""});
    w.trade = {{"ga", "refined", "AAA", "CCC", 2024, 30.0, ""},
               {"ga", "refined", "BBB", "CCC", 2024, 40.0, ""},
               {"sb", "mine", "CCC", "AAA", 2024, 5.0, ""}};
    // Observed use too (a mix is "observed" only when both its use and its imports are).
    w.consumption = {{"ga", "refined", "CCC", 2024, 70.0, ""},
                     {"sb", "mine", "AAA", 2024, 10.0, ""}};
    return w;
}

}  // namespace

TEST(LeverageValue, HandComputed) {
    EXPECT_NEAR(leverage_value(0.8, 0.95, 0.25, "x"), 0.8 * 0.95 * 0.75, 1e-15);
    EXPECT_DOUBLE_EQ(leverage_value(0.8, 0.95, 0.0, "x"), 0.76);
    EXPECT_DOUBLE_EQ(leverage_value(0.8, 0.95, 1.0, "x"), 0.0);
    EXPECT_DOUBLE_EQ(leverage_value(0.8, 0.95, 3.0, "x"), 0.0);  // cover capped at one year
}

TEST(LeverageValue, OutOfRangeInputsAreClearErrors) {
    EXPECT_EQ(error_text([] { (void)leverage_value(1.2, 1.5, -1.0, "A over B on m"); }),
              "A over B on m: supplier share 1.2 outside [0,1] (E-SHARE-RANGE)\n"
              "A over B on m: SI_SR 1.5 outside [0,1] (E-SHARE-RANGE)\n"
              "A over B on m: stockpile cover -1 years must be >= 0 (E-RANGE)\n");
}

TEST(Leverage, DyadByHandBothWays) {
    auto w = dyad_world();
    w.stockpiles.push_back({"agency", "CCC", "ga", "refined", 35.0, day("2024-01-01"), "", ""});
    const auto r = leverage(w, "AAA", "CCC", day("2024-06-01"), {});
    // Forward, ga: AAA supplies 30 of CCC's 70 t; stock 35 t = 0.5 years of use.
    ASSERT_EQ(r.forward.rows.size(), 2u);
    const auto& ga = r.forward.rows[0];
    EXPECT_EQ(ga.material, "ga");
    EXPECT_EQ(ga.stage, "refined");
    EXPECT_EQ(ga.share_basis, "lookthrough (observed)");
    EXPECT_EQ(ga.direct_basis, network::Basis::Observed);
    EXPECT_NEAR(ga.direct_share, 3.0 / 7.0, 1e-12);
    EXPECT_NEAR(ga.supplier_share, 3.0 / 7.0, 1e-12);
    EXPECT_NEAR(ga.cover_years, 0.5, 1e-12);
    EXPECT_NEAR(ga.leverage, 3.0 / 7.0 * 0.95 * 0.5, 1e-12);
    EXPECT_NEAR(ga.import_value_usd, 70.0 * 1000.0, 1e-9);
    // CCC imports no sb: weight 0, so the total is ga's leverage.
    EXPECT_NEAR(r.forward.total, ga.leverage, 1e-12);
    // Reverse, sb: CCC supplies 5 of AAA's 10 t of use (5 own + 5 imported), SI_SR 0.5, no stock.
    const auto& sb = r.reverse.rows[0];
    EXPECT_EQ(sb.material, "sb");
    EXPECT_NEAR(sb.supplier_share, 0.5, 1e-12);
    EXPECT_NEAR(sb.leverage, 0.25, 1e-12);
    EXPECT_NEAR(r.reverse.total, 0.25, 1e-12);  // AAA imports no ga
}

TEST(Leverage, LookThroughFindsTheUpstreamSupplierBehindAThirdCountry) {
    // AAA mines all ore and ships it to BBB, which makes every magnet and ships them to CCC.
    model::World w = lodestone::testing::two_producer_world();
    model::Material re;
    re.id = "re";
    re.name = "RE";
    re.price_usd_t = 100.0;
    re.si_sr = 0.8;
    w.materials = {re};
    w.stages = {{"re", "ore", 1, 1.0, "ore"}, {"re", "magnet", 2, 1.0, "magnets"}};
    w.production = {{"re", "ore", "AAA", 2024, 100.0, {}, ""},
                    {"re", "magnet", "BBB", 2024, 100.0, {}, ""}};
    w.trade = {{"re", "ore", "AAA", "BBB", 2024, 100.0, ""},
               {"re", "magnet", "BBB", "CCC", 2024, 100.0, ""}};
    const auto r = leverage(w, "AAA", "CCC", day("2024-06-01"), {});
    const auto& row = r.forward.rows.at(0);
    EXPECT_EQ(row.stage, "ore");
    EXPECT_NEAR(row.supplier_share, 1.0, 1e-12);  // every magnet CCC uses holds AAA's ore
    EXPECT_DOUBLE_EQ(row.direct_share, 0.0);      // CCC buys no ore at all
    EXPECT_NEAR(row.leverage, 0.8, 1e-12);
    EXPECT_NEAR(row.import_value_usd, 100.0 * 100.0, 1e-9);
    const auto b = leverage(w, "BBB", "CCC", day("2024-06-01"), {});
    EXPECT_EQ(b.forward.rows.at(0).stage, "magnet");
    EXPECT_NEAR(b.forward.rows.at(0).supplier_share, 1.0, 1e-12);
}

TEST(Leverage, StocksAfterTheDateDoNotCount) {
    auto w = dyad_world();
    w.stockpiles.push_back({"agency", "XB", "ga", "", 140.0, day("2025-01-01"), "", ""});
    const auto before = leverage(w, "AAA", "CCC", day("2024-06-01"), {"ga"});
    EXPECT_DOUBLE_EQ(before.forward.rows.at(0).stock_tonnes, 0.0);
    const auto after = leverage(w, "AAA", "XB", day("2025-06-01"), {"ga"});
    EXPECT_DOUBLE_EQ(after.forward.rows.at(0).stock_tonnes, 140.0);
    EXPECT_DOUBLE_EQ(after.forward.rows.at(0).leverage, 0.0);  // two years of cover
}

TEST(Leverage, MeasuresInForceAreListed) {
    auto w = dyad_world();
    w.measures.push_back(lodestone::testing::measure("LIC", model::MeasureKind::ExportLicensing,
                                                     "AAA", {"ga"}, "2023-08-01"));
    const auto r = leverage(w, "AAA", "CCC", day("2024-06-01"), {"ga"});
    EXPECT_EQ(r.forward.rows.at(0).measures, (std::vector<std::string>{"LIC"}));
}

TEST(Leverage, OverlappingPartiesAndUnknownCodesAreClearErrors) {
    const auto w = dyad_world();
    EXPECT_EQ(
        error_text([&] { (void)leverage(w, "XB", "CCC", day("2024-06-01"), {}); }),
        "supplier 'XB' and target 'CCC' share the member CCC: leverage is between disjoint parties "
        "(E-USAGE)\n");
    EXPECT_EQ(error_text([&] { (void)leverage(w, "AAA", "QQQ", day("2024-06-01"), {}); }),
              "unknown perspective 'QQQ': expected an ISO3 code of countries.csv or a bloc (XB) "
              "(E-UNKNOWN-PERSPECTIVE)\n");
    EXPECT_EQ(error_text([&] { (void)leverage(w, "AAA", "CCC", day("2024-06-01"), {"zz"}); }),
              "unknown material 'zz' (E-UNKNOWN-MATERIAL)\n");
}

TEST(Leverage, RankSuppliersOfATarget) {
    const auto w = dyad_world();
    const auto ranks = rank_suppliers(w, "CCC", day("2024-06-01"), {}, 10);
    ASSERT_EQ(ranks.size(), 2u);
    // BBB supplies 40/70 of CCC's gallium, AAA 30/70.
    EXPECT_EQ(ranks[0].supplier, "BBB");
    EXPECT_NEAR(ranks[0].leverage, 4.0 / 7.0 * 0.95, 1e-12);
    EXPECT_EQ(ranks[0].top_material, "ga");
    EXPECT_EQ(ranks[1].supplier, "AAA");
    EXPECT_NEAR(ranks[1].reverse, 0.25, 1e-12);
    EXPECT_EQ(rank_suppliers(w, "CCC", day("2024-06-01"), {}, 1).size(), 1u);
}

TEST(Leverage, ShippedChinaOverUsaIsLargeAndTwoSided) {
    static const auto loaded = io::load_world(io::embedded_world());
    const auto& w = loaded.world;
    const auto r = leverage(w, "CHN", "USA", *w.info.as_of, {});
    EXPECT_EQ(r.forward.rows.size(), w.materials.size());
    EXPECT_GT(r.forward.total, r.reverse.total);
    for (const auto& row : r.forward.rows) {
        EXPECT_GE(row.leverage, 0.0);
        EXPECT_LE(row.leverage, 1.0);
    }
    const auto ranks = rank_suppliers(w, "USA", *w.info.as_of, {}, 10);
    ASSERT_FALSE(ranks.empty());
    EXPECT_EQ(ranks.front().supplier, "CHN");
}
