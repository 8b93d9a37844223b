// Statistical tests of the samplers and random streams (docs/scenarios.md).
// Each test is a hypothesis test at a stated level: for a seed chosen at random it fails with
// probability alpha even though the code is right. Seeds here are fixed, so the outcome is
// deterministic; the rates say how likely a correct change of the algorithms (which changes the
// numbers) trips a test by chance. Kolmogorov-Smirnov: alpha = 0.001 each, 9 cases -> at most
// 0.9 % for the family. Moment z-tests: alpha = 1e-4 each (|z| < 3.89), 18 checks -> 0.18 %.
// Stream independence: alpha = 0.001 each, 2 checks. Whole file: < 1.3 % by the union bound.
#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "lodestone/sim/random.hpp"

namespace lodestone::sim {
namespace {

using model::Distribution;

constexpr int kN = 20000;
// sqrt(-ln(alpha/2)/2) for alpha = 0.001: the asymptotic KS critical value of sqrt(n)·D.
const double kKsCritical = std::sqrt(-std::log(0.001 / 2.0) / 2.0);
constexpr double kZ = 3.89;  // two-sided alpha = 1e-4

std::vector<double> draws(const Distribution& d, std::uint64_t seed) {
    auto rng = run_stream(seed, 0);
    std::vector<double> out(kN);
    for (auto& x : out) {
        x = sample(d, rng);
    }
    return out;
}

double ks_statistic(std::vector<double> xs, const Distribution& d) {
    std::sort(xs.begin(), xs.end());
    double dmax = 0.0;
    const double n = static_cast<double>(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const double f = cdf(d, xs[i]);
        dmax = std::max({dmax, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
    }
    return std::sqrt(n) * dmax;
}

struct Case {
    const char* name;
    Distribution dist;
};

class SamplerTest : public ::testing::TestWithParam<Case> {};

TEST_P(SamplerTest, KolmogorovSmirnovAcceptsTheDistribution) {
    const auto& c = GetParam();
    const auto xs = draws(c.dist, 1234);
    EXPECT_LT(ks_statistic(xs, c.dist), kKsCritical) << c.name;
}

TEST_P(SamplerTest, MeanAndVarianceMatch) {
    const auto& c = GetParam();
    const auto xs = draws(c.dist, 987);
    double s = 0;
    for (double x : xs) {
        s += x;
    }
    const double m = s / kN;
    double ss = 0;
    for (double x : xs) {
        ss += (x - m) * (x - m);
    }
    const double v = ss / (kN - 1);
    const double mu = mean(c.dist);
    const double var = variance(c.dist);
    EXPECT_LT(std::fabs(m - mu) / std::sqrt(var / kN), kZ) << c.name;
    // The sample variance is approximately normal with sd sqrt((mu4 - var^2)/n); estimate mu4.
    double m4 = 0;
    for (double x : xs) {
        m4 += std::pow(x - m, 4);
    }
    m4 /= kN;
    EXPECT_LT(std::fabs(v - var) / std::sqrt((m4 - var * var) / kN), kZ) << c.name;
}

TEST_P(SamplerTest, DrawsStayInTheSupport) {
    const auto& c = GetParam();
    for (double x : draws(c.dist, 55)) {
        ASSERT_GE(x, support_min(c.dist)) << c.name;
        ASSERT_LE(x, support_max(c.dist)) << c.name;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Distributions,
    SamplerTest,
    ::testing::Values(Case{"uniform", Distribution::uniform(2, 5)},
                      Case{"triangular", Distribution::triangular(1, 2, 6)},
                      Case{"triangular_mode_at_min", Distribution::triangular(0, 0, 1)},
                      Case{"triangular_mode_at_max", Distribution::triangular(0, 1, 1)},
                      Case{"beta_2_5", Distribution::beta_on(2, 5)},
                      Case{"beta_half_half", Distribution::beta_on(0.5, 0.5)},
                      Case{"beta_scaled", Distribution::beta_on(3, 1.5, 10, 20)},
                      Case{"lognormal", Distribution::lognormal(8, 0.4)},
                      Case{"lognormal_wide", Distribution::lognormal(1, 1.2)}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_P(SamplerTest, InverseCdfRoundTrips) {
    const auto& c = GetParam();
    for (double p : {0.001, 0.05, 0.3, 0.5, 0.77, 0.95, 0.999}) {
        EXPECT_NEAR(cdf(c.dist, inverse_cdf(c.dist, p)), p, 1e-9) << c.name << " p=" << p;
    }
}

// Quantiles by hand: uniform 2 + 2·0.05; triangular (4, 10, 26) below the mode: 4 +
// sqrt(0.05·22·6); lognormal 10·exp(0.35·z95), z95 = 1.6448536269514722; beta(2,2) is symmetric
// about 0.5.
TEST(InverseCdf, KnownQuantiles) {
    EXPECT_NEAR(inverse_cdf(Distribution::uniform(2, 4), 0.05), 2.1, 1e-15);
    EXPECT_NEAR(inverse_cdf(Distribution::triangular(4, 10, 26), 0.05), 4 + std::sqrt(6.6), 1e-12);
    EXPECT_NEAR(inverse_cdf(Distribution::lognormal(10, 0.35), 0.95),
                10 * std::exp(0.35 * 1.6448536269514722), 1e-12);
    EXPECT_NEAR(inverse_cdf(Distribution::beta_on(2, 2, 1, 3), 0.5), 2.0, 1e-10);
    EXPECT_EQ(inverse_cdf(Distribution::fixed(7), 0.95), 7.0);
}

TEST(SamplerFixed, ReturnsTheValueAndUsesNoRandomness) {
    auto a = run_stream(5, 5);
    auto b = run_stream(5, 5);
    EXPECT_EQ(sample(Distribution::fixed(3.25), a), 3.25);
    EXPECT_EQ(a(), b());
}

TEST(Normal, InverseCdfRoundTrips) {
    for (double p : {1e-300, 1e-12, 0.001, 0.02425, 0.3, 0.5, 0.7, 0.97575, 0.999, 1 - 1e-12}) {
        EXPECT_NEAR(normal_cdf(inverse_normal_cdf(p)), p, 1e-14 + 1e-12 * p) << p;
    }
    EXPECT_NEAR(inverse_normal_cdf(0.975), 1.959963984540054, 1e-14);
}

TEST(RegularizedBeta, KnownValues) {
    EXPECT_NEAR(regularized_beta(0.5, 2, 2), 0.5, 1e-14);
    EXPECT_NEAR(regularized_beta(0.3, 1, 1), 0.3, 1e-14);
    EXPECT_NEAR(regularized_beta(0.2, 2, 5), 1 - std::pow(0.8, 6) - 6 * 0.2 * std::pow(0.8, 5),
                1e-13);
}

// Streams of neighbouring runs must look independent: the sample correlation of n pairs is
// approximately N(0, 1/n) under independence; alpha = 0.001 -> |r|·sqrt(n) < 3.29.
TEST(Streams, NeighbouringRunsAreUncorrelated) {
    for (std::uint64_t run : {0ULL, 1000ULL}) {
        auto a = run_stream(77, run);
        auto b = run_stream(77, run + 1);
        double sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < kN; ++i) {
            const double x = uniform01(a);
            const double y = uniform01(b);
            sa += x;
            sb += y;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }
        const double cov = sab / kN - (sa / kN) * (sb / kN);
        const double r =
            cov / std::sqrt((saa / kN - sa * sa / kN / kN) * (sbb / kN - sb * sb / kN / kN));
        EXPECT_LT(std::fabs(r) * std::sqrt(double(kN)), 3.29) << run;
    }
}

TEST(Streams, DependOnSeedAndRunAlone) {
    // Same (seed, run) -> same numbers whatever was drawn before or in which order streams are
    // made.
    auto later = run_stream(9, 3);
    auto other = run_stream(9, 2);
    (void)other();
    auto again = run_stream(9, 3);
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(later(), again());
    }
    EXPECT_NE(run_stream(9, 3)(), run_stream(9, 4)());
    EXPECT_NE(run_stream(9, 3)(), run_stream(10, 3)());
}

TEST(Uniform, OpenIntervalNeverHitsTheEnds) {
    auto rng = run_stream(1, 1);
    for (int i = 0; i < 100000; ++i) {
        const double u = uniform_open01(rng);
        ASSERT_GT(u, 0.0);
        ASSERT_LT(u, 1.0);
    }
}

}  // namespace
}  // namespace lodestone::sim
