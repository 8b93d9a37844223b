// Sensitivity analysis on a scenario whose answer is known by construction: gallium licensing on
// the US with an uncertain approval rate (shortfall falls as approval rises) and an uncertain
// purchase window in a scenario without purchases (it cannot move anything: swing exactly 0).
// Also: pinning keeps the other parameters' random numbers (common random numbers).
#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "lodestone/io/dataset_reader.hpp"
#include "lodestone/io/scenario_reader.hpp"
#include "lodestone/sim/market.hpp"
#include "lodestone/sim/output.hpp"
#include "lodestone/sim/random.hpp"
#include "lodestone/sim/scenario_draw.hpp"
#include "lodestone/sim/sensitivity.hpp"

namespace lodestone::sim {
namespace {

/// Gallium refined in CHN (900 t) and JPN (100 t); demand CHN 0.4, USA 0.2, JPN 0.2, DEU 0.1,
/// FRA 0.1: the US buys from China.
model::World gallium_world() {
    io::DatasetFiles d;
    d.root = "sens";
    d.files = {
        {"dataset.toml", "name = \"sens\"\nversion = \"1\"\nas_of = 2026-01-01\n"},
        {"countries.csv",
         "iso3,name,region,wgi,blocs\nCHN,China,Asia,6,\nUSA,United States,America,2,G7\n"
         "JPN,Japan,Asia,2,G7\nDEU,Germany,Europe,2,EU;G7\nFRA,France,Europe,2,EU;G7\n"},
        {"materials.csv",
         "id,name,family,price_usd_t,price_year,elasticity_demand_short,elasticity_demand_long,"
         "elasticity_supply_long,substitution_lag_months,capacity_lag_months\n"
         "gallium,Gallium,x,500000,2024,-0.1,-0.5,0.5,12,12\n"},
        {"stages.csv", "material,stage,order,yield\ngallium,refined,1,1\n"},
        {"production.csv",
         "material,stage,country,year,tonnes\ngallium,refined,CHN,2024,900\n"
         "gallium,refined,JPN,2024,100\n"},
        {"demand.csv",
         "material,country,weight\ngallium,CHN,0.4\ngallium,USA,0.2\ngallium,JPN,0.2\n"
         "gallium,DEU,0.1\ngallium,FRA,0.1\n"},
        {"sectors.csv",
         "id,name,gics,value_added_usd\ndefence,Defence,,1e11\nelectronics,Electronics,,1e12\n"},
        {"end_use.csv", "material,sector,share\ngallium,defence,0.2\ngallium,electronics,0.8\n"},
        {"intensity.csv",
         "sector,material,stage,kg_per_musd\nelectronics,gallium,refined,0.3\n"
         "defence,gallium,refined,1\n"},
        {"measures.csv", "id,kind,country,materials,destinations,effective\n"},
    };
    return io::load_world(d).world;
}

/// Licensing of gallium exports to the US from the start; `approval` is the TOML value.
std::string licensing(const std::string& approval) {
    return R"([scenario]
name = "licence"
start = 2026-01-05
horizon_weeks = 40
runs = 12
seed = 5
regions = ["USA"]

[scenario.parameters]
inventory_weeks = 4
reorder_delay_weeks = 30
leakage = 0
purchase_weeks = { dist = "uniform", min = 10, max = 80 }

[[scenario.measures]]
action = "add"
id = "LIC"
kind = "export_licensing"
country = "CHN"
materials = ["gallium"]
destinations = ["USA"]
effective = 2026-01-05
lead_time_days = 14
approval_rate = )" +
           approval + "\n";
}

const Tornado& tornado(const SensitivityResult& r,
                       const std::string& region,
                       SummaryMetric metric) {
    for (const auto& t : r.tornados) {
        if (t.region == region && t.material == "gallium" && t.metric == metric) {
            return t;
        }
    }
    throw std::runtime_error("no tornado");
}

const SensitivityBar& bar(const Tornado& t, const std::string& suffix) {
    for (const auto& b : t.bars) {
        if (b.path.ends_with(suffix)) {
            return b;
        }
    }
    throw std::runtime_error("no bar " + suffix);
}

constexpr const char* kApproval = "scenario.measures[0].approval_rate";

TEST(Sensitivity, PinningKeepsTheOtherParametersRandomNumbers) {
    const auto world = gallium_world();
    auto spec =
        io::read_scenario(licensing("{ dist = \"beta\", alpha = 2, beta = 3 }"), "t.toml", world);
    auto pinned = spec;
    pinned.pinned[kApproval] = 0.5;
    for (std::uint64_t run = 0; run < 20; ++run) {
        auto a = run_stream(9, run);
        auto b = run_stream(9, run);
        const auto free = param_sites(draw_scenario(spec, a));
        const auto pin = param_sites(draw_scenario(pinned, b));
        ASSERT_EQ(free.size(), pin.size());
        for (std::size_t i = 0; i < free.size(); ++i) {
            EXPECT_EQ(pin[i].dist.value, free[i].path == kApproval ? 0.5 : free[i].dist.value)
                << free[i].path;
        }
        EXPECT_EQ(a(), b());  // the streams are at the same place afterwards
    }
}

TEST(Sensitivity, OatSwingIsZeroForAnInertParameterAndApprovalLowersShortfall) {
    const auto world = gallium_world();
    const auto spec = io::read_scenario(licensing("{ dist = \"uniform\", min = 0.1, max = 0.9 }"),
                                        "t.toml", world);
    SensitivityOptions opt;
    opt.runs = 6;
    opt.threads = 2;
    const auto r = run_sensitivity(world, spec, 0, opt);
    ASSERT_FALSE(r.cancelled);
    EXPECT_EQ(r.runs, 6U);
    EXPECT_EQ(r.model_runs, 6U * 5U);  // base + 2 parameters x (P5, P95)
    ASSERT_EQ(r.params.size(), 2U);
    // Headline outputs only, per (region, material): WORLD and USA x 3 metrics.
    EXPECT_EQ(r.tornados.size(), 6U);

    const auto& peak = tornado(r, "USA", SummaryMetric::PeakShortfallShare);
    ASSERT_EQ(peak.bars.size(), 2U);
    EXPECT_EQ(peak.bars[0].path, kApproval);  // sorted by swing
    const auto& approval = bar(peak, "approval_rate");
    EXPECT_DOUBLE_EQ(approval.low_value, 0.1 + 0.8 * 0.05);
    EXPECT_DOUBLE_EQ(approval.high_value, 0.1 + 0.8 * 0.95);
    // More approval, less shortfall; the base (approval drawn, the only parameter that matters,
    // so its median run has the median approval) lies between.
    EXPECT_GT(approval.median_low, approval.median_high);
    EXPECT_GE(approval.median_low, peak.median_base);
    EXPECT_GE(peak.median_base, approval.median_high);
    EXPECT_DOUBLE_EQ(approval.swing, approval.median_low - approval.median_high);
    EXPECT_GT(approval.swing, 0.05);

    // By construction the pinned variant is the scenario with the approval rate written as 0.14.
    const auto fixed =
        compile_simulation(world, io::read_scenario(licensing("0.14"), "t.toml", world));
    const auto run = simulate_run(fixed, 5, 3);
    for (std::size_t j = 0; j < fixed.summaries.size(); ++j) {
        const auto& s = fixed.summaries[j];
        if (s.region == "USA" && s.group == "gallium" && !s.sector &&
            s.metric == SummaryMetric::PeakShortfallShare) {
            EXPECT_NEAR(approval.median_low, run.summaries[j], 1e-12);
        }
    }

    // No purchase in the scenario: its window cannot move any output. Swing exactly 0 everywhere.
    for (const auto& t : r.tornados) {
        const auto& inert = bar(t, "purchase_weeks");
        EXPECT_EQ(inert.swing, 0.0) << t.region << " " << to_string(t.metric);
        EXPECT_EQ(inert.median_low, inert.median_high);
        EXPECT_EQ(inert.median_low, t.median_base);
    }
    // The JSON carries the tornados in the same order, bars by swing.
    const auto j = sensitivity_json(r, spec.name);
    EXPECT_EQ(j["method"], "oat");
    EXPECT_EQ(j["tornados"].size(), r.tornados.size());
    EXPECT_EQ(j["parameters"][0]["path"], kApproval);
}

TEST(Sensitivity, MorrisRanksTheApprovalRateAndGivesTheInertParameterNoEffect) {
    const auto world = gallium_world();
    const auto spec = io::read_scenario(licensing("{ dist = \"uniform\", min = 0.1, max = 0.9 }"),
                                        "t.toml", world);
    SensitivityOptions opt;
    opt.method = SensitivityMethod::Morris;
    opt.trajectories = 6;
    opt.threads = 2;
    const auto r = run_sensitivity(world, spec, 0, opt);
    EXPECT_EQ(r.model_runs, 6U * 3U);  // r (k + 1)
    const auto& peak = tornado(r, "USA", SummaryMetric::PeakShortfallShare);
    EXPECT_EQ(peak.bars[0].path, kApproval);
    EXPECT_GT(bar(peak, "approval_rate").mu_star, 0.05);
    EXPECT_EQ(bar(peak, "purchase_weeks").mu_star, 0.0);
    EXPECT_EQ(bar(peak, "purchase_weeks").sigma, 0.0);
    // The same seed gives the same trajectories for any thread count.
    opt.threads = 1;
    const auto again = run_sensitivity(world, spec, 0, opt);
    EXPECT_EQ(sensitivity_json(again, spec.name), sensitivity_json(r, spec.name));
}

TEST(Sensitivity, AScenarioWithoutUncertaintyHasNoBars) {
    const auto world = gallium_world();
    auto text = licensing("0.5");
    const std::string window = "{ dist = \"uniform\", min = 10, max = 80 }";
    text.replace(text.find(window), window.size(), "52");
    const auto spec = io::read_scenario(text, "t.toml", world);
    SensitivityOptions opt;
    opt.runs = 2;
    const auto r = run_sensitivity(world, spec, 0, opt);
    EXPECT_TRUE(r.params.empty());
    ASSERT_FALSE(r.tornados.empty());
    for (const auto& t : r.tornados) {
        EXPECT_TRUE(t.bars.empty());
    }
}

}  // namespace
}  // namespace lodestone::sim
