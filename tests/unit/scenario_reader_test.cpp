// Scenario TOML reader: fields land in the spec; every problem is reported at once with its line,
// column and key path; exact texts are asserted.
#include "lodestone/io/scenario_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/core/hash.hpp"
#include "sim_fixture.hpp"

namespace lodestone::io {
namespace {

using model::Distribution;
using ::testing::ElementsAre;

std::vector<std::string> errors_of(const std::string& text) {
    const auto world = lodestone::testing::tiny_world();
    try {
        (void)read_scenario(text, "s.toml", world);
    } catch (const InputError& e) {
        std::vector<std::string> out;
        for (const auto& d : e.diagnostics()) {
            out.push_back(d.to_string());
        }
        return out;
    }
    return {};
}

constexpr const char* kGood = R"(# a good scenario
[scenario]
name = "Ban lapses"
description = "The suspension ends"
sources = ["a", "b"]
start = 2026-11-01
horizon_weeks = 78
runs = 300
seed = 42
baseline = "status_quo"
materials = ["gallium"]
regions = ["USA", "EU", "WORLD"]
price_cap_multiple = 15

[scenario.parameters]
leakage = { dist = "uniform", min = 0.05, max = 0.2 }
inventory_weeks = { dist = "triangular", min = 4, mode = 8, max = 16 }
reorder_delay_weeks = 10
elasticity_demand_short = -0.08

[scenario.material.gallium]
inventory_weeks = { dist = "lognormal", median = 6, sigma = 0.3 }

[scenario.sectors]
allocation = "priority"
priority = ["defence"]

[[scenario.measures]]
action = "change"
id = "CN-LIC"
approval_rate = { dist = "beta", alpha = 2, beta = 3 }
expires = 2027-06-30

[[scenario.measures]]
action = "lift"
id = "CN-SUSP"
from = 2026-12-01

[[scenario.measures]]
action = "add"
id = "NEW-BAN"
kind = "export_ban"
country = "CHN"
materials = "rare_earths"
stages = ["magnet"]
destinations = ["USA", "EU"]
effective = "2026-12-01"
duration_days = { dist = "triangular", min = 180, mode = 365, max = 540 }

[[scenario.stockpiles]]
holder = "DLA"
country = "USA"
material = "gallium"
stage = "refined"
tonnes = 20
release_weeks = 26

[[scenario.world.production]]
material = "gallium"
stage = "refined"
country = "CHN"
tonnes = 700
year = 2024

[scenario.world.prices]
gallium = 600000
)";

TEST(ScenarioReader, ReadsEveryField) {
    const auto world = lodestone::testing::tiny_world();
    const auto s = read_scenario(kGood, "s.toml", world);
    EXPECT_EQ(s.file, "s.toml");
    EXPECT_EQ(s.content_hash, fnv1a_hex(kGood));
    EXPECT_EQ(s.name, "Ban lapses");
    EXPECT_THAT(s.sources, ElementsAre("a", "b"));
    EXPECT_EQ(s.start.to_string(), "2026-11-01");
    EXPECT_EQ(s.horizon_weeks, 78);
    EXPECT_EQ(s.runs, 300);
    EXPECT_EQ(s.seed, 42u);
    EXPECT_FALSE(s.free_trade_baseline);
    EXPECT_THAT(s.materials, ElementsAre("gallium"));
    EXPECT_THAT(s.regions, ElementsAre("USA", "EU"));
    EXPECT_EQ(*s.price_cap_multiple, 15.0);
    ASSERT_TRUE(s.params.leakage);
    EXPECT_EQ(s.params.leakage->kind, Distribution::Kind::Uniform);
    EXPECT_EQ(s.params.leakage->max, 0.2);
    EXPECT_EQ(s.params.inventory_weeks->mode, 8.0);
    EXPECT_TRUE(s.params.reorder_delay_weeks->is_fixed());
    EXPECT_EQ(s.params.reorder_delay_weeks->value, 10.0);
    EXPECT_EQ(s.params.elasticity_demand_short->value, -0.08);
    EXPECT_EQ(s.material_params.at("gallium").inventory_weeks->median, 6.0);
    EXPECT_TRUE(s.sector_priority);
    EXPECT_THAT(s.priority_sectors, ElementsAre("defence"));
    ASSERT_EQ(s.measures.size(), 3u);
    EXPECT_EQ(s.measures[0].action, model::MeasureEdit::Action::Change);
    EXPECT_THAT(s.measures[0].changed, ElementsAre("expires"));
    EXPECT_EQ(s.measures[0].approval_rate->kind, Distribution::Kind::Beta);
    EXPECT_EQ(s.measures[1].action, model::MeasureEdit::Action::Lift);
    EXPECT_EQ(s.measures[1].lift_from->to_string(), "2026-12-01");
    const auto& add = s.measures[2];
    EXPECT_EQ(add.measure.kind, model::MeasureKind::ExportBan);
    EXPECT_THAT(add.measure.materials, ElementsAre("rare_earths"));
    EXPECT_EQ(add.measure.destinations.mode, model::DestinationSet::Mode::Listed);
    EXPECT_THAT(add.measure.destinations.codes, ElementsAre("USA", "EU"));
    EXPECT_EQ(add.measure.effective->to_string(), "2026-12-01");
    EXPECT_EQ(add.duration_days->mode, 365.0);
    ASSERT_EQ(s.stockpiles.size(), 1u);
    EXPECT_EQ(s.stockpiles[0].tonnes->value, 20.0);
    ASSERT_EQ(s.production.size(), 1u);
    EXPECT_EQ(s.production[0].tonnes, 700.0);
    EXPECT_EQ(s.price_usd_t.at("gallium"), 600000.0);
}

TEST(ScenarioReader, DefaultsWhenOptionalKeysAreAbsent) {
    const auto world = lodestone::testing::tiny_world();
    const auto s = read_scenario("[scenario]\nname = \"x\"\nstart = 2026-01-01\n", "s.toml", world);
    EXPECT_EQ(s.horizon_weeks, 52);
    EXPECT_EQ(s.runs, 200);
    EXPECT_EQ(s.seed, 1u);
    EXPECT_TRUE(s.measures.empty());
    EXPECT_FALSE(s.params.leakage.has_value());
}

TEST(ScenarioReader, ReportsEveryProblemWithItsKeyPath) {
    const char* text = R"([scenario]
name = "bad"
start = "2026-13-01"
horizon_weeks = 0
baseline = "nope"
materials = ["gallium", "unobtainium"]
colour = "red"

[scenario.parameters]
leakage = 1.5
inventory_weeks = { dist = "lognormal", median = 6 }
restock_weeks = { dist = "normal", mean = 3 }

[[scenario.measures]]
action = "add"
id = "A"
kind = "export_ban"
country = "CHN"
materials = ["gallium"]
effective = 2026-12-01

[[scenario.measures]]
action = "add"
id = "B"
kind = "export_licensing"
country = "XXX"
materials = ["gallium"]
effective = 2026-12-01
expires = 2026-11-01
approval_rate = 1.4

[[scenario.measures]]
action = "change"
id = "NOPE"
approval_rate = { dist = "lognormal", median = 0.5, sigma = 0.2 }
)";
    EXPECT_THAT(
        errors_of(text),
        ElementsAre(
            "s.toml:7:10: scenario.colour: unknown key; expected one of name, description, start, "
            "horizon_weeks, runs, seed, baseline, materials, regions, price_cap_multiple, "
            "parameters, "
            "material, sectors, measures, stockpiles, world, sources (E-TOML)",
            "s.toml:3:9: scenario.start: expected a date YYYY-MM-DD (E-DATE)",
            "s.toml:4:17: scenario.horizon_weeks: expected an integer in [1,1040] (E-RANGE)",
            "s.toml:5:12: scenario.baseline: expected 'status_quo' or 'free_trade', got 'nope' "
            "(E-ENUM)",
            "s.toml:6:13: scenario.materials: unknown material 'unobtainium' (E-UNKNOWN-MATERIAL)",
            "s.toml:10:11: scenario.parameters.leakage: expected a number in [0,1] (E-RANGE)",
            "s.toml:11:19: scenario.parameters.inventory_weeks.sigma: required key is missing "
            "(E-REQUIRED)",
            "s.toml:12:26: scenario.parameters.restock_weeks.dist: unknown distribution 'normal'; "
            "expected fixed, uniform, triangular, beta or lognormal (E-ENUM)",
            "s.toml:26:11: scenario.measures[1].country: unknown country or bloc 'XXX' "
            "(E-UNKNOWN-COUNTRY)",
            "s.toml:29:11: scenario.measures[1].expires: ends 2026-11-01 before it starts "
            "2026-12-01 "
            "(E-DATE-ORDER)",
            "s.toml:30:17: scenario.measures[1].approval_rate: expected a number in [0,1] "
            "(E-RANGE)",
            "s.toml:34:6: scenario.measures[2].id: unknown measure 'NOPE' (E-UNKNOWN-MEASURE)",
            "s.toml:35:17: scenario.measures[2].approval_rate: expected a number in [0,1]; a "
            "lognormal "
            "distribution is unbounded, use beta or triangular (E-RANGE)"));
}

