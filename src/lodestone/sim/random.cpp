#include "lodestone/sim/random.hpp"

#include <cmath>
#include <limits>

#include "lodestone/core/assert.hpp"

namespace lodestone::sim {

using model::Distribution;

std::uint64_t mix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27U)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31U);
}

Rng run_stream(std::uint64_t seed, std::uint64_t run) {
    // Four words from a SplitMix64 sequence keyed by (seed, run); distinct runs give distinct keys
    // because mix64 is a bijection.
    const std::uint64_t key = mix64(seed) ^ mix64(run ^ 0xD1B54A32D192ED03ULL);
    const std::uint64_t k2 = mix64(key + mix64(run));
    const std::uint64_t w0 = mix64(k2 + 1);
    const std::uint64_t w1 = mix64(k2 + 2);
    const std::uint64_t w2 = mix64(k2 + 3);
    const std::uint64_t w3 = mix64(k2 + 4);
    const pcg_extras::pcg128_t state = (static_cast<pcg_extras::pcg128_t>(w0) << 64U) | w1;
    const pcg_extras::pcg128_t stream = (static_cast<pcg_extras::pcg128_t>(w2) << 64U) | w3;
    return Rng(state, stream);
}

double uniform01(Rng& rng) {
    return static_cast<double>(rng() >> 11U) * 0x1.0p-53;
}

double uniform_open01(Rng& rng) {
    return (static_cast<double>(rng() >> 12U) + 0.5) * 0x1.0p-52;
}

double normal_cdf(double x) {
    return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

double inverse_normal_cdf(double p) {
    LODE_ASSERT(p > 0.0 && p < 1.0);
    // Wichura, M. J. (1988), Algorithm AS 241 (PPND16), Applied Statistics 37(3).
    const double q = p - 0.5;
    if (std::fabs(q) <= 0.425) {
        const double r = 0.180625 - q * q;
        return q *
               (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r +
                     67265.770927008700853) *
                        r +
                    45921.953931549871457) *
                       r +
                   13731.693765509461125) *
                      r +
                  1971.5909503065514427) *
                     r +
                 133.14166789178437745) *
                    r +
                3.387132872796366608) /
               (((((((r * 5226.495278852545925 + 28729.085735721942674) * r +
                     39307.89580009271061) *
                        r +
                    21213.794301586595867) *
                       r +
                   5394.1960214247511077) *
                      r +
                  687.1870074920579083) *
                     r +
                 42.313330701600911252) *
                    r +
                1.0);
    }
    double r = q < 0 ? p : 1.0 - p;
    r = std::sqrt(-std::log(r));
    double val = 0.0;
    if (r <= 5.0) {
        r -= 1.6;
        val = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r +
                    0.24178072517745061177) *
                       r +
                   1.27045825245236838258) *
                      r +
                  3.64784832476320460504) *
                     r +
                 5.7694972214606914055) *
                    r +
                4.6303378461565452959) *
                   r +
               1.42343711074968357734) /
              (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r +
                    0.0151986665636164571966) *
                       r +
                   0.14810397642748007459) *
                      r +
                  0.68976733498510000455) *
                     r +
                 1.6763848301838038494) *
                    r +
                2.05319162663775882187) *
                   r +
               1.0);
    } else {
        r -= 5.0;
        val = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r +
                    0.0012426609473880784386) *
                       r +
                   0.026532189526576123093) *
                      r +
                  0.29656057182850489123) *
                     r +
                 1.7848265399172913358) *
                    r +
                5.4637849111641143699) *
                   r +
               6.6579046435011037772) /
              (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r +
                    1.8463183175100546818e-5) *
                       r +
                   7.868691311456132591e-4) *
                      r +
                  0.0148753612908506148525) *
                     r +
                 0.13692988092273580531) *
                    r +
                0.59983220655588793769) *
                   r +
               1.0);
    }
    return q < 0.0 ? -val : val;
}

double standard_normal(Rng& rng) {
    return inverse_normal_cdf(uniform_open01(rng));
}

