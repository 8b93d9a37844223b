// lodestone/sim/monte_carlo.hpp: the Monte Carlo driver (docs/scenarios.md). Run i draws its
// parameters from run_stream(seed, i) alone; runs are folded in fixed chunks and merged in run
// order, so the result is the same bytes for any number of threads. A library function: the CLI and
// the HTTP server call it with a progress callback and a cancellation flag. With several ranks
// (MPI, parallel/ranks.hpp) the chunks are dealt out to the ranks and merged at rank 0 in the same
// chunk order: the same bytes again, for any number of ranks. Example: auto mc =
// run_monte_carlo(sim, {.runs = 500, .seed = 42, .threads = 2});
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lodestone/parallel/ranks.hpp"
#include "lodestone/sim/market.hpp"
#include "lodestone/sim/stats.hpp"

namespace lodestone::sim {

struct MonteCarloOptions {
    std::size_t runs = 0;               ///< 0 = the scenario's runs
    std::optional<std::uint64_t> seed;  ///< default: the scenario's seed
    int threads = 1;
    /// Called on the calling thread with (runs done, total), in order.
    std::function<void(std::size_t, std::size_t)> progress;
    const std::atomic<bool>* cancel =
        nullptr;  ///< set to stop; the result then holds a prefix of runs
    /// The job's processes (collective call: every rank calls run_monte_carlo); null = this process
    /// alone. Chunk k runs on rank k mod K; rank 0 gets the result, the other ranks a result with
    /// no runs (runs_done 0). progress then counts this rank's runs only.
    parallel::Ranks* ranks = nullptr;
};

/// Chunk size of the reduction. Part of the definition of the result bytes; do not vary it.
inline constexpr std::size_t kChunkRuns = 16;

/// Quantiles of one per-run summary number over the runs.
struct SummaryBand {
    double p5 = 0, p50 = 0, p95 = 0, mean = 0;
    double probability =
        0;  ///< share of runs where it happens: a finite first week, else a value > 0
    /// Mean of the worst 5 % of runs (at least one run): the highest values, except for
    /// FirstShortfallWeek, where the worst runs are the earliest (lowest) weeks.
    double cvar95 = 0;
};

struct MonteCarloResult {
    std::uint64_t seed = 0;
    std::size_t runs_requested = 0;
    std::size_t runs_done = 0;
    bool cancelled = false;
    std::vector<std::vector<BinnedQuantiles>> bands;  ///< [series][week]
    std::vector<std::vector<double>> summary_values;  ///< [summary][run], in run order
    std::vector<SummaryMetric> summary_metrics;       ///< [summary]
    std::vector<ParamDraw> first_run_draws;  ///< draws of run 0 (the trajectory of --runs 1)
    double max_mass_residual = 0.0;          ///< over all runs, weeks and stages
    /// Runs in which a price reached the guard (price_cap_multiple): a failure of the scenario,
    /// reported as such, never as a price. first_capped says where it happened first.
    std::size_t capped_runs = 0;
    std::string first_capped;

    /// Quantiles (type 7), probability and CVaR of summary j over the runs done. Infinite values
    /// (no shortfall within the horizon) sort last and count as "not happened".
    [[nodiscard]] SummaryBand summary(std::size_t j) const;
};

/// Runs options.runs runs of the compiled scenario. Throws what simulate_run throws.
[[nodiscard]] MonteCarloResult run_monte_carlo(const Simulation& sim,
                                               const MonteCarloOptions& options);

}  // namespace lodestone::sim
