// The criticality panel on Worlds: synthetic worlds with hand-computed values, the error paths,
// invariance under renaming and reordering, and the shipped dataset (HHI recomputed independently).
#include "lodestone/metrics/assessment.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "error_text.hpp"
#include "lodestone/core/diagnostic.hpp"
#include "lodestone/io/dataset_reader.hpp"
#include "lodestone/metrics/concentration.hpp"
#include "lodestone/metrics/panel.hpp"
#include "synthetic_world.hpp"

using namespace lodestone;
using lodestone::testing::error_text;
using namespace lodestone::metrics;
using lodestone::testing::day;
using lodestone::testing::measure;
using ::testing::HasSubstr;

namespace {

AssessOptions options(const char* perspective, const char* date = "2024-06-01") {
    AssessOptions o;
    o.as_of = day(date);
    o.perspective = perspective;
    return o;
}

/// two_producer_world plus observed trade: CCC imports 30 t from AAA and 40 t from BBB, and its
/// observed use is those 70 t (a mix is "observed" only when both its use and its imports are).
model::World traded_world() {
    auto w = lodestone::testing::two_producer_world();
    w.trade = {{"ga", "refined", "AAA", "CCC", 2024, 30.0, ""},
               {"ga", "refined", "BBB", "CCC", 2024, 40.0, ""}};
    w.consumption = {{"ga", "refined", "CCC", 2024, 70.0, ""}};
    return w;
}

const model::World& shipped() {
    static const auto loaded = io::load_world(io::embedded_world());
    return loaded.world;
}

}  // namespace

TEST(Assess, ObservedSourcingOfAnImporterByHand) {
    const auto w = traded_world();
    const auto risks = assess(w, w.methods, options("CCC"));
    ASSERT_EQ(risks.size(), 1u);
    const auto& s = risks[0].bottleneck_stage();
    EXPECT_EQ(s.supply.basis, network::Basis::Observed);
    EXPECT_DOUBLE_EQ(s.supply.import_reliance, 1.0);
    // Global: 0.36*6 + 0.16*2 = 2.48. Sourcing: (3/7)^2*6 + (4/7)^2*2 = (54 + 32)/49.
    EXPECT_NEAR(s.hhi_wgi_gs, 2.48, 1e-12);
    EXPECT_NEAR(s.hhi_wgi_p, 86.0 / 49.0, 1e-12);
    // SR = (2.48*0.5 + 86/49*0.5) * 0.9 * 0.95
    EXPECT_NEAR(s.sr, (2.48 * 0.5 + 86.0 / 49.0 * 0.5) * 0.9 * 0.95, 1e-12);
    // GeoPolRisk = HHI 0.52 * (30*0.6 + 40*0.2) / 70
    EXPECT_NEAR(s.geopolrisk, 0.52 * 26.0 / 70.0, 1e-12);
    EXPECT_NEAR(s.dp, 0.248, 1e-12);
    EXPECT_DOUBLE_EQ(s.te, 1.0);
    EXPECT_DOUBLE_EQ(s.hhi, 0.52);
    EXPECT_DOUBLE_EQ(s.cr1, 0.6);
    EXPECT_DOUBLE_EQ(s.cr3, 1.0);
    EXPECT_EQ(s.top_country, "AAA");
}

TEST(Assess, APublishedSourcingMixReplacesTheDerivedOne) {
    // CCC's mix would be derived; a published mix (sourcing_shares.csv) names AAA 0.5, BBB 0.3 and
    // the unlisted rest 0.2: IR 1 (no member produces), the rest has no HHI term.
    auto w = lodestone::testing::two_producer_world();
    w.sourcing_shares = {{"CCC", "ga", "refined", 2023, "AAA", 0.5, "pub"},
                         {"CCC", "ga", "refined", 2023, "BBB", 0.3, "pub"},
                         {"CCC", "ga", "refined", 2023, "ROW", 0.2, "pub"}};
    auto s = assess(w, w.methods, options("CCC"))[0].bottleneck_stage();
    EXPECT_EQ(s.supply.basis, network::Basis::Published);
    EXPECT_THAT(s.supply.basis_note, HasSubstr("pub"));
    EXPECT_DOUBLE_EQ(s.supply.import_reliance, 1.0);
    EXPECT_NEAR(s.hhi_wgi_p, 0.25 * 6 + 0.09 * 2, 1e-12);
    EXPECT_NEAR(s.sr, (2.48 * 0.5 + (0.25 * 6 + 0.09 * 2) * 0.5) * 0.9 * 0.95, 1e-12);
    // A member's own output is domestic: AAA's published mix of 0.7 own, 0.3 BBB gives IR 0.3.
    w.sourcing_shares = {{"AAA", "ga", "refined", 2023, "AAA", 0.7, "pub"},
                         {"AAA", "ga", "refined", 2023, "BBB", 0.3, "pub"}};
    s = assess(w, w.methods, options("AAA"))[0].bottleneck_stage();
    EXPECT_EQ(s.supply.basis, network::Basis::Published);
    EXPECT_NEAR(s.supply.import_reliance, 0.3, 1e-12);
    EXPECT_NEAR(s.hhi_wgi_p, 0.49 * 6 + 0.09 * 2, 1e-12);
    // Observed flows take precedence over a published mix.
    auto t = traded_world();
    t.sourcing_shares = {{"CCC", "ga", "refined", 2023, "AAA", 1.0, "pub"}};
    EXPECT_EQ(assess(t, t.methods, options("CCC"))[0].bottleneck_stage().supply.basis,
              network::Basis::Observed);
}

