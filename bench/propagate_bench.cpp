// Seconds per simulated day of `lodestone propagate` on the synthetic scale-free network of
// gen_firmnet (seed 7, mean degree 5, 1% of firms shocked from days 1-3), with 1 and 2 threads,
// both rationing rules. Sizes: 1e5 firms always; 1e6 firms when LODE_BENCH_FIRMS_1E6=1 (about 1 GB
// of memory). Counters: s/day, and for 2 threads the speed-up over 1 thread measured in the same
// process. The output bits do not depend on the thread count (firmnet_test), so the speed-up is
// the only thing threads change. A sanity check fails the run if the shocks do not propagate.
#include <chrono>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "lodestone/firmnet/generate.hpp"
#include "lodestone/firmnet/propagate.hpp"

namespace {

using namespace lodestone::firmnet;

constexpr int kDays = 20;

struct Case {
    FirmNetwork net;
    std::vector<Shock> shocks;
};

const Case& network(std::size_t firms) {
    static std::map<std::size_t, Case> cache;
    auto it = cache.find(firms);
    if (it == cache.end()) {
        GenerateOptions g;
        g.firms = firms;
        g.seed = 7;
        auto gen = generate_network(g);
        lodestone::Diagnostics diags;
        Case c{build_network(std::move(gen.input), diags), std::move(gen.shocks)};
        it = cache.emplace(firms, std::move(c)).first;
    }
    return it->second;
}

double seconds_per_day(std::size_t firms, int threads, Rationing rule) {
    const auto& c = network(firms);
    PropagateOptions o;
    o.days = kDays;
    o.threads = threads;
    o.rationing = rule;
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = propagate(c.net, c.shocks, o);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!(r.production[kDays] < r.production[0]) || r.max_delivery_residual > 1e-12) {
        std::abort();  // a fast but wrong run must not report a time
    }
    return s / kDays;
}

void BM_Propagate(benchmark::State& state) {
    const auto firms = static_cast<std::size_t>(state.range(0));
    const int threads = static_cast<int>(state.range(1));
    const auto rule = state.range(2) == 0 ? Rationing::Proportional : Rationing::LowestFirst;
    (void)network(firms);
    double total = 0.0;
    std::int64_t n = 0;
    for (auto _ : state) {
        total += seconds_per_day(firms, threads, rule);
        ++n;
    }
    state.counters["s_per_day"] = total / static_cast<double>(n);
    state.counters["links"] = static_cast<double>(network(firms).net.links());
    if (threads > 1) {
        state.counters["speedup_vs_1"] =
            seconds_per_day(firms, 1, rule) / (total / static_cast<double>(n));
    }
}

void sizes(benchmark::internal::Benchmark* b) {
    std::vector<std::int64_t> firms{100000};
    if (const char* big = std::getenv("LODE_BENCH_FIRMS_1E6");
        big != nullptr && std::string(big) == "1") {
        firms.push_back(1000000);
    }
    for (const auto f : firms) {
        for (const std::int64_t rule : {0, 1}) {
            for (const std::int64_t threads : {1, 2}) {
                b->Args({f, threads, rule});
            }
        }
    }
    b->ArgNames({"firms", "threads", "lowest_first"});
}

BENCHMARK(BM_Propagate)->Apply(sizes)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
