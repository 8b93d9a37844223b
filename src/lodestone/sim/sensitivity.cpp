#include "lodestone/sim/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "lodestone/sim/monte_carlo.hpp"
#include "lodestone/sim/random.hpp"
#include "lodestone/sim/runner.hpp"

namespace lodestone::sim {

namespace {

/// The headline summaries of a compiled scenario: index into sim.summaries, in its order.
std::vector<std::size_t> headline_summaries(const Simulation& sim) {
    std::vector<std::size_t> out;
    for (std::size_t j = 0; j < sim.summaries.size(); ++j) {
        const auto& s = sim.summaries[j];
        if (!s.sector && std::find(std::begin(kHeadlineMetrics), std::end(kHeadlineMetrics),
                                   s.metric) != std::end(kHeadlineMetrics)) {
            out.push_back(j);
        }
    }
    return out;
}

std::vector<Tornado> empty_tornados(const Simulation& sim,
                                    const std::vector<std::size_t>& headline) {
    std::vector<Tornado> out;
    for (const std::size_t j : headline) {
        const auto& s = sim.summaries[j];
        out.push_back({s.region, s.group, s.metric, 0.0, {}});
    }
    return out;
}

void sort_bars(std::vector<Tornado>& tornados) {
    for (auto& t : tornados) {
        std::stable_sort(
            t.bars.begin(), t.bars.end(),
            [](const SensitivityBar& a, const SensitivityBar& b) { return a.swing > b.swing; });
    }
}

/// A value a run can use: the P5 / P95 of a distribution, or a point of the quantile grid.
double value_at(const model::Distribution& d, double unit) {
    return inverse_cdf(d, kLowQuantile + (kHighQuantile - kLowQuantile) * unit);
}

/// |x| below 1e-12 of the scale of the numbers compared is rounding, not an effect.
double clean(double difference, double scale) {
    return std::fabs(difference) <= 1e-12 * std::max(1.0, std::fabs(scale)) ? 0.0 : difference;
}

SensitivityResult run_oat(Simulation& sim,
                          const std::vector<ParamSite>& params,
                          const std::vector<std::size_t>& headline,
                          const SensitivityOptions& options,
                          SensitivityResult out) {
    const std::size_t variants = 1 + 2 * params.size();
    const std::size_t total = variants * out.runs;
    MonteCarloOptions mc_opt;
    mc_opt.runs = out.runs;
    mc_opt.seed = out.seed;
    mc_opt.threads = options.threads;
    mc_opt.cancel = options.cancel;
    std::size_t done_before = 0;
    if (options.progress) {
        mc_opt.progress = [&](std::size_t done, std::size_t) {
            options.progress(done_before + done, total);
        };
    }
    // Median over runs of each headline output for the current pins; nullopt when cancelled.
    auto medians = [&]() -> std::optional<std::vector<double>> {
        const auto mc = run_monte_carlo(sim, mc_opt);
        done_before += mc.runs_done;
        out.model_runs += mc.runs_done;
        if (mc.cancelled) {
            return std::nullopt;
        }
        std::vector<double> m;
        m.reserve(headline.size());
        for (const std::size_t j : headline) {
            m.push_back(mc.summary(j).p50);
        }
        return m;
    };
    sim.spec.pinned.clear();
    const auto base = medians();
    if (!base) {
        out.cancelled = true;
        return out;
    }
    out.tornados = empty_tornados(sim, headline);
    for (std::size_t k = 0; k < out.tornados.size(); ++k) {
        out.tornados[k].median_base = (*base)[k];
    }
    for (const auto& p : params) {
        const double lo = value_at(p.dist, 0.0);
        const double hi = value_at(p.dist, 1.0);
        sim.spec.pinned = {{p.path, lo}};
        const auto at_lo = medians();
        sim.spec.pinned = {{p.path, hi}};
        const auto at_hi = at_lo ? medians() : std::nullopt;
        if (!at_hi) {
            out.cancelled = true;
            out.tornados.clear();
            break;
        }
        for (std::size_t k = 0; k < out.tornados.size(); ++k) {
            SensitivityBar bar{.path = p.path, .low_value = lo, .high_value = hi};
            bar.median_low = (*at_lo)[k];
            bar.median_high = (*at_hi)[k];
            bar.swing =
                std::fabs(clean(bar.median_high - bar.median_low, out.tornados[k].median_base));
            out.tornados[k].bars.push_back(std::move(bar));
        }
    }
    sim.spec.pinned.clear();
    sort_bars(out.tornados);
    return out;
}

/// Elementary effects of one trajectory: [param][output], plus the outputs of its points.
struct Trajectory {
    std::vector<std::vector<double>> effects;
    std::vector<std::vector<double>> points;  ///< [point][output]
};

struct MorrisAcc {
    std::vector<Trajectory> trajectories;
};

// Morris (1991) on p = 4 levels {0, 1/3, 2/3, 1} of the unit range (P5 .. P95 in quantiles), step
// Δ = p / (2(p - 1)) = 2/3: each trajectory starts from a random grid point, then moves one
// parameter at a time by ±Δ in a random order; effect = Δ output / Δ unit.
SensitivityResult run_morris(const Simulation& base_sim,
                             const std::vector<ParamSite>& params,
                             const std::vector<std::size_t>& headline,
                             const SensitivityOptions& options,
                             SensitivityResult out) {
    constexpr double kDelta = 2.0 / 3.0;
    const std::size_t n_params = params.size();
    const std::size_t n_out = headline.size();
    const std::size_t per_trajectory = n_params + 1;
    out.tornados = empty_tornados(base_sim, headline);
    ChunkOptions chunk;
    chunk.threads = options.threads;
    chunk.chunk_runs = 1;
    chunk.cancel = options.cancel;
    if (options.progress) {
        chunk.progress = [&](std::size_t done, std::size_t total) {
            options.progress(done * per_trajectory, total * per_trajectory);
        };
    }
    auto result = run_chunked<MorrisAcc>(
        out.runs, chunk, [] { return MorrisAcc{}; },
        [&](MorrisAcc& acc, std::size_t t) {
            // The trajectory's own stream, distinct from the runs' streams of the same seed.
            auto rng = run_stream(mix64(out.seed ^ 0x6D6F72726973ULL), t);
            std::vector<double> x(n_params);
            std::vector<double> sign(n_params);
            for (std::size_t i = 0; i < n_params; ++i) {
                const double start = uniform01(rng) < 0.5 ? 0.0 : 1.0 / 3.0;
                sign[i] = uniform01(rng) < 0.5 ? 1.0 : -1.0;
                x[i] = sign[i] > 0 ? start : start + kDelta;
            }
            std::vector<std::size_t> order(n_params);
            std::iota(order.begin(), order.end(), std::size_t{0});
            for (std::size_t i = n_params; i > 1; --i) {  // Fisher-Yates
                const auto j = static_cast<std::size_t>(uniform01(rng) * static_cast<double>(i));
                std::swap(order[i - 1], order[std::min(j, i - 1)]);
            }
            Simulation sim_point = base_sim;  // each trajectory sets its own pins
            auto evaluate = [&] {
                for (std::size_t i = 0; i < n_params; ++i) {
                    sim_point.spec.pinned[params[i].path] = value_at(params[i].dist, x[i]);
                }
                // Every uncertain parameter is pinned: the run's draws do not matter.
                const auto run = simulate_run(sim_point, out.seed, t);
                std::vector<double> y;
                y.reserve(headline.size());
                for (const std::size_t j : headline) {
                    y.push_back(run.summaries[j]);
                }
                return y;
            };
            Trajectory tr;
            tr.effects.assign(n_params, std::vector<double>(n_out, 0.0));
            tr.points.push_back(evaluate());
            for (const std::size_t i : order) {
                x[i] += sign[i] * kDelta;
                tr.points.push_back(evaluate());
                const auto& before = tr.points[tr.points.size() - 2];
                const auto& after = tr.points.back();
                for (std::size_t k = 0; k < n_out; ++k) {
                    tr.effects[i][k] = clean(after[k] - before[k], before[k]) / (sign[i] * kDelta);
                }
            }
            acc.trajectories.push_back(std::move(tr));
        },
        [](MorrisAcc& into, MorrisAcc&& part) {
            for (auto& t : part.trajectories) {
                into.trajectories.push_back(std::move(t));
            }
        });
    out.model_runs = result.runs_done * per_trajectory;
    if (result.cancelled) {
        out.cancelled = true;
        out.tornados.clear();
        return out;
    }
    const auto& trs = result.acc.trajectories;
    const auto r = static_cast<double>(trs.size());
    for (std::size_t k = 0; k < n_out; ++k) {
        std::vector<double> ys;
        for (const auto& tr : trs) {
            for (const auto& point : tr.points) {
                ys.push_back(point[k]);
            }
        }
        std::sort(ys.begin(), ys.end());
        out.tornados[k].median_base = quantile_sorted(ys, 0.5);
        for (std::size_t i = 0; i < n_params; ++i) {
            SensitivityBar bar{.path = params[i].path,
                               .low_value = value_at(params[i].dist, 0.0),
                               .high_value = value_at(params[i].dist, 1.0)};
            RunningStats ee;
            double abs_sum = 0.0;
            for (const auto& tr : trs) {
                ee.add(tr.effects[i][k]);
                abs_sum += std::fabs(tr.effects[i][k]);
            }
            bar.mu_star = r > 0 ? abs_sum / r : 0.0;
            bar.sigma = std::sqrt(ee.variance());
            bar.swing = bar.mu_star;
            out.tornados[k].bars.push_back(std::move(bar));
        }
    }
    sort_bars(out.tornados);
    return out;
}

}  // namespace

std::string_view to_string(SensitivityMethod method) {
    return method == SensitivityMethod::Morris ? "morris" : "oat";
}

SensitivityResult run_sensitivity(const model::World& world,
                                  const model::ScenarioSpec& spec,
                                  int horizon_weeks,
                                  const SensitivityOptions& options) {
    // One compiled scenario serves every variant: it is valid for any draw of the parameters (all
    // runs share it), and a pinned value inside the P5-P95 range is such a draw.
    Simulation sim = compile_simulation(world, spec, horizon_weeks);
    SensitivityResult out;
    out.method = options.method;
    out.seed = options.seed.value_or(spec.seed);
    if (options.method == SensitivityMethod::Oat) {
        out.runs =
            options.runs > 0 ? options.runs : static_cast<std::size_t>(std::max(1, spec.runs));
    } else {
        out.runs = std::max<std::size_t>(1, options.trajectories);
    }
    for (auto& site : param_sites(spec)) {
        if (!site.dist.is_fixed()) {
            out.params.push_back(std::move(site));
        }
    }
    const auto headline = headline_summaries(sim);
    const std::vector<ParamSite> params =
        out.params;  // `out` itself is moved into the method below
    if (params.empty()) {
        out.notes.emplace_back("the scenario has no uncertain parameter: nothing to vary");
    }
    out.notes.emplace_back(
        "each parameter is bounded by its P5 and P95, so a lognormal's unbounded tail is left out");
    if (options.method == SensitivityMethod::Oat) {
        out.notes.push_back("OAT: medians over " + std::to_string(out.runs) + " runs with seed " +
                            std::to_string(out.seed) +
                            " for every variant (common random numbers)");
        return run_oat(sim, params, headline, options, std::move(out));
    }
    out.notes.push_back(
        "Morris: " + std::to_string(out.runs) +
        " trajectories on 4 quantile levels; effects per the "
        "whole P5-P95 range, one model run per point with every uncertain parameter set");
    return run_morris(sim, params, headline, options, std::move(out));
}

}  // namespace lodestone::sim
