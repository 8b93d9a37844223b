// lodestone/optimize/stockpile_scenario.hpp: the stockpile LP of a holder (a country or bloc) under
// a set of disruption scenarios. Each scenario is run as a Monte Carlo (every run kept); the
// holder's weekly final-stage shortfall (the region series ShortfallTonnes) of each material is the
// second stage's demand d; runs are equally likely within a scenario and scenarios equally likely.
// Starting stocks are the holder's rows of stockpiles.csv at the material's final stage; they are
// taken out of the simulated world so that the LP, not the market model, decides their release.
// Prices are materials.csv (or the scenario's override); the value of lost supply is the sector
// output lost per tonne short unless overridden. Every number says where it comes from.
// Example: auto r = plan_stockpile(world, {.holder = "USA", .budget_usd = 5e8, .scenarios =
// {spec}}, *solver);
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "lodestone/model/scenario.hpp"
#include "lodestone/model/world.hpp"
#include "lodestone/optimize/stockpile.hpp"

namespace lodestone::optimize {

/// ASSUMPTION: storage, insurance and handling of a strategic stock, fraction of its purchase value
/// per year. Not a published figure; override with --holding-cost.
inline constexpr double kDefaultHoldingCostPerYear = 0.02;

/// Largest value of lost supply a user may give, USD/t: a million USD per gram, far above any
/// traded metal, and small enough that value x tonnes stays finite in the LP.
inline constexpr double kMaxValueOfLostSupplyUsdPerTonne = 1e12;

struct StockpileRequest {
    std::string holder;  ///< ISO3 or bloc whose buyers the stock serves
    double budget_usd = 0;
    std::vector<model::ScenarioSpec> scenarios;
    std::size_t runs = 0;  ///< per scenario; 0 = each scenario's runs
    int threads = 1;
    Objective objective = Objective::Expected;
    double alpha = 0.95;
    std::vector<std::string> materials;         ///< empty = every material the scenarios simulate
    std::map<std::string, double> value_usd_t;  ///< overrides of the value of lost supply, USD/t
    double holding_cost_per_year = kDefaultHoldingCostPerYear;
    double release_weeks =
        26;  ///< R: weeks to empty a stock at the maximum rate (the model's default)
    Method method = Method::Auto;
    std::function<void(std::size_t, std::size_t)>
        progress;  ///< (runs done, total) over all scenarios
    const std::atomic<bool>* cancel = nullptr;
};

/// Where the numbers of one material come from.
struct MaterialBasis {
    std::string id, stage;  ///< the final stage: the stock's and the shortfall's unit
    double price_usd_t = 0;
    std::string price_source;  ///< "materials.csv (2024)" or "scenario override"
    double holding_usd_t = 0;  ///< price x rate x horizon years
    double value_usd_t = 0;
    std::string value_basis;  ///< how v was set
    double start_tonnes = 0;
    std::string start_source;         ///< stockpiles.csv rows counted, or "none in stockpiles.csv"
    double expected_shortfall_t = 0;  ///< E_w Σ_t d, t
};

struct StockpileReport {
    StockpileProblem problem;  ///< as solved (for --write-lp)
    StockpilePlan plan;
    std::vector<MaterialBasis> basis;    ///< as problem.materials
    std::vector<std::string> scenarios;  ///< "name (seed S, N runs)"
    std::vector<std::string> notes;
    bool cancelled = false;
};

/// Runs the scenarios and solves. Throws InputError for an unknown holder (E-UNKNOWN-COUNTRY), a
/// material no scenario simulates (E-UNKNOWN-MATERIAL), a material without a price or without a
/// value of lost supply (E-REQUIRED), listing every problem at once.
[[nodiscard]] StockpileReport plan_stockpile(const model::World& world,
                                             const StockpileRequest& request,
                                             const Solver& solver);

/// Default value of lost supply of `material`: Σ_k share_k × 1e9 / kg_per_musd_k USD per tonne
/// short (1 t stops 1,000 / kg_per_musd million USD of sector k's output), with share_k the end-use
/// shares of the sectors with an intensity row, renormalised; sectors in `served_first` are left
/// out (a priority allocation serves them before the shortfall falls on the others). 0 with an
/// empty basis when no sector qualifies.
struct LostSupplyValue {
    double usd_per_t = 0;
    std::string basis;
};
[[nodiscard]] LostSupplyValue default_value_of_lost_supply(
    const model::World& world,
    const std::string& material,
    const std::vector<std::string>& served_first);

}  // namespace lodestone::optimize