TEST(Assess, GlobalSupplyIsWhatCouldBeKnownOnTheDateAssessed) {
    // Production data of 2024 (AAA 60 t, BBB 40 t) cannot be known before 2025; a published global
    // mix of 2020 (AAA 0.9, BBB 0.1) stands in for earlier dates, and one of 2024 for none of them.
    auto w = lodestone::testing::two_producer_world();
    w.sourcing_shares = {{"WORLD", "ga", "refined", 2020, "AAA", 0.9, "pub"},
                         {"WORLD", "ga", "refined", 2020, "BBB", 0.1, "pub"},
                         {"WORLD", "ga", "refined", 2024, "AAA", 0.5, "later"},
                         {"WORLD", "ga", "refined", 2024, "ROW", 0.5, "later"}};
    const auto early = assess(w, w.methods, options("CCC", "2023-03-16"))[0];
    const auto& e = early.bottleneck_stage();
    EXPECT_EQ(e.year, 2020);
    EXPECT_NEAR(e.hhi, 0.81 + 0.01, 1e-12);
    EXPECT_NEAR(e.hhi_wgi_gs, 0.81 * 6 + 0.01 * 2, 1e-12);  // WGI: AAA 6, BBB 2
    EXPECT_EQ(e.top_country, "AAA");
    EXPECT_DOUBLE_EQ(e.world_tonnes, 100.0);  // output stays the production figure
    ASSERT_EQ(early.notes.size(), 1u);
    EXPECT_THAT(early.notes[0], HasSubstr("published mix of 2020"));
    // From 2025 the production data hold: 0.6^2 + 0.4^2.
    const auto late = assess(w, w.methods, options("CCC", "2025-02-01"))[0];
    EXPECT_EQ(late.bottleneck_stage().year, 2024);
    EXPECT_NEAR(late.bottleneck_stage().hhi, 0.52, 1e-12);
    EXPECT_TRUE(late.notes.empty());
    // Without a published mix, the production data stand in and the output says so.
    w.sourcing_shares.clear();
    const auto bare = assess(w, w.methods, options("CCC", "2023-03-16"))[0];
    EXPECT_NEAR(bare.bottleneck_stage().hhi, 0.52, 1e-12);
    ASSERT_EQ(bare.notes.size(), 1u);
    EXPECT_THAT(bare.notes[0], HasSubstr("ASSUMPTION"));
}

TEST(Assess, PerspectiveWithZeroImportReliance) {
    // AAA exports 30 of its 60 t and uses the other 30 itself: IR 0, sourcing all domestic.
    const auto w = traded_world();
    const auto s = assess(w, w.methods, options("AAA")).at(0).bottleneck_stage();
    EXPECT_DOUBLE_EQ(s.supply.import_reliance, 0.0);
    EXPECT_NEAR(s.hhi_wgi_p, 6.0, 1e-12);        // 1^2 * WGI 6
    EXPECT_NEAR(s.sr, 6.0 * 0.9 * 0.95, 1e-12);  // global supply has weight IR/2 = 0
    EXPECT_DOUBLE_EQ(s.geopolrisk, 0.0);         // nothing imported
    EXPECT_DOUBLE_EQ(s.te, 0.0);
}

