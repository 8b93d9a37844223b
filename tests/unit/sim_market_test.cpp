// The weekly market model (docs/market_model.md) on small hand-computable datasets, and its
// invariants: steady state without measures, mass balance every step, a full ban on the only
// supplier with c weeks of cover starting shortfall at week c, monotonicity in approval rate and
// leakage, independence of row order, and the Monte Carlo driver's thread invariance and exact
// single run.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/io/dataset_reader.hpp"
#include "lodestone/io/scenario_reader.hpp"
#include "lodestone/sim/internal/material_week.hpp"
#include "lodestone/sim/market.hpp"
#include "lodestone/sim/monte_carlo.hpp"
#include "lodestone/sim/output.hpp"
#include "lodestone/sim/random.hpp"
#include "thread_ranks.hpp"

namespace lodestone::sim {
namespace {

using ::testing::HasSubstr;

/// Gallium refined in CHN (900 t) and JPN (100 t); demand CHN 0.4, USA 0.2, JPN 0.2, DEU 0.1,
/// FRA 0.1. By the surplus rule CHN exports 500 t/yr: USA 200, JPN 100, DEU 100, FRA 100.
/// Rare earths: mine CHN 1000 -> separation CHN 400 + JPN 100 (yield 0.5) -> magnet CHN 300 +
/// JPN 150 (yield 0.9) with demand CHN 0.5, USA 0.3, DEU 0.2.
std::map<std::string, std::string> base_files() {
    return {
        {"dataset.toml", "name = \"mkt\"\nversion = \"1\"\nas_of = 2026-01-01\n"},
        {"countries.csv",
         "iso3,name,region,wgi,blocs\nCHN,China,Asia,6,\nUSA,United States,America,2,G7\n"
         "JPN,Japan,Asia,2,G7\nDEU,Germany,Europe,2,EU;G7\nFRA,France,Europe,2,EU;G7\n"},
        {"materials.csv",
         "id,name,family,price_usd_t,price_year,elasticity_demand_short,elasticity_demand_long,"
         "elasticity_supply_long,substitution_lag_months,capacity_lag_months\n"
         "gallium,Gallium,x,500000,2024,-0.1,-0.5,0.5,12,12\n"
         "rare_earths,Rare earths,x,60000,2024,-0.05,-0.4,0.5,24,48\n"},
        {"stages.csv",
         "material,stage,order,yield\ngallium,refined,1,1\nrare_earths,mine,1,1\n"
         "rare_earths,separation,2,0.5\nrare_earths,magnet,3,0.9\n"},
        {"production.csv",
         "material,stage,country,year,tonnes\ngallium,refined,CHN,2024,900\ngallium,refined,JPN,"
         "2024,100\n"
         "rare_earths,mine,CHN,2024,1000\nrare_earths,separation,CHN,2024,400\n"
         "rare_earths,separation,JPN,2024,100\nrare_earths,magnet,CHN,2024,300\n"
         "rare_earths,magnet,JPN,2024,150\n"},
        {"demand.csv",
         "material,country,weight\ngallium,CHN,0.4\ngallium,USA,0.2\ngallium,JPN,0.2\ngallium,DEU,"
         "0.1\n"
         "gallium,FRA,0.1\nrare_earths,CHN,0.5\nrare_earths,USA,0.3\nrare_earths,DEU,0.2\n"},
        {"sectors.csv",
         "id,name,gics,value_added_usd\ndefence,Defence,,1e11\nelectronics,Electronics,,1e12\n"
         "automotive,Automotive,,1e12\n"},
        {"end_use.csv",
         "material,sector,share\ngallium,defence,0.2\ngallium,electronics,0.8\nrare_earths,defence,"
         "0.1\n"
         "rare_earths,automotive,0.9\n"},
        {"intensity.csv",
         "sector,material,stage,kg_per_musd\nelectronics,gallium,refined,0.3\ndefence,gallium,"
         "refined,1\n"
         "automotive,rare_earths,magnet,20\ndefence,rare_earths,magnet,5\n"},
        {"measures.csv", "id,kind,country,materials,destinations,effective\n"},
    };
}

model::World load(std::map<std::string, std::string> overrides = {}) {
    auto files = base_files();
    for (auto& [k, v] : overrides) {
        files[k] = v;
    }
    io::DatasetFiles d;
    d.root = "mkt";
    d.files = std::move(files);
    return io::load_world(d).world;
}

/// A scenario text with the given extra TOML after the [scenario] header lines.
std::string scenario(const std::string& body,
                     const std::string& head = "",
                     int horizon = 40,
                     const std::string& regions = "\"USA\", \"EU\"") {
    return "[scenario]\nname = \"t\"\nstart = 2026-01-05\nhorizon_weeks = " +
           std::to_string(horizon) + "\nregions = [" + regions + "]\n" + head + "\n" + body;
}

std::string exact(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

struct Fixture {
    model::World world;
    Simulation sim;
    Fixture(model::World w, const std::string& toml) : world(std::move(w)) {
        sim = compile_simulation(world, io::read_scenario(toml, "t.toml", world));
    }
    Fixture(const Fixture&) = delete;  // sim.world points into this->world
    Fixture& operator=(const Fixture&) = delete;
    std::size_t series(const std::string& region,
                       const std::string& group,
                       Metric metric,
                       bool sector = false) const {
        for (std::size_t i = 0; i < sim.series.size(); ++i) {
            const auto& s = sim.series[i];
            if (s.region == region && s.group == group && s.metric == metric &&
                s.sector == sector) {
                return i;
            }
        }
        throw std::runtime_error("no series " + region + "/" + group);
    }
    double at(const RunResult& r, std::size_t s, std::size_t t) const {
        return r.values[s * static_cast<std::size_t>(sim.horizon_weeks) + t];
    }
    /// First week with a shortfall share above 1e-9, or -1.
    int first_shortfall(const RunResult& r,
                        const std::string& region,
                        const std::string& group) const {
        const auto s = series(region, group, Metric::ShortfallShare);
        for (int t = 0; t < sim.horizon_weeks; ++t) {
            if (at(r, s, static_cast<std::size_t>(t)) > 1e-9) {
                return t;
            }
        }
        return -1;
    }
    double cumulative(const RunResult& r,
                      const std::string& region,
                      const std::string& group) const {
        const auto s = series(region, group, Metric::ShortfallTonnes);
        double sum = 0;
        for (int t = 0; t < sim.horizon_weeks; ++t) {
            sum += at(r, s, static_cast<std::size_t>(t));
        }
        return sum;
    }
};

constexpr const char* kBanUsa = R"(
[[scenario.measures]]
action = "add"
id = "BAN"
kind = "export_ban"
country = "CHN"
materials = ["gallium"]
destinations = ["USA"]
effective = 2026-01-05
)";

constexpr const char* kLicenceAll = R"(
[[scenario.measures]]
action = "add"
id = "LIC"
kind = "export_licensing"
country = "CHN"
materials = ["gallium"]
destinations = "ALL"
effective = 2026-01-05
)";

/// An export quota by CHN on all its gallium exports; append quota_share or quota_tonnes.
constexpr const char* kQuotaAll = R"(
[[scenario.measures]]
action = "add"
id = "Q"
kind = "export_quota"
country = "CHN"
materials = ["gallium"]
effective = 2026-01-05
)";

