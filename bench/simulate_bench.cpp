// Monte Carlo throughput of `lodestone simulate` on the pause-lapse scenario
// (data/scenarios/cn_gagesb_us_ban_lapse.toml: Ga, Ge, Sb; 104 weeks; regions WORLD, USA, EU, JPN)
// on the embedded dataset, with 1 and 2 worker threads. Counters: runs/s, and for the threaded
// case the speed-up over one thread measured in the same process (same machine state). The result
// bytes do not depend on the thread count (tests/cli simulate_threads_identical), so the speed-up
// is the only thing threads change.
#include <chrono>
#include <string>

#include <benchmark/benchmark.h>

#include "lodestone/io/dataset_reader.hpp"
#include "lodestone/io/scenario_reader.hpp"
#include "lodestone/sim/market.hpp"
#include "lodestone/sim/monte_carlo.hpp"

namespace {

using namespace lodestone;

constexpr std::size_t kRuns = 256;

const sim::Simulation& simulation() {
    static const auto world = io::load_world(io::embedded_world()).world;  // s points into it
    static const sim::Simulation s = [] {
        const auto spec = io::read_scenario_file(
            std::string(LODE_SOURCE_DIR) + "/data/scenarios/cn_gagesb_us_ban_lapse.toml", world);
        return sim::compile_simulation(world, spec);
    }();
    return s;
}

double seconds_for(int threads) {
    sim::MonteCarloOptions o;
    o.runs = kRuns;
    o.seed = 20261128;
    o.threads = threads;
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = sim::run_monte_carlo(simulation(), o);
    benchmark::DoNotOptimize(r.summary_values.data());
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void BM_MonteCarloLapse(benchmark::State& state) {
    const int threads = static_cast<int>(state.range(0));
    (void)simulation();
    double total = 0.0;
    for (auto _ : state) {
        total += seconds_for(threads);
    }
    const double per_iteration = total / static_cast<double>(state.iterations());
    state.counters["runs_per_s"] = static_cast<double>(kRuns) / per_iteration;
    state.counters["weeks"] = simulation().horizon_weeks;
    if (threads > 1) {
        const double one = seconds_for(1);
        state.counters["speedup_vs_1_thread"] = one / per_iteration;
    }
}

BENCHMARK(BM_MonteCarloLapse)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

/// One run alone (no Monte Carlo bookkeeping): the cost of the weekly model.
void BM_SingleRunLapse(benchmark::State& state) {
    const auto& s = simulation();
    std::uint64_t i = 0;
    for (auto _ : state) {
        auto r = sim::simulate_run(s, 1, i++);
        benchmark::DoNotOptimize(r.values.data());
    }
    state.counters["runs_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_SingleRunLapse)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