TEST(Assess, OwnExportControlsDoNotRaiseTheDomesticTerm) {
    auto w = traded_world();
    w.measures.push_back(
        measure("LIC", model::MeasureKind::ExportLicensing, "AAA", {"ga"}, "2023-08-01"));
    const auto s = assess(w, w.methods, options("AAA")).at(0).bottleneck_stage();
    EXPECT_NEAR(s.hhi_wgi_p, 6.0, 1e-12);
    EXPECT_NEAR(s.hhi_wgi_gs, 0.36 * 6.0 * 1.3 + 0.16 * 2.0, 1e-12);
}

TEST(Assess, LicensingRaisesTheImportersSourcingTermByItsFactor) {
    auto w = traded_world();
    w.measures.push_back(
        measure("LIC", model::MeasureKind::ExportLicensing, "AAA", {"ga"}, "2023-08-01"));
    const auto before = assess(w, w.methods, options("CCC", "2023-07-31")).at(0).bottleneck_stage();
    const auto after = assess(w, w.methods, options("CCC", "2023-08-01")).at(0).bottleneck_stage();
    EXPECT_NEAR(after.hhi_wgi_p - before.hhi_wgi_p, 0.3 * (3.0 / 7.0) * (3.0 / 7.0) * 6.0, 1e-12);
    ASSERT_EQ(after.restrictions_p.size(), 1u);
    EXPECT_EQ(after.restrictions_p[0].measure_id, "LIC");
}

TEST(Assess, SingleProducer) {
    auto w = lodestone::testing::two_producer_world();
    w.production = {{"ga", "refined", "AAA", 2024, 100.0, {}, ""}};
    const auto s = assess(w, w.methods, options("AAA")).at(0).bottleneck_stage();
    EXPECT_DOUBLE_EQ(s.hhi, 1.0);
    EXPECT_DOUBLE_EQ(s.cr1, 1.0);
    EXPECT_DOUBLE_EQ(s.cr3, 1.0);
    EXPECT_EQ(s.top_country, "AAA");
    EXPECT_DOUBLE_EQ(s.top_share, 1.0);
    EXPECT_EQ(s.producers, 1);
    EXPECT_DOUBLE_EQ(s.hhi_wgi_gs, 6.0);
    EXPECT_DOUBLE_EQ(s.dp, 0.6);
}

TEST(Assess, EmptyStageIsAClearErrorNotNaN) {
    auto w = lodestone::testing::two_producer_world();
    w.stages.push_back({"ga", "wafer", 2, 1.0, "wafers"});
    EXPECT_EQ(error_text([&] { (void)assess(w, w.methods, options("AAA")); }),
              "stage 'ga/wafer' has no production: shares are undefined (E-EMPTY-STAGE)\n");
}

TEST(Assess, UnknownPerspectiveIsAClearError) {
    const auto w = traded_world();
    EXPECT_EQ(error_text([&] { (void)assess(w, w.methods, options("ZZZ")); }),
              "unknown perspective 'ZZZ': expected an ISO3 code of countries.csv or a bloc (XB) "
              "(E-UNKNOWN-PERSPECTIVE)\n");
}

TEST(Assess, WgiAboveTenInAWorldIsAClearError) {
    auto w = traded_world();
    w.countries[0].wgi = 12.5;
    EXPECT_EQ(error_text([&] { (void)assess(w, w.methods, options("CCC")); }),
              "ga/refined global supply: WGI of AAA 12.5 outside [0,10] (10 = worst governance) "
              "(E-RANGE)\n");
}

TEST(Assess, SharesAboveOneAfterNormalisationAreAClearError) {
    // A negative residual (only possible in a hand-built World) pushes the named shares above 1.
    auto w = lodestone::testing::two_producer_world();
    w.production.push_back({"ga", "refined", "ROW", 2024, -20.0, {}, ""});
    EXPECT_THAT(
        error_text([&] { (void)assess(w, w.methods, options("AAA")); }),
        HasSubstr("ga/refined global supply: shares sum to 1.25 after normalisation, more than 1 "
                  "(E-SHARE-RANGE)"));
}

TEST(Assess, UnknownMaterialsAndStagesAreListedTogether) {
    const auto w = traded_world();
    auto o = options("CCC");
    o.materials = {"unobtainium", "ga", "kryptonite"};
    o.stage = "mine";
    EXPECT_EQ(error_text([&] { (void)assess(w, w.methods, o); }),
              "unknown material 'unobtainium' (E-UNKNOWN-MATERIAL)\n"
              "unknown material 'kryptonite' (E-UNKNOWN-MATERIAL)\n"
              "material 'ga' has no stage 'mine' (E-UNKNOWN-STAGE)\n");
}

