// The brief on a small synthetic World whose answers can be worked out by hand: what binds, what
// is suspended and when it binds again, the changes in the horizon, the ranking, the sections
// that are not in this build, and the self-contained HTML (no fetch, the payload embedded).
#include "lodestone/report/brief.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/report/brief_render.hpp"
#include "lodestone/report/svg_chart.hpp"

using namespace lodestone;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

Date d(const char* text) {
    return *Date::parse(text);
}

model::Measure measure(std::string id,
                       model::MeasureKind kind,
                       std::string country,
                       std::vector<std::string> materials,
                       model::DestinationSet dest,
                       const char* effective,
                       const char* expires = nullptr) {
    model::Measure m;
    m.id = std::move(id);
    m.kind = kind;
    m.country = std::move(country);
    m.materials = std::move(materials);
    m.destinations = std::move(dest);
    m.effective = d(effective);
    if (expires != nullptr) {
        m.expires = d(expires);
    }
    m.title = m.id + " title";
    return m;
}

model::World make_world() {
    model::World w;
    w.info.name = "synthetic";
    w.info.version = "1";
    w.info.as_of = d("2026-11-27");
    w.content_hash = "abc";
    w.countries = {{"CHN", "China", "Asia", 6.0, {}, ""},
                   {"USA", "United States", "Americas", 2.0, {"G7"}, ""},
                   {"JPN", "Japan", "Asia", 2.0, {"G7"}, ""},
                   {"DEU", "Germany", "Europe", 2.0, {"G7", "EU"}, ""},
                   {"AUS", "Australia", "Oceania", 2.0, {}, ""}};
    model::Material ga;
    ga.id = "gallium";
    ga.name = "Gallium";
    model::Material dy;
    dy.id = "dysprosium";
    dy.name = "Dysprosium";
    w.materials = {ga, dy};
    w.stages = {{"dysprosium", "mine", 1, 1.0, ""},
                {"dysprosium", "separation", 2, 1.0, ""},
                {"gallium", "refined", 1, 1.0, ""}};
    w.production = {{"gallium", "refined", "CHN", 2024, 980, {}, ""},
                    {"gallium", "refined", "JPN", 2024, 10, {}, ""},
                    {"gallium", "refined", "ROW", 2024, 10, {}, ""},
                    {"dysprosium", "mine", "CHN", 2024, 70, {}, ""},
                    {"dysprosium", "mine", "AUS", 2024, 30, {}, ""},
                    {"dysprosium", "separation", "CHN", 2024, 99, {}, ""},
                    {"dysprosium", "separation", "JPN", 2024, 1, {}, ""}};
    using K = model::MeasureKind;
    using Mode = model::DestinationSet::Mode;
    const model::DestinationSet all{Mode::All, {}};
    w.measures = {
        measure("LIC", K::ExportLicensing, "CHN", {"gallium"}, all, "2023-08-01"),
        measure("BAN", K::ExportBan, "CHN", {"gallium"}, {Mode::Listed, {"USA"}}, "2024-12-03"),
        measure("SUSP", K::Suspension, "CHN", {"gallium"}, all, "2025-11-09", "2026-11-27"),
        measure("DY", K::ExportLicensing, "CHN", {"dysprosium"}, all, "2025-04-04", "2027-04-03"),
        measure("STOCK", K::StockpilePurchase, "USA", {"gallium"}, all, "2025-10-01"),
        measure("EUSTOCK", K::StockpilePurchase, "EU", {"gallium"}, all, "2026-01-01"),
        measure("OLD", K::ExportQuota, "CHN", {"gallium"}, all, "2010-01-01", "2010-12-31")};
    w.measures[2].suspends = {"BAN"};
    return w;
}

const model::World& world() {
    static const model::World w = make_world();
    return w;
}

report::Brief brief(const char* as_of = "2026-11-27", std::string perspective = "USA") {
    report::BriefOptions o;
    o.as_of = d(as_of);
    o.perspective = std::move(perspective);
    return report::assemble_brief(world(), o);
}

