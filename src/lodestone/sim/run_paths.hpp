// lodestone/sim/run_paths.hpp: the weekly paths of a few chosen series, run by run, for decision
// models that need every run (the stockpile LP, a product's stock-out week) rather than the bands
// of run_monte_carlo. Series are looked up by (region, kind, group, metric), never by position;
// runs use the same streams as run_monte_carlo (run_stream(seed, i)), folded in fixed chunks, so
// the paths do not depend on the thread count.
// Example: auto p = run_paths(sim, {{"USA", false, "gallium", Metric::ShortfallTonnes}}, {.runs =
// 200});
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lodestone/sim/market.hpp"

namespace lodestone::sim {

struct SeriesKey {
    std::string region;  ///< "WORLD" or a region of the Simulation
    bool sector = false;
    std::string group;  ///< material or sector id
    Metric metric = Metric::ShortfallShare;
};

/// Index of the series in sim.series, if the Simulation has it.
[[nodiscard]] std::optional<std::size_t> find_series(const Simulation& sim, const SeriesKey& key);

struct PathOptions {
    std::size_t runs = 0;               ///< 0 = the scenario's runs
    std::optional<std::uint64_t> seed;  ///< default: the scenario's seed
    int threads = 1;
    std::function<void(std::size_t, std::size_t)> progress;
    const std::atomic<bool>* cancel = nullptr;
};

struct RunPaths {
    std::uint64_t seed = 0;
    std::size_t runs = 0;  ///< runs done (a prefix when cancelled)
    std::size_t weeks = 0;
    bool cancelled = false;
    std::vector<bool> found;  ///< per key: false = not a series of this Simulation (values are 0)
    std::vector<std::vector<double>> values;  ///< [key][run * weeks + week]
};

/// Runs the Monte Carlo and keeps the paths of `keys`. Throws what simulate_run throws.
[[nodiscard]] RunPaths run_paths(const Simulation& sim,
                                 const std::vector<SeriesKey>& keys,
                                 const PathOptions& options);

}  // namespace lodestone::sim