TEST(Assess, RenamingAndReorderingCountriesChangesNothing) {
    auto a = traded_world();
    a.production.push_back({"ga", "refined", "DDD", 2024, 25.0, {}, ""});
    a.trade.push_back({"ga", "refined", "DDD", "CCC", 2024, 10.0, ""});
    a.measures.push_back(
        measure("LIC", model::MeasureKind::ExportLicensing, "AAA", {"ga"}, "2023-08-01"));
    // A second material on the derived rule (no trade rows): two stages and demand weights.
    model::Material sb;
    sb.id = "sb";
    sb.name = "Sb";
    sb.si_sr = 0.9;
    a.materials.push_back(sb);
    a.stages.push_back({"sb", "ore", 1, 1.0, "ore"});
    a.stages.push_back({"sb", "metal", 2, 0.8, "metal"});
    a.production.push_back({"sb", "ore", "AAA", 2024, 50.0, {}, ""});
    a.production.push_back({"sb", "ore", "CCC", 2024, 30.0, {}, ""});
    a.production.push_back({"sb", "ore", "ROW", 2024, 20.0, {}, ""});
    a.production.push_back({"sb", "metal", "BBB", 2024, 60.0, {}, ""});
    a.production.push_back({"sb", "metal", "DDD", 2024, 20.0, {}, ""});
    a.demand = {{"*", "CCC", 0.5, ""}, {"*", "AAA", 0.2, ""}, {"*", "DDD", 0.1, ""}};
    // b: every code renamed (order of codes reversed too), every list reversed.
    const std::map<std::string, std::string> to{
        {"AAA", "ZZA"}, {"BBB", "YYB"}, {"CCC", "XXC"}, {"DDD", "WWD"}, {"ROW", "ROW"}};
    auto b = a;
    for (auto& c : b.countries) {
        c.iso3 = to.at(c.iso3);
    }
    std::sort(b.countries.begin(), b.countries.end(),
              [](const auto& x, const auto& y) { return x.iso3 < y.iso3; });
    for (auto& p : b.production) {
        p.country = to.at(p.country);
    }
    for (auto& t : b.trade) {
        t.exporter = to.at(t.exporter);
        t.importer = to.at(t.importer);
    }
    for (auto& m : b.measures) {
        m.country = to.at(m.country);
    }
    for (auto& d : b.demand) {
        d.country = to.at(d.country);
    }
    for (auto& c : b.consumption) {
        c.country = to.at(c.country);
    }
    std::reverse(b.demand.begin(), b.demand.end());
    std::reverse(b.production.begin(), b.production.end());
    std::reverse(b.trade.begin(), b.trade.end());
    for (const char* p : {"CCC", "AAA", "XB"}) {
        const std::string renamed = std::string(p) == "XB" ? "XB" : to.at(p);
        const auto xs = assess(a, a.methods, options(p));
        const auto ys = assess(b, b.methods, options(renamed.c_str()));
        ASSERT_EQ(xs.size(), ys.size());
        for (std::size_t m = 0; m < xs.size(); ++m) {
            ASSERT_EQ(xs[m].stages.size(), ys[m].stages.size());
            EXPECT_EQ(xs[m].bottleneck, ys[m].bottleneck);
            for (std::size_t i = 0; i < xs[m].stages.size(); ++i) {
                const auto& x = xs[m].stages[i];
                const auto& y = ys[m].stages[i];
                const std::string at = std::string(p) + " " + x.material + "/" + x.stage;
                EXPECT_EQ(x.supply.basis, y.supply.basis) << at;
                EXPECT_NEAR(x.hhi, y.hhi, 1e-12) << at;
                EXPECT_NEAR(x.hhi_wgi_gs, y.hhi_wgi_gs, 1e-12) << at;
                EXPECT_NEAR(x.hhi_wgi_p, y.hhi_wgi_p, 1e-12) << at;
                EXPECT_NEAR(x.supply.import_reliance, y.supply.import_reliance, 1e-12) << at;
                EXPECT_NEAR(x.sr, y.sr, 1e-12) << at;
                EXPECT_NEAR(x.geopolrisk, y.geopolrisk, 1e-12) << at;
                EXPECT_NEAR(x.dp, y.dp, 1e-12) << at;
                EXPECT_EQ(to.at(x.top_country), y.top_country) << at;
            }
        }
    }
}

