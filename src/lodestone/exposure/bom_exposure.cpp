// lodestone/exposure/bom_exposure.cpp: a scenario's effect on the products of a BOM (see header).
#include "lodestone/exposure/bom_exposure.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "lodestone/core/text.hpp"
#include "lodestone/exposure/lookthrough_report.hpp"
#include "lodestone/network/lookthrough.hpp"
#include "lodestone/sim/market.hpp"
#include "lodestone/sim/run_paths.hpp"

namespace lodestone::exposure {

namespace {

constexpr double kFull = 1.0 - 1e-9;

double quantile7(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) {
        return 0.0;
    }
    const double h = (static_cast<double>(sorted.size()) - 1.0) * q;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const auto hi = std::min(lo + 1, sorted.size() - 1);
    if (std::isinf(sorted[lo]) || std::isinf(sorted[hi])) {
        return h - static_cast<double>(lo) > 0 ? sorted[hi] : sorted[lo];
    }
    return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

Band band_of(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    Band b;
    b.p5 = quantile7(v, 0.05);
    b.p50 = quantile7(v, 0.5);
    b.p95 = quantile7(v, 0.95);
    double sum = 0;
    for (const double x : v) {
        sum += x;
    }
    b.mean = v.empty() ? 0.0 : sum / static_cast<double>(v.size());
    return b;
}

LineOutcome run_line(const std::vector<std::vector<double>>& supply, double cover_weeks) {
    LineOutcome out;
    if (supply.empty()) {
        return out;
    }
    const std::size_t weeks = supply.front().size();
    std::vector<double> inv(supply.size(), cover_weeks);  // in weeks of need
    for (std::size_t t = 0; t < weeks; ++t) {
        double f = 1.0;
        int scarcest = -1;
        for (std::size_t m = 0; m < supply.size(); ++m) {
            const double available = inv[m] + std::clamp(supply[m][t], 0.0, 1.0);
            if (available < f) {
                f = available;
                scarcest = static_cast<int>(m);
            }
        }
        for (std::size_t m = 0; m < supply.size(); ++m) {
            inv[m] = std::min(cover_weeks, inv[m] + std::clamp(supply[m][t], 0.0, 1.0) - f);
        }
        if (f < kFull) {
            if (std::isinf(out.stockout_week)) {
                out.stockout_week = static_cast<double>(t);
                out.first_out = scarcest;
            }
            out.lost_weeks += 1.0 - f;
        }
    }
    return out;
}

ExposureReport bom_exposure(const model::World& world,
                            const io::Bom& bom,
                            const model::ScenarioSpec& spec_in,
                            const ExposureOptions& opt) {
    ExposureReport rep;
    rep.pass_through = opt.pass_through;
    auto spec = spec_in;
    // The product's own cover replaces the market's buyer inventories (no double count).
    spec.params.inventory_weeks = model::Distribution::fixed(0.0);
    for (auto& [id, mp] : spec.material_params) {
        mp.inventory_weeks.reset();
    }
    for (const auto& p : bom.products) {
        if (!p.country.empty() &&
            std::find(spec.regions.begin(), spec.regions.end(), p.country) == spec.regions.end()) {
            spec.regions.push_back(p.country);
        }
    }
    const auto sim = sim::compile_simulation(world, spec);
    rep.scenario = spec.name;
    rep.scenario_file = spec.file;
    rep.weeks = sim.horizon_weeks;
    rep.notes.emplace_back(
        "the products' inventory cover replaces the scenario's buyer inventories (inventory_weeks "
        "= 0 "
        "in these runs), so that stock is not counted twice");

    // Materials of each product, in BOM order.
    struct Item {
        std::string material;
        double kg = 0;
    };
    std::map<std::string, std::vector<Item>> items;
    for (const auto& l : bom.lines) {
        if (l.material.empty()) {
            continue;
        }
        auto& v = items[l.product];
        auto it = std::find_if(v.begin(), v.end(),
                               [&](const Item& i) { return i.material == l.material; });
        if (it == v.end()) {
            v.push_back({l.material, 0.0});
            it = v.end() - 1;
        }
        it->kg += l.kg_per_unit;
    }
    // Series: ShortfallShare and PriceMultiple of every (region, material).
    std::vector<sim::SeriesKey> keys;
    std::map<std::pair<std::string, std::string>, std::size_t> key_of;
    auto region_of = [&](const io::BomProduct& p) {
        return p.country.empty() ? std::string("WORLD") : p.country;
    };
    for (const auto& p : bom.products) {
        for (const auto& i : items[p.id]) {
            const auto k = std::make_pair(region_of(p), i.material);
            if (key_of.count(k) == 0) {
                key_of[k] = keys.size();
                keys.push_back({k.first, false, k.second, sim::Metric::ShortfallShare});
                keys.push_back({k.first, false, k.second, sim::Metric::PriceMultiple});
            }
        }
    }
    sim::PathOptions po;
    po.runs = opt.runs;
    po.threads = opt.threads;
    po.progress = opt.progress;
    po.cancel = opt.cancel;
    const auto paths = sim::run_paths(sim, keys, po);
    rep.seed = paths.seed;
    rep.runs = paths.runs;
    rep.cancelled = paths.cancelled;
    const std::size_t weeks = paths.weeks;

    const network::LookThrough lt(sim.net);
    const auto origins = bom_lookthrough(*sim.world, lt, bom, spec.start);

    for (const auto& p : bom.products) {
        ProductExposure pe;
        pe.product = p.id;
        pe.region = region_of(p);
        if (p.country.empty()) {
            pe.notes.emplace_back(
                "no product country in the BOM: the world market's shortfall and prices are used");
        }
        pe.cover_weeks = p.inventory_weeks.value_or(opt.default_cover_weeks);
        pe.cover_basis = p.inventory_weeks
                             ? "BOM inventory_weeks"
                             : "ASSUMPTION: default " +
                                   std::to_string(static_cast<int>(opt.default_cover_weeks)) +
                                   " weeks (no inventory_weeks in the BOM)";
        pe.units_per_year = p.units_per_year;
        pe.unit_price_usd = p.unit_price_usd;
        const auto& its = items[p.id];
        std::vector<std::vector<double>> supply(its.size(), std::vector<double>(weeks, 1.0));
        std::vector<double> stockout, lost, cost_after, first_counts(its.size(), 0.0);
        std::vector<std::vector<double>> mat_cost(its.size());
        for (const auto& i : its) {
            MaterialExposure me;
            me.material = i.material;
            me.kg_per_unit = i.kg;
            const auto* mat = sim.world->find_material(i.material);
            me.price_usd_t = mat != nullptr ? mat->price_usd_t : std::nullopt;
            me.simulated = std::find(sim.materials.begin(), sim.materials.end(), i.material) !=
                           sim.materials.end();
            me.cost_before_usd = me.price_usd_t ? i.kg / 1000.0 * *me.price_usd_t : 0.0;
            if (!me.price_usd_t) {
                pe.notes.push_back(i.material +
                                   ": no price in materials.csv, left out of the cost per unit");
            }
            if (!me.simulated) {
                pe.notes.push_back(
                    i.material +
                    ": not simulated by the scenario: full supply at the baseline price");
            }
            pe.cost_before_usd += me.cost_before_usd;
            pe.materials.push_back(std::move(me));
        }
        for (std::size_t w = 0; w < paths.runs; ++w) {
            double cost = 0;
            for (std::size_t m = 0; m < its.size(); ++m) {
                const std::size_t k = key_of[{pe.region, its[m].material}];
                double mult_sum = 0;
                for (std::size_t t = 0; t < weeks; ++t) {
                    const double s = paths.found[k] ? paths.values[k][w * weeks + t] : 0.0;
                    supply[m][t] = 1.0 - (std::isfinite(s) ? std::clamp(s, 0.0, 1.0) : 0.0);
                    const double mult =
                        paths.found[k + 1] ? paths.values[k + 1][w * weeks + t] : 1.0;
                    mult_sum += std::isfinite(mult) && mult > 0 ? mult : 1.0;
                }
                const double c = pe.materials[m].cost_before_usd *
                                 (weeks > 0 ? mult_sum / static_cast<double>(weeks) : 1.0);
                mat_cost[m].push_back(c);
                cost += c;
            }
            const auto line = run_line(supply, pe.cover_weeks);
            stockout.push_back(line.stockout_week);
            lost.push_back(line.lost_weeks);
            if (line.first_out >= 0) {
                first_counts[static_cast<std::size_t>(line.first_out)] += 1;
            }
            cost_after.push_back(cost);
        }
        const double n = static_cast<double>(std::max<std::size_t>(1, paths.runs));
        pe.p_stockout =
            static_cast<double>(std::count_if(stockout.begin(), stockout.end(),
                                              [](double v) { return std::isfinite(v); })) /
            n;
        pe.stockout_week = band_of(stockout);
        pe.lost_weeks = band_of(lost);
        if (p.units_per_year) {
            std::vector<double> units;
            units.reserve(lost.size());
            for (const double l : lost) {
                units.push_back(l * *p.units_per_year / 52.0);
            }
            pe.lost_units = band_of(units);
        }
        pe.cost_after_usd = band_of(cost_after);
        std::vector<double> change, margin;
        for (const double c : cost_after) {
            change.push_back(c - pe.cost_before_usd);
            if (p.unit_price_usd && *p.unit_price_usd > 0) {
                margin.push_back(-100.0 * (c - pe.cost_before_usd) * (1.0 - opt.pass_through) /
                                 *p.unit_price_usd);
            }
        }
        pe.cost_change_usd = band_of(change);
        if (!margin.empty()) {
            pe.margin_change_pp = band_of(margin);
        } else {
            pe.notes.emplace_back("no unit_price_usd: margin impact not computed");
        }
        // Drivers: the material that stops the line first most often, else the largest Δcost.
        std::size_t driver = 0;
        double best = -1;
        bool by_stockout = false;
        for (std::size_t m = 0; m < its.size(); ++m) {
            pe.materials[m].first_to_run_out = first_counts[m] / n;
            pe.materials[m].cost_after_usd = band_of(mat_cost[m]);
            if (first_counts[m] > 0 && first_counts[m] > best) {
                best = first_counts[m];
                driver = m;
                by_stockout = true;
            }
        }
        if (!by_stockout) {
            for (std::size_t m = 0; m < its.size(); ++m) {
                const double d =
                    pe.materials[m].cost_after_usd.mean - pe.materials[m].cost_before_usd;
                if (d > best) {
                    best = d;
                    driver = m;
                }
            }
        }
        for (auto& me : pe.materials) {
            for (const auto& pm : origins) {
                if (pm.product != p.id || pm.material != me.material) {
                    continue;
                }
                const StageOrigin* worst = nullptr;
                for (const auto& o : pm.origins) {
                    if (!o.countries.empty() && (worst == nullptr || o.hhi > worst->hhi)) {
                        worst = &o;
                    }
                }
                if (worst != nullptr) {
                    me.top_stage = worst->stage;
                    me.top_country = worst->countries.front().country;
                    me.top_share = worst->countries.front().share;
                    me.measures = worst->countries.front().measures;
                }
            }
        }
        if (!its.empty()) {
            const auto& dm = pe.materials[driver];
            pe.driver_material = dm.material;
            pe.driver_country = dm.top_country;
            pe.driver_basis =
                (by_stockout ? "runs out first in " +
                                   std::to_string(
                                       static_cast<int>(std::lround(100 * dm.first_to_run_out))) +
                                   "% of runs"
                             : std::string("largest cost increase per unit")) +
                (dm.top_country.empty()
                     ? std::string()
                     : "; " + dm.top_country + " holds " +
                           std::to_string(static_cast<int>(std::lround(100 * dm.top_share))) +
                           "% of its " + dm.top_stage + " origin (look-through)");
        }
        rep.products.push_back(std::move(pe));
    }
    for (const auto& note : sim.notes) {
        rep.notes.push_back(note);
    }
    return rep;
}

}  // namespace lodestone::exposure
