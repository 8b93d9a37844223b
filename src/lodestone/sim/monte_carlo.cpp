#include "lodestone/sim/monte_carlo.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "lodestone/sim/runner.hpp"

namespace lodestone::sim {

namespace {

ChunkResult empty_chunk(const Simulation& sim) {
    ChunkResult acc;
    acc.bands.assign(sim.series.size(), std::vector<BinnedQuantiles>(static_cast<std::size_t>(sim.horizon_weeks)));
    acc.summary_values.assign(sim.summaries.size(), {});
    return acc;
}

void fold_run(const Simulation& sim, std::uint64_t seed, ChunkResult& acc, std::size_t i) {
    const std::size_t weeks = static_cast<std::size_t>(sim.horizon_weeks);
    const RunResult run = simulate_run(sim, seed, i);
    for (std::size_t s = 0; s < sim.series.size(); ++s) {
        const auto& bins = sim.series[s].bins;
        for (std::size_t t = 0; t < weeks; ++t) {
            acc.bands[s][t].add(run.values[s * weeks + t], bins);
        }
    }
    for (std::size_t j = 0; j < sim.summaries.size(); ++j) {
        acc.summary_values[j].push_back(run.summaries[j]);
    }
    if (i == 0) {
        acc.first_draws = run.draws;
    }
    acc.residual = std::max(acc.residual, run.max_mass_residual);
    ++acc.runs;
}

void merge_into(ChunkResult& into, ChunkResult&& part) {
    if (into.bands.empty()) {
        into = std::move(part);
        return;
    }
    for (std::size_t s = 0; s < into.bands.size(); ++s) {
        for (std::size_t t = 0; t < into.bands[s].size(); ++t) {
            into.bands[s][t].merge(part.bands[s][t]);
        }
    }
    for (std::size_t j = 0; j < into.summary_values.size(); ++j) {
        into.summary_values[j].insert(into.summary_values[j].end(), part.summary_values[j].begin(),
                                      part.summary_values[j].end());
    }
    if (into.first_draws.empty()) {
        into.first_draws = std::move(part.first_draws);
    }
    into.residual = std::max(into.residual, part.residual);
    into.runs += part.runs;
}

MonteCarloResult finish(const Simulation& sim, std::uint64_t seed, std::size_t runs_requested, ChunkResult&& acc) {
    MonteCarloResult out;
    out.seed = seed;
    out.runs_requested = runs_requested;
    out.bands = std::move(acc.bands);
    if (out.bands.empty()) {
        out.bands.assign(sim.series.size(), std::vector<BinnedQuantiles>(static_cast<std::size_t>(sim.horizon_weeks)));
    }
    out.summary_values = std::move(acc.summary_values);
    out.summary_values.resize(sim.summaries.size());
    out.first_run_draws = std::move(acc.first_draws);
    for (const auto& info : sim.summaries) {
        out.summary_metrics.push_back(info.metric);
    }
    out.max_mass_residual = acc.residual;
    return out;
}

}  // namespace

SummaryBand MonteCarloResult::summary(std::size_t j) const {
    SummaryBand out;
    const bool is_week = summary_metrics.at(j) == SummaryMetric::FirstShortfallWeek;
    std::vector<double> v = summary_values.at(j);
    if (v.empty()) {
        out.p5 = out.p50 = out.p95 = out.mean = out.cvar95 = std::nan("");
        return out;
    }
    std::sort(v.begin(), v.end());
    const double inf = std::numeric_limits<double>::infinity();
    auto q = [&](double p) {
        const double h = p * static_cast<double>(v.size() - 1);
        const auto lo = static_cast<std::size_t>(std::floor(h));
        const std::size_t hi = std::min(lo + 1, v.size() - 1);
        const double frac = h - static_cast<double>(lo);
        if (std::isinf(v[lo])) {
            return inf;
        }
        if (std::isinf(v[hi])) {
            return frac > 0 ? inf : v[lo];
        }
        return v[lo] + frac * (v[hi] - v[lo]);
    };
    out.p5 = q(0.05);
    out.p50 = q(0.5);
    out.p95 = q(0.95);
    double sum = 0.0;
    std::size_t finite = 0;
    std::size_t happened = 0;
    for (const double x : v) {
        if (std::isfinite(x)) {
            sum += x;
            ++finite;
            happened += (x > 0 || is_week) ? 1 : 0;
        }
    }
    out.mean = finite > 0 ? sum / static_cast<double>(finite) : inf;
    out.probability = static_cast<double>(happened) / static_cast<double>(v.size());
    const std::size_t tail = std::max<std::size_t>(1, v.size() / 20);
    double tail_sum = 0.0;
    for (std::size_t i = v.size() - tail; i < v.size(); ++i) {
        tail_sum += v[i];
    }
    out.cvar95 = tail_sum / static_cast<double>(tail);
    return out;
}

std::size_t chunk_count(std::size_t runs) { return (runs + kChunkRuns - 1) / kChunkRuns; }

ChunkResult fold_chunk(const Simulation& sim, std::uint64_t seed, std::size_t runs, std::size_t k) {
    ChunkResult acc = empty_chunk(sim);
    const std::size_t last = std::min(runs, (k + 1) * kChunkRuns);
    for (std::size_t i = k * kChunkRuns; i < last; ++i) {
        fold_run(sim, seed, acc, i);
    }
    return acc;
}

MonteCarloResult merge_chunks(const Simulation& sim, std::uint64_t seed, std::size_t runs_requested,
                              std::vector<ChunkResult>&& chunks) {
    ChunkResult acc = empty_chunk(sim);
    for (auto& c : chunks) {
        merge_into(acc, std::move(c));
    }
    const std::size_t done = acc.runs;
    auto out = finish(sim, seed, runs_requested, std::move(acc));
    out.runs_done = done;
    out.cancelled = done < runs_requested;
    return out;
}

MonteCarloResult run_monte_carlo(const Simulation& sim, const MonteCarloOptions& options) {
    const std::uint64_t seed = options.seed.value_or(sim.spec.seed);
    const std::size_t runs = options.runs > 0 ? options.runs : static_cast<std::size_t>(sim.spec.runs);
    ChunkOptions chunk;
    chunk.threads = options.threads;
    chunk.chunk_runs = kChunkRuns;
    chunk.progress = options.progress;
    chunk.cancel = options.cancel;
    auto result = run_chunked<ChunkResult>(
        runs, chunk, [&] { return empty_chunk(sim); },
        [&](ChunkResult& acc, std::size_t i) { fold_run(sim, seed, acc, i); }, merge_into);
    auto out = finish(sim, seed, runs, std::move(result.acc));
    out.runs_done = result.runs_done;
    out.cancelled = result.cancelled;
    return out;
}

}  // namespace lodestone::sim
