// lodestone/exposure/bom_exposure.hpp: what a disruption scenario does to the products of a bill of
// materials. Per Monte Carlo run, each product's line draws each material at its weekly need
// (units_per_year / 52 × kg per unit) from its own inventory (cover weeks × need, refilled up to
// that target) and from its suppliers, who deliver (1 − ShortfallShare) of the need of the
// product's country (region series of the scenario). The line runs at the share of the scarcest
// material (Leontief): the first week below full output is the stock-out week; lost units are the
// output not made. Material cost per unit is Σ kg × price × the country's PriceMultiple averaged
// over the horizon; the margin changes by −Δcost × (1 − pass-through) / unit price.
// The product's cover replaces the market model's buyer inventories (inventory_weeks is set to 0 in
// these runs) so that stock is not counted twice.
// Example: auto r = bom_exposure(world, bom, spec, {.runs = 200, .pass_through = 0.3});
#pragma once

#include <atomic>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "lodestone/io/bom_reader.hpp"
#include "lodestone/model/scenario.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::exposure {

/// ASSUMPTION: weeks of inventory cover of a product whose BOM gives none; equal to the market
/// model's default buyer inventory (docs/scenarios.md), not a figure about the product.
inline constexpr double kDefaultCoverWeeks = 8.0;

struct ExposureOptions {
    std::size_t runs = 0;  ///< 0 = the scenario's runs
    int threads = 1;
    double pass_through =
        0.0;  ///< share of the cost increase passed on to the product's price, [0,1]
    double default_cover_weeks = kDefaultCoverWeeks;
    std::function<void(std::size_t, std::size_t)> progress;
    const std::atomic<bool>* cancel = nullptr;
};

/// P5/P50/P95 over runs (type 7); +inf = "never within the horizon" and sorts last.
struct Band {
    double p5 = 0, p50 = 0, p95 = 0, mean = 0;
};

struct MaterialExposure {
    std::string material;
    double kg_per_unit = 0;
    bool simulated = false;  ///< false: the scenario leaves it untouched
    std::optional<double> price_usd_t;
    double cost_before_usd = 0;   ///< per unit, at the baseline price
    Band cost_after_usd;          ///< per unit, mean over the horizon
    double first_to_run_out = 0;  ///< share of runs where this material stops the line
    std::string top_country;      ///< largest origin at the most concentrated stage
    std::string top_stage;
    double top_share = 0;
    std::vector<std::string> measures;  ///< measures touching that origin share
};

struct ProductExposure {
    std::string product;
    std::string region;  ///< the product's country (scenario region), or WORLD
    double cover_weeks = 0;
    std::string cover_basis;  ///< "BOM inventory_weeks" or the labelled default
    std::optional<double> units_per_year, unit_price_usd;
    Band stockout_week;     ///< weeks from the scenario start
    double p_stockout = 0;  ///< share of runs with a stock-out within the horizon
    Band lost_weeks;        ///< weeks of full output lost
    std::optional<Band> lost_units;
    double cost_before_usd = 0;
    Band cost_after_usd;
    Band cost_change_usd;
    std::optional<Band> margin_change_pp;  ///< percentage points of the unit price
    std::string driver_material;  ///< largest share of the expected loss (lost weeks, else Δcost)
    std::string driver_country;
    std::string driver_basis;
    std::vector<MaterialExposure> materials;
    std::vector<std::string> notes;
};

struct ExposureReport {
    std::string scenario, scenario_file;
    std::uint64_t seed = 0;
    std::size_t runs = 0;
    int weeks = 0;
    double pass_through = 0;
    bool cancelled = false;
    std::vector<ProductExposure> products;
    std::vector<std::string> notes;
};

/// Runs the scenario (with every product country as a region) and measures each product.
[[nodiscard]] ExposureReport bom_exposure(const model::World& world,
                                          const io::Bom& bom,
                                          const model::ScenarioSpec& spec,
                                          const ExposureOptions& options);

/// One product line over one run: weekly supply shares (1 − shortfall share) per material,
/// [material][week]; returns (stock-out week or +inf, weeks of output lost, material that ran out
/// first or -1). Inventory starts at cover × need and refills up to it.
struct LineOutcome {
    double stockout_week = std::numeric_limits<double>::infinity();
    double lost_weeks = 0;
    int first_out = -1;
};
[[nodiscard]] LineOutcome run_line(const std::vector<std::vector<double>>& supply_share,
                                   double cover_weeks);

/// Quantiles (type 7) and mean of values; infinities sort last (the mean is then +inf).
[[nodiscard]] Band band_of(std::vector<double> values);

}  // namespace lodestone::exposure
