// One run of the weekly market model: the run's draws and the measures' schedule
// (internal/rule_schedule.hpp), each material's markets week by week (internal/material_week.hpp),
// and what is recorded of them: the series per region, material and sector, and the run's
// summaries. The model is described in docs/market_model.md.
#include <algorithm>
#include <cmath>
#include <string>

#include "lodestone/sim/internal/market_common.hpp"
#include "lodestone/sim/internal/material_week.hpp"
#include "lodestone/sim/internal/rule_schedule.hpp"
#include "lodestone/sim/market.hpp"
#include "lodestone/sim/random.hpp"

namespace lodestone::sim {

using namespace internal;  // NOLINT: the model's own internals
namespace {

/// Indices of one material's series in one region (Simulation::series), looked up once per run.
struct MaterialSeries {
    std::size_t shortfall_share, shortfall_t, price, inventory, stock;
    std::vector<std::size_t> stage_price;      ///< [stage]
    std::vector<std::size_t> inside, outside;  ///< [stage], WORLD only (else empty)
};
struct SectorSeries {
    std::size_t share, cost, pct;
};

class Runner {
public:
    Runner(const Simulation& sim, std::uint64_t seed, std::uint64_t run)
        : sim_(sim),
          rng_(run_stream(seed, run)),
          drawn_(draw_scenario(sim.spec, rng_)),
          inputs_{sim, drawn_, measures_, rules_} {
        measures_ = scenario_measures(*sim.world, drawn_);
        weeks_ = sim.week_dates.size();
        result_.values.assign(sim.series.size() * weeks_, 0.0);
        result_.summaries.assign(sim.summaries.size(), 0.0);
        for (const auto& site : param_sites(drawn_)) {
            result_.draws.push_back({site.path, site.dist.value});
        }
        rules_ = schedule(sim, drawn_, measures_);
        is_priority_.assign(sim.sectors.size(), 0);
        for (const auto& id : sim.spec.priority_sectors) {  // sector indices, once per run
            const auto it = std::find(sim.sectors.begin(), sim.sectors.end(), id);
            if (it != sim.sectors.end() &&
                is_priority_[static_cast<std::size_t>(it - sim.sectors.begin())] == 0) {
                const auto k = static_cast<std::size_t>(it - sim.sectors.begin());
                priority_order_.push_back(k);
                is_priority_[k] = 1;
            }
        }
        const std::size_t nr = sim.regions.size();
        const std::size_t nm = sim.models.size();
        const std::size_t ns = sim.sectors.size();
        sector_want_.assign(nr * nm * ns * weeks_, 0.0);
        sector_short_.assign(nr * nm * ns * weeks_, 0.0);
        sector_cost_.assign(nr * nm * ns * weeks_, 0.0);
        region_dprice_.assign(nr * nm * weeks_, 0.0);
        for (std::size_t r = 0; r < nr; ++r) {
            const auto& region = sim.regions[r];
            for (const auto& mm : sim.models) {
                MaterialSeries ms{};
                ms.shortfall_share = sim.find_series(region, false, mm.id, Metric::ShortfallShare);
                ms.shortfall_t = sim.find_series(region, false, mm.id, Metric::ShortfallTonnes);
                ms.price = sim.find_series(region, false, mm.id, Metric::PriceMultiple,
                                           mm.stages.back().id);
                ms.inventory = sim.find_series(region, false, mm.id, Metric::InventoryWeeks);
                ms.stock = sim.find_series(region, false, mm.id, Metric::StockTonnes);
                for (const auto& st : mm.stages) {
                    ms.stage_price.push_back(
                        sim.find_series(region, false, mm.id, Metric::PriceMultiple, st.id));
                    if (r == 0) {
                        ms.inside.push_back(
                            sim.find_series(region, false, mm.id, Metric::PriceInside, st.id));
                        ms.outside.push_back(
                            sim.find_series(region, false, mm.id, Metric::PriceOutside, st.id));
                    }
                }
                material_series_.push_back(std::move(ms));
            }
            for (const auto& sector : sim.sectors) {
                sector_series_.push_back(
                    {sim.find_series(region, true, sector, Metric::ShortfallShare),
                     sim.find_series(region, true, sector, Metric::CostUsd),
                     sim.find_series(region, true, sector, Metric::CostPctOutput)});
            }
        }
    }

