// propagate_scale: the national-scale figures of `lodestone propagate` (docs/propagate.md,
// "Performance"), measured in one process so that they compare with each other: the machine's
// memory bandwidth (a STREAM-like triad a[i] = b[i] + s*c[i] with 1 and 2 threads), then seconds
// per simulated day on the gen_firmnet network (seed 7, mean degree 5) for each thread count and
// rationing rule, the bytes the daily loop must move (the arrays it streams, counted once per
// pass) and the bandwidth that implies as a share of the triad's, and the peak resident memory
// (getrusage). The triad runs first on arrays smaller than the network, so it does not set the
// peak. Usage: propagate_scale [--firms N] [--days D] [--seed S]   (default 100000 firms, 10 days,
// seed 7)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include "lodestone/firmnet/generate.hpp"
#include "lodestone/firmnet/propagate.hpp"

namespace {

using namespace lodestone::firmnet;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

double peak_rss_mb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

/// Best of 5 triads over 3 arrays of `n` doubles with `threads` threads, in bytes per second
/// (24 bytes per element, the STREAM convention: no write-allocate traffic counted).
double triad_bandwidth(std::size_t n, int threads) {
    std::vector<double> a(n), b(n, 1.0), c(n, 2.0);
    double best = 1e300;
    for (int rep = 0; rep < 5; ++rep) {
        const auto t0 = Clock::now();
        std::vector<std::thread> pool;
        const std::size_t part = n / static_cast<std::size_t>(threads);
        for (int t = 0; t < threads; ++t) {
            const std::size_t lo = part * static_cast<std::size_t>(t);
            const std::size_t hi = t + 1 == threads ? n : lo + part;
            pool.emplace_back([&, lo, hi] {
                for (std::size_t i = lo; i < hi; ++i) {
                    a[i] = b[i] + 3.0 * c[i];
                }
            });
        }
        for (auto& th : pool) {
            th.join();
        }
        best = std::min(best, seconds_since(t0));
    }
    if (a[n / 2] != 7.0) {
        std::abort();
    }
    return 24.0 * static_cast<double>(n) / best;
}

/// Bytes the two daily passes stream, counting each array they read or write once per pass
/// (a read-modify-write counts twice); the gather of orders and scatter of deliveries by supplier
/// count 8 bytes each although they touch a whole cache line: a lower bound of the traffic.
double bytes_per_day(const FirmNetwork& net, bool per_firm_inventory) {
    const double links = static_cast<double>(net.links());
    const double groups = static_cast<double>(net.group_amount.size());
    const double firms = static_cast<double>(net.firms());
    // Pass 1 (clients): stock rw, delivered r, amount r, order w; group amount r, stock rw, bounds;
    // per firm P^ini, P, delta, limit w, group bounds (+ n_i).
    const double pass1 = links * (16 + 8 + 8 + 8) + groups * (8 + 16 + 4) +
                         firms * (8 + 8 + 8 + 8 + 4 + (per_firm_inventory ? 8 : 0));
    // Pass 2 (suppliers): out_link r, order r, delivered w; per firm out bounds, c, limit, P w,
    // P^ini, va, loss rw, min ratio r.
    const double pass2 = links * (4 + 8 + 8) + firms * (4 + 8 + 8 + 8 + 8 + 8 + 16 + 8);
    return pass1 + pass2;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t firms = 100000;
    int days = 10;
    std::uint64_t seed = 7;
    for (int k = 1; k + 1 < argc; k += 2) {
        const std::string_view key = argv[k];
        if (key == "--firms") {
            firms = std::strtoull(argv[k + 1], nullptr, 10);
        } else if (key == "--days") {
            days = std::atoi(argv[k + 1]);
        } else if (key == "--seed") {
            seed = std::strtoull(argv[k + 1], nullptr, 10);
        } else {
            std::fprintf(stderr, "usage: propagate_scale [--firms N] [--days D] [--seed S]\n");
            return 2;
        }
    }
    if (firms < 10 || days < 1) {
        std::fprintf(stderr, "propagate_scale: --firms >= 10 and --days >= 1\n");
        return 2;
    }

    // 3 x 8M doubles = 192 MB: well beyond any last-level cache, below the 1e6-firm network.
    const std::size_t triad_n = 8u << 20;
    const double bw1 = triad_bandwidth(triad_n, 1);
    const double bw2 = triad_bandwidth(triad_n, 2);
    std::printf("triad bandwidth: 1 thread %.2f GB/s, 2 threads %.2f GB/s\n", bw1 / 1e9, bw2 / 1e9);

    auto t0 = Clock::now();
    GenerateOptions g;
    g.firms = firms;
    g.seed = seed;
    auto gen = generate_network(g);
    lodestone::Diagnostics diags;
    const FirmNetwork net = build_network(std::move(gen.input), diags);
    const std::vector<Shock> shocks = std::move(gen.shocks);
    std::printf(
        "network: %zu firms, %zu links, %zu input groups, %zu shocked firms; generated and "
        "compiled in %.2f s\n",
        net.firms(), net.links(), net.group_amount.size(), shocks.size(), seconds_since(t0));
    const double bytes = bytes_per_day(net, !net.inventory_days.empty());
    std::printf("bytes streamed per day (lower bound): %.1f MB\n", bytes / 1e6);

    std::printf("%-13s %7s %10s %9s %10s %8s\n", "rationing", "threads", "s/day", "speedup", "GB/s",
                "of_triad");
    for (const Rationing rule : {Rationing::Proportional, Rationing::LowestFirst}) {
        double one = 0.0;
        for (const int threads : {1, 2}) {
            PropagateOptions o;
            o.days = days;
            o.threads = threads;
            o.rationing = rule;
            t0 = Clock::now();
            const auto r = propagate(net, shocks, o);
            const double per_day = seconds_since(t0) / days;
            if (!(r.production[static_cast<std::size_t>(days)] < r.production[0]) ||
                r.max_delivery_residual > 1e-12) {
                std::fprintf(
                    stderr,
                    "propagate_scale: the shocks did not propagate or deliveries do not add up\n");
                return 1;
            }
            if (threads == 1) {
                one = per_day;
            }
            const double rate = bytes / per_day;
            std::printf("%-13s %7d %10.4f %9.2f %10.2f %7.0f%%\n",
                        std::string(to_string(rule)).c_str(), threads, per_day, one / per_day,
                        rate / 1e9, 100.0 * rate / (threads == 1 ? bw1 : bw2));
        }
    }
    std::printf(
        "peak resident memory: %.0f MB (whole process: generator, network, one run's state)\n",
        peak_rss_mb());
    return 0;
}
