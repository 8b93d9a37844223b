// The weekly zone clearing of the market model on cases solved by hand: a lone market with price-
// elastic demand, stocks as the buffer, arbitrage through the hub with a friction (a destination
// ban moves the target's price by exactly the friction), capacity-limited re-routing, a zone whose
// exports are blocked, the price guard, and the buyers' reservation price.
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "lodestone/sim/internal/zone_clearing.hpp"

namespace lodestone::sim::internal {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kFloor = 1e-3;
constexpr double kCap = 1e3;

ZoneCurve market(double supply, double demand0, double elasticity) {
    ZoneCurve z;
    z.supply = supply;
    z.demand0 = demand0;
    z.elasticity = elasticity;
    z.import_capacity = kInf;
    z.export_capacity = kInf;
    return z;
}

TEST(ZoneClearing, BaselineStaysAtOne) {
    auto hub = market(100, 100, -0.3);
    hub.stock = hub.target0 = 800;
    hub.stock_elasticity = 2;
    hub.adjust_weeks = 26;
    auto zone = market(50, 50, -0.3);
    const std::vector<ZoneCurve> zones{hub, zone};
    const auto c = clear_zones(zones, kFloor, kCap);
    EXPECT_EQ(c.zones[0].price, 1.0);
    EXPECT_EQ(c.zones[1].price, 1.0);
    EXPECT_EQ(c.zones[1].net_export, 0.0);
    EXPECT_FALSE(c.capped);
}

TEST(ZoneClearing, ElasticDemandAlone) {
    // 100 p^-0.5 = 25  =>  p = 16.
    const std::vector<ZoneCurve> zones{market(25, 100, -0.5)};
    const auto c = clear_zones(zones, kFloor, kCap);
    EXPECT_NEAR(c.zones[0].price, 16.0, 1e-12);
    EXPECT_NEAR(c.zones[0].demand, 25.0, 1e-10);
}

TEST(ZoneClearing, StocksBufferAShortfall) {
    // Inelastic demand 10, supply 8, stock 40 at target 40/p over 10 weeks:
    // 8 - 10 - (40/p - 40)/10 = 0  =>  p = 2, releasing 2 t.
    auto z = market(8, 10, 0.0);
    z.stock = 40;
    z.target0 = 40;
    z.stock_elasticity = 1;
    z.adjust_weeks = 10;
    const std::vector<ZoneCurve> zones{z};
    const auto c = clear_zones(zones, kFloor, kCap);
    EXPECT_NEAR(c.zones[0].price, 2.0, 1e-12);
    EXPECT_NEAR(c.zones[0].stock_change, -2.0, 1e-10);
}

TEST(ZoneClearing, OpenArbitrageBoundsTheSpreadByTheFriction) {
    // A banned destination with no supply of its own buys through the hub at a 10 % markup:
    // 80/h + 20/(1.1 h) = 100  =>  h = (80 + 20/1.1)/100; its price is exactly 1.1 h.
    auto target = market(0, 20, -1);
    target.import_friction = 0.1;
    const std::vector<ZoneCurve> zones{market(100, 80, -1), target};
    const auto c = clear_zones(zones, kFloor, kCap);
    const double h = (80.0 + 20.0 / 1.1) / 100.0;
    EXPECT_NEAR(c.zones[0].price, h, 1e-12);
    EXPECT_NEAR(c.zones[1].price / c.zones[0].price, 1.1, 1e-12);
    EXPECT_NEAR(c.zones[1].net_export, -20.0 / (1.1 * h), 1e-9);
    EXPECT_NEAR(c.zones[0].net_export, 20.0 / (1.1 * h), 1e-9);
}

TEST(ZoneClearing, LimitedReroutingSetsItsOwnPrice) {
    // Only 10 t/week can be re-routed: 20/p = 10  =>  p = 2, above the hub's parity.
    auto target = market(0, 20, -1);
    target.import_capacity = 10;
    target.import_friction = 0.1;
    const std::vector<ZoneCurve> zones{market(100, 90, -1), target};
    const auto c = clear_zones(zones, kFloor, kCap);
    EXPECT_NEAR(c.zones[1].price, 2.0, 1e-12);
    EXPECT_NEAR(c.zones[1].net_export, -10.0, 1e-9);
    EXPECT_NEAR(c.zones[0].price, 1.0, 1e-12);  // 90/h = 90
}

TEST(ZoneClearing, BlockedExportsLowerTheInsidePrice) {
    // The restrictor keeps 50 t for a home demand of 25/p  =>  p = 0.5 inside; outside, the hub
    // clears on its own: 30/h = 20  =>  h = 1.5. Two tiers.
    auto inside = market(50, 25, -1);
    inside.export_capacity = 0;
    const std::vector<ZoneCurve> zones{market(20, 30, -1), inside};
    const auto c = clear_zones(zones, kFloor, kCap);
    EXPECT_NEAR(c.zones[1].price, 0.5, 1e-12);
    EXPECT_NEAR(c.zones[0].price, 1.5, 1e-12);
    EXPECT_EQ(c.zones[1].net_export, 0.0);
}

TEST(ZoneClearing, TheGuardFlagsRatherThanPrices) {
    // Nothing to sell, no stock and demand that does not yield: no price clears. The week is
    // flagged and the whole demand is reported unmet, with the balance closed.
    const std::vector<ZoneCurve> zones{market(0, 10, 0.0)};
    const auto c = clear_zones(zones, kFloor, kCap);
    EXPECT_TRUE(c.capped);
    EXPECT_EQ(c.zones[0].price, kCap);
    EXPECT_NEAR(c.zones[0].unmet, 10.0, 1e-12);
    EXPECT_NEAR(c.zones[0].stock_change, 0.0, 1e-12);
}

TEST(ZoneClearing, TheReservationTaperIsOneUpToBaselineAndZeroAtTheReservationPrice) {
    EXPECT_EQ(reservation_taper(200, 0.5), 1.0);
    EXPECT_EQ(reservation_taper(200, 1.0), 1.0);
    EXPECT_NEAR(reservation_taper(200, 100.5), 0.5, 1e-15);  // (200 - 100.5) / 199
    EXPECT_EQ(reservation_taper(200, 200), 0.0);
    EXPECT_EQ(reservation_taper(200, 900), 0.0);
    EXPECT_EQ(reservation_taper(kInf, 900), 1.0);
}

TEST(ZoneClearing, TheReservationPriceBoundsThePriceBelowTheGuard) {
    // Inelastic demand 100 tapered to 0 at 200x, supply 25: 100 (200 - p) / 199 = 25  =>  p =
    // 150.25.
    auto z = market(25, 100, 0.0);
    z.reservation = 200;
    std::vector<ZoneCurve> zones{z};
    auto c = clear_zones(zones, kFloor, kCap);
    EXPECT_NEAR(c.zones[0].price, 150.25, 1e-9);
    EXPECT_NEAR(c.zones[0].demand, 25.0, 1e-9);
    EXPECT_FALSE(c.capped);
    // Nothing to sell: buyers give up at the reservation price; the guard is not reached and the
    // whole reference demand is priced out rather than reported unmet at the guard.
    zones[0].supply = 0;
    c = clear_zones(zones, kFloor, kCap);
    EXPECT_NEAR(c.zones[0].price, 200.0, 1e-9);
    EXPECT_NEAR(c.zones[0].demand, 0.0, 1e-9);
    EXPECT_FALSE(c.capped);
}

TEST(ZoneClearing, TheReservationTaperAlsoLowersTheWantedStock) {
    // Inelastic demand 10, supply 8, stock 40 at a fixed target 40 (eta 0) over 10 weeks, both
    // tapered to 0 at 11x: 8 - (11 - p) - (4 (11 - p) - 40) / 10 = 0  =>  1.4 p = 3.4.
    auto z = market(8, 10, 0.0);
    z.stock = 40;
    z.target0 = 40;
    z.adjust_weeks = 10;
    z.reservation = 11;
    const std::vector<ZoneCurve> zones{z};
    const auto c = clear_zones(zones, kFloor, kCap);
    EXPECT_NEAR(c.zones[0].price, 3.4 / 1.4, 1e-9);
    EXPECT_NEAR(c.zones[0].demand, 10.0 * (11 - 3.4 / 1.4) / 10, 1e-9);
    EXPECT_NEAR(c.zones[0].stock_change, 8 - c.zones[0].demand, 1e-9);
}

TEST(ZoneClearing, ExcessIsIncreasingInPrice) {
    auto z = market(5, 10, -0.2);
    z.stock = 30;
    z.target0 = 50;
    z.stock_elasticity = 1.5;
    z.adjust_weeks = 8;
    double last = -kInf;
    for (double p = 0.01; p < 100; p *= 1.1) {
        const double e = zone_excess(z, p);
        EXPECT_GE(e, last);
        last = e;
    }
    z.reservation = 40;  // the taper keeps it so, through and beyond the reservation price
    last = -kInf;
    for (double p = 0.01; p < 100; p *= 1.1) {
        const double e = zone_excess(z, p);
        EXPECT_GE(e, last);
        last = e;
    }
}

}  // namespace
}  // namespace lodestone::sim::internal
