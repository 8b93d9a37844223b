// The brief's scenario headline on the embedded dataset and curated scenarios: which scenario is
// chosen for a perspective and why, that the numbers are the Monte Carlo result's (ordered bands,
// one value per week), and that a bad choice or zero runs is said plainly.
#include <algorithm>
#include <cmath>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/io/dataset_reader.hpp"
#include "lodestone/io/scenario_reader.hpp"
#include "lodestone/report/brief.hpp"
#include "lodestone/report/brief_render.hpp"

using namespace lodestone;
using ::testing::HasSubstr;

namespace {

const model::World& world() {
    static const auto loaded = io::load_world(io::embedded_world());
    return loaded.world;
}

report::Brief brief(const std::string& perspective, std::size_t runs, const std::string& id = {}) {
    report::BriefOptions o;
    o.as_of = *Date::parse("2026-11-27");
    o.perspective = perspective;
    o.scenarios = io::scenario_texts(io::embedded_scenarios());
    o.scenario_id = id;
    o.scenario_runs = runs;
    o.threads = 2;
    return report::assemble_brief(world(), o);
}

}  // namespace

TEST(CuratedScenarios, AreEmbeddedSortedAndReadable) {
    const auto texts = io::scenario_texts(io::embedded_scenarios());
    ASSERT_EQ(texts.size(), 5U);
    EXPECT_TRUE(std::is_sorted(texts.begin(), texts.end(),
                               [](const auto& a, const auto& b) { return a.id < b.id; }));
    for (const auto& t : texts) {
        EXPECT_EQ(t.file, "embedded:data/scenarios/" + t.id + ".toml");
        EXPECT_NO_THROW((void)io::read_scenario(t.toml, t.file, world())) << t.id;
    }
}

TEST(BriefScenario, RanksEveryCuratedScenarioAndExplainsWhy) {
    const auto b = brief("USA", 0);
    const auto& c = b.scenario.candidates;
    ASSERT_EQ(c.size(), 5U);
    EXPECT_TRUE(std::is_sorted(c.begin(), c.end(), [](const auto& x, const auto& y) {
        return x.relevance > y.relevance;
    }));
    for (const auto& s : c) {
        EXPECT_TRUE(s.error.empty()) << s.id << ": " << s.error;
        EXPECT_FALSE(s.reasons.empty()) << s.id;
    }
    // The 2010 quota is history: it ranks last, and says so.
    EXPECT_EQ(c.back().id, "cn_2010_ree_export_quota");
    EXPECT_THAT(c.back().reasons.back(), HasSubstr("historical"));
    // With zero runs nothing is simulated, and the section says how to run it.
    EXPECT_FALSE(b.scenario.availability.available);
    EXPECT_THAT(b.scenario.availability.reason, HasSubstr("--scenario-runs 0"));
    EXPECT_EQ(b.scenario.id, c.front().id);
}

TEST(BriefScenario, TheLapseOfTheGaGeSbSuspensionHeadlinesForTheUsOnItsLastDay) {
    // CN-2024-046-2 (the ban on Ga/Ge/Sb to the USA) binds again on 2026-11-28: the scenario that
    // models it is the most relevant for the USA on 2026-11-27.
    const auto b = brief("USA", 0);
    ASSERT_FALSE(b.scenario.candidates.empty());
    const auto& top = b.scenario.candidates.front();
    EXPECT_EQ(top.id, "cn_gagesb_us_ban_lapse");
    EXPECT_THAT(testing::PrintToString(top.reasons), HasSubstr("2026-11-28"));
}

TEST(BriefScenario, HeadlineNumbersAreOrderedBandsOverTheRuns) {
    const auto b = brief("USA", 24, "cn_magnet_ban_us_eu");
    const auto& s = b.scenario;
    ASSERT_TRUE(s.availability.available) << s.availability.reason;
    EXPECT_EQ(s.id, "cn_magnet_ban_us_eu");
    EXPECT_EQ(s.region, "USA");
    EXPECT_EQ(s.runs, 24U);
    EXPECT_EQ(s.weeks.size(), static_cast<std::size_t>(s.horizon_weeks));
    ASSERT_EQ(s.materials.size(), 1U);
    const auto& m = s.materials.front();
    EXPECT_EQ(m.material, "rare_earths");
    EXPECT_LE(m.peak_shortfall_share.p5, m.peak_shortfall_share.p50);
    EXPECT_LE(m.peak_shortfall_share.p50, m.peak_shortfall_share.p95);
    EXPECT_GT(m.peak_shortfall_share.p50, 0.0)
        << "a ban on 90 % of magnet supply leaves a shortfall";
    EXPECT_GE(m.peak_price_multiple.p50, 1.0);
    ASSERT_EQ(m.shortfall_share.p50.size(), s.weeks.size());
    ASSERT_EQ(m.price_multiple.p50.size(), s.weeks.size());
    for (std::size_t t = 0; t < s.weeks.size(); ++t) {
        EXPECT_LE(m.shortfall_share.p5[t], m.shortfall_share.p50[t] + 1e-12);
        EXPECT_LE(m.shortfall_share.p50[t], m.shortfall_share.p95[t] + 1e-12);
        EXPECT_LE(m.shortfall_share.p95[t], 1.0 + 1e-9);
    }
    // The weekly median never exceeds the median of the per-run peaks by more than bin width.
    const double weekly_max =
        *std::max_element(m.shortfall_share.p50.begin(), m.shortfall_share.p50.end());
    EXPECT_LE(weekly_max, m.peak_shortfall_share.p95 + 0.01);
    const auto text = report::render_terminal(b);
    EXPECT_THAT(text, HasSubstr("Scenario cn_magnet_ban_us_eu"));
    EXPECT_THAT(text,
                HasSubstr("lodestone simulate cn_magnet_ban_us_eu --out runs/cn_magnet_ban_us_eu"));
    const auto html = report::render_html(b);
    EXPECT_THAT(html, HasSubstr("id=\"scenario-fans\""));
    EXPECT_THAT(html, HasSubstr("rare_earths shortfall, USA"));
}

