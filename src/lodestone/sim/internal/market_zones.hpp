// lodestone/sim/internal/market_zones.hpp: groups one material's countries into price zones and
// aggregates the compiled country nodes and trade edges into zone quantities and zone-to-zone
// baseline flows, with the share of each flow that each restrictive rule covers.
// Zone 0 is the hub (every country no measure singles out); then one zone per imposing country
// set, then one per restricted destination set (when it is not "everyone else").
#pragma once

#include <string>
#include <vector>

#include "lodestone/sim/internal/market_model.hpp"

namespace lodestone::sim::internal {

/// Fills mm.zones ... mm.purchase_zone_share. `countries` are the network's country codes;
/// rules[r].cover must already hold this material's coverage at index `material_index`.
void build_zones(MaterialModel& mm,
                 std::size_t material_index,
                 const std::vector<Rule>& rules,
                 const std::vector<std::string>& countries);

}  // namespace lodestone::sim::internal