/// Parameters that switch off every slow response and buffer, for hand-computed weeks.
// No supply response, no leakage or precaution, and the buyers' reservation price out of reach
// (1e12: the taper is 1 to within 1e-9 below the guard), so that prices follow the hand-solved
// curves.
const std::string kRigid =
    "[scenario.parameters]\nleakage = 0\nprecaution_share = 0\nelasticity_supply_short = 0\n"
    "elasticity_supply_long = 0\nreservation_price = 1e12\n";

TEST(Market, SteadyStateWithoutMeasures) {
    Fixture f(load(), scenario("",
                               "materials = [\"gallium\", \"rare_earths\"]\n"
                               "[scenario.parameters]\ninventory_weeks = 6\n",
                               104));
    const auto r = simulate_run(f.sim, 1, 0);
    ASSERT_EQ(f.sim.horizon_weeks, 104);
    for (std::size_t s = 0; s < f.sim.series.size(); ++s) {
        const auto& info = f.sim.series[s];
        double expect = 0.0;
        if (info.metric == Metric::PriceMultiple || info.metric == Metric::PriceInside ||
            info.metric == Metric::PriceOutside) {
            expect = 1.0;
        } else if (info.metric == Metric::InventoryWeeks) {
            expect = 6.0;
        }
        for (std::size_t t = 0; t < 104; ++t) {
            ASSERT_NEAR(f.at(r, s, t), expect, 1e-9 * std::max(1.0, expect))
                << info.region << "/" << info.group << "/" << to_string(info.metric) << "/"
                << info.stage << " week " << t;
        }
    }
    EXPECT_LT(r.max_mass_residual, 1e-12);
    EXPECT_EQ(r.capped_weeks, 0);
}

// The runs read the caller's world unless the scenario replaces some of its figures: then a copy
// with the replacements, and the caller's world is left as it was.
TEST(Market, SharesTheWorldUnlessTheScenarioOverridesIt) {
    const auto world = load();
    const auto plain = compile_simulation(
        world, io::read_scenario(scenario("", "materials = [\"gallium\"]\n"), "t.toml", world));
    EXPECT_EQ(plain.world, &world);
    EXPECT_EQ(plain.overridden, nullptr);

    const auto priced = compile_simulation(
        world, io::read_scenario(scenario("[scenario.world.prices]\ngallium = 750000\n",
                                          "materials = [\"gallium\"]\n"),
                                 "t.toml", world));
    ASSERT_NE(priced.overridden, nullptr);
    EXPECT_EQ(priced.world, priced.overridden.get());
    EXPECT_EQ(priced.world->find_material("gallium")->price_usd_t, 750000.0);
    EXPECT_EQ(world.find_material("gallium")->price_usd_t, 500000.0);
}

