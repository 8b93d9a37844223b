// Look-through sweep on a generated network of 10^6 nodes and 10^7 edges, against a stream-like
// copy measured in the same run, so that we know how close the sweep is to the memory limit.
//
// Network: 5 layers of 200,000 nodes (a 5-stage chain); every node of layers 2-5 has 12.5 in-edges
// on average from random nodes of the layer above (10^7 edges), weights summing to 1 per node.
// One sweep = one Gauss-Seidel pass x(v) = b(v) + sum_e w_e x(src_e) over all nodes in topological
// order: exactly the kernel of network::LookThrough (width 1 = the share of one origin country;
// width 8 = eight origin countries at once).
// Bytes per sweep (logical, counted once): offsets 4(N+1) + src 4E + weight 8E + gathered x
// 8E*width
// + b 8N*width + x written 8N*width. Random gathers move whole 64-byte lines, so the real traffic
// is higher; the ratio to the copy bandwidth is therefore a lower bound of how busy memory is.
// Copy: STREAM "copy" a[i] = b[i] over two 256 MiB arrays, 16 bytes per element moved.
// Times are thread CPU time (Google Benchmark's default), so that the ratio holds on a loaded
// machine too; `ratio_to_copy` = sweep bytes/s over the best copy bytes/s, both in CPU time.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>
#include <time.h>

#include "lodestone/io/dataset_reader.hpp"
#include "lodestone/network/lookthrough.hpp"

