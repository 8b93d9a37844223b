// lodestone/sim/random.hpp: counter-based random streams and the samplers of scenario parameters
// (docs/scenarios.md). Run i of a Monte Carlo with seed S draws only from run_stream(S, i), so
// results do not depend on how runs are spread over threads or processes. The samplers are written
// here (not std:: distributions, whose algorithms differ between standard libraries) so that a seed
// gives the same numbers on every platform. Example: auto rng = run_stream(42, 7); double a =
// sample(Distribution::beta_on(2, 5), rng);
#pragma once

#include <cstdint>

#include <pcg_random.hpp>

#include "lodestone/model/scenario.hpp"

namespace lodestone::sim {

using Rng = pcg64;  ///< PCG XSL-RR 128/64 with a selectable stream

/// SplitMix64 finaliser: a bijective 64-bit mixer.
[[nodiscard]] std::uint64_t mix64(std::uint64_t x);

/// The random stream of run `run` of a Monte Carlo with seed `seed`: state and stream (increment)
/// of pcg64 both derived from (seed, run) by SplitMix64 hashing, nothing else.
[[nodiscard]] Rng run_stream(std::uint64_t seed, std::uint64_t run);

/// Uniform on [0,1) with 53 random bits.
[[nodiscard]] double uniform01(Rng& rng);
/// Uniform on (0,1): never 0, never 1.
[[nodiscard]] double uniform_open01(Rng& rng);
/// Standard normal by the inverse CDF (one uniform per draw).
[[nodiscard]] double standard_normal(Rng& rng);
/// Gamma(shape, 1) by Marsaglia and Tsang (2000); shape > 0.
[[nodiscard]] double standard_gamma(double shape, Rng& rng);

/// One draw of the distribution. Pre: parameters valid (see io::read_scenario's checks).
[[nodiscard]] double sample(const model::Distribution& d, Rng& rng);

/// Cumulative distribution function P(X <= x).
[[nodiscard]] double cdf(const model::Distribution& d, double x);
/// Quantile function: the x with P(X <= x) = p, p in (0,1) (p in [0,1] when the support is
/// bounded). Closed form except beta (bisection on cdf to 1e-12 of the support's width).
/// Example: inverse_cdf(Distribution::uniform(2, 4), 0.05) == 2.1
[[nodiscard]] double inverse_cdf(const model::Distribution& d, double p);
/// Mean and variance of the distribution.
[[nodiscard]] double mean(const model::Distribution& d);
[[nodiscard]] double variance(const model::Distribution& d);
/// Smallest and largest value the distribution can take (infinity for lognormal's upper end).
[[nodiscard]] double support_min(const model::Distribution& d);
[[nodiscard]] double support_max(const model::Distribution& d);

/// Φ(x) and Φ⁻¹(p) (Wichura's AS241, relative accuracy ~1e-16); p in (0,1).
[[nodiscard]] double normal_cdf(double x);
[[nodiscard]] double inverse_normal_cdf(double p);
/// Regularised incomplete beta I_x(a, b), x in [0,1].
[[nodiscard]] double regularized_beta(double x, double a, double b);

}  // namespace lodestone::sim