TEST(Market, FullBanOnTheOnlySupplierStartsShortfallAfterTheCover) {
    // CHN is the only producer and bans all exports; buyers elsewhere hold `cover` weeks of stock,
    // demand does not yield to price, and holders release at once (restock_weeks = 1). Stock
    // covers the need until it runs out: the price climbs as it drains (target cover c p^-1, so
    // releasing a week's use from s weeks of stock needs p = c/(s - 1)); the last week of stock
    // reaches the guard (flagged), short by the cover still wanted there, c/1000; then nothing.
    for (int cover : {2, 3, 8}) {
        Fixture f(
            load({{"production.csv",
                   "material,stage,country,year,tonnes\ngallium,refined,CHN,2024,1000\n"
                   "rare_earths,mine,CHN,2024,1\nrare_earths,separation,CHN,2024,0.5\n"
                   "rare_earths,magnet,CHN,2024,0.45\n"}}),
            scenario(
                std::string(kLicenceAll) + "approval_rate = 0\n",
                "price_cap_multiple = 1000\n" + kRigid +
                    "inventory_weeks = " + std::to_string(cover) +
                    "\nrestock_weeks = 1\nstock_price_elasticity = 1\nelasticity_demand_short = 0\n"
                    "elasticity_demand_long = 0\n"));
        const auto r = simulate_run(f.sim, 1, 0);
        const auto share = f.series("USA", "gallium", Metric::ShortfallShare);
        for (int t = 0; t + 1 < cover; ++t) {
            EXPECT_LT(f.at(r, share, static_cast<std::size_t>(t)), 1e-9) << cover << " week " << t;
        }
        EXPECT_LT(f.at(r, share, static_cast<std::size_t>(cover - 1)), 0.01 * cover) << cover;
        EXPECT_NEAR(f.at(r, share, static_cast<std::size_t>(cover)), 1.0, 1e-9) << cover;
        EXPECT_GT(r.capped_weeks, 0);
        EXPECT_LT(r.max_mass_residual, 1e-9);
        // Week 0: releasing a week's use from `cover` weeks needs p = cover / (cover - 1).
        EXPECT_NEAR(f.at(r, f.series("USA", "gallium", Metric::PriceMultiple), 0),
                    static_cast<double>(cover) / (cover - 1), 1e-9);
    }
}

double cumulative_with(const std::string& param_line, const std::string& measure_line) {
    const std::string body = std::string(R"(
[[scenario.measures]]
action = "add"
id = "LIC"
kind = "export_licensing"
country = "CHN"
materials = ["gallium", "rare_earths"]
destinations = ["USA", "EU"]
effective = 2026-01-05
)") + measure_line + "\n";
    Fixture f(
        load(),
        scenario(body,
                 "[scenario.parameters]\ninventory_weeks = 4\n"
                 "leakage_delay_weeks = 6\nreorder_delay_weeks = 3\ncapacity_lag_months = 3\n" +
                     param_line + "\n",
                 60));
    const auto r = simulate_run(f.sim, 1, 0);
    double total = 0;
    for (const auto* region : {"USA", "EU", "WORLD"}) {
        for (const auto* m : {"gallium", "rare_earths"}) {
            total += f.cumulative(r, region, m);
        }
    }
    return total;
}

TEST(Market, ShortfallIsMonotoneInTheApprovalRate) {
    double previous = std::numeric_limits<double>::infinity();
    double first = -1;
    for (const double a : {0.0, 0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 0.95, 1.0}) {
        const double s = cumulative_with(
            "leakage = 0.2", "lead_time_days = 30\napproval_rate = " + std::to_string(a));
        EXPECT_LE(s, previous * (1 + 1e-9) + 1e-9) << "approval " << a;
        previous = s;
        first = first < 0 ? s : first;
    }
    EXPECT_LT(previous, 0.5 * first);
    EXPECT_NEAR(cumulative_with("leakage = 0.2\nprecaution_share = 0", "approval_rate = 1"), 0.0,
                1e-9);
}

TEST(Market, ShortfallIsMonotoneInLeakage) {
    double previous = std::numeric_limits<double>::infinity();
    double first = -1;
    for (const double l : {0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0}) {
        const double s = cumulative_with("leakage = " + std::to_string(l),
                                         "lead_time_days = 30\napproval_rate = 0.3");
        EXPECT_LE(s, previous * (1 + 1e-9) + 1e-9) << "leakage " << l;
        previous = s;
        first = first < 0 ? s : first;
    }
    EXPECT_LT(previous, 0.8 * first);  // leakage does relieve the shortfall
}

TEST(Market, ADestinationBanWithOpenArbitrageMovesTheTargetByAtMostTheFriction) {
    // CHN bans exports to the USA; re-exports through the rest of the world start at once
    // (reorder_delay_weeks = 0) at a 12 % markup: the US price never exceeds the outside price by
    // more than the markup, and the rest of the world barely moves.
    Fixture f(load(),
              scenario(kBanUsa,
                       "materials = [\"gallium\"]\n[scenario.parameters]\nleakage = 0\n"
                       "precaution_share = 0\nreorder_delay_weeks = 0\nleakage_markup = 0.12\n",
                       52));
    const auto r = simulate_run(f.sim, 1, 0);
    const auto us = f.series("USA", "gallium", Metric::PriceMultiple);
    const auto eu = f.series("EU", "gallium", Metric::PriceMultiple);
    double widest = 0.0;
    for (std::size_t t = 0; t < 52; ++t) {
        EXPECT_LE(f.at(r, us, t), f.at(r, eu, t) * 1.12 * (1 + 1e-12)) << t;
        widest = std::max(widest, f.at(r, us, t) / f.at(r, eu, t));
    }
    EXPECT_GT(widest, 1.0);  // the target does pay a premium
    EXPECT_LT(f.at(r, eu, 51), 1.1);
    EXPECT_EQ(r.capped_weeks, 0);
    EXPECT_LT(r.max_mass_residual, 1e-9);
}

