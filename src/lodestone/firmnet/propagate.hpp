// lodestone/firmnet/propagate.hpp: the daily firm-network propagation model of Inoue and Todo
// (2019, Nature Sustainability 2:841-847), after Hallegatte (2008) and Henriet, Hallegatte and
// Tabourier (2012). One step is one day: capacity loss -> inventories -> orders -> demand ->
// production (the scarcest input sector, Leontief) -> rationing of production over the orders.
// Firms are computed independently inside each phase and totals are reduced in fixed blocks, so
// the output bits do not depend on the thread count. The equations are in docs/propagate.md.
// Example: auto r = propagate(net, shocks, {.days = 60, .rationing = Rationing::LowestFirst});
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "lodestone/firmnet/network.hpp"

namespace lodestone::firmnet {

/// How a firm whose production falls short of its demand splits it over its customers.
enum class Rationing {
    Proportional,  ///< every order and final demand gets the same share P_i/D_i (Hallegatte 2008)
    LowestFirst,   ///< water-filling on relative orders O_ki/A_ki; final demand counts as 1
};
[[nodiscard]] std::string_view to_string(Rationing r);

/// A capacity loss of one firm: delta on start_day, back to 0 linearly over recovery_days
/// (0 = permanent), or a given daily path (path[t-1] is delta on day t; 0 after its end).
struct Shock {
    std::int32_t firm = 0;
    double delta = 0.0;        ///< capacity loss share, 0-1
    int start_day = 1;         ///< first day with the loss, >= 1
    int recovery_days = -1;    ///< -1 = the run's default
    std::vector<double> path;  ///< non-empty: delta by day, overrides delta/start/recovery
};

struct PropagateOptions {
    int days = 30;
    Rationing rationing = Rationing::Proportional;
    double inventory_days = 15.0;  ///< n_i when the network has none (Inoue and Todo 2019: 15)
    double tau = 6.0;              ///< days to close an inventory gap (Inoue and Todo 2019: 6)
    int recovery_days = 0;         ///< default recovery of a shock; 0 = no recovery
    int threads = 1;
    std::vector<int> snapshot_days;  ///< days whose per-firm production is kept
};

struct Snapshot {
    int day = 0;
    std::vector<double> production;  ///< P_i on that day
};

struct PropagateResult {
    /// Index 0 is the initial state; index t is day t. Money per day.
    std::vector<double> production;
    std::vector<double> value_added;
    std::vector<double> final_consumption;  ///< deliveries to final demand, sum_i c*_i
    /// Per firm over the run: sum over days of (P^ini_i - P_i) (money) and min_t P_i/P^ini_i.
    std::vector<double> firm_loss;
    std::vector<double> firm_min_ratio;
    std::vector<int> firm_min_day;
    std::vector<double> value_added_share;  ///< va_i = (P^ini_i - sum_j A_ij)/P^ini_i
    std::vector<Snapshot> snapshots;
    /// Largest |sum of deliveries - P_i| / P^ini_i over firms and days (conservation check).
    double max_delivery_residual = 0.0;
};

/// Runs the model. Pre: the network and shocks are validated (firm indices in range, delta in
/// [0,1], days >= 1, tau > 0, inventory days > 0).
[[nodiscard]] PropagateResult propagate(const FirmNetwork& net,
                                        const std::vector<Shock>& shocks,
                                        const PropagateOptions& options);

/// delta of a shock on day t (>= 1) with the default recovery `recovery_days`.
[[nodiscard]] double shock_delta(const Shock& s, int day, int recovery_days);

}  // namespace lodestone::firmnet
