#include "lodestone/sim/internal/zone_clearing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lodestone::sim::internal {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kBisections = 64;  // on log price over at most ~[1e-3, 1e3]: below 1e-15 relative

/// Scale of a zone's flows, for "equal to zero" tests.
double flow_scale(const ZoneCurve& z) {
    return std::max({std::fabs(z.supply), z.demand0 * z.demand_scale, z.stock / z.adjust_weeks,
                     z.target0 / z.adjust_weeks, 1e-300});
}

/// Smallest bracket search for f(p) = v with f non-decreasing: the root nearest to 1 in
/// [lo, hi]; lo or hi when there is none inside.
template <class F>
double solve_increasing(F f, double v, double lo, double hi, double tol) {
    const double at1 = f(1.0) - v;
    if (std::fabs(at1) <= tol) {
        return 1.0;
    }
    double a = 0.0;
    double b = 0.0;
    if (at1 < 0) {
        if (f(hi) - v < 0) {
            return hi;
        }
        a = 0.0;
        b = std::log(hi);
    } else {
        if (f(lo) - v > 0) {
            return lo;
        }
        a = std::log(lo);
        b = 0.0;
    }
    for (int i = 0; i < kBisections; ++i) {
        const double m = 0.5 * (a + b);
        if (f(std::exp(m)) - v < 0) {
            a = m;
        } else {
            b = m;
        }
    }
    return std::exp(0.5 * (a + b));
}

/// Books what is left of a zone's balance after trade: a deficit is unmet demand (only when no
/// price up to the cap clears, or rounding), a surplus goes to stock.
void close_balance(ZoneOutcome& o, double rest) {
    o.unmet = rest < 0 ? std::min(o.demand, -rest) : 0.0;
    o.stock_change += rest + o.unmet;
}

}  // namespace

double reservation_taper(double reservation, double p) {
    if (std::isinf(reservation)) {
        return 1.0;
    }
    return std::clamp((reservation - p) / (reservation - 1.0), 0.0, 1.0);
}

double zone_demand(const ZoneCurve& z, double p) {
    if (z.demand0 <= 0) {
        return 0.0;
    }
    const double d = z.demand0 * z.demand_scale *
                     (z.elasticity == 0.0 ? 1.0 : std::pow(p, z.elasticity)) *
                     reservation_taper(z.reservation, p);
    return z.demand_cap >= 0 ? std::min(d, z.demand_cap) : d;
}

double zone_stock_change(const ZoneCurve& z, double p) {
    const double target =
        (z.stock_elasticity == 0.0 ? z.target0 : z.target0 * std::pow(p, -z.stock_elasticity)) *
        reservation_taper(z.reservation, p);
    return std::max(-z.stock, (target - z.stock) / z.adjust_weeks);
}

double zone_excess(const ZoneCurve& z, double p) {
    return z.supply - zone_demand(z, p) - zone_stock_change(z, p);
}

Clearing clear_zones(std::span<const ZoneCurve> zones, double price_floor, double price_cap) {
    Clearing out;
    out.zones.resize(zones.size());
    if (zones.empty()) {
        return out;
    }
    // Per zone: the autarky price and the prices at which its arbitrage capacities bind; none of
    // them depends on the hub price.
    struct Bounds {
        double autarky = 1.0, import_bound = 0.0, export_bound = kInf;
    };
    std::vector<Bounds> bounds(zones.size());
    for (std::size_t k = 1; k < zones.size(); ++k) {
        const auto& z = zones[k];
        const double tol = 1e-13 * flow_scale(z);
        auto e = [&](double p) { return zone_excess(z, p); };
        auto& b = bounds[k];
        b.autarky = solve_increasing(e, 0.0, price_floor, price_cap, tol);
        b.import_bound = std::isfinite(z.import_capacity)
                             ? solve_increasing(e, -z.import_capacity, price_floor, price_cap, tol)
                             : 0.0;
        b.export_bound = std::isfinite(z.export_capacity)
                             ? solve_increasing(e, z.export_capacity, price_floor, price_cap, tol)
                             : kInf;
    }
    // A zone's price and arbitrage exports for a hub price h.
    auto zone_at = [&](std::size_t k, double h) {
        const auto& z = zones[k];
        const auto& b = bounds[k];
        double upper = kInf;
        if (z.import_capacity > 0) {
            upper = std::max(h * (1.0 + z.import_friction), b.import_bound);
        }
        const double lower =
            z.export_capacity > 0 ? std::min(h / (1.0 + z.export_friction), b.export_bound) : 0.0;
        return std::min(price_cap, std::clamp(b.autarky, lower, std::max(lower, upper)));
    };
    auto arbitrage = [&](std::size_t k, double p) {
        return std::clamp(zone_excess(zones[k], p), -zones[k].import_capacity,
                          zones[k].export_capacity);
    };
    auto hub_excess = [&](double h) {
        double e = zone_excess(zones[0], h);
        for (std::size_t k = 1; k < zones.size(); ++k) {
            e += arbitrage(k, zone_at(k, h));
        }
        return e;
    };
    double scale = 0.0;
    for (const auto& z : zones) {
        scale += flow_scale(z);
    }
    const double hub = solve_increasing(hub_excess, 0.0, price_floor, price_cap, 1e-13 * scale);

    double traded = 0.0;  // arbitrage exports of the zones into the hub
    for (std::size_t k = 1; k < zones.size(); ++k) {
        const auto& z = zones[k];
        auto& o = out.zones[k];
        o.price = zone_at(k, hub);
        o.demand = zone_demand(z, o.price);
        o.stock_change = zone_stock_change(z, o.price);
        const double e = z.supply - o.demand - o.stock_change;
        o.net_export = std::clamp(e, -z.import_capacity, z.export_capacity);
        close_balance(o, e - o.net_export);
        traded += o.net_export;
        out.capped = out.capped || o.price >= price_cap;
    }
    auto& h = out.zones[0];
    h.price = hub;
    h.demand = zone_demand(zones[0], hub);
    h.stock_change = zone_stock_change(zones[0], hub);
    h.net_export = -traded;
    // Whatever the root leaves over (rounding, or no root below the cap) closes the hub's balance.
    close_balance(h, zones[0].supply + traded - h.demand - h.stock_change);
    out.capped = out.capped || hub >= price_cap;
    return out;
}

}  // namespace lodestone::sim::internal