TEST(Market, APermanentShockConvergesToTheStaticEquilibrium) {
    // Licensing at 0.5 on all CHN exports, forever. CHN makes 900 t/yr and uses 400; the rest of
    // the world makes 100 (JPN) and uses 600; CHN exported 500. With licensing, the outside gets
    // 100 + 250 = 350 and the inside keeps 650. With no supply response and the long-run
    // elasticity -0.5: outside p = (350/600)^(1/-0.5), inside p = (650/400)^(1/-0.5).
    Fixture f(load(), scenario(std::string(kLicenceAll) + "approval_rate = 0.5\n",
                               "materials = [\"gallium\"]\n" + kRigid +
                                   "elasticity_demand_long = -0.5\nsubstitution_lag_months = 3\n",
                               700, "\"CHN\", \"DEU\""));
    const auto r = simulate_run(f.sim, 1, 0);
    const double outside = std::pow(350.0 / 600.0, -2.0);
    const double inside = std::pow(650.0 / 400.0, -2.0);
    EXPECT_NEAR(f.at(r, f.series("DEU", "gallium", Metric::PriceMultiple), 699), outside,
                1e-4 * outside);
    EXPECT_NEAR(f.at(r, f.series("CHN", "gallium", Metric::PriceMultiple), 699), inside,
                1e-4 * inside);
    EXPECT_NEAR(f.at(r, f.series("WORLD", "gallium", Metric::PriceOutside), 699), outside,
                1e-4 * outside);
    EXPECT_NEAR(f.at(r, f.series("WORLD", "gallium", Metric::PriceInside), 699), inside,
                1e-4 * inside);
    EXPECT_EQ(r.capped_weeks, 0);
}

TEST(Market, ResultsDoNotDependOnTheOrderOfRows) {
    const std::string body = R"(
[[scenario.measures]]
action = "add"
id = "LIC"
kind = "export_licensing"
country = "CHN"
materials = ["gallium", "rare_earths"]
destinations = "ALL"
effective = 2026-01-05
approval_rate = { dist = "uniform", min = 0.2, max = 0.8 }
lead_time_days = 30
)";
    const std::string head =
        "[scenario.parameters]\nleakage = { dist = \"uniform\", min = 0, max = 0.3 }\n";
    Fixture a(load(), scenario(body, head));
    // Countries, production, demand, end uses and intensities listed in another order.
    Fixture b(
        load({{"countries.csv",
               "iso3,name,region,wgi,blocs\nFRA,France,Europe,2,EU;G7\nJPN,Japan,Asia,2,G7\n"
               "USA,United States,America,2,G7\nDEU,Germany,Europe,2,EU;G7\nCHN,China,Asia,6,\n"},
              {"production.csv",
               "material,stage,country,year,tonnes\nrare_earths,magnet,JPN,2024,150\n"
               "rare_earths,separation,JPN,2024,100\ngallium,refined,JPN,2024,100\n"
               "rare_earths,magnet,CHN,2024,300\nrare_earths,mine,CHN,2024,1000\n"
               "gallium,refined,CHN,2024,900\nrare_earths,separation,CHN,2024,400\n"},
              {"demand.csv",
               "material,country,weight\nrare_earths,DEU,0.2\ngallium,FRA,0.1\ngallium,USA,0.2\n"
               "rare_earths,USA,0.3\ngallium,DEU,0.1\ngallium,JPN,0.2\nrare_earths,CHN,0.5\n"
               "gallium,CHN,0.4\n"},
              {"end_use.csv",
               "material,sector,share\nrare_earths,automotive,0.9\ngallium,electronics,0.8\n"
               "rare_earths,defence,0.1\ngallium,defence,0.2\n"}}),
        scenario(body, head));
    for (std::uint64_t run = 0; run < 5; ++run) {
        const auto ra = simulate_run(a.sim, 3, run);
        const auto rb = simulate_run(b.sim, 3, run);
        ASSERT_EQ(ra.values.size(), rb.values.size());
        for (std::size_t i = 0; i < ra.values.size(); ++i) {
            ASSERT_EQ(ra.values[i], rb.values[i]) << "value " << i << " run " << run;
        }
        EXPECT_EQ(ra.summaries, rb.summaries);
    }
}

TEST(Market, SuspensionLapseMakesTheBanBindFromTheNextDay) {
    // A ban on exports to the USA suspended until 2026-02-14 binds again from 2026-02-15: the
    // first week starting on or after it is week 6 (2026-02-16), when the US price first moves.
    auto w = load({{"measures.csv",
                    "id,kind,country,materials,destinations,effective,expires,suspends\n"
                    "BAN,export_ban,CHN,gallium,USA,2024-12-03,,\n"
                    "SUSP,suspension,CHN,gallium,USA,2025-11-09,2026-02-14,BAN\n"}});
    Fixture f(
        std::move(w),
        scenario("", "materials = [\"gallium\"]\n[scenario.parameters]\ninventory_weeks = 2\n"));
    const auto r = simulate_run(f.sim, 1, 0);
    const auto us = f.series("USA", "gallium", Metric::PriceMultiple);
    for (std::size_t t = 0; t < 6; ++t) {
        EXPECT_EQ(f.at(r, us, t), 1.0) << t;
    }
    EXPECT_GT(f.at(r, us, 6), 1.0);
    ASSERT_FALSE(f.sim.measures.empty());
    EXPECT_EQ(f.sim.measures[0].id, "BAN");
    EXPECT_EQ(f.sim.measures[0].treatment, "applied");
}

