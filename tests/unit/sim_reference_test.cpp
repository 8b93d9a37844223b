// The samplers of sim/random.hpp checked against an independent reference: Boost.Math's
// distributions (not the cdf/mean/quantile functions of random.cpp, which are code under test too).
// Tolerances:
//  - closed-form functions (CDF, mean, variance, support, Φ⁻¹, I_x(a,b)) agree with Boost to 1e-12
//    absolute for probabilities and 1e-12 relative for moments: both are double-precision
//    implementations of the same formulas, so a larger gap is a bug, not rounding;
//  - draws: Kolmogorov-Smirnov against Boost's CDF at alpha = 0.001 per case (asymptotic critical
//    value sqrt(-ln(alpha/2)/2) of sqrt(n)·D), and at each of 7 probabilities p the empirical
//    p-quantile x̂ must have Boost's CDF F(x̂) within p ± 3.89·sqrt(p(1-p)/n) (the normal
//    approximation of the order statistic, two-sided alpha = 1e-4 per check).
// Seeds are fixed, so the outcome is deterministic; the alphas say how likely a correct change of
// the algorithms (which changes the draws) trips a check by chance: 11 KS cases and 77 quantile
// checks -> below 2 % for the file by the union bound.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <gtest/gtest.h>

#include "lodestone/sim/random.hpp"

