// lodestone/sim/stats.hpp: mergeable statistics for Monte Carlo results (docs/scenarios.md).
// Partial results from chunks of runs, threads or MPI ranks combine with merge(): counts, min,
// max and histogram bins exactly; mean and variance by Chan, Golub and LeVeque's pairwise formula
// (equal to a single pass up to rounding). Merging in a fixed order gives identical bytes.
// Example: RunningStats a, b; a.add(1); b.add(3); a.merge(b); a.mean == 2
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

namespace lodestone::sim {

/// Count, mean, sum of squared deviations (M2), min and max; Welford updates, Chan merges.
struct RunningStats {
    std::uint64_t count = 0;
    double mean = 0.0;
    double m2 = 0.0;
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();

    void add(double x);
    /// Chan et al. (1979): n = na + nb, δ = mean_b - mean_a, mean = mean_a + δ·nb/n,
    /// M2 = M2a + M2b + δ²·na·nb/n.
    void merge(const RunningStats& other);
    /// Sample variance (n - 1 in the denominator); 0 with fewer than two values.
    [[nodiscard]] double variance() const;
};

/// Fixed bins over [lo, hi]; values outside fall in the first or last bin (min/max stay exact).
struct BinSpec {
    double lo = 0.0;
    double hi = 1.0;
    std::uint32_t bins = 1024;

    [[nodiscard]] std::uint32_t bin_of(double x) const;
    [[nodiscard]] double width() const { return (hi - lo) / bins; }
};

/// A fixed-bin histogram stored sparsely (only occupied bins), with exact running stats.
/// Quantiles interpolate inside the bin and are clamped to [min, max]: exact when all values are
/// equal (e.g. one run), otherwise within one bin width of the sample quantile.
class BinnedQuantiles {
public:
    void add(double x, const BinSpec& spec);
    void merge(const BinnedQuantiles& other);
    /// q in [0,1]; NaN when empty.
    [[nodiscard]] double quantile(double q, const BinSpec& spec) const;
    [[nodiscard]] const RunningStats& stats() const { return stats_; }
    /// (bin, count) pairs in bin order.
    [[nodiscard]] const std::vector<std::pair<std::uint32_t, std::uint64_t>>& bins() const {
        return bins_;
    }
    /// The histogram with these stats and (bin, count) pairs in bin order, e.g. as sent by another
    /// process (stats() and bins() of the original): the same bytes as the original.
    [[nodiscard]] static BinnedQuantiles from_parts(
        const RunningStats& stats, std::vector<std::pair<std::uint32_t, std::uint64_t>> bins) {
        BinnedQuantiles q;
        q.stats_ = stats;
        q.bins_ = std::move(bins);
        return q;
    }

private:
    RunningStats stats_;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> bins_;
};

/// Sample quantile of sorted values, linear interpolation between order statistics
/// (Hyndman and Fan type 7, as R's default and numpy's "linear"). NaN when empty.
[[nodiscard]] double quantile_sorted(std::span<const double> sorted, double q);

/// Mean of the worst `share` of sorted (ascending) values, at least one value: the k =
/// max(1, floor(share·n)) highest when worst_is_high, else the k lowest (CVaR, expected shortfall).
/// Example: values 1..40, share 0.05 -> k = 2: 39.5 (high) or 1.5 (low). NaN when empty.
[[nodiscard]] double tail_mean_sorted(std::span<const double> sorted,
                                      double share,
                                      bool worst_is_high);

}  // namespace lodestone::sim
