// Mergeable statistics: merging partial results equals the single pass (DESIGN §7.3).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "lodestone/sim/random.hpp"
#include "lodestone/sim/stats.hpp"

namespace lodestone::sim {
namespace {

std::vector<double> data(std::size_t n, std::uint64_t seed) {
    auto rng = run_stream(seed, 0);
    std::vector<double> xs(n);
    for (auto& x : xs) {
        x = sample(model::Distribution::lognormal(3.0, 0.8), rng) - 2.0;  // skewed, some negative
    }
    return xs;
}

TEST(RunningStats, KnownValues) {
    RunningStats s;
    for (double x : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) {
        s.add(x);
    }
    EXPECT_EQ(s.count, 8u);
    EXPECT_DOUBLE_EQ(s.mean, 5.0);
    EXPECT_DOUBLE_EQ(s.variance(), 32.0 / 7.0);
    EXPECT_EQ(s.min, 2.0);
    EXPECT_EQ(s.max, 9.0);
    EXPECT_EQ(RunningStats{}.variance(), 0.0);
}

// Chan's formula reproduces the single pass to rounding: relative 1e-12 on mean and variance
// (the two orders of summation differ by a few ulps per step over 10^4 values); counts, min and
// max exactly.
TEST(RunningStats, MergingPartialsEqualsTheSinglePass) {
    const auto xs = data(10007, 3);
    RunningStats single;
    for (double x : xs) {
        single.add(x);
    }
    for (std::size_t parts : {2u, 3u, 16u, 625u}) {
        RunningStats merged;
        const std::size_t size = (xs.size() + parts - 1) / parts;
        for (std::size_t p = 0; p * size < xs.size(); ++p) {
            RunningStats part;
            for (std::size_t i = p * size; i < std::min(xs.size(), (p + 1) * size); ++i) {
                part.add(xs[i]);
            }
            merged.merge(part);
        }
        EXPECT_EQ(merged.count, single.count);
        EXPECT_EQ(merged.min, single.min);
        EXPECT_EQ(merged.max, single.max);
        EXPECT_NEAR(merged.mean, single.mean, 1e-12 * std::fabs(single.mean)) << parts;
        EXPECT_NEAR(merged.variance(), single.variance(), 1e-12 * single.variance()) << parts;
    }
}

TEST(RunningStats, MergingWithEmptyIsIdentity) {
    RunningStats a;
    a.add(1.5);
    a.add(2.5);
    RunningStats b = a;
    b.merge(RunningStats{});
    EXPECT_EQ(b.mean, a.mean);
    EXPECT_EQ(b.m2, a.m2);
    RunningStats c;
    c.merge(a);
    EXPECT_EQ(c.mean, a.mean);
    EXPECT_EQ(c.count, 2u);
}

TEST(BinnedQuantiles, MergingPartialsEqualsTheSinglePassExactly) {
    const BinSpec spec{-2.0, 60.0, 1024};
    const auto xs = data(5003, 11);
    BinnedQuantiles single;
    for (double x : xs) {
        single.add(x, spec);
    }
    for (std::size_t parts : {2u, 7u, 100u}) {
        BinnedQuantiles merged;
        const std::size_t size = (xs.size() + parts - 1) / parts;
        for (std::size_t p = 0; p * size < xs.size(); ++p) {
            BinnedQuantiles part;
            for (std::size_t i = p * size; i < std::min(xs.size(), (p + 1) * size); ++i) {
                part.add(xs[i], spec);
            }
            merged.merge(part);
        }
        EXPECT_EQ(merged.bins(), single.bins()) << parts;
        EXPECT_EQ(merged.stats().count, single.stats().count);
        EXPECT_EQ(merged.stats().min, single.stats().min);
        EXPECT_EQ(merged.stats().max, single.stats().max);
        for (double q : {0.0, 0.05, 0.5, 0.95, 1.0}) {
            EXPECT_EQ(merged.quantile(q, spec), single.quantile(q, spec)) << parts << " q=" << q;
        }
    }
}

TEST(BinnedQuantiles, WithinOneBinOfTheSampleQuantile) {
    const BinSpec spec{-2.0, 60.0, 1024};
    auto xs = data(4001, 5);
    BinnedQuantiles h;
    for (double x : xs) {
        h.add(x, spec);
    }
    std::sort(xs.begin(), xs.end());
    for (double q : {0.05, 0.25, 0.5, 0.75, 0.95}) {
        EXPECT_NEAR(h.quantile(q, spec), quantile_sorted(xs, q), spec.width()) << q;
    }
}

TEST(BinnedQuantiles, OneValueIsExact) {
    const BinSpec spec{0.0, 1.0, 8};
    BinnedQuantiles h;
    h.add(0.123456789, spec);
    EXPECT_EQ(h.quantile(0.05, spec), 0.123456789);
    EXPECT_EQ(h.quantile(0.95, spec), 0.123456789);
    h.add(0.123456789, spec);
    EXPECT_EQ(h.quantile(0.5, spec), 0.123456789);
    EXPECT_TRUE(std::isnan(BinnedQuantiles{}.quantile(0.5, spec)));
}

TEST(BinnedQuantiles, OutOfRangeValuesClampToEdgeBinsButKeepExactExtremes) {
    const BinSpec spec{0.0, 1.0, 4};
    BinnedQuantiles h;
    h.add(-5.0, spec);
    h.add(7.0, spec);
    EXPECT_EQ(h.bins().front().first, 0u);
    EXPECT_EQ(h.bins().back().first, 3u);
    EXPECT_EQ(h.quantile(0.0, spec), -5.0);
    EXPECT_EQ(h.quantile(1.0, spec), 7.0);
}

TEST(QuantileSorted, LinearInterpolationType7) {
    const std::vector<double> v{1, 2, 3, 4};
    EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.5), 2.5);
    EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.0), 1.0);
    EXPECT_DOUBLE_EQ(quantile_sorted(v, 1.0), 4.0);
    EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.05), 1.15);
    EXPECT_TRUE(std::isnan(quantile_sorted(std::vector<double>{}, 0.5)));
}

}  // namespace
}  // namespace lodestone::sim
