// lodestone/sim/sensitivity.hpp: which uncertain parameter moves the headline outputs most.
// One-at-a-time (OAT): for each uncertain parameter of the scenario (param_sites, not fixed), the
// Monte Carlo is run again with that parameter pinned at its P5 and at its P95, everything else
// drawn as usual from the same seed (common random numbers: the pinned draw is still made, so the
// other parameters see the same numbers), and the medians over runs are compared with the unpinned
// base: a tornado per (region, material, output). Morris: elementary effects of r trajectories
// over the parameters' quantile grid, one model run per point with every uncertain parameter set.
// Example: auto t = run_sensitivity(world, spec, 0, {.runs = 100});  t.tornados[0].bars[0].swing
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lodestone/model/scenario.hpp"
#include "lodestone/model/world.hpp"
#include "lodestone/sim/market.hpp"

namespace lodestone::sim {

enum class SensitivityMethod { Oat, Morris };
[[nodiscard]] std::string_view to_string(SensitivityMethod method);

struct SensitivityOptions {
    SensitivityMethod method = SensitivityMethod::Oat;
    std::size_t runs = 0;               ///< OAT: Monte Carlo runs per variant; 0 = the scenario's
    std::size_t trajectories = 20;      ///< Morris: r
    std::optional<std::uint64_t> seed;  ///< default: the scenario's seed
    int threads = 1;
    /// Called on the calling thread with (model runs done, total model runs).
    std::function<void(std::size_t, std::size_t)> progress;
    const std::atomic<bool>* cancel =
        nullptr;  ///< set to stop; the result is then marked cancelled
};

/// The summaries a sensitivity reports: per (region, material).
inline constexpr SummaryMetric kHeadlineMetrics[] = {SummaryMetric::PeakShortfallShare,
                                                     SummaryMetric::PeakPriceMultiple,
                                                     SummaryMetric::CumulativeCostUsd};

/// One parameter's effect on one output. OAT: medians over runs with the parameter at its P5 and
/// P95; swing = |median_high - median_low|. Morris: mu_star = mean |elementary effect|, sigma =
/// their standard deviation, both in output units per the whole P5-P95 range; swing = mu_star.
struct SensitivityBar {
    std::string path;          ///< key path, e.g. scenario.parameters.leakage
    double low_value = 0.0;    ///< the parameter at its P5 (its unit)
    double high_value = 0.0;   ///< at its P95
    double median_low = 0.0;   ///< OAT
    double median_high = 0.0;  ///< OAT
    double mu_star = 0.0;      ///< Morris
    double sigma = 0.0;        ///< Morris
    double swing = 0.0;
};

/// One output (a per-run summary of a material in a region) and its bars, largest swing first
/// (ties: draw order).
struct Tornado {
    std::string region;
    std::string material;
    SummaryMetric metric = SummaryMetric::PeakShortfallShare;
    double median_base = 0.0;  ///< OAT: median over the unpinned runs; Morris: median over points
    std::vector<SensitivityBar> bars;
};

struct SensitivityResult {
    SensitivityMethod method = SensitivityMethod::Oat;
    std::uint64_t seed = 0;
    std::size_t runs = 0;           ///< OAT: runs per variant; Morris: trajectories
    std::size_t model_runs = 0;     ///< simulate_run calls in all
    bool cancelled = false;         ///< stopped early: tornados are empty
    std::vector<ParamSite> params;  ///< the uncertain parameters, in draw order
    std::vector<Tornado> tornados;  ///< in the Simulation's summary order
    std::vector<std::string> notes;
};

/// Quantile levels that bound each parameter in both methods.
inline constexpr double kLowQuantile = 0.05;
inline constexpr double kHighQuantile = 0.95;

/// Runs the sensitivity of the scenario. horizon_weeks <= 0 uses spec.horizon_weeks. A scenario
/// without uncertain parameters gives tornados without bars. Throws what compile_simulation throws.
[[nodiscard]] SensitivityResult run_sensitivity(const model::World& world,
                                                const model::ScenarioSpec& spec,
                                                int horizon_weeks,
                                                const SensitivityOptions& options);

}  // namespace lodestone::sim