TEST(Market, MeasuresInForceAtTheStartAreTheBaselineUnlessFreeTrade) {
    auto w =
        load({{"measures.csv",
               "id,kind,country,materials,destinations,effective,approval_rate,lead_time_days\n"
               "LIC,export_licensing,CHN,gallium,ALL,2023-08-01,0.5,45\n"}});
    Fixture quo(w, scenario("", "materials = [\"gallium\"]\n"));
    const auto r = simulate_run(quo.sim, 1, 0);
    EXPECT_EQ(quo.first_shortfall(r, "WORLD", "gallium"), -1);
    EXPECT_EQ(quo.at(r, quo.series("USA", "gallium", Metric::PriceMultiple), 30), 1.0);
    EXPECT_THAT(quo.sim.measures.at(0).treatment, HasSubstr("absorbed"));
    // Free trade: the licensing (lead time long past) halves CHN's exports from week 0.
    Fixture free(w, scenario("", "materials = [\"gallium\"]\nbaseline = \"free_trade\"\n"));
    const auto rf = simulate_run(free.sim, 1, 0);
    EXPECT_GT(free.at(rf, free.series("USA", "gallium", Metric::PriceMultiple), 0), 1.0);
    // Changing the absorbed measure from 0.5 to 0.25 is the same as licensing at 0.5 from free
    // trade.
    const std::string rigid = kRigid + "inventory_weeks = 0\nelasticity_demand_short = -0.5\n";
    Fixture change(
        w,
        scenario("[[scenario.measures]]\naction = \"change\"\nid = \"LIC\"\napproval_rate = 0.25\n",
                 "materials = [\"gallium\"]\n" + rigid));
    Fixture half(load(), scenario(std::string(kLicenceAll) + "approval_rate = 0.5\n",
                                  "materials = [\"gallium\"]\n" + rigid));
    const auto rc = simulate_run(change.sim, 1, 0);
    const auto rh = simulate_run(half.sim, 1, 0);
    EXPECT_NEAR(change.at(rc, change.series("USA", "gallium", Metric::PriceMultiple), 0),
                half.at(rh, half.series("USA", "gallium", Metric::PriceMultiple), 0), 1e-12);
}

TEST(Market, PrioritySectorsAreServedFirst) {
    // Licensing at 0.5 on all CHN exports with no stock and demand that does not yield: the
    // outside gets 350 of its 600 t/yr whatever the price (the guard binds), a shortfall of 5/12.
    const std::string head =
        "materials = [\"gallium\"]\n" + kRigid +
        "inventory_weeks = 0\nelasticity_demand_short = 0\nelasticity_demand_long = 0\n";
    const std::string lic = std::string(kLicenceAll) + "approval_rate = 0.5\n";
    Fixture pro(load(), scenario(lic, head));
    Fixture prio(
        load(),
        scenario(lic + "[scenario.sectors]\nallocation = \"priority\"\npriority = [\"defence\"]\n",
                 head));
    const auto rp = simulate_run(pro.sim, 1, 0);
    const auto rq = simulate_run(prio.sim, 1, 0);
    EXPECT_NEAR(pro.at(rp, pro.series("USA", "gallium", Metric::ShortfallShare), 1), 250.0 / 600.0,
                1e-9);
    // Pro rata: both sectors lose 5/12. Priority: defence (20 % of use) is whole, electronics gets
    // the rest 7/12 - 0.2 of its 0.8.
    EXPECT_NEAR(pro.at(rp, pro.series("USA", "defence", Metric::ShortfallShare, true), 1),
                250.0 / 600.0, 1e-9);
    EXPECT_NEAR(pro.at(rp, pro.series("USA", "electronics", Metric::ShortfallShare, true), 1),
                250.0 / 600.0, 1e-9);
    EXPECT_NEAR(prio.at(rq, prio.series("USA", "defence", Metric::ShortfallShare, true), 1), 0.0,
                1e-9);
    EXPECT_NEAR(prio.at(rq, prio.series("USA", "electronics", Metric::ShortfallShare, true), 1),
                1.0 - (350.0 / 600.0 - 0.2) / 0.8, 1e-9);
    EXPECT_GT(rp.capped_weeks, 0);
}

TEST(Market, AMilitaryOnlyMeasureActsOnTheSectorsMarkedAsServingArmedForces) {
    // CHN refuses every licence for military end users. Which sectors that reaches is data
    // (sectors.csv serves_military), not a sector's name: the measure scales CHN's exports by one
    // minus the marked sectors' end-use share. Outside use 600 t/yr, JPN makes 100, CHN exports
    // 500.
    const std::string head =
        "materials = [\"gallium\"]\n" + kRigid +
        "inventory_weeks = 0\nelasticity_demand_short = 0\nelasticity_demand_long = 0\n";
    const std::string ban =
        std::string(kLicenceAll) + "approval_rate = 0\nend_users = \"military\"\n";
    const auto usa_short = [&](const std::string& defence, const std::string& electronics) {
        Fixture f(load({{"sectors.csv",
                         "id,name,gics,value_added_usd,serves_military\ndefence,Defence,,1e11," +
                             defence + "\nelectronics,Electronics,,1e12," + electronics +
                             "\nautomotive,Automotive,,1e12,no\n"}}),
                  scenario(ban, head));
        const auto r = simulate_run(f.sim, 1, 0);
        return f.at(r, f.series("USA", "gallium", Metric::ShortfallShare), 1);
    };
    EXPECT_NEAR(usa_short("no", "no"), 0.0, 1e-9);  // reaches nobody
    EXPECT_NEAR(usa_short("yes", "no"), (600.0 - 100 - 500 * 0.8) / 600,
                1e-9);                                                // defence, 20 % of use
    EXPECT_NEAR(usa_short("yes", "yes"), (600.0 - 100) / 600, 1e-9);  // every use: a full refusal
}