TEST(Assess, MaterialScoreIsTheWorstStage) {
    auto w = lodestone::testing::two_producer_world();
    w.stages = {{"ga", "ore", 1, 1.0, "ore"}, {"ga", "refined", 2, 1.0, "refined"}};
    w.production.push_back({"ga", "ore", "BBB", 2024, 50.0, {}, ""});
    w.production.push_back({"ga", "ore", "DDD", 2024, 50.0, {}, ""});
    const auto risks = assess(w, w.methods, options("CCC"));
    ASSERT_EQ(risks.at(0).stages.size(), 2u);
    const auto& m = risks[0];
    EXPECT_EQ(m.bottleneck_stage().stage, "refined");
    EXPECT_GT(m.stages[1].sr, m.stages[0].sr);
    const auto rows = panel_rows(risks, false, kAllMethods);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_DOUBLE_EQ(rows[0].score.at(Method::Eu), m.stages[1].sr);
    EXPECT_EQ(panel_rows(risks, true, kAllMethods).size(), 2u);
}

TEST(Assess, EconomicImportanceAndCriticality) {
    auto w = traded_world();
    w.sectors = {{"chips", "Chips", "", 300.0, ""}, {"cars", "Cars", "", 1000.0, ""}};
    w.end_use = {{"ga", "chips", 0.8, ""}, {"ga", "cars", 0.2, ""}};
    const auto m = assess(w, w.methods, options("CCC")).at(0);
    // (0.8*300 + 0.2*1000) / 1000 * 10 * 0.9 = 3.96
    EXPECT_NEAR(m.ei, 3.96, 1e-12);
    EXPECT_TRUE(m.critical);  // EI 3.96 >= 2.8 and SR ~1.81 >= 1
}

// ---- the shipped dataset -------------------------------------------------------------------

namespace {

/// Splits one CSV line, honouring double quotes (an independent reader for the golden checks).
std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            out.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            out.emplace_back();
        } else {
            out.back() += c;
        }
    }
    return out;
}

/// HHI straight from data/world/production.csv: named countries' squared shares of the stage's
/// total (the "ROW" residual counts in the total only).
double hhi_from_file(const std::string& material, const std::string& stage) {
    std::ifstream in(std::string(LODE_SOURCE_DIR) + "/data/world/production.csv");
    std::string line;
    std::getline(in, line);
    std::map<std::string, double> tonnes;
    double total = 0.0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        const auto f = split_csv(line);
        if (f.at(0) == material && f.at(1) == stage) {
            const double t = std::stod(f.at(4));
            total += t;
            if (f.at(2) != "ROW") {
                tonnes[f.at(2)] += t;
            }
        }
    }
    double h = 0.0;
    for (const auto& [c, t] : tonnes) {
        h += (t / total) * (t / total);
    }
    return h;
}

}  // namespace

TEST(Shipped, GalliumHhiMatchesTheFileAndTheHandValue) {
    // CHN 750, JPN 3, KOR 3, RUS 6, ROW 0 t (USGS MCS 2025): (750^2+3^2+3^2+6^2)/762^2.
    const double hand = 562554.0 / 580644.0;
    EXPECT_NEAR(hhi_from_file("gallium", "refined"), hand, 1e-12);
    const auto gallium = [](const char* date) {
        auto o = options("EU", date);  // production data of 2024: known from 2025
        o.materials = {"gallium"};
        return assess(shipped(), shipped().methods, o).at(0).bottleneck_stage();
    };
    const auto s = gallium("2025-06-01");
    EXPECT_NEAR(s.hhi, hand, 1e-12);
    EXPECT_EQ(s.top_country, "CHN");
    EXPECT_EQ(s.year, 2024);
    // Before 2025: the EU 2023 study's global supply at processing, 2016-2020 (Appendix 7):
    // CHN 93.8 %, UKR 2.2 %, RUS 1.9 %, JPN 1.0 %, the rest below 1 % (not a producer in the HHI).
    const auto early = gallium("2023-03-16");
    EXPECT_EQ(early.year, 2020);
    EXPECT_NEAR(early.hhi, 0.938 * 0.938 + 0.022 * 0.022 + 0.019 * 0.019 + 0.01 * 0.01, 1e-12);
}

TEST(Shipped, RareEarthMiningHhiMatchesTheFile) {
    const double from_file = hhi_from_file("rare_earths", "mine");
    EXPECT_NEAR(from_file, 76411767300.0 / (393950.0 * 393950.0), 1e-12);
    auto o = options("EU", "2025-06-01");
    o.materials = {"rare_earths"};
    o.stage = "mine";
    const auto risks = assess(shipped(), shipped().methods, o);
    ASSERT_EQ(risks.at(0).stages.size(), 1u);
    EXPECT_NEAR(risks[0].stages[0].hhi, from_file, 1e-12);
}