std::vector<std::string> ids(const std::vector<report::BriefMeasure>& list) {
    std::vector<std::string> out;
    for (const auto& m : list) {
        out.push_back(m.id);
    }
    return out;
}

const report::BriefMeasure* find(const std::vector<report::BriefMeasure>& list,
                                 const std::string& id) {
    for (const auto& m : list) {
        if (m.id == id) {
            return &m;
        }
    }
    return nullptr;
}

}  // namespace

TEST(Brief, BindingMeasuresOnTheLastDayOfTheSuspension) {
    const auto b = brief();
    // Suspension rows are not listed; BAN is suspended; OLD expired long ago.
    EXPECT_THAT(ids(b.binding), ::testing::UnorderedElementsAre("LIC", "DY", "STOCK", "EUSTOCK"));
    // What touches USA comes first; export restrictions before stockpiles.
    EXPECT_EQ(b.binding[0].id, "DY");  // most recent restriction first
    EXPECT_EQ(b.binding[1].id, "LIC");
    EXPECT_EQ(b.binding[2].id, "STOCK");
    EXPECT_EQ(b.binding[3].id, "EUSTOCK");
    EXPECT_FALSE(
        find(b.binding, "EUSTOCK")->touches_perspective);  // an EU purchase is not the USA's
    EXPECT_TRUE(find(b.binding, "STOCK")->touches_perspective);
}

TEST(Brief, SuspendedBanBindsAgainTheDayAfterTheWindow) {
    const auto b = brief();
    ASSERT_EQ(b.suspended.size(), 1u);
    EXPECT_EQ(b.suspended[0].id, "BAN");
    EXPECT_EQ(b.suspended[0].status, policy::Status::Suspended);
    EXPECT_EQ(b.suspended[0].suspended_by, std::vector<std::string>{"SUSP"});
    EXPECT_EQ(b.suspended[0].suspended_until, d("2026-11-27"));
    ASSERT_GE(b.upcoming.size(), 1u);
    EXPECT_EQ(b.upcoming[0].date, d("2026-11-28"));
    EXPECT_EQ(b.upcoming[0].days_from_as_of, 1);
    EXPECT_EQ(b.upcoming[0].change, policy::ChangeKind::Resumed);
    EXPECT_EQ(b.upcoming[0].measure_id, "BAN");
    EXPECT_EQ(b.upcoming[0].cause_id, "SUSP");
    EXPECT_TRUE(b.upcoming[0].touches_perspective);
}

TEST(Brief, UpcomingListsExpiriesWithinTheHorizonOnly) {
    const auto b = brief();
    // DY's last day is 2027-04-03: it ends on 2027-04-04, 128 days after 2026-11-27 (< 180).
    ASSERT_EQ(b.upcoming.size(), 2u);
    EXPECT_EQ(b.upcoming[1].measure_id, "DY");
    EXPECT_EQ(b.upcoming[1].change, policy::ChangeKind::Ended);
    EXPECT_EQ(b.upcoming[1].date, d("2027-04-04"));
    EXPECT_EQ(b.upcoming[1].days_from_as_of, 128);
    report::BriefOptions o;
    o.as_of = d("2026-11-27");
    o.horizon_days = 30;
    EXPECT_EQ(report::assemble_brief(world(), o).upcoming.size(), 1u);
}

