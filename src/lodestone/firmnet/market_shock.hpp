// lodestone/firmnet/market_shock.hpp: a market scenario drives the firm network. Firms of the
// sectors that use a raw material get, as their capacity loss, the median weekly shortfall share
// of that material in their country's region from a `lodestone simulate` Monte Carlo result
// (Leontief: a firm short of x % of its material loses x % of its capacity). Each week's value
// holds for its seven days. A firm whose country is not a region of the scenario gets the WORLD
// series. Example: auto s = market_shocks(sim, mc, "gallium", net, {"chips"});
#pragma once

#include <string>
#include <vector>

#include "lodestone/firmnet/network.hpp"
#include "lodestone/firmnet/propagate.hpp"
#include "lodestone/sim/market.hpp"
#include "lodestone/sim/monte_carlo.hpp"

namespace lodestone::firmnet {

/// The median (P50 over runs) weekly ShortfallShare of (region, material), clamped to [0,1];
/// empty when the simulation has no such series.
[[nodiscard]] std::vector<double> median_shortfall(const sim::Simulation& sim,
                                                   const sim::MonteCarloResult& mc,
                                                   const std::string& region,
                                                   const std::string& material);

/// Week w's value on days 7w+1..7w+7 (w from 0).
[[nodiscard]] std::vector<double> weekly_to_daily(const std::vector<double>& weekly);

struct MarketShocks {
    std::vector<Shock> shocks;       ///< one per firm of the sectors, path = daily delta
    std::vector<std::string> notes;  ///< which region each country used
};

/// Shocks for every firm whose sector is in `sectors`. Throws InputError (E-UNKNOWN-MATERIAL) when
/// the simulation does not simulate `material`, (E-UNKNOWN-SECTOR) for a sector no firm has.
[[nodiscard]] MarketShocks market_shocks(const sim::Simulation& sim,
                                         const sim::MonteCarloResult& mc,
                                         const std::string& material,
                                         const FirmNetwork& net,
                                         const std::vector<std::string>& sectors);

}  // namespace lodestone::firmnet
