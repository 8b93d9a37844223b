#include "lodestone/sim/stats.hpp"

#include <algorithm>
#include <cmath>

namespace lodestone::sim {

void RunningStats::add(double x) {
    ++count;
    const double delta = x - mean;
    mean += delta / static_cast<double>(count);
    m2 += delta * (x - mean);
    min = std::min(min, x);
    max = std::max(max, x);
}

void RunningStats::merge(const RunningStats& other) {
    if (other.count == 0) {
        return;
    }
    if (count == 0) {
        *this = other;
        return;
    }
    const double na = static_cast<double>(count);
    const double nb = static_cast<double>(other.count);
    const double n = na + nb;
    const double delta = other.mean - mean;
    mean += delta * nb / n;
    m2 += other.m2 + delta * delta * na * nb / n;
    count += other.count;
    min = std::min(min, other.min);
    max = std::max(max, other.max);
}

double RunningStats::variance() const {
    return count < 2 ? 0.0 : m2 / static_cast<double>(count - 1);
}

std::uint32_t BinSpec::bin_of(double x) const {
    if (!(x > lo)) {
        return 0;
    }
    const double pos = (x - lo) / (hi - lo) * static_cast<double>(bins);
    if (pos >= static_cast<double>(bins)) {
        return bins - 1;
    }
    return static_cast<std::uint32_t>(pos);
}

void BinnedQuantiles::add(double x, const BinSpec& spec) {
    stats_.add(x);
    const std::uint32_t b = spec.bin_of(x);
    auto it =
        std::lower_bound(bins_.begin(), bins_.end(), b,
                         [](const auto& cell, std::uint32_t key) { return cell.first < key; });
    if (it != bins_.end() && it->first == b) {
        ++it->second;
    } else {
        bins_.insert(it, {b, 1});
    }
}

void BinnedQuantiles::merge(const BinnedQuantiles& other) {
    stats_.merge(other.stats_);
    std::vector<std::pair<std::uint32_t, std::uint64_t>> out;
    out.reserve(bins_.size() + other.bins_.size());
    auto a = bins_.begin();
    auto b = other.bins_.begin();
    while (a != bins_.end() || b != other.bins_.end()) {
        if (b == other.bins_.end() || (a != bins_.end() && a->first < b->first)) {
            out.push_back(*a++);
        } else if (a == bins_.end() || b->first < a->first) {
            out.push_back(*b++);
        } else {
            out.emplace_back(a->first, a->second + b->second);
            ++a;
            ++b;
        }
    }
    bins_ = std::move(out);
}

double BinnedQuantiles::quantile(double q, const BinSpec& spec) const {
    if (stats_.count == 0) {
        return std::nan("");
    }
    if (stats_.min == stats_.max || q <= 0.0) {
        return stats_.min;
    }
    if (q >= 1.0) {
        return stats_.max;
    }
    // Values of a bin are taken as spread evenly over the bin's range intersected with [min, max].
    const double target = q * static_cast<double>(stats_.count);
    double cumulative = 0.0;
    for (const auto& [bin, n] : bins_) {
        const double next = cumulative + static_cast<double>(n);
        if (next >= target) {
            // The edge bins also hold the values beyond [spec.lo, spec.hi].
            const double lo =
                bin == 0 ? stats_.min
                         : std::max(stats_.min, spec.lo + static_cast<double>(bin) * spec.width());
            const double hi =
                bin + 1 == spec.bins
                    ? stats_.max
                    : std::min(stats_.max, spec.lo + static_cast<double>(bin + 1) * spec.width());
            const double frac = (target - cumulative) / static_cast<double>(n);
            return std::clamp(lo + frac * (std::max(lo, hi) - lo), stats_.min, stats_.max);
        }
        cumulative = next;
    }
    return stats_.max;
}

double quantile_sorted(std::span<const double> sorted, double q) {
    if (sorted.empty()) {
        return std::nan("");
    }
    const double h = std::clamp(q, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double tail_mean_sorted(std::span<const double> sorted, double share, bool worst_is_high) {
    if (sorted.empty()) {
        return std::nan("");
    }
    const auto n = static_cast<double>(sorted.size());
    const std::size_t k =
        std::clamp<std::size_t>(static_cast<std::size_t>(std::floor(share * n)), 1, sorted.size());
    const auto tail = worst_is_high ? sorted.last(k) : sorted.first(k);
    double sum = 0.0;
    for (const double x : tail) {
        sum += x;
    }
    return sum / static_cast<double>(k);
}

}  // namespace lodestone::sim