double standard_gamma(double shape, Rng& rng) {
    LODE_ASSERT(shape > 0.0);
    if (shape < 1.0) {
        // Gamma(a) = Gamma(a + 1) * U^(1/a)
        const double u = uniform_open01(rng);
        return standard_gamma(shape + 1.0, rng) * std::pow(u, 1.0 / shape);
    }
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
        double x = 0.0;
        double v = 0.0;
        do {
            x = standard_normal(rng);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        const double u = uniform_open01(rng);
        if (u < 1.0 - 0.0331 * x * x * x * x) {
            return d * v;
        }
        if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) {
            return d * v;
        }
    }
}

double sample(const Distribution& d, Rng& rng) {
    switch (d.kind) {
        case Distribution::Kind::Fixed:
            return d.value;
        case Distribution::Kind::Uniform:
            return d.min + (d.max - d.min) * uniform01(rng);
        case Distribution::Kind::Triangular: {
            const double u = uniform01(rng);
            const double width = d.max - d.min;
            if (width <= 0.0) {
                return d.min;
            }
            const double f = (d.mode - d.min) / width;
            if (u < f) {
                return d.min + std::sqrt(u * width * (d.mode - d.min));
            }
            return d.max - std::sqrt((1.0 - u) * width * (d.max - d.mode));
        }
        case Distribution::Kind::Beta: {
            const double x = standard_gamma(d.alpha, rng);
            const double y = standard_gamma(d.beta, rng);
            const double b = (x + y) > 0.0 ? x / (x + y) : 0.5;
            return d.min + (d.max - d.min) * b;
        }
        case Distribution::Kind::Lognormal:
            return d.median * std::exp(d.sigma * standard_normal(rng));
    }
    return d.value;
}

namespace {

// Continued fraction of the incomplete beta (modified Lentz), as in Numerical Recipes §6.4.
double beta_continued_fraction(double x, double a, double b) {
    constexpr double kTiny = 1e-300;
    constexpr double kEps = 1e-15;
    const double qab = a + b;
    const double qap = a + 1.0;
    const double qam = a - 1.0;
    double c = 1.0;
    double dd = 1.0 - qab * x / qap;
    if (std::fabs(dd) < kTiny) {
        dd = kTiny;
    }
    dd = 1.0 / dd;
    double h = dd;
    for (int m = 1; m <= 10000; ++m) {
        const double md = m;
        const double m2 = 2.0 * md;
        double aa = md * (b - md) * x / ((qam + m2) * (a + m2));
        dd = 1.0 + aa * dd;
        dd = std::fabs(dd) < kTiny ? kTiny : dd;
        c = 1.0 + aa / c;
        c = std::fabs(c) < kTiny ? kTiny : c;
        dd = 1.0 / dd;
        h *= dd * c;
        aa = -(a + md) * (qab + md) * x / ((a + m2) * (qap + m2));
        dd = 1.0 + aa * dd;
        dd = std::fabs(dd) < kTiny ? kTiny : dd;
        c = 1.0 + aa / c;
        c = std::fabs(c) < kTiny ? kTiny : c;
        dd = 1.0 / dd;
        const double del = dd * c;
        h *= del;
        if (std::fabs(del - 1.0) < kEps) {
            break;
        }
    }
    return h;
}

}  // namespace

double regularized_beta(double x, double a, double b) {
    if (x <= 0.0) {
        return 0.0;
    }
    if (x >= 1.0) {
        return 1.0;
    }
    const double log_front =
        std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    const double front = std::exp(log_front);
    if (x < (a + 1.0) / (a + b + 2.0)) {
        return front * beta_continued_fraction(x, a, b) / a;
    }
    return 1.0 - front * beta_continued_fraction(1.0 - x, b, a) / b;
}