TEST(BriefScenario, SameRunsGiveTheSameHeadlineWhateverTheThreads) {
    auto o1 = brief("EU", 16, "cn_heavy_ree_licence_squeeze");
    report::BriefOptions o;
    o.as_of = *Date::parse("2026-11-27");
    o.perspective = "EU";
    o.scenarios = io::scenario_texts(io::embedded_scenarios());
    o.scenario_id = "cn_heavy_ree_licence_squeeze";
    o.scenario_runs = 16;
    o.threads = 1;
    const auto o2 = report::assemble_brief(world(), o);
    ASSERT_TRUE(o1.scenario.availability.available);
    ASSERT_EQ(o1.scenario.materials.size(), o2.scenario.materials.size());
    for (std::size_t i = 0; i < o1.scenario.materials.size(); ++i) {
        EXPECT_EQ(o1.scenario.materials[i].shortfall_share.p50,
                  o2.scenario.materials[i].shortfall_share.p50);
        EXPECT_EQ(o1.scenario.materials[i].peak_price_multiple.p95,
                  o2.scenario.materials[i].peak_price_multiple.p95);
    }
}

TEST(BriefScenario, UnknownScenarioIsRefusedWithTheChoices) {
    try {
        (void)brief("USA", 0, "no_such_scenario");
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_THAT(e.what(), HasSubstr("no curated scenario 'no_such_scenario'"));
        EXPECT_THAT(e.what(), HasSubstr("cn_magnet_ban_us_eu"));
    }
}

TEST(BriefScenario, APerspectiveTheScenarioDoesNotSimulateGetsWorldTotals) {
    const auto b = brief("AUS", 8, "us_dla_tungsten_purchase");
    ASSERT_TRUE(b.scenario.availability.available) << b.scenario.availability.reason;
    EXPECT_EQ(b.scenario.region, "WORLD");
    EXPECT_THAT(testing::PrintToString(b.scenario.notes), HasSubstr("does not simulate AUS"));
}

TEST(BriefScenario, AMemberOfASimulatedBlocGetsTheBlocsFigures) {
    const auto b = brief("DEU", 8, "cn_magnet_ban_us_eu");
    ASSERT_TRUE(b.scenario.availability.available) << b.scenario.availability.reason;
    EXPECT_EQ(b.scenario.region, "EU");
    EXPECT_THAT(testing::PrintToString(b.scenario.notes), HasSubstr("the figures are those of EU"));
}

TEST(BriefScenario, TheHeadlineReachesThePerspective) {
    // A scenario whose shocks do not reach the perspective (e.g. a ban on the USA only, seen from
    // the EU) is never the headline: a dry run of each candidate measures the perspective's effect.
    const auto b = brief("EU", 16);
    ASSERT_TRUE(b.scenario.availability.available) << b.scenario.availability.reason;
    double effect = 0.0;
    for (const auto& m : b.scenario.materials) {
        effect = std::max({effect, m.peak_shortfall_share.p50, m.peak_price_multiple.p50 - 1.0});
    }
    EXPECT_GT(effect, 1e-3) << b.scenario.id << " in " << b.scenario.region;
    EXPECT_GT(b.scenario.candidates.front().relevance, 0.0);
    for (const auto& c : b.scenario.candidates) {
        const auto said = testing::PrintToString(c.reasons);
        if (c.relevance == 0.0) {
            EXPECT_THAT(said, HasSubstr("no shortfall or price effect")) << c.id;
        } else {
            EXPECT_THAT(said, HasSubstr("reaches")) << c.id;
        }
    }
}