TEST(Market, StrategicStockReleasesWhileThePriceIsHighAndEasesTheShortfall) {
    const std::string head = "materials = [\"gallium\"]\n" + kRigid + "inventory_weeks = 2\n";
    const std::string lic = std::string(kLicenceAll) + "approval_rate = 0.3\n";
    const double u = 200.0 / network::kWeeksPerYear;
    const std::string stock =
        "[[scenario.stockpiles]]\nholder = \"NDS\"\ncountry = \"USA\"\nmaterial = \"gallium\"\n"
        "stage = \"refined\"\ntonnes = " +
        exact(10 * u) + "\nrelease_weeks = 5\n";
    Fixture with(load(), scenario(lic + stock, head));
    Fixture without(load(), scenario(lic, head));
    const auto rw = simulate_run(with.sim, 1, 0);
    const auto ro = simulate_run(without.sim, 1, 0);
    EXPECT_LT(with.cumulative(rw, "WORLD", "gallium"), without.cumulative(ro, "WORLD", "gallium"));
    // It releases 2u a week (10u over 5 weeks) once the price has doubled, until it is empty.
    const auto st = with.series("USA", "gallium", Metric::StockTonnes);
    const auto price = with.series("USA", "gallium", Metric::PriceMultiple);
    int released = 0;
    for (std::size_t t = 1; t < 40; ++t) {
        const double d = with.at(rw, st, t - 1) - with.at(rw, st, t);
        if (d > 0) {
            EXPECT_GE(with.at(rw, price, t - 1), 2.0) << t;
            EXPECT_NEAR(d, 2 * u, 1e-9) << t;
            ++released;
        }
    }
    EXPECT_EQ(released, 5);
    EXPECT_LT(rw.max_mass_residual, 1e-9);
}

TEST(Market, AQuotaShareActsLikeLicensingAtThatRateAndTaxesOnlyRaiseCosts) {
    const std::string head = "materials = [\"gallium\"]\n" + kRigid;
    Fixture q(load(), scenario(std::string(kQuotaAll) + "quota_share = 0.5\n", head));
    Fixture l(load(), scenario(std::string(kLicenceAll) + "approval_rate = 0.5\n", head));
    const auto rq = simulate_run(q.sim, 1, 0);
    const auto rl = simulate_run(l.sim, 1, 0);
    EXPECT_EQ(rq.values, rl.values);

    const std::string tax = R"(
[[scenario.measures]]
action = "add"
id = "TAX"
kind = "export_tax"
country = "CHN"
materials = ["gallium"]
effective = 2026-01-05
tax_rate = 0.25
)";
    Fixture t(load(), scenario(tax, head));
    const auto rt = simulate_run(t.sim, 1, 0);
    EXPECT_EQ(t.first_shortfall(rt, "WORLD", "gallium"), -1);
    EXPECT_NEAR(t.at(rt, t.series("USA", "gallium", Metric::PriceMultiple), 3), 1.0, 1e-12);
    // Outside CHN buyers take 600 t/yr, 500 of them from CHN with 25 % tax: each pays 0.25 x 5/6
    // more on average; the US (200 t/yr) pays that on its use, split over its sectors.
    const double usd = t.at(rt, t.series("USA", "electronics", Metric::CostUsd, true), 3) +
                       t.at(rt, t.series("USA", "defence", Metric::CostUsd, true), 3);
    EXPECT_NEAR(usd, 0.25 * 500.0 / 600.0 * 500000.0 * 200.0 / network::kWeeksPerYear, 1e-6);
}

TEST(Market, LicensingDipsOverTheLeadTimeThenFlowsAtTheApprovalRate) {
    // Licences granted evenly over a 28-day lead time: the licensed share of exports rises as
    // 0, 1/4, 1/2, 3/4 of the approval rate, then stays at it. Seen in the restrictor's own price,
    // which falls as exports stay home and recovers as licences come through.
    Fixture f(load(),
              scenario(std::string(kLicenceAll) + "approval_rate = 0.8\nlead_time_days = 28\n",
                       "materials = [\"gallium\"]\n" + kRigid +
                           "inventory_weeks = 0\n"
                           "elasticity_demand_short = -0.5\nelasticity_demand_long = -0.5\n",
                       40, "\"CHN\""));
    const auto r = simulate_run(f.sim, 1, 0);
    const auto chn = f.series("CHN", "gallium", Metric::PriceMultiple);
    // Home supply 400 + 500 (1 - a) against demand 400 p^-0.5: p = (400 / (400 + 500 (1 - a)))^2.
    for (std::size_t t = 0; t < 6; ++t) {
        const double a = 0.8 * std::min(1.0, static_cast<double>(7 * t) / 28.0);
        const double expect = std::pow(400.0 / (400.0 + 500.0 * (1.0 - a)), 2.0);
        EXPECT_NEAR(f.at(r, chn, t), expect, 1e-9) << t;
    }
}