TEST(ScenarioReader, DistributionSupportMustFitTheParameter) {
    EXPECT_THAT(
        errors_of("[scenario]\nname = \"x\"\nstart = 2026-01-01\n[scenario.parameters]\n"
                  "leakage = { dist = \"uniform\", min = 0.5, max = 1.5 }\n"
                  "restock_weeks = { dist = \"triangular\", min = 4, mode = 2, max = 8 }\n"),
        ElementsAre("s.toml:5:11: scenario.parameters.leakage: expected a number in [0,1]; the "
                    "distribution's support [0.5,1.5] is not inside it (E-RANGE)",
                    "s.toml:6:17: scenario.parameters.restock_weeks: triangular needs min <= "
                    "mode <= max and min < max (E-RANGE)"));
}

TEST(ScenarioReader, MissingScenarioTableAndSyntaxErrors) {
    EXPECT_THAT(errors_of("name = 1\n"),
                ElementsAre("s.toml:1:8: name: unknown key; expected one of scenario (E-TOML)",
                            "s.toml:1:1: scenario: a [scenario] table is required (see "
                            "docs/scenarios.md) (E-REQUIRED)"));
    const auto e = errors_of("[scenario\n");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_THAT(e[0], ::testing::StartsWith("s.toml:1:"));
    EXPECT_THAT(e[0], ::testing::EndsWith("(E-TOML)"));
}