TEST(Brief, PerspectiveDecidesWhatTouches) {
    const auto jpn = brief("2026-11-28", "JPN");
    ASSERT_NE(find(jpn.binding, "BAN"), nullptr);                 // binds again from 2026-11-28
    EXPECT_FALSE(find(jpn.binding, "BAN")->touches_perspective);  // a ban on the USA only
    EXPECT_TRUE(find(jpn.binding, "LIC")->touches_perspective);
    const auto g7 = brief("2026-11-28", "G7");
    EXPECT_TRUE(find(g7.binding, "BAN")->touches_perspective);  // the USA is a member
    EXPECT_EQ(g7.perspective_name, "bloc of 3 countries");
    EXPECT_EQ(g7.perspective_members, (std::vector<std::string>{"USA", "JPN", "DEU"}));
    const auto eu = brief("2026-11-28", "EU");
    EXPECT_TRUE(find(eu.binding, "EUSTOCK")->touches_perspective);  // imposed by the bloc itself
    EXPECT_FALSE(find(eu.binding, "STOCK")->touches_perspective);
}

TEST(Brief, UnknownPerspectiveIsRefusedWithItsCode) {
    try {
        (void)brief("2026-11-27", "XYZ");
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        ASSERT_EQ(e.diagnostics().size(), 1u);
        EXPECT_EQ(e.diagnostics()[0].code, ErrorCode::UnknownPerspective);
        EXPECT_EQ(e.diagnostics()[0].message,
                  "perspective 'XYZ' is not an ISO3 country code or a bloc of the dataset");
    }
}

TEST(Brief, RiskRanksBySupplyRiskOrSaysWhyNot) {
    const auto b = brief("2026-11-28");
    if (!b.risk.availability.available) {
        // The synthetic world lacks what some method needs: the section says so and holds no rows.
        EXPECT_THAT(b.risk.availability.reason, HasSubstr("could not run on this dataset"));
        EXPECT_TRUE(b.risk.rows.empty());
        return;
    }
    EXPECT_EQ(b.risk.score_name, "sr");
    for (std::size_t i = 0; i < b.risk.rows.size(); ++i) {
        EXPECT_EQ(b.risk.rows[i].rank, static_cast<int>(i + 1));
        if (i > 0) {
            EXPECT_GE(b.risk.rows[i - 1].score, b.risk.rows[i].score);
        }
    }
    for (const auto& r : b.risk.rows) {
        if (r.material == "gallium") {
            // The day after the suspension ends, the ban on the USA binds again.
            EXPECT_EQ(r.binding_measures, (std::vector<std::string>{"BAN", "LIC"}));
        }
    }
}

TEST(Brief, SectionsWithoutTheirCapabilitySaySoAndHoldNoNumbers) {
    const auto b = brief();
    EXPECT_FALSE(b.bom.availability.available);
    EXPECT_EQ(b.bom.availability.reason,
              "no BOM given (add --bom FILE to see a product's exposure)");
    EXPECT_TRUE(b.bom.items.empty());
    EXPECT_FALSE(b.scenario.availability.available);
    EXPECT_EQ(b.scenario.availability.reason, "no curated scenario is available to this build");
    EXPECT_TRUE(b.scenario.materials.empty());
    const auto text = report::render_terminal(b);
    EXPECT_THAT(text, HasSubstr("BOM exposure: not available: no BOM given"));
    EXPECT_THAT(
        text, HasSubstr("Scenario: not available: no curated scenario is available to this build"));
}

TEST(Brief, TimelineHoldsMeasuresInTheWindowWithTheirSuspensions) {
    const auto b = brief();
    std::vector<std::string> rows;
    for (const auto& r : b.timeline) {
        rows.push_back(r.measure_id);
    }
    // Ordered by effective date; the 2010 quota is outside the 3-year window; no suspension row.
    EXPECT_EQ(rows, (std::vector<std::string>{"LIC", "BAN", "DY", "STOCK", "EUSTOCK"}));
    ASSERT_EQ(b.timeline[1].suspended.size(), 1u);
    EXPECT_EQ(b.timeline[1].suspended[0].first, d("2025-11-09"));
    EXPECT_EQ(b.timeline[1].suspended[0].second, d("2026-11-27"));
    EXPECT_EQ(b.timeline_from, d("2023-11-28"));
    EXPECT_EQ(b.timeline_to, d("2027-05-26"));
}

