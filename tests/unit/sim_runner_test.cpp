// The chunked parallel reduction: identical bytes for any thread count, progress in order,
// cancellation leaves a prefix of runs, exceptions reach the caller.
#include <atomic>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "lodestone/sim/random.hpp"
#include "lodestone/sim/runner.hpp"
#include "lodestone/sim/stats.hpp"

namespace lodestone::sim {
namespace {

struct Acc {
    RunningStats stats;
    BinnedQuantiles hist;
    std::vector<std::size_t> order;
};
const BinSpec kSpec{0.0, 1.0, 256};

ChunkedResult<Acc> reduce(std::size_t runs,
                          int threads,
                          const std::atomic<bool>* cancel = nullptr,
                          std::function<void(std::size_t, std::size_t)> progress = {}) {
    ChunkOptions opt;
    opt.threads = threads;
    opt.chunk_runs = 7;
    opt.cancel = cancel;
    opt.progress = std::move(progress);
    return run_chunked<Acc>(
        runs, opt, [] { return Acc{}; },
        [&](Acc& acc, std::size_t i) {
            auto rng = run_stream(2024, i);
            double x = 0;
            for (int k = 0; k < 50; ++k) {
                x += uniform01(rng);
            }
            x /= 50;
            acc.stats.add(x);
            acc.hist.add(x, kSpec);
            acc.order.push_back(i);
            if (cancel != nullptr && i == 40) {
                const_cast<std::atomic<bool>*>(cancel)->store(true);
            }
        },
        [](Acc& into, Acc&& part) {
            into.stats.merge(part.stats);
            into.hist.merge(part.hist);
            into.order.insert(into.order.end(), part.order.begin(), part.order.end());
        });
}

TEST(RunChunked, SameBytesForAnyThreadCount) {
    const auto one = reduce(1000, 1);
    for (int threads : {2, 3, 8}) {
        const auto many = reduce(1000, threads);
        EXPECT_EQ(many.runs_done, 1000u);
        EXPECT_FALSE(many.cancelled);
        // Bit for bit, the point of the test; RunningStats is doubles and a count, no padding.
        // NOLINTNEXTLINE(bugprone-suspicious-memory-comparison)
        EXPECT_EQ(std::memcmp(&one.acc.stats, &many.acc.stats, sizeof(RunningStats)), 0) << threads;
        EXPECT_EQ(one.acc.hist.bins(), many.acc.hist.bins());
        EXPECT_EQ(one.acc.order, many.acc.order);
    }
    for (std::size_t i = 0; i < one.acc.order.size(); ++i) {
        ASSERT_EQ(one.acc.order[i], i);
    }
}

TEST(RunChunked, ProgressIsMonotoneAndEndsAtTheTotal) {
    for (int threads : {1, 2}) {
        std::vector<std::size_t> seen;
        const auto r = reduce(100, threads, nullptr, [&](std::size_t done, std::size_t total) {
            EXPECT_EQ(total, 100u);
            seen.push_back(done);
        });
        ASSERT_FALSE(seen.empty());
        EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
        EXPECT_EQ(seen.back(), 100u);
        EXPECT_EQ(r.runs_done, 100u);
    }
}

TEST(RunChunked, CancellationKeepsAPrefixOfRuns) {
    for (int threads : {1, 2, 4}) {
        std::atomic<bool> cancel{false};
        const auto r = reduce(1000, threads, &cancel);
        EXPECT_TRUE(r.cancelled);
        EXPECT_LT(r.runs_done, 1000u);
        EXPECT_GE(r.runs_done, 1u);
        ASSERT_EQ(r.acc.order.size(), r.runs_done);
        for (std::size_t i = 0; i < r.acc.order.size(); ++i) {
            ASSERT_EQ(r.acc.order[i], i) << threads;
        }
        EXPECT_EQ(r.acc.stats.count, r.runs_done);
    }
}

TEST(RunChunked, ZeroRunsGiveAnEmptyResult) {
    const auto r = reduce(0, 4);
    EXPECT_EQ(r.runs_done, 0u);
    EXPECT_EQ(r.acc.stats.count, 0u);
}

TEST(RunChunked, AnExceptionInARunReachesTheCaller) {
    for (int threads : {1, 2}) {
        ChunkOptions opt;
        opt.threads = threads;
        opt.chunk_runs = 4;
        EXPECT_THROW((void)run_chunked<int>(
                         100, opt, [] { return 0; },
                         [](int&, std::size_t i) {
                             if (i == 37) {
                                 throw std::runtime_error("boom");
                             }
                         },
                         [](int&, int&&) {}),
                     std::runtime_error);
    }
}

}  // namespace
}  // namespace lodestone::sim