TEST(ScenarioReader, MeasureReferencesAreChecked) {
    const char* text = R"([scenario]
name = "x"
start = 2026-01-01
[[scenario.measures]]
action = "add"
id = "CN-LIC"
kind = "export_quota"
country = "CHN"
materials = ["gallium"]
stages = ["magnet"]
effective = 2026-02-01
[[scenario.measures]]
action = "destroy"
id = "Z"
[[scenario.measures]]
action = "change"
id = "CN-BAN-US"
[[scenario.measures]]
action = "lift"
id = "CN-SUSP"
approval_rate = 0.5
)";
    EXPECT_THAT(
        errors_of(text),
        ElementsAre(
            "s.toml:6:6: scenario.measures[0].id: measure 'CN-LIC' already exists; use action = "
            "\"change\" (E-DUPLICATE)",
            "s.toml:10:10: scenario.measures[0].stages: stage 'magnet' belongs to none of the "
            "measure's materials (E-UNKNOWN-STAGE)",
            "s.toml:4:1: scenario.measures[0].quota_tonnes: an export_quota needs quota_tonnes or "
            "quota_share (E-REQUIRED)",
            "s.toml:13:10: scenario.measures[1].action: expected 'add', 'lift' or 'change', got "
            "'destroy' (E-ENUM)",
            "s.toml:15:1: scenario.measures[2]: a change must set at least one field (E-REQUIRED)",
            "s.toml:21:17: scenario.measures[3].approval_rate: unknown key; expected one of "
            "action, "
            "id, from, note (E-TOML)"));
}