    Runner(const Runner&) = delete;  // inputs_ refers to this object's members
    Runner& operator=(const Runner&) = delete;

    RunResult run() {
        for (std::size_t mi = 0; mi < sim_.models.size(); ++mi) {
            run_material(mi);
        }
        sector_series();
        summaries();
        return std::move(result_);
    }

private:
    void set(std::size_t series, std::size_t week, double v) {
        if (series < sim_.series.size()) {
            result_.values[series * weeks_ + week] = v;
        }
    }
    [[nodiscard]] double get(std::size_t series, std::size_t week) const {
        return series < sim_.series.size() ? result_.values[series * weeks_ + week] : 0.0;
    }
    std::size_t sector_slot(std::size_t r, std::size_t mi, std::size_t k, std::size_t t) const {
        return ((r * sim_.models.size() + mi) * sim_.sectors.size() + k) * weeks_ + t;
    }
    const MaterialSeries& mseries(std::size_t r, std::size_t mi) const {
        return material_series_[r * sim_.models.size() + mi];
    }

    void run_material(std::size_t mi);
    void record(std::size_t mi, std::size_t t, const MaterialWeek& market);
    void sector_series();
    void summaries();

    const Simulation& sim_;
    Rng rng_;
    model::ScenarioSpec drawn_;
    std::vector<model::Measure> measures_;
    RuleSchedule rules_;
    RunInputs inputs_;
    std::size_t weeks_ = 0;
    RunResult result_;
    std::vector<MaterialSeries> material_series_;  ///< [region * materials + material]
    std::vector<SectorSeries> sector_series_;      ///< [region * sectors + sector]
    std::vector<double> sector_want_, sector_short_, sector_cost_, region_dprice_;
    std::vector<std::size_t>
        priority_order_;  ///< sector indices served first, in the scenario's order
    std::vector<std::uint8_t> is_priority_;  ///< [sector]
};

void Runner::run_material(std::size_t mi) {
    const auto& mm = sim_.models[mi];
    MaterialWeek market(inputs_, mi, resolve_params(drawn_, *sim_.world->find_material(mm.id)));
    for (std::size_t t = 0; t < weeks_; ++t) {
        market.step(t, result_);
        record(mi, t, market);
    }
}

void Runner::record(std::size_t mi, std::size_t t, const MaterialWeek& market) {
    const auto& mm = sim_.models[mi];
    const auto& price = market.price();
    const auto& stock = market.stock();
    const auto& short_share = market.short_share();
    const auto& price_add = market.price_add();
    const auto& strategic = market.strategic();
    const auto& purchased = market.purchased();
    const std::size_t nz = mm.zones.size();
    const std::size_t ns = mm.stages.size();
    const std::size_t nsec = sim_.sectors.size();
    const auto final_stage = static_cast<std::uint32_t>(ns - 1);
    std::vector<double> sector_want(nsec), got(nsec);
    for (std::size_t r = 0; r < sim_.regions.size(); ++r) {
        const auto& in = sim_.region_members[r];
        const auto& ms = mseries(r, mi);
        double short_t = 0.0, use_t = 0.0, inv_t = 0.0, use_all = 0.0, dp = 0.0;
        std::vector<double> pw(ns, 0.0), ww(ns, 0.0);
        for (const auto& node : mm.nodes) {
            if (in[node.country] == 0) {
                continue;
            }
            const auto z = mm.zone_of[node.country];
            const auto& zs = mm.zone_stage[node.stage * nz + z];
            const double weight = node.use0 > 0 ? node.use0 : node.out0;
            pw[node.stage] += weight * price[node.stage * nz + z];
            ww[node.stage] += weight;
            if (zs.use0 > 0) {
                inv_t += stock[node.stage * nz + z] * node.use0 / zs.use0;
            }
            use_all += node.use0;
            if (node.stage != final_stage) {
                continue;
            }
            const double want = node.use0;
            const double short_v = want * short_share[z];
            short_t += short_v;
            use_t += want;
            const double peff = price[final_stage * nz + z] * (1.0 + price_add[z]);
            dp += want * (peff - 1.0) * mm.p0;
            // Sectors: priority sectors first, or pro rata.
            double total_demand = 0.0;
            for (const auto& [k, d] : node.demand) {
                total_demand += d;
            }
            if (total_demand <= 0) {
                continue;
            }
            std::fill(sector_want.begin(), sector_want.end(), 0.0);
            std::fill(got.begin(), got.end(), 0.0);
            for (const auto& [k, d] : node.demand) {
                sector_want[k] += d / total_demand * want;
            }
            const double have = want - short_v;
            if (sim_.spec.sector_priority) {
                double left = have;
                double rest = 0.0;
                for (const auto k : priority_order_) {
                    got[k] = std::min(sector_want[k], left);
                    left -= got[k];
                }
                for (std::size_t k = 0; k < nsec; ++k) {
                    rest += is_priority_[k] == 0 ? sector_want[k] : 0.0;
                }
                for (std::size_t k = 0; k < nsec; ++k) {
                    if (is_priority_[k] == 0 && rest > 0) {
                        got[k] = sector_want[k] * std::min(1.0, std::max(0.0, left) / rest);
                    }
                }
            } else {
                const double f = want > 0 ? have / want : 1.0;
                for (std::size_t k = 0; k < nsec; ++k) {
                    got[k] = sector_want[k] * f;
                }
            }
            for (std::size_t k = 0; k < nsec; ++k) {
                if (sector_want[k] > 0) {
                    const std::size_t slot = sector_slot(r, mi, k, t);
                    sector_want_[slot] += sector_want[k];
                    sector_short_[slot] += sector_want[k] - got[k];
                    sector_cost_[slot] += (peff - 1.0) * mm.p0 * got[k];
                }
            }
        }
        double stock_t = 0.0;
        for (std::size_t k = 0; k < mm.stocks.size(); ++k) {
            const bool serves =
                std::any_of(mm.stocks[k].nodes.begin(), mm.stocks[k].nodes.end(),
                            [&](std::uint32_t v) { return in[mm.nodes[v].country] != 0; });
            stock_t += serves ? strategic[k] : 0.0;
        }
        for (std::size_t k = 0; k < mm.purchases.size(); ++k) {
            const bool serves =
                std::any_of(mm.purchases[k].nodes.begin(), mm.purchases[k].nodes.end(),
                            [&](const auto& vs) { return in[mm.nodes[vs.first].country] != 0; });
            stock_t += serves ? purchased[k] : 0.0;
        }
        const auto hub_price = [&](std::size_t s) { return price[s * nz]; };
        set(ms.shortfall_share, t, use_t > 0 ? short_t / use_t : 0.0);
        set(ms.shortfall_t, t, short_t);
        set(ms.inventory, t, use_all > 0 ? inv_t / use_all : 0.0);
        set(ms.stock, t, stock_t);
        for (std::size_t s = 0; s < ns; ++s) {
            set(ms.stage_price[s], t, ww[s] > 0 ? pw[s] / ww[s] : hub_price(s));
        }
        region_dprice_[(r * sim_.models.size() + mi) * weeks_ + t] = use_t > 0 ? dp / use_t : 0.0;
        if (ms.inside.empty()) {
            continue;
        }
        for (std::size_t s = 0; s < ns; ++s) {  // the two tiers
            double in_p = 0.0, in_w = 0.0, out_p = 0.0, out_w = 0.0;
            for (std::size_t z = 0; z < nz; ++z) {
                const auto& zs = mm.zone_stage[s * nz + z];
                const double w = zs.use0 + zs.out0;
                (mm.zones[z].imposer ? in_p : out_p) += w * price[s * nz + z];
                (mm.zones[z].imposer ? in_w : out_w) += w;
            }
            set(ms.inside[s], t, in_w > 0 ? in_p / in_w : hub_price(s));
            set(ms.outside[s], t, out_w > 0 ? out_p / out_w : hub_price(s));
        }
    }
}

void Runner::sector_series() {
    const std::size_t nm = sim_.models.size();
    const std::size_t nsec = sim_.sectors.size();
    for (std::size_t r = 0; r < sim_.regions.size(); ++r) {
        for (std::size_t k = 0; k < nsec; ++k) {
            const auto& ss = sector_series_[r * nsec + k];
            for (std::size_t t = 0; t < weeks_; ++t) {
                double share = 0.0, cost = 0.0, pct = 0.0;
                for (std::size_t mi = 0; mi < nm; ++mi) {
                    const std::size_t slot = sector_slot(r, mi, k, t);
                    if (sector_want_[slot] > 0) {  // Leontief: the scarcest material binds
                        share = std::max(share, sector_short_[slot] / sector_want_[slot]);
                    }
                    cost += sector_cost_[slot];
                    pct += sim_.models[mi].intensity[k] / 1e9 *
                           region_dprice_[(r * nm + mi) * weeks_ + t] * 100.0;
                }
                set(ss.share, t, share);
                set(ss.cost, t, cost);
                set(ss.pct, t, pct);
            }
        }
    }
}

void Runner::summaries() {
    for (std::size_t j = 0; j < sim_.summaries.size(); ++j) {
        const auto& info = sim_.summaries[j];
        std::size_t r = 0;
        while (sim_.regions[r] != info.region) {
            ++r;
        }
        double peak = 0.0, first = kInf, price = 1.0, cum_t = 0.0, cost = 0.0, pct = 0.0;
        if (!info.sector) {
            std::size_t mi = 0;
            while (sim_.models[mi].id != info.group) {
                ++mi;
            }
            const auto& ms = mseries(r, mi);
            for (std::size_t t = 0; t < weeks_; ++t) {
                const double sh = get(ms.shortfall_share, t);
                peak = std::max(peak, sh);
                if (sh > kShortfallThreshold && !std::isfinite(first)) {
                    first = static_cast<double>(t);
                }
                price = std::max(price, get(ms.price, t));
                cum_t += get(ms.shortfall_t, t);
                for (std::size_t k = 0; k < sim_.sectors.size(); ++k) {
                    cost += sector_cost_[sector_slot(r, mi, k, t)];
                }
            }
        } else {
            std::size_t k = 0;
            while (sim_.sectors[k] != info.group) {
                ++k;
            }
            const auto& ss = sector_series_[r * sim_.sectors.size() + k];
            for (std::size_t t = 0; t < weeks_; ++t) {
                const double sh = get(ss.share, t);
                peak = std::max(peak, sh);
                if (sh > kShortfallThreshold && !std::isfinite(first)) {
                    first = static_cast<double>(t);
                }
                cost += get(ss.cost, t);
                pct = std::max(pct, get(ss.pct, t));
            }
        }
        double v = 0.0;
        switch (info.metric) {
            case SummaryMetric::PeakShortfallShare:
                v = peak;
                break;
            case SummaryMetric::FirstShortfallWeek:
                v = first;
                break;
            case SummaryMetric::PeakPriceMultiple:
                v = price;
                break;
            case SummaryMetric::CumulativeShortfallTonnes:
                v = cum_t;
                break;
            case SummaryMetric::CumulativeCostUsd:
                v = cost;
                break;
            case SummaryMetric::PeakCostPctOutput:
                v = pct;
                break;
        }
        result_.summaries[j] = v;
    }
}

}  // namespace

RunResult simulate_run(const Simulation& sim, std::uint64_t seed, std::uint64_t run) {
    return Runner(sim, seed, run).run();
}

}  // namespace lodestone::sim
