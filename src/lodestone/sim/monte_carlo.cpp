#include "lodestone/sim/monte_carlo.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "lodestone/sim/runner.hpp"

namespace lodestone::sim {

namespace {

struct Acc {
    std::vector<std::vector<BinnedQuantiles>> bands;
    std::vector<std::vector<double>> summary_values;
    std::vector<ParamDraw> first_draws;
    double residual = 0.0;
};

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

MonteCarloResult run_monte_carlo(const Simulation& sim, const MonteCarloOptions& options) {
    MonteCarloResult out;
    out.seed = options.seed.value_or(sim.spec.seed);
    out.runs_requested = options.runs > 0 ? options.runs : static_cast<std::size_t>(sim.spec.runs);
    const std::size_t weeks = static_cast<std::size_t>(sim.horizon_weeks);
    const std::size_t n_series = sim.series.size();
    const std::size_t n_summaries = sim.summaries.size();
    ChunkOptions chunk;
    chunk.threads = options.threads;
    chunk.chunk_runs = kChunkRuns;
    chunk.progress = options.progress;
    chunk.cancel = options.cancel;
    const std::uint64_t seed = out.seed;
    auto result = run_chunked<Acc>(
        out.runs_requested, chunk,
        [&] {
            Acc acc;
            acc.bands.assign(n_series, std::vector<BinnedQuantiles>(weeks));
            acc.summary_values.assign(n_summaries, {});
            return acc;
        },
        [&](Acc& acc, std::size_t i) {
            const RunResult run = simulate_run(sim, seed, i);
            for (std::size_t s = 0; s < n_series; ++s) {
                const auto& bins = sim.series[s].bins;
                for (std::size_t t = 0; t < weeks; ++t) {
                    acc.bands[s][t].add(run.values[s * weeks + t], bins);
                }
            }
            for (std::size_t j = 0; j < n_summaries; ++j) {
                acc.summary_values[j].push_back(run.summaries[j]);
            }
            if (i == 0) {
                acc.first_draws = run.draws;
            }
            acc.residual = std::max(acc.residual, run.max_mass_residual);
        },
        [&](Acc& into, Acc&& part) {
            if (into.bands.empty()) {
                into = std::move(part);
                return;
            }
            for (std::size_t s = 0; s < n_series; ++s) {
                for (std::size_t t = 0; t < weeks; ++t) {
                    into.bands[s][t].merge(part.bands[s][t]);
                }
            }
            for (std::size_t j = 0; j < n_summaries; ++j) {
                into.summary_values[j].insert(into.summary_values[j].end(), part.summary_values[j].begin(),
                                              part.summary_values[j].end());
            }
            if (into.first_draws.empty()) {
                into.first_draws = std::move(part.first_draws);
            }
            into.residual = std::max(into.residual, part.residual);
        });
    out.runs_done = result.runs_done;
    out.cancelled = result.cancelled;
    out.bands = std::move(result.acc.bands);
    if (out.bands.empty()) {
        out.bands.assign(n_series, std::vector<BinnedQuantiles>(weeks));
    }
    out.summary_values = std::move(result.acc.summary_values);
    out.summary_values.resize(n_summaries);
    out.first_run_draws = std::move(result.acc.first_draws);
    for (const auto& info : sim.summaries) {
        out.summary_metrics.push_back(info.metric);
    }
    out.max_mass_residual = result.acc.residual;
    return out;
}

}  // namespace lodestone::sim