TEST(ScenarioReader, SectorsStockpilesAndWorldOverridesAreChecked) {
    const char* text = R"([scenario]
name = "x"
start = 2026-01-01
[scenario.sectors]
allocation = "priority"
priority = ["defence", "spaceships", "defence"]
[[scenario.stockpiles]]
holder = "DLA"
country = "ATL"
material = "gallium"
stage = "mine"
release_weeks = 0
[[scenario.world.production]]
material = "gallium"
stage = "refined"
country = "CHN"
tonnes = -3
[scenario.world.prices]
gallium = 0
)";
    EXPECT_THAT(
        errors_of(text),
        ElementsAre(
            "s.toml:6:12: scenario.sectors.priority: unknown sector 'spaceships' "
            "(E-UNKNOWN-SECTOR)",
            "s.toml:6:12: scenario.sectors.priority: sector 'defence' listed twice (E-DUPLICATE)",
            "s.toml:9:11: scenario.stockpiles[0].country: unknown country or bloc 'ATL' "
            "(E-UNKNOWN-COUNTRY)",
            "s.toml:11:9: scenario.stockpiles[0].stage: material 'gallium' has no stage 'mine' "
            "(E-UNKNOWN-STAGE)",
            "s.toml:7:1: scenario.stockpiles[0].tonnes: required key is missing (E-REQUIRED)",
            "s.toml:12:17: scenario.stockpiles[0].release_weeks: expected a number in [1,1040] "
            "(E-RANGE)",
            "s.toml:17:10: scenario.world.production[0].tonnes: expected a number in [0,1e+15] "
            "(E-RANGE)",
            "s.toml:19:11: scenario.world.prices.gallium: expected a number in (0,1e+15] "
            "(E-RANGE)"));
}

// Every number is finite (TOML has nan and inf), and every parameter that sizes the simulation's
// memory or turns into a whole count of days has an upper bound: out of range is a located error.
TEST(ScenarioReader, NumbersAreFiniteAndBounded) {
    const char* text = R"([scenario]
name = "x"
start = 2026-01-01
price_cap_multiple = nan
[scenario.parameters]
leakage_delay_weeks = 10000000
reorder_delay_weeks = inf
spare_capacity = -inf
capacity_lag_months = 241
[[scenario.measures]]
action = "add"
id = "NEW"
kind = "export_ban"
country = "CHN"
materials = ["gallium"]
effective = 2026-02-01
duration_days = 2147483648
[[scenario.world.production]]
material = "gallium"
stage = "refined"
country = "CHN"
tonnes = inf
)";
    EXPECT_THAT(
        errors_of(text),
        ElementsAre(
            "s.toml:4:22: scenario.price_cap_multiple: expected a number in [1,1000] (E-RANGE)",
            "s.toml:6:23: scenario.parameters.leakage_delay_weeks: expected a number in [0,1040] "
            "(E-RANGE)",
            "s.toml:7:23: scenario.parameters.reorder_delay_weeks: expected a number in [0,1040] "
            "(E-RANGE)",
            "s.toml:8:18: scenario.parameters.spare_capacity: expected a number in [0,1e+15] "
            "(E-RANGE)",
            "s.toml:9:23: scenario.parameters.capacity_lag_months: expected a number in [0,240] "
            "(E-RANGE)",
            "s.toml:17:17: scenario.measures[0].duration_days: expected a number in [1,36500] "
            "(E-RANGE)",
            "s.toml:22:10: scenario.world.production[0].tonnes: expected a number in [0,1e+15] "
            "(E-RANGE)"));
}

TEST(ScenarioFile, MissingFileIsReported) {
    const auto world = lodestone::testing::tiny_world();
    try {
        (void)read_scenario_file("/nonexistent/x.toml", world);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.diagnostics().at(0).to_string(),
                  "/nonexistent/x.toml: scenario file does not exist (E-FILE-MISSING)");
    }
}

}  // namespace
}  // namespace lodestone::io
