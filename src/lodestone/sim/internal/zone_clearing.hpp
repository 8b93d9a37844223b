// lodestone/sim/internal/zone_clearing.hpp: one week of one (material, stage) market, cleared over
// price zones linked to a hub (the rest of the world) by arbitrage with frictions.
//
// Each zone z has an excess supply e_z(p) = supply - D0 p^eps R(p) - dI(p), increasing in its
// price index p (1 = baseline): demand falls with price, and stock holders release stock as the
// price rises above normal (their target stock falls as p^-eta R(p), approached over
// `adjust_weeks`). R(p) = clamp((p_res - p) / (p_res - 1), 0, 1) is the buyers' reservation
// taper: 1 up to the baseline, 0 at the reservation price p_res, so that a constant-elasticity
// curve cannot ask any price at all for its last tonne (a tonne nobody buys at p_res). A zone
// trades with the hub beyond its contracted flows only when the spread pays the friction: it
// imports at hub x (1 + f_in) and exports at hub / (1 + f_out), within its arbitrage capacities.
// The hub price solves hub excess + sum of the zones' arbitrage exports = 0. Every root is found by
// bisection on log price, so the result is exact to rounding and needs no derivative; a price cap
// is only a guard: when it binds the week is flagged and the unmet volume is reported, never
// hidden in the price. See docs/market_model.md.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace lodestone::sim::internal {

/// One zone's market in one week. Quantities in t/week (stock in t); prices are multiples of the
/// baseline price.
struct ZoneCurve {
    double supply = 0.0;            ///< production kept + contracted inflows + releases - purchases
    double demand0 = 0.0;           ///< demand at price 1 (this week's reference demand)
    double demand_scale = 1.0;      ///< demand multiplier from the slow (long-run) price response
    double elasticity = 0.0;        ///< short-run price elasticity of demand, <= 0
    double stock = 0.0;             ///< commercial stock at the start of the week
    double target0 = 0.0;           ///< target stock at price 1
    double stock_elasticity = 0.0;  ///< eta >= 0: the target stock scales as p^-eta
    double adjust_weeks = 1.0;      ///< holders close the gap to target over this many weeks, >= 1
    double demand_cap = -1.0;       ///< demand never exceeds this (processing capacity); < 0 = none
    double reservation = std::numeric_limits<double>::infinity();  ///< p_res > 1; inf = no taper
    double import_capacity = 0.0;  ///< arbitrage imports from the hub, t/week (inf = open)
    double export_capacity = 0.0;  ///< arbitrage exports to the hub, t/week (inf = open)
    double import_friction = 0.0;  ///< import parity = hub price x (1 + f)
    double export_friction = 0.0;  ///< export parity = hub price / (1 + f)
};

/// The reservation taper R(p) in [0,1]: 1 for p <= 1, 0 for p >= reservation, linear between.
[[nodiscard]] double reservation_taper(double reservation, double p);
/// Demand at price p.
[[nodiscard]] double zone_demand(const ZoneCurve& z, double p);
/// Stock change at price p (negative = release), never below -stock.
[[nodiscard]] double zone_stock_change(const ZoneCurve& z, double p);
/// supply - demand - stock change at price p: increasing in p.
[[nodiscard]] double zone_excess(const ZoneCurve& z, double p);

struct ZoneOutcome {
    double price = 1.0;
    double demand = 0.0;  ///< what buyers take at that price (before any unmet volume)
    double stock_change = 0.0;
    double net_export = 0.0;  ///< arbitrage exports to the hub (negative = imports), t/week
    double unmet = 0.0;       ///< demand that no price up to the cap could serve, t/week
};

struct Clearing {
    std::vector<ZoneOutcome> zones;  ///< [0] = hub
    bool capped = false;             ///< the price cap bound somewhere (a failure of the scenario)
};

/// Clears zones[0] (the hub, whose arbitrage capacities and frictions are ignored) and the others
/// against it. price_floor < 1 < price_cap bound the search.
[[nodiscard]] Clearing clear_zones(std::span<const ZoneCurve> zones,
                                   double price_floor,
                                   double price_cap);

}  // namespace lodestone::sim::internal
