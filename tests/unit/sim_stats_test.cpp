// Mergeable statistics: merging partial results equals the single pass (docs/scenarios.md).
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "lodestone/sim/monte_carlo.hpp"
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

// CVaR 95 by hand: 40 runs, values 1..40 (given shuffled); the worst 5 % is 40/20 = 2 runs.
// Highest two: (39 + 40) / 2 = 39.5. Earliest two weeks: (1 + 2) / 2 = 1.5.
MonteCarloResult one_to_forty(SummaryMetric metric) {
    MonteCarloResult mc;
    mc.summary_metrics = {metric};
    mc.summary_values.assign(1, {});
    for (int i = 0; i < 40; ++i) {
        mc.summary_values[0].push_back(
            static_cast<double>((i * 17) % 40 + 1));  // 17 is prime to 40
    }
    return mc;
}

TEST(Cvar95, HighestRunsAreWorstForShortfallPriceAndCost) {
    EXPECT_DOUBLE_EQ(tail_mean_sorted(std::vector<double>{1, 2, 3, 4}, 0.05, true),
                     4.0);  // at least one
    for (const auto m :
         {SummaryMetric::PeakShortfallShare, SummaryMetric::PeakPriceMultiple,
          SummaryMetric::CumulativeCostUsd, SummaryMetric::CumulativeShortfallTonnes}) {
        EXPECT_DOUBLE_EQ(one_to_forty(m).summary(0).cvar95, 39.5) << to_string(m);
    }
}

TEST(Cvar95, EarliestRunsAreWorstForTheFirstShortfallWeek) {
    EXPECT_DOUBLE_EQ(one_to_forty(SummaryMetric::FirstShortfallWeek).summary(0).cvar95, 1.5);
    // 3 of 40 runs have a shortfall (weeks 9, 4, 30), the rest never (+inf): the two earliest, 4
    // and 9.
    MonteCarloResult mc;
    mc.summary_metrics = {SummaryMetric::FirstShortfallWeek};
    mc.summary_values.assign(1, std::vector<double>(40, std::numeric_limits<double>::infinity()));
    mc.summary_values[0][5] = 9;
    mc.summary_values[0][17] = 4;
    mc.summary_values[0][33] = 30;
    EXPECT_DOUBLE_EQ(mc.summary(0).cvar95, 6.5);
    // Only one run has a shortfall: the tail of two holds a "never", so the tail mean is +inf.
    mc.summary_values[0][5] = mc.summary_values[0][33] = std::numeric_limits<double>::infinity();
    EXPECT_TRUE(std::isinf(mc.summary(0).cvar95));
}

}  // namespace
}  // namespace lodestone::sim
