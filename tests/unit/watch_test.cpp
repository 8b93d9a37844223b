// Watch rules: which measures touch a rule, the share of supply touched, severity thresholds,
// and the alert keys (measure, change, date) that make `watch run` raise each alert once.
#include "lodestone/watch/watch.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lodestone/core/diagnostic.hpp"
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
    auto us_stockpile =
        measure("DLA", model::MeasureKind::StockpilePurchase, "2026-02-01", "2026-12-31");
    us_stockpile.country = "USA";
    auto jp_stockpile = measure("JOGMEC", model::MeasureKind::StockpilePurchase, "2026-02-01");
    jp_stockpile.country = "JPN";
    // Observed trade of refined gallium into the USA (t/yr), so that its sourcing mix is
    // hand-computable.
    w.trade = {{"gallium", "refined", "CHN", "USA", 2024, 30, ""},
               {"gallium", "refined", "JPN", "USA", 2024, 5, ""}};
    w.consumption = {
        {"gallium", "refined", "USA", 2024, 35, ""}};  // observed use: the mix is "observed"
    w.measures = {lic,         ban,     suspension("SUSP", {"BAN"}, "2025-11-09", "2026-11-27"),
                  to_eu,       magnets, us_stockpile,
                  jp_stockpile};
    return w;
}

store::WatchRule materials_rule(std::vector<std::string> materials,
                                std::string destination,
                                AlertSeverity min = AlertSeverity::Low) {
    store::WatchRule r;
    r.id = 1;
    r.name = "rule";
    for (auto& m : materials) {
        r.items.push_back({std::move(m), {}, {}, {}, {}, 0.0, {}});
    }
    r.destination = std::move(destination);
    r.min_severity = min;
    return r;
}

