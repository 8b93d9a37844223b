// lodestone/firmnet/summary.hpp: what a propagation run means for firms and groups: the firms
// hit hardest and the loss by country and sector. Pure functions of the network and the result.
// Losses are money (the unit of the inputs' daily amounts) summed over the simulated days.
// Example: auto top = hardest_hit(net, result, 10);
#pragma once

#include <string>
#include <vector>

#include "lodestone/firmnet/network.hpp"
#include "lodestone/firmnet/propagate.hpp"

namespace lodestone::firmnet {

struct FirmLoss {
    std::size_t firm = 0;
    double production_loss = 0.0;   ///< sum_t (P^ini - P_t)
    double value_added_loss = 0.0;  ///< va_i * production_loss
    double loss_share = 0.0;        ///< production_loss / (P^ini * days)
    double min_ratio = 1.0;         ///< min_t P_t / P^ini
    int min_day = 0;                ///< first day of that minimum (0 = never below 1)
};

/// The k firms with the largest production loss (ties: lower firm index first).
[[nodiscard]] std::vector<FirmLoss> hardest_hit(const FirmNetwork& net,
                                                const PropagateResult& r,
                                                std::size_t k);

struct GroupLoss {
    std::string country;
    std::string sector;
    std::size_t firms = 0;
    double baseline_production = 0.0;  ///< sum of P^ini * days
    double production_loss = 0.0;
    double value_added_loss = 0.0;
    double loss_share = 0.0;  ///< production_loss / baseline_production
};

/// Loss per (country, sector) with at least one firm, sorted by production loss (largest first),
/// then country and sector names.
[[nodiscard]] std::vector<GroupLoss> group_losses(const FirmNetwork& net, const PropagateResult& r);

}  // namespace lodestone::firmnet
