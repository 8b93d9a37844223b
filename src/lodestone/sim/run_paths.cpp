// lodestone/sim/run_paths.cpp: per-run paths of chosen series (see run_paths.hpp).
#include "lodestone/sim/run_paths.hpp"

#include "lodestone/sim/monte_carlo.hpp"
#include "lodestone/sim/runner.hpp"

namespace lodestone::sim {

std::optional<std::size_t> find_series(const Simulation& sim, const SeriesKey& key) {
    for (std::size_t i = 0; i < sim.series.size(); ++i) {
        const auto& s = sim.series[i];
        if (s.region == key.region && s.sector == key.sector && s.group == key.group &&
            s.metric == key.metric) {
            return i;
        }
    }
    return std::nullopt;
}

RunPaths run_paths(const Simulation& sim,
                   const std::vector<SeriesKey>& keys,
                   const PathOptions& options) {
    RunPaths out;
    out.seed = options.seed.value_or(sim.spec.seed);
    out.weeks = static_cast<std::size_t>(sim.horizon_weeks);
    const std::size_t runs =
        options.runs > 0 ? options.runs : static_cast<std::size_t>(sim.spec.runs);
    std::vector<std::optional<std::size_t>> index;
    for (const auto& k : keys) {
        index.push_back(find_series(sim, k));
        out.found.push_back(index.back().has_value());
    }
    using Acc = std::vector<std::vector<double>>;  // [key][runs of the chunk * weeks]
    const std::size_t weeks = out.weeks;
    auto init = [&] { return Acc(keys.size()); };
    auto fold = [&](Acc& acc, std::size_t run) {
        const auto r = simulate_run(sim, out.seed, run);
        for (std::size_t k = 0; k < keys.size(); ++k) {
            if (index[k]) {
                const auto first =
                    r.values.begin() + static_cast<std::ptrdiff_t>(*index[k] * weeks);
                acc[k].insert(acc[k].end(), first, first + static_cast<std::ptrdiff_t>(weeks));
            } else {
                acc[k].insert(acc[k].end(), weeks, 0.0);
            }
        }
    };
    auto merge = [](Acc& into, Acc&& chunk) {
        for (std::size_t k = 0; k < into.size(); ++k) {
            into[k].insert(into[k].end(), chunk[k].begin(), chunk[k].end());
        }
    };
    auto done = run_chunked<Acc>(runs,
                                 {.threads = options.threads,
                                  .chunk_runs = kChunkRuns,
                                  .progress = options.progress,
                                  .cancel = options.cancel},
                                 init, fold, merge);
    out.values = std::move(done.acc);
    out.runs = done.runs_done;
    out.cancelled = done.cancelled;
    return out;
}

}  // namespace lodestone::sim
