#include "lodestone/sim/monte_carlo.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "lodestone/parallel/bytes.hpp"
#include "lodestone/sim/runner.hpp"

namespace lodestone::sim {

namespace {

struct Acc {
    std::vector<std::vector<BinnedQuantiles>> bands;
    std::vector<std::vector<double>> summary_values;
    std::vector<ParamDraw> first_draws;
    double residual = 0.0;
    std::size_t capped_runs = 0;
    std::string first_capped;
};

/// The accumulator of one chunk, bit for bit (parallel/bytes.hpp), with the runs it folded.
std::string pack(const Acc& acc, std::size_t runs) {
    parallel::ByteWriter w;
    w.put<std::uint64_t>(runs);
    w.put<std::uint64_t>(acc.bands.size());
    for (const auto& series : acc.bands) {
        w.put<std::uint64_t>(series.size());
        for (const auto& q : series) {
            w.put(q.stats());
            std::vector<std::uint32_t> bins;
            std::vector<std::uint64_t> counts;
            for (const auto& [b, c] : q.bins()) {
                bins.push_back(b);
                counts.push_back(c);
            }
            w.put_vector(bins);
            w.put_vector(counts);
        }
    }
    w.put<std::uint64_t>(acc.summary_values.size());
    for (const auto& v : acc.summary_values) {
        w.put_vector(v);
    }
    w.put<std::uint64_t>(acc.first_draws.size());
    for (const auto& d : acc.first_draws) {
        w.put_string(d.path);
        w.put(d.value);
    }
    w.put(acc.residual);
    w.put<std::uint64_t>(acc.capped_runs);
    w.put_string(acc.first_capped);
    return w.take();
}

Acc unpack(const std::string& bytes, std::size_t& runs) {
    parallel::ByteReader r(bytes);
    Acc acc;
    runs = r.get<std::uint64_t>();
    acc.bands.resize(r.get<std::uint64_t>());
    for (auto& series : acc.bands) {
        series.resize(r.get<std::uint64_t>());
        for (auto& q : series) {
            const auto stats = r.get<RunningStats>();
            const auto bins = r.get_vector<std::uint32_t>();
            const auto counts = r.get_vector<std::uint64_t>();
            std::vector<std::pair<std::uint32_t, std::uint64_t>> cells;
            for (std::size_t b = 0; b < bins.size() && b < counts.size(); ++b) {
                cells.emplace_back(bins[b], counts[b]);
            }
            q = BinnedQuantiles::from_parts(stats, std::move(cells));
        }
    }
    acc.summary_values.resize(r.get<std::uint64_t>());
    for (auto& v : acc.summary_values) {
        v = r.get_vector<double>();
    }
    acc.first_draws.resize(r.get<std::uint64_t>());
    for (auto& d : acc.first_draws) {
        d.path = r.get_string();
        d.value = r.get<double>();
    }
    acc.residual = r.get<double>();
    acc.capped_runs = r.get<std::uint64_t>();
    acc.first_capped = r.get_string();
    return acc;
}

/// This rank's chunks, folded separately (not merged): chunk accumulators and their runs.
struct RankChunks {
    std::vector<Acc> accs;
    std::vector<std::size_t> runs;
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
    // Worst = highest for shortfall, price and cost; earliest for the first shortfall week (runs
    // with no shortfall sort last as +inf, so they enter the tail only when fewer than 5 % have
    // one).
    out.cvar95 = tail_mean_sorted(v, 0.05, !is_week);
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
    auto init = [&] {
        Acc acc;
        acc.bands.assign(n_series, std::vector<BinnedQuantiles>(weeks));
        acc.summary_values.assign(n_summaries, {});
        return acc;
    };
    auto fold = [&](Acc& acc, std::size_t i) {
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
        if (run.capped_weeks > 0) {
            if (acc.capped_runs == 0) {
                acc.first_capped = "run " + std::to_string(i) + ": " + run.capped_at;
            }
            ++acc.capped_runs;
        }
    };
    auto merge = [&](Acc& into, Acc&& part) {
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
            into.summary_values[j].insert(into.summary_values[j].end(),
                                          part.summary_values[j].begin(),
                                          part.summary_values[j].end());
        }
        if (into.first_draws.empty()) {
            into.first_draws = std::move(part.first_draws);
        }
        into.residual = std::max(into.residual, part.residual);
        if (into.capped_runs == 0) {
            into.first_capped = std::move(part.first_capped);
        }
        into.capped_runs += part.capped_runs;
    };

    ChunkedResult<Acc> result;
    if (options.ranks == nullptr || options.ranks->size() == 1) {
        result = run_chunked<Acc>(out.runs_requested, chunk, init, fold, merge);
    } else {
        // Chunk k runs on rank k mod K. This rank folds its chunks with its threads, each chunk
        // into its own accumulator exactly as one process would; rank 0 merges all chunks in chunk
        // order, which is the single-process reduction step by step.
        const std::size_t runs = out.runs_requested;
        const std::size_t chunks = (runs + kChunkRuns - 1) / kChunkRuns;
        const auto parts = parallel::split_items(
            *options.ranks, chunks, [&](const std::vector<std::size_t>& mine) {
                std::size_t local_runs = 0;
                for (const std::size_t k : mine) {
                    local_runs += std::min(runs, (k + 1) * kChunkRuns) - k * kChunkRuns;
                }
                // Local run l is run (mine[l / chunk] * chunk + l % chunk): local chunk m is global
                // chunk mine[m], and only the last global chunk, last on its rank, can be short.
                auto local = run_chunked<RankChunks>(
                    local_runs, chunk, [] { return RankChunks{}; },
                    [&](RankChunks& rc, std::size_t l) {
                        if (rc.accs.empty()) {
                            rc.accs.push_back(init());
                            rc.runs.push_back(0);
                        }
                        fold(rc.accs.back(), mine[l / kChunkRuns] * kChunkRuns + l % kChunkRuns);
                        ++rc.runs.back();
                    },
                    [](RankChunks& into, RankChunks&& part) {
                        for (std::size_t m = 0; m < part.accs.size(); ++m) {
                            into.accs.push_back(std::move(part.accs[m]));
                            into.runs.push_back(part.runs[m]);
                        }
                    });
                std::vector<std::string> packed;
                for (std::size_t m = 0; m < local.acc.accs.size(); ++m) {
                    packed.push_back(pack(local.acc.accs[m], local.acc.runs[m]));
                }
                return packed;
            });
        result.acc = init();  // as run_chunked starts
        for (std::size_t k = 0; k < parts.size(); ++k) {
            if (parts[k].empty()) {  // not run: cancelled on its rank
                result.cancelled = true;
                break;
            }
            std::size_t n = 0;
            merge(result.acc, unpack(parts[k], n));
            result.runs_done += n;
            if (n < std::min(runs, (k + 1) * kChunkRuns) - k * kChunkRuns) {
                result.cancelled = true;
                break;
            }
        }
    }
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
    out.capped_runs = result.acc.capped_runs;
    out.first_capped = std::move(result.acc.first_capped);
    return out;
}

}  // namespace lodestone::sim
