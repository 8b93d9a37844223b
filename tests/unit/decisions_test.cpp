// The decision layers on a hand-computable world: gallium refined only in CHN (1,000 t/yr), the
// USA needs 200 t/yr (3.846 t/week) and gets nothing under a full Chinese ban from the first week
// (no leakage, no spare capacity anywhere).
#include <cmath>
#include <map>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lodestone/exposure/bom_exposure.hpp"
#include "lodestone/exposure/portfolio.hpp"
#include "lodestone/io/bom_reader.hpp"
#include "lodestone/io/dataset_reader.hpp"
#include "lodestone/io/holdings_reader.hpp"
#include "lodestone/io/scenario_reader.hpp"
#include "lodestone/optimize/stockpile_scenario.hpp"

namespace lodestone {
namespace {

using ::testing::HasSubstr;

model::World ban_world(const std::string& stockpiles = "") {
    io::DatasetFiles d;
    d.root = "ban";
    d.files = {
        {"dataset.toml", "name = \"ban\"\nversion = \"1\"\nas_of = 2026-01-01\n"},
        {"countries.csv",
         "iso3,name,region,wgi,blocs\nCHN,China,Asia,6,\nUSA,United States,America,2,G7\n"},
        {"materials.csv",
         "id,name,family,price_usd_t,price_year,elasticity_demand_short,elasticity_demand_long,"
         "elasticity_supply_long,substitution_lag_months,capacity_lag_months\ngallium,Gallium,x,"
         "500000,2024,-0.1,-0.5,0.5,12,12\n"},
        {"stages.csv", "material,stage,order,yield\ngallium,refined,1,1\n"},
        {"production.csv", "material,stage,country,year,tonnes\ngallium,refined,CHN,2024,1000\n"},
        {"demand.csv", "material,country,weight\ngallium,CHN,0.8\ngallium,USA,0.2\n"},
        {"sectors.csv",
         "id,name,gics,value_added_usd\ndefence,Defence,,1e11\nelectronics,Electronics,,1e12\n"},
        {"end_use.csv", "material,sector,share\ngallium,defence,0.2\ngallium,electronics,0.8\n"},
        {"intensity.csv",
         "sector,material,stage,kg_per_musd\nelectronics,gallium,refined,0.3\ndefence,gallium,"
         "refined,1\n"},
        {"measures.csv", "id,kind,country,materials,destinations,effective\n"},
    };
    if (!stockpiles.empty()) {
        d.files["stockpiles.csv"] =
            "holder,bloc_or_country,material,stage,tonnes,as_of,release_rule,source\n" + stockpiles;
    }
    return io::load_world(d).world;
}

model::ScenarioSpec ban_scenario(const model::World& world, const std::string& params) {
    return io::read_scenario(
        "[scenario]\nname = \"ban\"\nstart = 2026-01-05\nhorizon_weeks = 40\nruns = 4\n"
        "[[scenario.measures]]\naction = \"add\"\nid = \"BAN\"\nkind = \"export_ban\"\n"
        "country = \"CHN\"\nmaterials = [\"gallium\"]\n"
        "effective = 2026-01-05\n[scenario.parameters]\nleakage = 0\nreorder_delay_weeks = 0\n" +
            params,
        "ban.toml", world);
}

// Full ban from week 0 and 5 weeks of cover: the line runs on its stock for weeks 0-4 and stops in
// week 5 in every run; it then makes nothing for the remaining 35 weeks: 35 x 100 units lost.
TEST(BomExposure, FullBanStopsTheLineWhenTheCoverRunsOut) {
    const auto world = ban_world();
    const auto bom = io::parse_bom(
        "product,part,material,stage,kg_per_unit,supplier,supplier_country,tier,units_per_year,"
        "unit_price_usd,"
        "inventory_weeks,country\nwidget,die,gallium,refined,0.5,Fab,USA,1,5200,1000,5,USA\n",
        "bom.csv", "", "", world);
    exposure::ExposureOptions opt;
    opt.pass_through = 0.25;
    const auto r =
        exposure::bom_exposure(world, bom, ban_scenario(world, "inventory_weeks = 0\n"), opt);
    ASSERT_EQ(r.products.size(), 1U);
    const auto& p = r.products[0];
    EXPECT_EQ(r.runs, 4U);
    EXPECT_EQ(p.cover_basis, "BOM inventory_weeks");
    EXPECT_DOUBLE_EQ(p.stockout_week.p5, 5.0);
    EXPECT_DOUBLE_EQ(p.stockout_week.p95, 5.0);
    EXPECT_DOUBLE_EQ(p.p_stockout, 1.0);
    EXPECT_NEAR(p.lost_weeks.p50, 35.0, 1e-9);
    ASSERT_TRUE(p.lost_units.has_value());
    EXPECT_NEAR(p.lost_units->p50, 3500.0, 1e-6);
    EXPECT_DOUBLE_EQ(p.cost_before_usd, 250.0);  // 0.5 kg x 500,000 USD/t
    EXPECT_GT(p.cost_after_usd.p50, p.cost_before_usd);
    ASSERT_TRUE(p.margin_change_pp.has_value());
    EXPECT_NEAR(p.margin_change_pp->p50, -100.0 * p.cost_change_usd.p50 * 0.75 / 1000.0, 1e-9);
    EXPECT_EQ(p.driver_material, "gallium");
    EXPECT_EQ(p.driver_country, "CHN");
}

TEST(BomExposure, LineWithoutShortfallNeverStops) {
    const std::vector<std::vector<double>> full(2, std::vector<double>(10, 1.0));
    const auto out = exposure::run_line(full, 3);
    EXPECT_TRUE(std::isinf(out.stockout_week));
    EXPECT_DOUBLE_EQ(out.lost_weeks, 0.0);
}

// Half the supply of one material from week 2, cover 3 weeks: stock falls by 0.5 a week from week
// 2 and lasts to week 7 (3 / 0.5 = 6 weeks: weeks 2-7); week 8 runs at half output.
TEST(BomExposure, HalfSupplyDrainsTheCoverAtHalfSpeed) {
    std::vector<std::vector<double>> s(1, std::vector<double>(10, 1.0));
    for (std::size_t t = 2; t < 10; ++t) {
        s[0][t] = 0.5;
    }
    const auto out = exposure::run_line(s, 3);
    EXPECT_DOUBLE_EQ(out.stockout_week, 8.0);
    EXPECT_DOUBLE_EQ(out.lost_weeks, 1.0);  // weeks 8 and 9 at half output
    EXPECT_EQ(out.first_out, 0);
}

// With demand that does not respond to price, the USA's shortfall is its whole need once the
// market's 8 weeks of inventory are gone: holders release it all by the buyers' reservation price
// (500x), where the cover they want is 0, so from about week 8: 32 weeks x 200/52 t, to within a
// week. The value of lost supply defaults to 0.2 x 1e9/1 + 0.8 x 1e9/0.3 USD/t.
TEST(StockpileScenario, BudgetBuysTonnesAtPricePlusHolding) {
    const auto world = ban_world();
    optimize::StockpileRequest req;
    req.holder = "USA";
    req.budget_usd = 10e6;
    req.scenarios = {ban_scenario(
        world, "inventory_weeks = 8\nelasticity_demand_short = 0\nelasticity_demand_long = 0\n")};
    const auto solver = optimize::make_clp_solver();
    const auto r = optimize::plan_stockpile(world, req, *solver);
    ASSERT_EQ(r.plan.status, optimize::SolveStatus::Optimal) << r.plan.message;
    ASSERT_EQ(r.basis.size(), 1U);
    const auto& b = r.basis[0];
    EXPECT_NEAR(b.value_usd_t, 0.2e9 + 0.8e9 / 0.3, 1e-3);
    EXPECT_THAT(b.value_basis, HasSubstr("default: sector output lost per tonne short"));
    EXPECT_NEAR(b.holding_usd_t, 500000 * 0.02 * 40 / 52.0, 1e-6);
    EXPECT_EQ(b.start_source, "none in stockpiles.csv for USA");
    EXPECT_NEAR(b.expected_shortfall_t, 32.0 * 200 / 52.0, 200 / 52.0);
    // The budget binds: x = budget / (price + holding); the dual is v per USD of cost.
    const double c = 500000 + b.holding_usd_t;
    EXPECT_NEAR(r.plan.materials[0].tonnes, 10e6 / c, 1e-6);
    EXPECT_NEAR(r.plan.budget_dual, b.value_usd_t / c, 1e-6 * b.value_usd_t / c);
    EXPECT_DOUBLE_EQ(r.plan.coverage_before, 0.0);
}

// A strategic stock of the holder in stockpiles.csv is the LP's starting stock, and it leaves the
// simulated world (so the shortfall d is the same as without it: the LP decides its release).
TEST(StockpileScenario, StartingStockComesFromStockpilesCsv) {
    const auto without = ban_world();
    const auto with = ban_world("DLA,USA,gallium,refined,30,2026-01-01,26w,test row\n");
    optimize::StockpileRequest req;
    req.holder = "USA";
    req.budget_usd = 1e6;
    req.scenarios = {ban_scenario(without, "inventory_weeks = 8\n")};
    const auto solver = optimize::make_clp_solver();
    const auto a = optimize::plan_stockpile(without, req, *solver);
    const auto b = optimize::plan_stockpile(with, req, *solver);
    ASSERT_EQ(b.basis.size(), 1U);
    EXPECT_DOUBLE_EQ(b.basis[0].start_tonnes, 30.0);
    EXPECT_EQ(b.basis[0].start_source, "stockpiles.csv: DLA 30 t as of 2026-01-01");
    EXPECT_DOUBLE_EQ(a.basis[0].expected_shortfall_t, b.basis[0].expected_shortfall_t);
    // 30 t released at up to 30/26 t/week over the 32 weeks of shortfall: all of it.
    EXPECT_NEAR(b.plan.materials[0].expected_unmet_before_t,
                a.plan.materials[0].expected_unmet_before_t - 30.0, 1e-6);
}

TEST(StockpileScenario, UnknownHolderAndMaterialAreReportedTogether) {
    const auto world = ban_world();
    optimize::StockpileRequest req;
    req.holder = "XXX";
    req.budget_usd = 1;
    req.scenarios = {ban_scenario(world, "")};
    try {
        (void)optimize::plan_stockpile(world, req, *optimize::make_clp_solver());
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_THAT(
            e.what(),
            HasSubstr(
                "--holder: 'XXX' is not an ISO3 code or bloc of the dataset (E-UNKNOWN-COUNTRY)"));
    }
}

// Two holdings with weights 3:1 (normalised to 0.75/0.25). A gives its own cost share of gallium
// (0.1 of cost of goods, cogs 0.5); B is the electronics sector: 0.3 kg/MUSD x 500,000 USD/t / 1e9
// / 0.7 (default cogs share) = 0.000214 of cost of goods. Under the US ban, US prices rise: the
// margin change is -cost impact x cogs x (1 - pass-through) in every run, so also on average.
TEST(Portfolio, MarginFollowsCostImpactAndWeightsNormalise) {
    const auto world = ban_world();
    const auto holdings = io::parse_holdings(
        "holding,weight,sector,cost_shares,country,cogs_share\nA,3,,gallium=0.1,USA,0.5\nB,1,"
        "electronics,,USA,\n",
        "h.csv", world);
    ASSERT_EQ(holdings.size(), 2U);
    EXPECT_DOUBLE_EQ(holdings[0].weight, 0.75);
    exposure::PortfolioOptions opt;
    opt.pass_through = 0.4;
    const auto r = exposure::portfolio_exposure(
        world, holdings, {ban_scenario(world, "inventory_weeks = 4\n")}, opt);
    ASSERT_EQ(r.holdings.size(), 2U);
    const auto& a = r.holdings[0];
    const auto& b = r.holdings[1];
    EXPECT_GT(a.cost_pct_cogs_mean, 0.0);
    EXPECT_NEAR(a.margin_pp_mean, -a.cost_pct_cogs_mean * 0.5 * 0.6, 1e-9);
    EXPECT_EQ(b.cogs_basis, "ASSUMPTION: default cost of goods / revenue 0.7");
    ASSERT_EQ(b.cost_shares.size(), 1U);
    EXPECT_NEAR(b.cost_shares[0].second, 0.3 * 500000 / 1e9 / 0.7, 1e-15);
    // Same price path, share ratio 0.1 / 0.000214: B's cost impact is that much smaller.
    EXPECT_NEAR(b.cost_pct_cogs_mean / a.cost_pct_cogs_mean, b.cost_shares[0].second / 0.1, 1e-9);
    EXPECT_EQ(a.rank, 1);
    EXPECT_EQ(a.driver_material, "gallium");
    EXPECT_LE(a.margin_cvar_pp, a.margin_pp_mean + 1e-12);
    EXPECT_NEAR(r.margin_pp_mean, 0.75 * a.margin_pp_mean + 0.25 * b.margin_pp_mean, 1e-9);
}

// Found by fuzzing: two weights near the largest double summed to infinity and every weight
// normalised to 0. Such weights are now refused with their range; equal weights at the bound
// must come out as 1/2 each.
TEST(Portfolio, HugeWeightsAreRefusedAndWeightsAtTheBoundNormalise) {
    const auto world = ban_world();
    const auto holdings = io::parse_holdings(
        "holding,weight,sector\nA,1e15,electronics\nB,1e15,defence\nC,0,defence\n", "h.csv", world);
    ASSERT_EQ(holdings.size(), 3U);
    EXPECT_DOUBLE_EQ(holdings[0].weight, 0.5);
    EXPECT_DOUBLE_EQ(holdings[1].weight, 0.5);
    EXPECT_DOUBLE_EQ(holdings[2].weight, 0.0);
    try {
        (void)io::parse_holdings(
            "holding,weight,sector\nA,1.5e308,electronics\nB,1.5e308,defence\n", "h.csv", world);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_THAT(
            e.what(),
            HasSubstr(
                "h.csv:2:3: weight: expected a number in [0,1e+15], got '1.5e308' (E-RANGE)"));
        EXPECT_THAT(
            e.what(),
            HasSubstr(
                "h.csv:3:3: weight: expected a number in [0,1e+15], got '1.5e308' (E-RANGE)"));
    }
}

TEST(Portfolio, HoldingsReportEveryProblem) {
    const auto world = ban_world();
    try {
        (void)io::parse_holdings(
            "holding,weight,sector,cost_shares\nA,x,defence,\nB,1,,gallium=2\nA,1,,\n", "h.csv",
            world);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        const std::string what = e.what();
        EXPECT_THAT(what, HasSubstr("h.csv:2:"));
        EXPECT_THAT(what, HasSubstr("(E-NUMBER)"));
        EXPECT_THAT(what, HasSubstr("h.csv:3:"));
        EXPECT_THAT(what, HasSubstr("cost share of gallium outside [0,1] (E-SHARE-RANGE)"));
        EXPECT_THAT(what, HasSubstr("holding 'A' listed twice (E-DUPLICATE)"));
        EXPECT_THAT(what,
                    HasSubstr("give either sector or cost_shares for holding 'A' (E-REQUIRED)"));
    }
}

}  // namespace
}  // namespace lodestone