namespace {

constexpr std::uint32_t kNodes = 1'000'000;
constexpr std::uint32_t kLayers = 5;
constexpr std::uint64_t kEdges = 10'000'000;

struct Generated {
    std::vector<std::uint32_t> offsets, src;
    std::vector<double> weight;
};

const Generated& generated() {
    static const Generated g = [] {
        Generated out;
        const std::uint32_t per_layer = kNodes / kLayers;
        const std::uint32_t with_inputs = kNodes - per_layer;
        std::mt19937_64 rng(20240801);
        out.offsets.assign(kNodes + 1, 0);
        // Spread exactly kEdges over the nodes of layers 2..5: 12 or 13 each.
        const std::uint64_t base = kEdges / with_inputs;
        const std::uint64_t extra = kEdges % with_inputs;
        out.src.reserve(kEdges);
        out.weight.reserve(kEdges);
        for (std::uint32_t v = 0; v < kNodes; ++v) {
            out.offsets[v + 1] = out.offsets[v];
            if (v < per_layer) {
                continue;
            }
            const std::uint32_t layer = v / per_layer;
            const std::uint64_t k = base + ((v - per_layer) < extra ? 1 : 0);
            std::uniform_int_distribution<std::uint32_t> pick((layer - 1) * per_layer,
                                                              layer * per_layer - 1);
            const std::size_t begin = out.src.size();
            double sum = 0;
            for (std::uint64_t i = 0; i < k; ++i) {
                out.src.push_back(pick(rng));
                const double w = std::uniform_real_distribution<double>(0.1, 1.0)(rng);
                out.weight.push_back(w);
                sum += w;
            }
            std::sort(out.src.begin() + static_cast<std::ptrdiff_t>(begin), out.src.end());
            for (std::size_t i = begin; i < out.weight.size(); ++i) {
                out.weight[i] /= sum;
            }
            out.offsets[v + 1] = static_cast<std::uint32_t>(out.src.size());
        }
        return out;
    }();
    return g;
}

constexpr std::size_t kCopyElems = std::size_t{32} << 20;  // 32 Mi doubles = 256 MiB per array

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

/// Best of several stream-like copies, bytes per CPU second (16 bytes per element: read + write).
double copy_bandwidth() {
    static const double bw = [] {
        std::vector<double> a(kCopyElems, 1.0), b(kCopyElems, 2.0);
        double best = 0;
        for (int rep = 0; rep < 10; ++rep) {
            const double t0 = cpu_seconds();
            std::memcpy(a.data(), b.data(), kCopyElems * sizeof(double));
            benchmark::DoNotOptimize(a.data());
            benchmark::ClobberMemory();
            const double s = cpu_seconds() - t0;
            best = std::max(best, 16.0 * static_cast<double>(kCopyElems) / s);
            b[static_cast<std::size_t>(rep)] = a[static_cast<std::size_t>(rep) + 1];
        }
        return best;
    }();
    return bw;
}

void BM_StreamCopy(benchmark::State& state) {
    std::vector<double> a(kCopyElems, 1.0), b(kCopyElems, 2.0);
    for (auto _ : state) {
        std::memcpy(a.data(), b.data(), kCopyElems * sizeof(double));
        benchmark::DoNotOptimize(a.data());
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * 16 *
                            static_cast<std::int64_t>(kCopyElems));
}

void BM_LookthroughSweep(benchmark::State& state) {
    const auto& g = generated();
    const auto width = static_cast<std::size_t>(state.range(0));
    std::vector<double> b(std::size_t{kNodes} * width, 0.0);
    std::vector<double> x(b.size(), 0.0);
    // Layer 1 (the mines): node v belongs to origin country v % width... share 1 of its own country
    // for width > 1; for width 1, the tracked country owns every third mine.
    for (std::uint32_t v = 0; v < kNodes / kLayers; ++v) {
        if (width == 1) {
            b[v] = v % 3 == 0 ? 1.0 : 0.0;
        } else {
            b[std::size_t{v} * width + v % width] = 1.0;
        }
    }
    double best = 1e300;
    for (auto _ : state) {
        const double t0 = cpu_seconds();
        const double change = lodestone::network::gauss_seidel_sweep(g.offsets, g.src, g.weight, 0,
                                                                     kNodes, width, b, x);
        benchmark::DoNotOptimize(change);
        best = std::min(best, cpu_seconds() - t0);
    }
    const double bytes =
        4.0 * (kNodes + 1) + 12.0 * static_cast<double>(kEdges) +
        8.0 * static_cast<double>(width) * (static_cast<double>(kEdges) + 2.0 * kNodes);
    state.SetBytesProcessed(
        static_cast<std::int64_t>(bytes * static_cast<double>(state.iterations())));
    state.counters["nodes"] = kNodes;
    state.counters["edges"] = static_cast<double>(kEdges);
    state.counters["bytes_per_sweep"] = bytes;
    state.counters["copy_GBps"] = copy_bandwidth() / 1e9;
    state.counters["best_sweep_ms"] = best * 1e3;
    state.counters["ratio_to_copy"] = bytes / best / copy_bandwidth();
    // Sanity: the shares of the last layer average 1/3 (the tracked country's share of the mines).
    double mean = 0;
    for (std::uint32_t v = kNodes - kNodes / kLayers; v < kNodes && width == 1; ++v) {
        mean += x[v];
    }
    state.counters["last_layer_mean_share"] =
        width == 1 ? mean * static_cast<double>(kLayers) / static_cast<double>(kNodes) : 0.0;
}

/// Compile + look-through of the embedded world dataset (the real network: a few hundred nodes).
void BM_WorldCompileAndLookthrough(benchmark::State& state) {
    static const auto loaded = lodestone::io::load_world(lodestone::io::embedded_world());
    const auto as_of = loaded.world.info.as_of.value_or(lodestone::Date{});
    std::size_t nodes = 0;
    for (auto _ : state) {
        const auto net = lodestone::network::compile(loaded.world, as_of);
        const lodestone::network::LookThrough lt(net);
        nodes = net.node_count();
        benchmark::DoNotOptimize(lt.stats().data());
    }
    state.counters["nodes"] = static_cast<double>(nodes);
}

}  // namespace

BENCHMARK(BM_StreamCopy)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_LookthroughSweep)->Arg(1)->Arg(8)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_WorldCompileAndLookthrough)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