std::vector<std::string> keys(const std::vector<store::Alert>& alerts) {
    std::vector<std::string> out;
    for (const auto& a : alerts) {
        out.push_back(a.measure_id + " " + std::string(policy::to_string(a.change)) + " " +
                      a.date.to_string() + " " + std::string(store::to_string(a.severity)));
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

TEST(Watch, WithoutADestinationTheShareIsTheImposersShareOfWorldOutput) {
    const auto w = watched_world();
    const auto t = watch::material_share(w, *w.find_measure("LIC"), "gallium", "");
    EXPECT_DOUBLE_EQ(t.share, 0.98);
    EXPECT_EQ(t.stage, "refined");
    EXPECT_EQ(t.basis, "CHN share of world gallium/refined output 98.0 %");

    auto all_stages = measure("ALL-RE", model::MeasureKind::ExportBan, "2026-01-01");
    all_stages.materials = {"rare_earths"};
    const auto re = watch::material_share(w, all_stages, "rare_earths", "");
    EXPECT_DOUBLE_EQ(re.share,
                     0.9);  // separation: 90 of 100 t, more than mine (0.6) or magnet (0.15)
    EXPECT_EQ(re.stage, "separation");
}

TEST(Watch, WithADestinationTheShareComesFromItsSourcingMix) {
    const auto w = watched_world();
    // Observed trade: the USA imports 30 t of refined gallium from China and 5 t from Japan.
    const auto t = watch::material_share(w, *w.find_measure("LIC"), "gallium", "USA");
    EXPECT_NEAR(t.share, 30.0 / 35.0, 1e-12);
    EXPECT_EQ(t.basis,
              "CHN supplies 85.7 % of USA's gallium/refined (observed sourcing mix, import "
              "reliance 100.0 %)");
}

TEST(Watch, ABomRuleIsMeasuredOnTheLookThroughOfItsLines) {
    const auto w = watched_world();
    store::WatchRule rule;
    rule.id = 1;
    rule.name = "motor";
    rule.kind = store::RuleKind::Bom;
    rule.items = {{"rare_earths", "magnet", "motor", "rotor", "JPN", 1.2, "DEU"}};
    auto all_stages = measure("ALL-RE", model::MeasureKind::ExportBan, "2026-01-01");
    all_stages.materials = {"rare_earths"};
    auto world = w;
    world.measures.push_back(all_stages);
    const auto alerts = watch::evaluate(world, rule, {d("2026-11-27"), 30, 30});
    // A Chinese quota on magnets does not touch magnets made in Japan; a ban on every stage does,
    // through the separated oxide Japan imports: CHN's surplus 75 t of the 85 t Japan needs.
    EXPECT_THAT(keys(alerts),
                ElementsAre("ALL-RE started 2026-01-01 high", "MAG started 2026-01-01 low"));
    ASSERT_TRUE(alerts[0].share.has_value());
    EXPECT_NEAR(*alerts[0].share, 75.0 / 85.0, 1e-9);
    EXPECT_EQ(alerts[0].basis,
              "look-through: 88.2 % of the rare_earths in motor passed through CHN at stage "
              "separation; parts: motor/rotor");
    EXPECT_EQ(alerts[1].share, 0.0);
}

TEST(Watch, AMaterialsRuleGetsTheCurrentStatusAndWhatComesUp) {
    const auto w = watched_world();
    const auto alerts =
        watch::evaluate(w, materials_rule({"gallium"}, "USA"), {d("2026-11-27"), 30, 30});
    // EU-ONLY does not cover the USA; DLA is imposed by the USA itself; JOGMEC is informational.
    EXPECT_THAT(keys(alerts),
                ElementsAre("LIC started 2023-08-01 high", "BAN suspended 2025-11-09 high",
                            "BAN resumed 2026-11-28 high", "JOGMEC started 2026-02-01 low"));
    EXPECT_EQ(alerts[2].message,
              "BAN (export_ban by CHN on gallium to USA): binds again from 2026-11-28: suspension "
              "SUSP has its last "
              "day on 2026-11-27, unless a later event extends it");
    EXPECT_FALSE(alerts[3].share.has_value());
    EXPECT_EQ(alerts[3].basis, "informational: a stockpile_purchase does not restrict supply");
}

TEST(Watch, TheHorizonDecidesWhatIsAnnouncedAhead) {
    const auto w = watched_world();
    const auto alerts = watch::evaluate(w, materials_rule({"gallium"}, "USA", AlertSeverity::High),
                                        {d("2026-10-01"), 30, 30});
    EXPECT_THAT(keys(alerts),
                ElementsAre("LIC started 2023-08-01 high", "BAN suspended 2025-11-09 high"));
    const auto later = watch::evaluate(w, materials_rule({"gallium"}, "USA", AlertSeverity::High),
                                       {d("2026-12-15"), 30, 30});
    // After the ban is back, its current status starts on the day it resumed: the same key as the
    // announcement made before, so the store does not raise it again.
    EXPECT_THAT(keys(later),
                ElementsAre("LIC started 2023-08-01 high", "BAN resumed 2026-11-28 high"));
}

TEST(Watch, MinSeverityDropsSmallShares) {
    const auto w = watched_world();
    store::WatchRule bom = materials_rule({}, "");
    bom.kind = store::RuleKind::Bom;
    bom.items = {{"rare_earths", "magnet", "motor", "rotor", "JPN", 1.2, "DEU"}};
    EXPECT_THAT(keys(watch::evaluate(w, bom, {d("2026-11-27"), 30, 30})),
                ElementsAre("MAG started 2026-01-01 low"));
    bom.min_severity = AlertSeverity::Medium;
    EXPECT_TRUE(watch::evaluate(w, bom, {d("2026-11-27"), 30, 30}).empty());
}

TEST(Watch, ADestinationInABlocIsCoveredThroughTheBloc) {
    const auto w = watched_world();
    const auto alerts = watch::evaluate(w, materials_rule({"gallium"}, "FRA", AlertSeverity::High),
                                        {d("2026-11-27"), 30, 30});
    EXPECT_THAT(keys(alerts),
                ElementsAre("LIC started 2023-08-01 high", "EU-ONLY started 2025-01-01 high"));
}

TEST(Watch, BomItemsRoundTrip) {
    io::Bom bom;
    bom.lines.push_back({"b.csv", 2, "motor", "assembly", "", "", "", 0, "Tier1", "DEU", 1, ""});
    bom.lines.push_back({"b.csv", 3, "motor", "rotor", "assembly", "rare_earths", "magnet", 1.2,
                         "MagCo", "JPN", 2, ""});
    bom.products.push_back({"motor", 1000.0, 500.0, 6.0, "DEU", ""});
    const auto items = watch::items_from_bom(bom);
    ASSERT_EQ(items.size(), 1u);  // the assembly line carries no material
    EXPECT_EQ(items[0].product_country, "DEU");
    store::WatchRule rule;
    rule.source = "b.csv";
    rule.items = items;
    const auto back = watch::bom_from_items(rule);
    ASSERT_EQ(back.lines.size(), 1u);
    EXPECT_EQ(back.lines[0].supplier_country, "JPN");
    EXPECT_EQ(back.lines[0].kg_per_unit, 1.2);
    ASSERT_EQ(back.products.size(), 1u);
    EXPECT_EQ(back.products[0].country, "DEU");
}

TEST(Watch, ABomRuleConcernsMeasuresCoveringItsSupplierOrProductCountries) {
    const auto w = watched_world();
    store::WatchRule rule = materials_rule({}, "", AlertSeverity::Low);
    rule.kind = store::RuleKind::Bom;
    rule.items = {{"gallium", "refined", "radar", "mmic", "JPN", 0.03, "DEU"}};
    EXPECT_THAT(watch::rule_destinations(rule), ElementsAre("JPN", "DEU"));
    auto ids = [&] {
        std::vector<std::string> out;
        for (const auto& a : watch::evaluate(w, rule, {d("2026-11-27"), 30, 30})) {
            out.push_back(a.measure_id);
        }
        return out;
    };
    // The ban on exports to the USA does not concern a radar made in Germany from Japanese chips.
    EXPECT_THAT(ids(), testing::Not(testing::Contains("BAN")));
    EXPECT_THAT(ids(), testing::Contains("EU-ONLY"));  // Germany is in the EU
    rule.items[0].product_country = "USA";
    EXPECT_THAT(ids(), testing::Contains("BAN"));
    EXPECT_THAT(ids(), testing::Contains("DLA"));  // covers Japan, the supplier's country
    rule.items[0].supplier_country = "USA";
    EXPECT_THAT(
        ids(),
        testing::Not(testing::Contains("DLA")));  // a US measure does not bind US-to-US supply
}
