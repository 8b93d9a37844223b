// The stockpile LP at the size of a national stockpile study: 20 materials x 1,000 Monte Carlo runs
// x 104 weeks (synthetic shortfalls: in each run and material, with probability 0.6, a disruption
// starts in a random week, lasts 4-52 weeks and takes 10-100 % of a 1-50 t/week need).
// Benchmarks: the structured solver (exact greedy for the expected loss, cutting planes for CVaR)
// at full size; the monolithic LP (build, then Clp) at growing run counts up to the full size.
// A check runs first: on 20 x 100 x 104 both methods must agree on the optimum (else the bench
// reports an error instead of a time).
#include <chrono>
#include <cmath>
#include <random>

#include <benchmark/benchmark.h>

#include "lodestone/optimize/lp.hpp"
#include "lodestone/optimize/stockpile.hpp"

namespace {

using namespace lodestone::optimize;

StockpileProblem problem(std::size_t runs, Objective objective) {
    constexpr std::size_t kMaterials = 20;
    constexpr std::size_t kWeeks = 104;
    std::mt19937_64 rng(20261204);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    StockpileProblem p;
    p.runs = runs;
    p.weeks = kWeeks;
    p.objective = objective;
    p.alpha = 0.95;
    double full_cost = 0;
    for (std::size_t m = 0; m < kMaterials; ++m) {
        StockpileMaterial mat;
        mat.id = "m" + std::to_string(m);
        mat.cost_usd_t = 1e4 * std::exp(4 * u(rng));  // 10k - 550k USD/t
        mat.value_usd_t = mat.cost_usd_t * (5 + 50 * u(rng));
        mat.release_weeks = 13 + 39 * u(rng);
        mat.start_tonnes = u(rng) < 0.3 ? 100 * u(rng) : 0.0;
        const double need = 1 + 49 * u(rng);
        mat.shortfall.assign(runs * kWeeks, 0.0);
        for (std::size_t w = 0; w < runs; ++w) {
            if (u(rng) >= 0.6) {
                continue;
            }
            const auto start = static_cast<std::size_t>(u(rng) * kWeeks);
            const auto length = static_cast<std::size_t>(4 + 48 * u(rng));
            const double depth = need * (0.1 + 0.9 * u(rng));
            for (std::size_t t = start; t < std::min(kWeeks, start + length); ++t) {
                mat.shortfall[w * kWeeks + t] = depth;
            }
        }
        full_cost += mat.cost_usd_t * need * 26;
        p.materials.push_back(std::move(mat));
    }
    p.budget_usd = 0.3 * full_cost;  // binds
    return p;
}

bool methods_agree(Objective objective) {
    static const bool ok = [&] {
        const auto p = problem(100, objective);
        const auto solver = make_clp_solver();
        const auto a = solve_stockpile(p, *solver, Method::Monolithic);
        const auto b = solve_stockpile(p, *solver, Method::Structured);
        return a.status == SolveStatus::Optimal && b.status == SolveStatus::Optimal &&
               std::fabs(a.objective_usd - b.objective_usd) <=
                   1e-6 * std::max(1.0, a.objective_usd);
    }();
    return ok;
}

void run(benchmark::State& state, Method method, Objective objective) {
    if (!methods_agree(objective)) {
        state.SkipWithError("monolithic and structured optima differ on 20 x 100 x 104");
        return;
    }
    const auto p = problem(static_cast<std::size_t>(state.range(0)), objective);
    const auto solver = make_clp_solver();
    double build_s = 0;
    StockpilePlan plan;
    for (auto _ : state) {
        if (method == Method::Monolithic) {
            const auto t0 = std::chrono::steady_clock::now();
            const auto lp = build_stockpile_lp(p);
            build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            benchmark::DoNotOptimize(lp.cols());
        }
        plan = solve_stockpile(p, *solver, method);
        benchmark::DoNotOptimize(plan.materials.data());
    }
    if (plan.status != SolveStatus::Optimal) {
        state.SkipWithError(("not optimal: " + plan.message).c_str());
        return;
    }
    state.counters["objective_usd"] = plan.objective_usd;
    state.counters["loss_before_usd"] =
        p.objective == Objective::Expected ? plan.expected_loss_before_usd : plan.cvar_before_usd;
    state.counters["cost_usd"] = plan.cost_usd;
    state.counters["budget_dual"] = plan.budget_dual;
    state.counters["lp_columns"] = static_cast<double>(plan.lp_columns);
    state.counters["lp_rows"] = static_cast<double>(plan.lp_rows);
    state.counters["iterations"] = plan.iterations;
    if (method == Method::Monolithic) {
        state.counters["build_s"] = build_s;
    }
}

void BM_StockpileStructuredExpected(benchmark::State& s) {
    run(s, Method::Structured, Objective::Expected);
}
void BM_StockpileStructuredCvar(benchmark::State& s) {
    run(s, Method::Structured, Objective::Cvar);
}
void BM_StockpileMonolithicExpected(benchmark::State& s) {
    run(s, Method::Monolithic, Objective::Expected);
}
void BM_StockpileMonolithicCvar(benchmark::State& s) {
    run(s, Method::Monolithic, Objective::Cvar);
}

BENCHMARK(BM_StockpileStructuredExpected)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_StockpileStructuredCvar)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_StockpileMonolithicExpected)
    ->Arg(100)
    ->Arg(300)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK(BM_StockpileMonolithicCvar)
    ->Arg(100)
    ->Arg(300)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
