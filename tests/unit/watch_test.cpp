// Watch rules: which measures touch a rule, the share of supply touched, severity thresholds,
// and the alert keys (measure, change, date) that make `watch run` raise each alert once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/watch/watch.hpp"
#include "policy_fixture.hpp"

using namespace lodestone;
using namespace lodestone::test;
using store::AlertSeverity;
using testing::ElementsAre;

namespace {

model::World watched_world() {
    auto w = small_world();
    auto lic = measure("LIC", model::MeasureKind::ExportLicensing, "2023-08-01");
    auto ban = measure("BAN", model::MeasureKind::ExportBan, "2024-12-03");
    ban.destinations = listed({"USA"});
    auto to_eu = measure("EU-ONLY", model::MeasureKind::ExportBan, "2025-01-01");
    to_eu.destinations = listed({"EU"});
    auto magnets = measure("MAG", model::MeasureKind::ExportQuota, "2026-01-01");
    magnets.materials = {"rare_earths"};
    magnets.stages = {"magnet"};
    auto us_stockpile = measure("DLA", model::MeasureKind::StockpilePurchase, "2026-02-01", "2026-12-31");
    us_stockpile.country = "USA";
    auto jp_stockpile = measure("JOGMEC", model::MeasureKind::StockpilePurchase, "2026-02-01");
    jp_stockpile.country = "JPN";
    w.measures = {lic, ban, suspension("SUSP", {"BAN"}, "2025-11-09", "2026-11-27"), to_eu, magnets,
                  us_stockpile, jp_stockpile};
    return w;
}

store::WatchRule materials_rule(std::vector<std::string> materials, std::string destination,
                                AlertSeverity min = AlertSeverity::Low) {
    store::WatchRule r;
    r.id = 1;
    r.name = "rule";
    for (auto& m : materials) {
        r.items.push_back({std::move(m), {}, {}, {}, {}, 0.0});
    }
    r.destination = std::move(destination);
    r.min_severity = min;
    return r;
}

std::vector<std::string> keys(const std::vector<store::Alert>& alerts) {
    std::vector<std::string> out;
    for (const auto& a : alerts) {
        out.push_back(a.measure_id + " " + a.change + " " + a.date.to_string() + " " +
                      std::string(store::to_string(a.severity)));
    }
    return out;
}

}  // namespace

TEST(Watch, SeverityThresholds) {
    EXPECT_EQ(watch::severity_for_share(0.0), AlertSeverity::Low);
    EXPECT_EQ(watch::severity_for_share(0.1999), AlertSeverity::Low);
    EXPECT_EQ(watch::severity_for_share(0.2), AlertSeverity::Medium);
    EXPECT_EQ(watch::severity_for_share(0.4999), AlertSeverity::Medium);
    EXPECT_EQ(watch::severity_for_share(0.5), AlertSeverity::High);
    EXPECT_EQ(watch::severity_for_share(1.0), AlertSeverity::High);
}

TEST(Watch, ShareTouchedIsTheImposersLargestShareOverTheCoveredStages) {
    const auto w = watched_world();
    const auto& lic = *w.find_measure("LIC");
    const auto t = watch::share_touched(w, lic, {"gallium", {}, {}, {}, {}, 0.0}, "USA");
    EXPECT_DOUBLE_EQ(t.share, 0.98);
    EXPECT_EQ(t.stage, "refined");
    EXPECT_EQ(t.basis, "CHN share of world gallium/refined output 98.0% (proxy for USA's sourcing mix)");

    auto all_stages = measure("ALL-RE", model::MeasureKind::ExportBan, "2026-01-01");
    all_stages.materials = {"rare_earths"};
    const auto re = watch::share_touched(w, all_stages, {"rare_earths", {}, {}, {}, {}, 0.0}, "");
    EXPECT_DOUBLE_EQ(re.share, 0.9);  // separation: 90 of 100 t
    EXPECT_EQ(re.stage, "separation");
    // A BOM line arriving as mined ore is not touched by the separation and magnet stages.
    const auto mine_only = watch::share_touched(w, all_stages, {"rare_earths", "mine", {}, {}, {}, 0.0}, "");
    EXPECT_DOUBLE_EQ(mine_only.share, 0.6);
    EXPECT_EQ(mine_only.stage, "mine");
}

TEST(Watch, ABomLineSuppliedFromTheImposingCountryCountsFully) {
    const auto w = watched_world();
    const auto& mag = *w.find_measure("MAG");
    const store::WatchItem from_japan{"rare_earths", "magnet", "motor", "rotor", "JPN", 1.2};
    const store::WatchItem from_china{"rare_earths", "magnet", "motor", "rotor", "CHN", 1.2};
    EXPECT_DOUBLE_EQ(watch::share_touched(w, mag, from_japan, "USA").share, 0.15);
    const auto direct = watch::share_touched(w, mag, from_china, "USA");
    EXPECT_DOUBLE_EQ(direct.share, 1.0);
    EXPECT_EQ(direct.basis, "BOM line motor/rotor is supplied from CHN at stage magnet");
}

