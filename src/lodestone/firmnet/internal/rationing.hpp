// lodestone/firmnet/internal/rationing.hpp: the lowest-first rationing rule of Inoue and Todo
// (2019) as water-filling. Each customer k has a relative order rho_k = O_k/A_k and a weight A_k
// (final demand: rho = 1, weight c). Customers are served in increasing rho; a level lambda is
// found so that sum_k min(rho_k, lambda) * A_k = P. One sort, O(k log k) per firm.
// Example: items {0.2,10},{0.5,4},{1,10},{2,3} and P = 10 give lambda = 8/17.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace lodestone::firmnet::internal {

struct RationItem {
    double rho;         ///< relative order O/A, >= 0
    double weight;      ///< A (or c for final demand), > 0
    std::uint32_t key;  ///< tie-break and identity (link index, or a sentinel for final demand)
};

/// Sorts `items` by (rho, key) and returns lambda; an item gets min(rho, lambda) * weight.
/// Returns +infinity when production covers every order (which rounding can make happen even
/// when the caller's sum of orders is a hair above production).
[[nodiscard]] inline double water_level(std::vector<RationItem>& items, double production) {
    std::sort(items.begin(), items.end(), [](const RationItem& x, const RationItem& y) {
        return x.rho < y.rho || (x.rho == y.rho && x.key < y.key);
    });
    double weight = 0.0;
    for (const auto& it : items) {
        weight += it.weight;
    }
    double left = production;
    for (const auto& it : items) {
        if (it.rho * weight > left) {
            break;
        }
        left -= it.rho * it.weight;
        weight -= it.weight;
    }
    if (weight <= 0.0) {
        return std::numeric_limits<double>::infinity();
    }
    return std::max(0.0, left) / weight;
}

}  // namespace lodestone::firmnet::internal