TEST(Brief, TerminalSummaryNamesTheNextChange) {
    const auto text = report::render_terminal(brief(), "out/brief.html");
    EXPECT_THAT(text,
                HasSubstr("Lodestone brief: as of 2026-11-27, perspective USA (United States)"));
    EXPECT_THAT(text, HasSubstr("* 4 measures bind on 2026-11-27; 3 of them touch USA."));
    EXPECT_THAT(text, HasSubstr("BAN (BAN title) is suspended by SUSP until 2026-11-27; it binds "
                                "again from 2026-11-28"));
    EXPECT_THAT(
        text,
        HasSubstr(
            "2 changes in the next 180 days; the first that touches USA: BAN resumed on 2026-11-28 "
            "(in 1 day)."));
    EXPECT_THAT(text, HasSubstr("1 other measures in force do not touch USA"));
    EXPECT_THAT(text, HasSubstr("Full brief with charts: out/brief.html"));
}

TEST(Brief, HeadlineLeadsWithWhatTouchesThePerspective) {
    // For JPN the suspended ban (on the USA only) and its resumption do not touch it: they are not
    // its headline's first bullets; the first change named is the first that touches JPN.
    const auto text = report::render_terminal(brief("2026-11-27", "JPN"));
    EXPECT_THAT(text, ::testing::Not(HasSubstr("BAN (BAN title) is suspended")));
    EXPECT_THAT(
        text,
        HasSubstr(
            "2 changes in the next 180 days; the first that touches JPN: DY ended on 2027-04-04"));
    EXPECT_THAT(text, HasSubstr("Also suspended, not touching JPN: BAN."));
    EXPECT_LT(text.find("the first that touches JPN"),
              text.find("Also suspended, not touching JPN"));
}

