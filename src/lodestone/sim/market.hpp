// lodestone/sim/market.hpp: the weekly market model (docs/market_model.md) on the supply network.
// compile_simulation builds, once per scenario, everything the runs share: the supply network of
// the (overridden) World at the start date, the price zones of each material (restricting
// countries, restricted destinations, the rest of the world) with their baseline quantities and
// flows, which flows each measure covers, strategic stocks, projects and the output series.
// simulate_run then steps one run week by week, stage by stage: production, contracted flows
// through the measures (licensing as a throughput, quotas, bans, leakage), strategic releases and
// purchases, then each stage's zones clear against the hub by arbitrage with stocks as the buffer;
// demand and capacity respond to price over their lags. Quantities are tonnes per week.
// Example: auto sim = compile_simulation(world, spec, 104); auto run = simulate_run(sim, 42, 0);
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "lodestone/model/scenario.hpp"
#include "lodestone/model/world.hpp"
#include "lodestone/network/supply_network.hpp"
#include "lodestone/sim/internal/market_model.hpp"
#include "lodestone/sim/scenario_draw.hpp"
#include "lodestone/sim/stats.hpp"

namespace lodestone::sim {

/// What an output series describes. Material series: by region and material; sector series: by
/// region and sector.
enum class Metric {
    ShortfallShare,   ///< final-stage shortfall / need, 0-1 (sector: the scarcest material,
                      ///< Leontief)
    ShortfallTonnes,  ///< final-stage shortfall, t/week
    PriceMultiple,    ///< price index / baseline price (need-weighted over the region's buyers)
    InventoryWeeks,   ///< buyer inventories over all stages, weeks of baseline use
    StockTonnes,      ///< strategic stocks serving the region, t
    CostUsd,  ///< extra cost of the sector's purchases, USD/week (Δ effective price × tonnes)
    CostPctOutput,  ///< extra material cost per unit of sector output, % (intensity × Δp)
    PriceInside,    ///< WORLD only: price index inside the restricting zones (use-weighted)
    PriceOutside,   ///< WORLD only: price index outside them; the two-tier spread is their ratio
};
[[nodiscard]] std::string_view to_string(Metric metric);
/// Unit text of a metric ("share", "t/week", "x", "weeks", "t", "USD/week", "%").
[[nodiscard]] std::string_view unit_of(Metric metric);

struct SeriesInfo {
    std::string region;   ///< "WORLD" or an ISO3/bloc of scenario.regions
    bool sector = false;  ///< false: `group` is a material id; true: a sector id
    std::string group;
    Metric metric = Metric::ShortfallShare;
    BinSpec bins;  ///< histogram range for the weekly bands
    /// Price metrics: the stage whose price it is. The final stage's series come first, so a
    /// lookup by (region, group, metric) finds what buyers of the product pay.
    std::string stage;
};

/// Per-run summary numbers (one value per run; bands over runs are exact quantiles).
enum class SummaryMetric {
    PeakShortfallShare,         ///< max over weeks of ShortfallShare
    FirstShortfallWeek,         ///< first week with ShortfallShare > 1e-9; +inf if none
    PeakPriceMultiple,          ///< materials only
    CumulativeShortfallTonnes,  ///< materials only
    CumulativeCostUsd,          ///< materials: cost of all sectors from this material; sectors: all
                                ///< materials
    PeakCostPctOutput,          ///< sectors only
};
[[nodiscard]] std::string_view to_string(SummaryMetric metric);

struct SummaryInfo {
    std::string region;
    bool sector = false;
    std::string group;
    SummaryMetric metric = SummaryMetric::PeakShortfallShare;
};

/// A restrictive or demand-side measure as the model applies it (for reports).
struct AppliedMeasure {
    std::string id;
    std::string kind;
    std::string
        treatment;  ///< "applied", "absorbed in baseline (in force at start)", "relative to ..."
};

/// Everything the runs of a scenario share. Immutable after compile_simulation; safe to share
/// between threads.
struct Simulation {
    /// As read (with distributions). simulate_run draws each run's parameters from it, spec.pinned
    /// included: the sensitivity analysis relies on that to pin one parameter of a compiled
    /// scenario.
    model::ScenarioSpec spec;
    /// The world the runs read. When the scenario overrides no production, demand or price it is
    /// the caller's, shared and not copied: the caller keeps that world alive as long as the
    /// Simulation (as the owner of a string a std::string_view points into). Otherwise it is
    /// `overridden`.
    const model::World* world = nullptr;
    std::shared_ptr<const model::World> overridden;  ///< the caller's copy with the overrides
    network::SupplyNetwork net;                      ///< compiled at spec.start
    int horizon_weeks = 52;
    std::vector<Date> week_dates;        ///< first day of each week
    std::vector<std::string> materials;  ///< simulated material ids, sorted
    std::vector<std::string> regions;    ///< "WORLD" then spec.regions
    std::vector<SeriesInfo> series;
    std::vector<SummaryInfo> summaries;
    std::vector<AppliedMeasure> measures;
    std::vector<std::string> notes;  ///< simplifications and fallbacks taken, for the user

    std::vector<internal::MaterialModel> models;  ///< one per simulated material
    std::vector<internal::Rule> rules;            ///< measures the model applies, all materials
    std::vector<std::string> sectors;             ///< sector ids with demand, sorted
    std::vector<std::vector<std::uint8_t>> region_members;  ///< [region][net country index]
    /// A numerical guard, not a model of prices: a run whose price reaches it is flagged.
    double price_cap_multiple = 1000.0;

    /// Index of the series, or series.size() when there is none. stage "" = the first match.
    [[nodiscard]] std::size_t find_series(std::string_view region,
                                          bool sector,
                                          std::string_view group,
                                          Metric metric,
                                          std::string_view stage = {}) const;
};

/// Builds the shared part of a scenario. horizon_weeks <= 0 uses spec.horizon_weeks. `world` must
/// outlive the result (Simulation::world may point to it).
/// Throws InputError if the scenario touches no material (E-REQUIRED) or an overlay fails.
[[nodiscard]] Simulation compile_simulation(const model::World& world,
                                            const model::ScenarioSpec& spec,
                                            int horizon_weeks = 0);
/// A temporary world would not outlive the Simulation that points into it.
Simulation compile_simulation(model::World&& world,
                              const model::ScenarioSpec& spec,
                              int horizon_weeks = 0) = delete;

/// One run: weekly values of every series ([series][week], series-major) and the summaries.
struct RunResult {
    std::vector<double> values;      ///< size series.size() * horizon_weeks
    std::vector<double> summaries;   ///< size summaries.size()
    std::vector<ParamDraw> draws;    ///< the run's draws (path, value) of the uncertain parameters
    double max_mass_residual = 0.0;  ///< max over weeks and stages of |balance| / scale (< 1e-9)
    int capped_weeks = 0;            ///< weeks in which a price reached the guard (a failed run)
    std::string capped_at;           ///< the first: "material/stage/zone, week N"
};

/// Runs the model for run `run` of seed `seed` (stream run_stream(seed, run)).
[[nodiscard]] RunResult simulate_run(const Simulation& sim, std::uint64_t seed, std::uint64_t run);

}  // namespace lodestone::sim