double cdf(const Distribution& d, double x) {
    switch (d.kind) {
        case Distribution::Kind::Fixed:
            return x < d.value ? 0.0 : 1.0;
        case Distribution::Kind::Uniform:
            if (x <= d.min) {
                return 0.0;
            }
            return x >= d.max ? 1.0 : (x - d.min) / (d.max - d.min);
        case Distribution::Kind::Triangular: {
            if (x <= d.min) {
                return 0.0;
            }
            if (x >= d.max) {
                return 1.0;
            }
            const double width = d.max - d.min;
            if (x <= d.mode) {
                return (x - d.min) * (x - d.min) / (width * (d.mode - d.min));
            }
            return 1.0 - (d.max - x) * (d.max - x) / (width * (d.max - d.mode));
        }
        case Distribution::Kind::Beta:
            return regularized_beta((x - d.min) / (d.max - d.min), d.alpha, d.beta);
        case Distribution::Kind::Lognormal:
            if (x <= 0.0) {
                return 0.0;
            }
            if (d.sigma <= 0.0) {
                return x < d.median ? 0.0 : 1.0;
            }
            return normal_cdf(std::log(x / d.median) / d.sigma);
    }
    return 0.0;
}

double inverse_cdf(const Distribution& d, double p) {
    LODE_ASSERT(p >= 0.0 && p <= 1.0);
    switch (d.kind) {
        case Distribution::Kind::Fixed:
            return d.value;
        case Distribution::Kind::Uniform:
            return d.min + (d.max - d.min) * p;
        case Distribution::Kind::Triangular: {  // the inverse that sample() applies to its uniform
            const double width = d.max - d.min;
            if (width <= 0.0) {
                return d.min;
            }
            if (p < (d.mode - d.min) / width) {
                return d.min + std::sqrt(p * width * (d.mode - d.min));
            }
            return d.max - std::sqrt((1.0 - p) * width * (d.max - d.mode));
        }
        case Distribution::Kind::Beta: {
            double lo = d.min;
            double hi = d.max;
            const double tolerance = 1e-12 * (d.max - d.min);
            while (hi - lo > tolerance) {  // cdf is monotone: about 40 halvings
                const double mid = 0.5 * (lo + hi);
                if (cdf(d, mid) < p) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return 0.5 * (lo + hi);
        }
        case Distribution::Kind::Lognormal:
            if (d.sigma <= 0.0) {
                return d.median;
            }
            LODE_ASSERT(p > 0.0 && p < 1.0);
            return d.median * std::exp(d.sigma * inverse_normal_cdf(p));
    }
    return d.value;
}

double mean(const Distribution& d) {
    switch (d.kind) {
        case Distribution::Kind::Fixed:
            return d.value;
        case Distribution::Kind::Uniform:
            return 0.5 * (d.min + d.max);
        case Distribution::Kind::Triangular:
            return (d.min + d.mode + d.max) / 3.0;
        case Distribution::Kind::Beta:
            return d.min + (d.max - d.min) * d.alpha / (d.alpha + d.beta);
        case Distribution::Kind::Lognormal:
            return d.median * std::exp(0.5 * d.sigma * d.sigma);
    }
    return d.value;
}

double variance(const Distribution& d) {
    switch (d.kind) {
        case Distribution::Kind::Fixed:
            return 0.0;
        case Distribution::Kind::Uniform:
            return (d.max - d.min) * (d.max - d.min) / 12.0;
        case Distribution::Kind::Triangular: {
            const double a = d.min;
            const double b = d.max;
            const double c = d.mode;
            return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
        }
        case Distribution::Kind::Beta: {
            const double s = d.alpha + d.beta;
            const double w = d.max - d.min;
            return w * w * d.alpha * d.beta / (s * s * (s + 1.0));
        }
        case Distribution::Kind::Lognormal: {
            const double s2 = d.sigma * d.sigma;
            return (std::exp(s2) - 1.0) * d.median * d.median * std::exp(s2);
        }
    }
    return 0.0;
}

double support_min(const Distribution& d) {
    switch (d.kind) {
        case Distribution::Kind::Fixed:
            return d.value;
        case Distribution::Kind::Lognormal:
            return 0.0;
        default:
            return d.min;
    }
}

double support_max(const Distribution& d) {
    switch (d.kind) {
        case Distribution::Kind::Fixed:
            return d.value;
        case Distribution::Kind::Lognormal:
            return d.sigma > 0.0 ? std::numeric_limits<double>::infinity() : d.median;
        default:
            return d.max;
    }
}

}  // namespace lodestone::sim