namespace lodestone::sim {
namespace {

namespace bm = boost::math;
using model::Distribution;

constexpr int kN = 20000;
const double kKsCritical = std::sqrt(-std::log(0.001 / 2.0) / 2.0);
constexpr double kZ = 3.89;
constexpr double kProbTol = 1e-12;
constexpr double kRelTol = 1e-12;

template <class D>
double d_lo(const D& dist) {
    return bm::support(dist).first;
}
template <class D>
double d_hi(const D& dist) {
    return bm::support(dist).second;
}

/// The reference of one of Lodestone's distributions: Boost's CDF, quantile, moments and support,
/// with Beta on [min,max] as a location-scale transform of Boost's standard beta.
struct Reference {
    std::function<double(double)> cdf;
    std::function<double(double)> quantile;
    double mean;
    double variance;
    double lo;
    double hi;
};

Reference reference_of(const Distribution& d) {
    switch (d.kind) {
        case Distribution::Kind::Uniform: {
            const bm::uniform_distribution<> u(d.min, d.max);
            return {[u](double x) { return bm::cdf(u, std::clamp(x, d_lo(u), d_hi(u))); },
                    [u](double p) { return bm::quantile(u, p); },
                    bm::mean(u),
                    bm::variance(u),
                    d.min,
                    d.max};
        }
        case Distribution::Kind::Triangular: {
            const bm::triangular_distribution<> t(d.min, d.mode, d.max);
            return {[t](double x) { return bm::cdf(t, std::clamp(x, d_lo(t), d_hi(t))); },
                    [t](double p) { return bm::quantile(t, p); },
                    bm::mean(t),
                    bm::variance(t),
                    d.min,
                    d.max};
        }
        case Distribution::Kind::Beta: {
            const bm::beta_distribution<> b(d.alpha, d.beta);
            const double lo = d.min;
            const double w = d.max - d.min;
            return {[b, lo, w](double x) { return bm::cdf(b, std::clamp((x - lo) / w, 0.0, 1.0)); },
                    [b, lo, w](double p) { return lo + w * bm::quantile(b, p); },
                    lo + w * bm::mean(b),
                    w * w * bm::variance(b),
                    d.min,
                    d.max};
        }
        case Distribution::Kind::Lognormal: {
            const bm::lognormal_distribution<> l(std::log(d.median), d.sigma);
            return {[l](double x) { return x <= 0 ? 0.0 : bm::cdf(l, x); },
                    [l](double p) { return bm::quantile(l, p); },
                    bm::mean(l),
                    bm::variance(l),
                    0.0,
                    std::numeric_limits<double>::infinity()};
        }
        case Distribution::Kind::Fixed:
            break;
    }
    ADD_FAILURE() << "no reference for this kind";
    return {};
}

struct Case {
    const char* name;
    Distribution dist;
};

const Case kCases[] = {
    {"uniform", Distribution::uniform(2, 5)},
    {"triangular", Distribution::triangular(1, 2, 6)},
    {"triangular_mode_at_min", Distribution::triangular(0, 0, 1)},
    {"triangular_mode_at_max", Distribution::triangular(0, 1, 1)},
    {"beta_2_5", Distribution::beta_on(2, 5)},
    {"beta_half_half", Distribution::beta_on(0.5, 0.5)},
    {"beta_scaled", Distribution::beta_on(3, 1.5, 10, 20)},
    {"beta_small_shapes", Distribution::beta_on(0.3, 0.7)},
    {"lognormal", Distribution::lognormal(8, 0.4)},
    {"lognormal_wide", Distribution::lognormal(1, 1.2)},
    {"lognormal_narrow", Distribution::lognormal(50, 0.05)},
};

class ReferenceTest : public ::testing::TestWithParam<Case> {};

std::vector<double> sorted_draws(const Distribution& d, std::uint64_t seed) {
    auto rng = run_stream(seed, 0);
    std::vector<double> xs(kN);
    for (auto& x : xs) {
        x = sample(d, rng);
    }
    std::sort(xs.begin(), xs.end());
    return xs;
}

double ks_statistic(const std::vector<double>& sorted, const std::function<double(double)>& cdf) {
    double dmax = 0.0;
    const double n = static_cast<double>(sorted.size());
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const double f = cdf(sorted[i]);
        dmax = std::max({dmax, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
    }
    return std::sqrt(n) * dmax;
}

TEST_P(ReferenceTest, DrawsPassKolmogorovSmirnovAgainstBoost) {
    const auto& c = GetParam();
    const auto ref = reference_of(c.dist);
    EXPECT_LT(ks_statistic(sorted_draws(c.dist, 4242), ref.cdf), kKsCritical) << c.name;
}

TEST_P(ReferenceTest, EmpiricalQuantilesMatchBoost) {
    const auto& c = GetParam();
    const auto ref = reference_of(c.dist);
    const auto xs = sorted_draws(c.dist, 31337);
    for (double p : {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99}) {
        const double q = xs[static_cast<std::size_t>(p * kN)];
        const double tol = kZ * std::sqrt(p * (1 - p) / kN);
        EXPECT_NEAR(ref.cdf(q), p, tol)
            << c.name << " p=" << p << " empirical " << q << " Boost quantile " << ref.quantile(p);
    }
}

TEST_P(ReferenceTest, CdfAgreesWithBoost) {
    const auto& c = GetParam();
    const auto ref = reference_of(c.dist);
    for (int i = 1; i < 100; ++i) {
        const double x = ref.quantile(i / 100.0);
        EXPECT_NEAR(cdf(c.dist, x), ref.cdf(x), kProbTol) << c.name << " x=" << x;
    }
    // Outside the support: 0 below, 1 above.
    EXPECT_EQ(cdf(c.dist, ref.lo - 1.0), 0.0) << c.name;
    if (std::isfinite(ref.hi)) {
        EXPECT_EQ(cdf(c.dist, ref.hi + 1.0), 1.0) << c.name;
    }
}

TEST_P(ReferenceTest, MomentsAndSupportAgreeWithBoost) {
    const auto& c = GetParam();
    const auto ref = reference_of(c.dist);
    EXPECT_NEAR(mean(c.dist), ref.mean, kRelTol * std::fabs(ref.mean)) << c.name;
    EXPECT_NEAR(variance(c.dist), ref.variance, kRelTol * ref.variance) << c.name;
    EXPECT_EQ(support_min(c.dist), ref.lo) << c.name;
    EXPECT_EQ(support_max(c.dist), ref.hi) << c.name;
}

INSTANTIATE_TEST_SUITE_P(Distributions,
                         ReferenceTest,
                         ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ReferenceNormal, InverseCdfAgreesWithBoostQuantile) {
    const bm::normal_distribution<> n01;
    for (double p : {1e-300, 1e-100, 1e-12, 1e-6, 0.001, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97575,
                     0.999, 1 - 1e-9}) {
        const double want = bm::quantile(n01, p);
        EXPECT_NEAR(inverse_normal_cdf(p), want, 1e-13 * std::max(1.0, std::fabs(want))) << p;
        EXPECT_NEAR(normal_cdf(want), p, 1e-14 + 1e-12 * p) << p;
    }
}

TEST(ReferenceNormal, StandardNormalDrawsPassKolmogorovSmirnov) {
    const bm::normal_distribution<> n01;
    auto rng = run_stream(606, 0);
    std::vector<double> xs(kN);
    for (auto& x : xs) {
        x = standard_normal(rng);
    }
    std::sort(xs.begin(), xs.end());
    EXPECT_LT(ks_statistic(xs, [&](double x) { return bm::cdf(n01, x); }), kKsCritical);
}

TEST(ReferenceGamma, StandardGammaDrawsPassKolmogorovSmirnov) {
    // Shapes below 1 use Marsaglia-Tsang's boost step (shape + 1, times U^(1/shape)): both
    // branches.
    for (double shape : {0.3, 1.0, 2.5, 30.0}) {
        const bm::gamma_distribution<> g(shape, 1.0);
        auto rng = run_stream(707, static_cast<std::uint64_t>(shape * 10));
        std::vector<double> xs(kN);
        for (auto& x : xs) {
            x = standard_gamma(shape, rng);
        }
        std::sort(xs.begin(), xs.end());
        EXPECT_LT(ks_statistic(xs, [&](double x) { return bm::cdf(g, x); }), kKsCritical) << shape;
    }
}

TEST(ReferenceBeta, RegularizedBetaAgreesWithBoostIbeta) {
    for (double a : {0.3, 0.5, 1.0, 2.0, 7.5, 40.0}) {
        for (double b : {0.3, 1.0, 3.0, 25.0}) {
            for (double x : {0.0, 1e-6, 0.01, 0.2, 0.5, 0.8, 0.99, 1.0}) {
                EXPECT_NEAR(regularized_beta(x, a, b), bm::ibeta(a, b, x), kProbTol)
                    << "a=" << a << " b=" << b << " x=" << x;
            }
        }
    }
}

}  // namespace
}  // namespace lodestone::sim