TEST(BriefHtml, IsSelfContainedAndEmbedsThePayload) {
    auto w = make_world();
    w.measures[0].title = "</script><script>alert(1)</script> & more";
    report::BriefOptions o;
    o.as_of = d("2026-11-27");
    const auto b = report::assemble_brief(w, o);
    const auto html = report::render_html(b);
    // Nothing to fetch: no external script, stylesheet, image, font or frame.
    EXPECT_THAT(html, Not(HasSubstr("<script src")));
    EXPECT_THAT(html, Not(HasSubstr("<link")));
    EXPECT_THAT(html, Not(HasSubstr("<img")));
    EXPECT_THAT(html, Not(HasSubstr("<iframe")));
    EXPECT_THAT(html, Not(HasSubstr("url(http")));
    EXPECT_THAT(html, Not(HasSubstr("@import")));
    EXPECT_THAT(html, Not(HasSubstr("<script>alert")));  // the hostile title is escaped
    EXPECT_THAT(html, HasSubstr("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
    // The payload parses back to to_json(brief).
    const std::string open = "<script type=\"application/json\" id=\"lodestone-brief\">";
    const auto start = html.find(open);
    ASSERT_NE(start, std::string::npos);
    const auto from = start + open.size();
    const auto end = html.find("</script>", from);
    ASSERT_NE(end, std::string::npos);
    EXPECT_EQ(nlohmann::json::parse(html.substr(from, end - from)), report::to_json(b));
    // The charts are inline SVG: one timeline bar per row, one hatched window for BAN.
    EXPECT_THAT(html, HasSubstr("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
                                "aria-label=\"policy timeline\""));
    std::size_t bars = 0;
    for (auto p = html.find("<g class=\"measure\">"); p != std::string::npos;
         p = html.find("<g class=\"measure\">", p + 1)) {
        ++bars;
    }
    EXPECT_EQ(bars, b.timeline.size());
    EXPECT_THAT(html, HasSubstr("class=\"suspended\""));
    EXPECT_THAT(html,
                HasSubstr("<b>Not available.</b> no curated scenario is available to this build"));
}

TEST(BriefJson, CarriesTheSectionsAndTheirAvailability) {
    const auto j = report::to_json(brief());
    EXPECT_EQ(j["as_of"], "2026-11-27");
    EXPECT_EQ(j["perspective"]["code"], "USA");
    EXPECT_EQ(j["suspended"][0]["suspended_until"], "2026-11-27");
    EXPECT_EQ(j["upcoming"][0]["change"], "resumed");
    EXPECT_TRUE(j["risk"]["availability"].contains("reason"));
    EXPECT_EQ(j["bom"]["availability"]["available"], false);
    EXPECT_EQ(j["scenario"]["availability"]["available"], false);
    EXPECT_EQ(j["timeline"]["rows"][1]["suspended"][0][0], "2025-11-09");
}

TEST(SvgChart, EscapesTextAndAttributes) {
    const auto svg = report::svg::hbar_chart({{"<x>", 0.5, "50 %", "", "\"><script>"}}, {}).str();
    EXPECT_THAT(svg, HasSubstr("&lt;x&gt;"));
    EXPECT_THAT(svg, Not(HasSubstr("<x>")));
    EXPECT_THAT(svg,
                HasSubstr("fill=\"&quot;&gt;&lt;script&gt;\""));  // a colour is an attribute value
}

TEST(SvgChart, FanChartDrawsBandAndMedian) {
    const auto svg = report::svg::fan_chart({{0, 0, 1, 2}, {1, 1, 2, 4}, {2, 0, 3, 5}},
                                            {"t", "week", "t", 400, 200})
                         .str();
    EXPECT_THAT(svg, HasSubstr("class=\"band\""));
    EXPECT_THAT(svg, HasSubstr("class=\"median\""));
    EXPECT_THAT(report::svg::fan_chart({}, {}).str(), HasSubstr("no data"));
}

TEST(SvgChart, StackedBarsHaveALegendEntryPerLabel) {
    const auto svg =
        report::svg::stacked_chart({{"mine", {{"CHN", 0.7, ""}, {"AUS", 0.3, ""}}},
                                    {"separation", {{"CHN", 0.99, ""}, {"JPN", 0.01, ""}}}})
            .str();
    EXPECT_THAT(svg, HasSubstr("<title>mine: CHN 70.0 %</title>"));
    EXPECT_THAT(svg, HasSubstr(">JPN</text>"));
}

TEST(BriefBom, RendersTheMostConcentratedStageOfEachItem) {
    auto b = brief();
    b.bom.availability = {true, ""};
    b.bom.file = "motor.csv";
    report::BomItem dy{"motor", "dysprosium",
                       0.05,    10.0,
                       {},      {"supplier country JPN does not separate dysprosium: all imports"}};
    dy.stages = {{"mine", 0.58, 0.05, {{"CHN", 0.7, {}}, {"AUS", 0.3, {}}}},
                 {"separation", 0.9802, 0.05, {{"CHN", 0.99, {"DY"}}, {"JPN", 0.01, {}}}}};
    b.bom.items.push_back(dy);
    ASSERT_NE(dy.bottleneck(), nullptr);
    EXPECT_EQ(dy.bottleneck()->stage, "separation");
    const auto text = report::render_terminal(b);
    EXPECT_THAT(text, HasSubstr("BOM exposure: motor.csv"));
    EXPECT_THAT(text, ::testing::ContainsRegex(
                          "motor +dysprosium +0.0500 +separation +CHN +0.99 +0.980 +DY"));
    const auto html = report::render_html(b);
    EXPECT_THAT(html, HasSubstr("<tr data-product=\"motor\" data-material=\"dysprosium\">"));
    EXPECT_THAT(html, HasSubstr("<title>dysprosium · separation: CHN 99.0 %</title>"));
    EXPECT_THAT(html, HasSubstr("all imports"));
    const auto j = report::to_json(b);
    EXPECT_EQ(j["bom"]["items"][0]["stages"][1]["countries"][0]["measures"][0], "DY");
}