TEST(Watch, AMaterialsRuleGetsTheCurrentStatusAndWhatComesUp) {
    const auto w = watched_world();
    const auto alerts = watch::evaluate(w, materials_rule({"gallium"}, "USA"), {d("2026-11-27"), 30, 30});
    // EU-ONLY does not cover the USA; DLA is imposed by the USA itself; JOGMEC is informational.
    EXPECT_THAT(keys(alerts), ElementsAre("LIC started 2023-08-01 high", "BAN suspended 2025-11-09 high",
                                          "BAN resumed 2026-11-28 high", "JOGMEC started 2026-02-01 low"));
    EXPECT_EQ(alerts[2].message,
              "BAN (export_ban by CHN on gallium to USA): binds again from 2026-11-28: suspension SUSP has its last "
              "day on 2026-11-27, unless a later event extends it");
    EXPECT_FALSE(alerts[3].share.has_value());
    EXPECT_EQ(alerts[3].basis, "informational: a stockpile_purchase does not restrict supply");
}

TEST(Watch, TheHorizonDecidesWhatIsAnnouncedAhead) {
    const auto w = watched_world();
    const auto alerts = watch::evaluate(w, materials_rule({"gallium"}, "USA", AlertSeverity::High),
                                        {d("2026-10-01"), 30, 30});
    EXPECT_THAT(keys(alerts), ElementsAre("LIC started 2023-08-01 high", "BAN suspended 2025-11-09 high"));
    const auto later = watch::evaluate(w, materials_rule({"gallium"}, "USA", AlertSeverity::High),
                                       {d("2026-12-15"), 30, 30});
    // After the ban is back, its current status starts on the day it resumed: the same key as the
    // announcement made before, so the store does not raise it again.
    EXPECT_THAT(keys(later), ElementsAre("LIC started 2023-08-01 high", "BAN resumed 2026-11-28 high"));
}

TEST(Watch, MinSeverityDropsSmallShares) {
    const auto w = watched_world();
    const auto rule = materials_rule({"rare_earths"}, "DEU");
    store::WatchRule bom = rule;
    bom.items = {{"rare_earths", "magnet", "motor", "rotor", "JPN", 1.2}};
    EXPECT_THAT(keys(watch::evaluate(w, bom, {d("2026-11-27"), 30, 30})), ElementsAre("MAG started 2026-01-01 low"));
    bom.min_severity = AlertSeverity::Medium;
    EXPECT_TRUE(watch::evaluate(w, bom, {d("2026-11-27"), 30, 30}).empty());
}

TEST(Watch, ADestinationInABlocIsCoveredThroughTheBloc) {
    const auto w = watched_world();
    const auto alerts = watch::evaluate(w, materials_rule({"gallium"}, "FRA", AlertSeverity::High),
                                        {d("2026-11-27"), 30, 30});
    EXPECT_THAT(keys(alerts), ElementsAre("LIC started 2023-08-01 high", "EU-ONLY started 2025-01-01 high"));
}

TEST(Watch, BomItemsAreValidatedWithLineNumbers) {
    const auto w = watched_world();
    const auto items = watch::read_bom_items(
        "product,part,material,stage,kg_per_unit,supplier,supplier_country,tier\n"
        "motor,rotor,rare_earths,magnet,1.2,MagCo,JPN,1\n",
        "bom.csv", w);
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].supplier_country, "JPN");
    try {
        (void)watch::read_bom_items("product,part,material,stage,kg_per_unit,supplier_country\n"
                                    "a,b,unobtainium,,1,JPN\n"
                                    "a,c,rare_earths,refined,-1,XXX\n",
                                    "bom.csv", w);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        std::vector<std::string> got;
        for (const auto& diag : e.diagnostics()) {
            got.push_back(diag.to_string());
        }
        EXPECT_THAT(got, ElementsAre("bom.csv:2:5: material: unknown material 'unobtainium' (E-UNKNOWN-MATERIAL)",
                                     "bom.csv:3:25: kg_per_unit: expected a number >= 0, got '-1' (E-NEGATIVE)",
                                     "bom.csv:3:17: stage: unknown stage 'refined' of material 'rare_earths' (E-UNKNOWN-STAGE)",
                                     "bom.csv:3:28: supplier_country: unknown country 'XXX' (E-UNKNOWN-COUNTRY)"));
    }
}