TEST(MonteCarlo, SameBytesForAnyThreadCountAndOneRunIsTheTrajectory) {
    const std::string body = R"(
[[scenario.measures]]
action = "add"
id = "LIC"
kind = "export_licensing"
country = "CHN"
materials = ["gallium", "rare_earths"]
destinations = ["USA", "EU"]
effective = 2026-01-05
approval_rate = { dist = "beta", alpha = 2, beta = 2 }
lead_time_days = { dist = "triangular", min = 14, mode = 45, max = 90 }
)";
    Fixture f(
        load(),
        scenario(body,
                 "[scenario.parameters]\nleakage = { dist = \"uniform\", min = 0, max = 0.4 }\n"
                 "inventory_weeks = { dist = \"lognormal\", median = 4, sigma = 0.5 }\n"));
    const Provenance prov{"test", "", "mkt", "t.toml"};
    MonteCarloOptions o;
    o.runs = 37;
    o.seed = 11;
    o.threads = 1;
    const auto one = run_monte_carlo(f.sim, o);
    o.threads = 3;
    const auto three = run_monte_carlo(f.sim, o);
    EXPECT_EQ(one.runs_done, 37u);
    EXPECT_EQ(series_csv(f.sim, one), series_csv(f.sim, three));
    EXPECT_EQ(series_json(f.sim, one).dump(), series_json(f.sim, three).dump());
    EXPECT_EQ(summary_csv(f.sim, one), summary_csv(f.sim, three));
    EXPECT_EQ(run_json(f.sim, one, prov).dump(), run_json(f.sim, three, prov).dump());
    EXPECT_LT(one.max_mass_residual, 1e-9);

    o.runs = 1;
    o.threads = 2;
    const auto single = run_monte_carlo(f.sim, o);
    const auto direct = simulate_run(f.sim, 11, 0);
    for (std::size_t s = 0; s < f.sim.series.size(); ++s) {
        for (std::size_t t = 0; t < static_cast<std::size_t>(f.sim.horizon_weeks); ++t) {
            const double v = direct.values[s * static_cast<std::size_t>(f.sim.horizon_weeks) + t];
            ASSERT_EQ(single.bands[s][t].quantile(0.05, f.sim.series[s].bins), v);
            ASSERT_EQ(single.bands[s][t].quantile(0.5, f.sim.series[s].bins), v);
            ASSERT_EQ(single.bands[s][t].quantile(0.95, f.sim.series[s].bins), v);
        }
    }
    ASSERT_FALSE(single.first_run_draws.empty());
    EXPECT_EQ(single.first_run_draws[0].path, "scenario.measures[0].approval_rate");
}

TEST(MonteCarlo, SameBytesForAnyRankCount) {
    // Ranks simulated by threads (thread_ranks.hpp): chunk k on rank k mod K, merged at rank 0.
    Fixture f(
        load(),
        scenario(kBanUsa,
                 "[scenario.parameters]\nleakage = { dist = \"uniform\", min = 0, max = 0.4 }\n"));
    const Provenance prov{"test", "", "mkt", "t.toml"};
    MonteCarloOptions o;
    o.runs = 37;  // chunks of 16, 16 and 5 runs
    o.seed = 5;
    o.threads = 2;
    const auto one = run_monte_carlo(f.sim, o);
    for (const int k : {2, 3, 5}) {
        MonteCarloResult at_root;
        testing::run_ranks(k, [&](parallel::Ranks& ranks) {
            MonteCarloOptions ro = o;
            ro.threads = 1;
            ro.ranks = &ranks;
            auto r = run_monte_carlo(f.sim, ro);
            if (ranks.root()) {
                at_root = std::move(r);
            } else {
                EXPECT_EQ(r.runs_done, 0u);
            }
        });
        EXPECT_EQ(at_root.runs_done, 37u) << k;
        EXPECT_EQ(series_csv(f.sim, one), series_csv(f.sim, at_root)) << k;
        EXPECT_EQ(series_json(f.sim, one).dump(), series_json(f.sim, at_root).dump()) << k;
        EXPECT_EQ(summary_csv(f.sim, one), summary_csv(f.sim, at_root)) << k;
        EXPECT_EQ(run_json(f.sim, one, prov).dump(), run_json(f.sim, at_root, prov).dump()) << k;
    }
}

TEST(MonteCarlo, CancellationKeepsAPrefixOfRuns) {
    Fixture f(load(), scenario(kBanUsa));
    std::atomic<bool> cancel{false};
    MonteCarloOptions o;
    o.runs = 200;
    o.threads = 2;
    o.cancel = &cancel;
    o.progress = [&](std::size_t done, std::size_t) {
        if (done >= 32) {
            cancel = true;
        }
    };
    const auto r = run_monte_carlo(f.sim, o);
    EXPECT_TRUE(r.cancelled);
    EXPECT_GE(r.runs_done, 32u);
    EXPECT_LT(r.runs_done, 200u);
    EXPECT_EQ(r.summary_values.at(0).size(), r.runs_done);
}

TEST(Simulation, AScenarioTouchingNoMaterialIsRefused) {
    const auto w = load();
    try {
        (void)compile_simulation(w, io::read_scenario(scenario(""), "t.toml", w));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.diagnostics().at(0).to_string(),
                  "t.toml: scenario.materials: the scenario touches no material with supply data "
                  "in its horizon; "
                  "list the materials to simulate (E-REQUIRED)");
    }
}

// The pieces of one material's week (internal/material_week.hpp), on the same dataset.