TEST(Shipped, GalliumFromChinaBeforeAndAfterLicensingDiffersExactlyByTheFactor) {
    const auto& w = shipped();
    auto at = [&](const char* date) {
        auto o = options("EU", date);
        o.materials = {"gallium"};
        return assess(w, w.methods, o).at(0).bottleneck_stage();
    };
    const auto before = at("2023-07-31");
    const auto after = at("2023-08-01");
    const auto* chn = w.find_country("CHN");
    const double s = before.top_share;
    const double factor = w.methods.trade_factor.at("export_licensing");
    EXPECT_TRUE(before.restrictions_gs.empty());
    ASSERT_EQ(after.restrictions_gs.size(), 1u);
    EXPECT_EQ(after.restrictions_gs[0].measure_id, "CN-2023-023");
    EXPECT_DOUBLE_EQ(after.restrictions_gs[0].factor, factor);
    EXPECT_NEAR(after.hhi_wgi_gs - before.hhi_wgi_gs, (factor - 1.0) * s * s * chn->wgi, 1e-12);
}

TEST(Shipped, MethodsFileOverridesTheLicensingFactor) {
    const auto& w = shipped();
    auto params =
        io::load_methods("[trade_factor]\nexport_licensing = 1.5\n", "test.toml", w.methods);
    auto o = options("EU", "2023-08-01");
    o.materials = {"gallium"};
    const auto base = assess(w, w.methods, o).at(0).bottleneck_stage();
    const auto over = assess(w, params, o).at(0).bottleneck_stage();
    const double s = base.top_share;
    EXPECT_NEAR(over.hhi_wgi_gs - base.hhi_wgi_gs, (1.5 - 1.3) * s * s * w.find_country("CHN")->wgi,
                1e-12);
}

TEST(Shipped, UsaUsesTheUsgsFigures) {
    const auto& w = shipped();
    auto o = options("USA");
    o.materials = {"rare_earths", "molybdenum", "gallium"};
    const auto risks = assess(w, w.methods, o);
    // Stages with USGS import sources in trade.csv and USGS apparent consumption in consumption.csv
    // are "observed"; the others fall back on USGS net import reliance ("usgs"). Both are USGS's.
    for (const auto& m : risks) {
        for (const auto& s : m.stages) {
            EXPECT_THAT(s.supply.basis,
                        ::testing::AnyOf(network::Basis::Usgs, network::Basis::Observed))
                << m.material << "/" << s.stage;
        }
    }
    const auto& re = risks.at(0).stages.at(0);
    EXPECT_DOUBLE_EQ(re.supply.import_reliance, 0.8);
    ASSERT_FALSE(re.supply.origins.empty());
    EXPECT_EQ(re.supply.origins[0].country, "CHN");
    EXPECT_NEAR(re.supply.origins[0].share, 0.8 * 0.7, 1e-12);
    // Molybdenum: USGS net import reliance 0 (the USA is a net exporter).
    const auto& mo = risks.at(1).stages.at(0);
    EXPECT_DOUBLE_EQ(mo.supply.import_reliance, 0.0);
    EXPECT_DOUBLE_EQ(mo.geopolrisk, 0.0);
    EXPECT_DOUBLE_EQ(risks.at(2).stages.at(0).supply.import_reliance, 1.0);
}

TEST(Shipped, EveryMaterialAssessesFromEveryBlocWithoutNaN) {
    const auto& w = shipped();
    for (const char* p : {"EU", "USA", "JPN", "G7", "CHN"}) {
        const auto risks = assess(w, w.methods, options(p, "2026-11-27"));
        EXPECT_EQ(risks.size(), w.materials.size());
        for (const auto& m : risks) {
            EXPECT_TRUE(std::isfinite(m.ei)) << p << " " << m.material;
            for (const auto& s : m.stages) {
                for (const double v :
                     {s.hhi, s.hhi_wgi_gs, s.hhi_wgi_p, s.sr, s.geopolrisk, s.dp, s.te}) {
                    EXPECT_TRUE(std::isfinite(v)) << p << " " << m.material << "/" << s.stage;
                }
                EXPECT_GE(s.supply.import_reliance, 0.0);
                EXPECT_LE(s.supply.import_reliance, 1.0);
            }
        }
    }
}