/// A compiled scenario with the inputs of its run 0, as simulate_run prepares them.
struct WeekFixture : Fixture {
    model::ScenarioSpec drawn;
    std::vector<model::Measure> measures;
    internal::RuleSchedule rules;
    WeekFixture(model::World w, const std::string& toml) : Fixture(std::move(w), toml) {
        Rng rng = run_stream(1, 0);
        drawn = draw_scenario(sim.spec, rng);
        measures = scenario_measures(world, drawn);
        rules = internal::schedule(sim, drawn, measures);
    }
    internal::RunInputs inputs() const { return {sim, drawn, measures, rules}; }
    std::size_t material(const std::string& id) const {
        for (std::size_t i = 0; i < sim.models.size(); ++i) {
            if (sim.models[i].id == id) {
                return i;
            }
        }
        throw std::runtime_error("no material " + id);
    }
    std::size_t zone(std::size_t mi, const std::string& name) const {
        const auto& zones = sim.models[mi].zones;
        for (std::size_t z = 0; z < zones.size(); ++z) {
            if (zones[z].name == name) {
                return z;
            }
        }
        throw std::runtime_error("no zone " + name);
    }
    /// Baseline output per zone of stage s.
    std::vector<double> out0(std::size_t mi, std::size_t s) const {
        const auto& mm = sim.models[mi];
        std::vector<double> q;
        for (std::size_t z = 0; z < mm.zones.size(); ++z) {
            q.push_back(mm.zone_stage[s * mm.zones.size() + z].out0);
        }
        return q;
    }
};

TEST(MaterialWeek, RampRisesLinearlyFromItsStartWeek) {
    EXPECT_EQ(internal::ramp(-1, 5, 4), 0.0);  // never started
    EXPECT_EQ(internal::ramp(3, 2, 4), 0.0);
    EXPECT_EQ(internal::ramp(3, 3, 4), 0.25);
    EXPECT_EQ(internal::ramp(3, 5, 4), 0.75);
    EXPECT_EQ(internal::ramp(3, 9, 4), 1.0);
    EXPECT_EQ(internal::ramp(3, 3, 0), 1.0);  // no delay
}

TEST(MaterialWeek, ATonnageQuotaPassesTheAllowedShareOfTheCoveredFlows) {
    // CHN exports 500 t/yr of gallium, all to the rest of the world; a 200 t/yr quota on all of it
    // lets 200/500 of the contracted flow through at baseline output, and 200/250 when CHN makes
    // half its output (the quota is tonnes, not a share). Links the quota does not cover stay open.
    WeekFixture f(load(), scenario(std::string(kQuotaAll) + "quota_tonnes = 200\n",
                                   "materials = [\"gallium\"]\n"));
    const auto mi = f.material("gallium");
    const auto chn = f.zone(mi, "CHN");
    const std::size_t nz = f.sim.models[mi].zones.size();
    ASSERT_EQ(nz, 2U);
    auto q = f.out0(mi, 0);
    internal::LinkMeasures links;
    internal::link_measures(f.inputs(), mi, 0, 0, q, links);
    EXPECT_NEAR(links.alpha[chn * nz + 0], 200.0 / 500.0, 1e-12);
    EXPECT_EQ(links.restricted[chn * nz + 0], 1);
    EXPECT_EQ(links.alpha[0 * nz + chn], 1.0);
    EXPECT_EQ(links.restricted[0 * nz + chn], 0);
    q[chn] *= 0.5;
    internal::link_measures(f.inputs(), mi, 0, 0, q, links);
    EXPECT_NEAR(links.alpha[chn * nz + 0], 200.0 / 250.0, 1e-12);
}

TEST(MaterialWeek, BlockedFlowsLeakInOverTheDelayAndTheRestStaysAtHome) {
    // CHN ships 500 of its 900 t/yr to the rest of the world. A quarter passes the measure; 40 %
    // of the blocked three quarters leaks, ramping in over 4 weeks from the week the link was first
    // restricted (week 2 here): in week 3 half of that, 0.75 x 0.4 x 2/4 = 0.15 of the flow.
    WeekFixture f(load(), scenario(std::string(kLicenceAll) + "approval_rate = 0.25\n",
                                   "materials = [\"gallium\"]\n"));
    const auto mi = f.material("gallium");
    const auto& mm = f.sim.models[mi];
    const auto chn = f.zone(mi, "CHN");
    const std::size_t nz = mm.zones.size();
    const auto q = f.out0(mi, 0);
    internal::LinkMeasures links{std::vector<double>(nz * nz, 1.0),
                                 std::vector<double>(nz * nz, 0.0),
                                 std::vector<std::uint8_t>(nz * nz, 0)};
    links.alpha[chn * nz + 0] = 0.25;
    links.tax[chn * nz + 0] = 0.1;
    MaterialParams par;
    par.leakage = 0.4;
    par.leakage_delay_weeks = 4;
    std::vector<int> leak_start(nz * nz, -1);
    internal::StageFlows flows;
    internal::contracted_flows(mm, par, 0, 2, q, links, leak_start, flows);
    EXPECT_EQ(leak_start[chn * nz + 0], 2);
    internal::contracted_flows(mm, par, 0, 3, q, links, leak_start, flows);
    const double f0 = 500.0 / network::kWeeksPerYear;
    EXPECT_NEAR(q[chn], 900.0 / network::kWeeksPerYear, 1e-9);
    EXPECT_NEAR(flows.leak_in[0], 0.15 * f0, 1e-12);
    EXPECT_NEAR(flows.arrivals[0], 0.4 * f0, 1e-12);
    EXPECT_NEAR(flows.supply[chn], q[chn] - 0.4 * f0, 1e-12);
    EXPECT_NEAR(flows.supply[0], q[0] + 0.4 * f0, 1e-12);
    EXPECT_NEAR(flows.taxed[0], 0.1 * 0.25 * f0, 1e-12);  // only what passed the measure is taxed
    EXPECT_EQ(flows.arrivals[chn], 0.0);
}

}  // namespace
}  // namespace lodestone::sim
