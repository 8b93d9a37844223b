// One run of the weekly market model: the measures' schedule, then per material and week, stage
// by stage (upstream first): capacity, production, contracted flows through the measures, strategic
// releases and purchases, the zone clearing, and the slow responses (demand, capacity); then the
// recorded series and the run's summaries. The model is described in docs/market_model.md.
#include <algorithm>
#include <cmath>
#include <string>

#include "lodestone/policy/timeline.hpp"
#include "lodestone/sim/internal/market_common.hpp"
#include "lodestone/sim/internal/zone_clearing.hpp"
#include "lodestone/sim/market.hpp"
#include "lodestone/sim/random.hpp"

namespace lodestone::sim {

using namespace internal;  // NOLINT: the model's own internals
using model::MeasureKind;

namespace {

/// A quota as the model applies it: tonnes per week, or a share of the covered baseline flows.
struct Quota {
    enum class Kind { None, TonnesPerWeek, ShareOfBaseline };
    Kind kind = Kind::None;
    double value = 0.0;
};

/// A rule's numbers for one week of one run.
struct RuleWeek {
    bool active = false;
    double alpha = 1.0;  ///< throughput of covered flows (ban 0, licensing ramp x approval rate)
    Quota quota;
    double tax = 0.0;    ///< price wedge on covered flows, fraction
};

/// Per-run numbers of the rules, [rule][week].
std::vector<std::vector<RuleWeek>> schedule(const Simulation& sim, const model::ScenarioSpec& drawn,
                                            const std::vector<model::Measure>& measures) {
    std::vector<std::vector<RuleWeek>> out(sim.rules.size(), std::vector<RuleWeek>(sim.week_dates.size()));
    for (std::size_t r = 0; r < sim.rules.size(); ++r) {
        const auto& rule = sim.rules[r];
        const auto& m = measures[rule.index];
        const bool relative = rule.treatment == Treatment::Relative;
        for (std::size_t t = 0; t < sim.week_dates.size(); ++t) {
            const Date d = sim.week_dates[t];
            auto& rw = out[r][t];
            rw.active = policy::status_on(m, measures, d) == policy::Status::InForce;
            if (!rw.active) {
                continue;
            }
            switch (rule.kind) {
                case MeasureKind::ExportBan: rw.alpha = relative && rule.old_approval <= 0.0 ? 1.0 : 0.0; break;
                case MeasureKind::ExportLicensing: {
                    const double rate = m.approval_rate.value_or(1.0);
                    if (relative) {
                        rw.alpha = rule.old_approval > 0 ? std::min(1.0, rate / rule.old_approval) : 1.0;
                    } else {
                        // Licences are granted over the lead time (processing times spread evenly
                        // over it), so licensed volume ramps up to the approval rate.
                        const double lead = m.lead_time_days.value_or(0.0);
                        const double days = m.effective ? days_between(*m.effective, d) : lead;
                        rw.alpha = rate * (lead > 0 ? std::clamp(days / lead, 0.0, 1.0) : 1.0);
                    }
                    break;
                }
                case MeasureKind::ExportQuota: {
                    const double q = m.quota_tonnes.value_or(kInf);
                    const auto* edit = edit_of(drawn, rule.id);
                    if (edit != nullptr && edit->quota_share) {
                        rw.quota = {Quota::Kind::ShareOfBaseline, edit->quota_share->value};
                    } else if (relative) {
                        if (rule.old_quota > 0) {
                            rw.quota = {Quota::Kind::ShareOfBaseline, std::min(1.0, q / rule.old_quota)};
                        }
                    } else if (std::isfinite(q)) {
                        rw.quota = {Quota::Kind::TonnesPerWeek, q / kWeeksPerYear};
                    }
                    break;
                }
                case MeasureKind::ExportTax:
                case MeasureKind::Tariff:
                    rw.tax = std::max(0.0, m.tax_rate.value_or(0.0) - (relative ? rule.old_tax : 0.0));
                    break;
                default: break;
            }
        }
    }
    return out;
}

/// Linear ramp from 0 at week `start` to 1 after `weeks`; 0 before start (start < 0: not started).
double ramp(int start, std::size_t t, double weeks) {
    if (start < 0 || static_cast<int>(t) < start) {
        return 0.0;
    }
    const double since = static_cast<double>(static_cast<int>(t) - start) + 1.0;
    return weeks <= 0 ? 1.0 : std::min(1.0, since / weeks);
}

/// Indices of one material's series in one region (Simulation::series), looked up once per run.
struct MaterialSeries {
    std::size_t shortfall_share, shortfall_t, price, inventory, stock;
    std::vector<std::size_t> stage_price;             ///< [stage]
    std::vector<std::size_t> inside, outside;         ///< [stage], WORLD only (else empty)
};
struct SectorSeries {
    std::size_t share, cost, pct;
};

class Runner {
public:
    Runner(const Simulation& sim, std::uint64_t seed, std::uint64_t run)
        : sim_(sim), rng_(run_stream(seed, run)), drawn_(draw_scenario(sim.spec, rng_)) {
        measures_ = scenario_measures(sim.world, drawn_);
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
            if (it != sim.sectors.end() && is_priority_[static_cast<std::size_t>(it - sim.sectors.begin())] == 0) {
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
                ms.price = sim.find_series(region, false, mm.id, Metric::PriceMultiple, mm.stages.back().id);
                ms.inventory = sim.find_series(region, false, mm.id, Metric::InventoryWeeks);
                ms.stock = sim.find_series(region, false, mm.id, Metric::StockTonnes);
                for (const auto& st : mm.stages) {
                    ms.stage_price.push_back(sim.find_series(region, false, mm.id, Metric::PriceMultiple, st.id));
                    if (r == 0) {
                        ms.inside.push_back(sim.find_series(region, false, mm.id, Metric::PriceInside, st.id));
                        ms.outside.push_back(sim.find_series(region, false, mm.id, Metric::PriceOutside, st.id));
                    }
                }
                material_series_.push_back(std::move(ms));
            }
            for (const auto& sector : sim.sectors) {
                sector_series_.push_back({sim.find_series(region, true, sector, Metric::ShortfallShare),
                                          sim.find_series(region, true, sector, Metric::CostUsd),
                                          sim.find_series(region, true, sector, Metric::CostPctOutput)});
            }
        }
    }

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

    double stock_tonnes(const internal::Stock& s) const {
        if (s.unconditional) {
            return 0.0;
        }
        return s.tonnes_param >= 0 ? drawn_.stockpiles[static_cast<std::size_t>(s.tonnes_param)].tonnes->value
                                   : s.tonnes;
    }

    void run_material(std::size_t mi);
    void record(std::size_t mi, std::size_t t, const std::vector<double>& price, const std::vector<double>& short_share,
                const std::vector<double>& price_add, const std::vector<double>& stock,
                const std::vector<double>& strategic, const std::vector<double>& purchased);
    void sector_series();
    void summaries();

    const Simulation& sim_;
    Rng rng_;
    model::ScenarioSpec drawn_;
    std::vector<model::Measure> measures_;
    std::vector<std::vector<RuleWeek>> rules_;
    std::size_t weeks_ = 0;
    RunResult result_;
    std::vector<MaterialSeries> material_series_;  ///< [region * materials + material]
    std::vector<SectorSeries> sector_series_;      ///< [region * sectors + sector]
    std::vector<double> sector_want_, sector_short_, sector_cost_, region_dprice_;
    std::vector<std::size_t> priority_order_;  ///< sector indices served first, in the scenario's order
    std::vector<std::uint8_t> is_priority_;    ///< [sector]
};

void Runner::run_material(std::size_t mi) {
    const auto& mm = sim_.models[mi];
    const MaterialParams par = resolve_params(drawn_, *sim_.world.find_material(mm.id));
    const std::size_t nz = mm.zones.size();
    const std::size_t ns = mm.stages.size();
    const std::size_t nl = nz * nz;
    const double cap_guard = sim_.price_cap_multiple;
    const double floor_guard = 1.0 / cap_guard;
    const double tau_sub = std::max(1.0, par.substitution_lag_months * kWeeksPerMonth);
    const double tau_cap = std::max(1.0, par.capacity_lag_months * kWeeksPerMonth / 3.0);  // 3 stages
    const double eps_s = par.elasticity_demand_short;
    const double eps_l = par.elasticity_demand_long;

    // State per (stage, zone).
    std::vector<double> stock(ns * nz), price(ns * nz, 1.0), slow(ns * nz, 0.0), lag1(ns * nz, 0.0),
        lag2(ns * nz, 0.0), lag3(ns * nz, 0.0), planned(ns * nz), cap0(ns * nz), growth(ns * nz, 0.0),
        cap(ns * nz), bought(ns * nz, 0.0);
    for (std::size_t i = 0; i < ns * nz; ++i) {
        const auto& zs = mm.zone_stage[i];
        stock[i] = par.inventory_weeks * zs.use0;
        planned[i] = zs.out0;
        cap0[i] = zs.cap_known + zs.out_unknown * (1.0 + par.spare_capacity);
    }
    std::vector<int> leak_start(ns * nl, -1), reroute_start(ns * nz, -1);

    // Strategic stocks and purchases.
    std::vector<double> strategic(mm.stocks.size()), release_rate(mm.stocks.size());
    for (std::size_t k = 0; k < mm.stocks.size(); ++k) {
        const auto& s = mm.stocks[k];
        strategic[k] = stock_tonnes(s);
        double weeks = s.release_weeks > 0 ? s.release_weeks : par.stockpile_release_weeks;
        if (s.release_param >= 0) {
            weeks = drawn_.stockpiles[static_cast<std::size_t>(s.release_param)].release_weeks->value;
        }
        release_rate[k] = strategic[k] / std::max(1.0, weeks);
        if (s.unconditional) {
            const auto& m = measures_[sim_.rules[s.rule].index];
            const double w = m.expires && m.effective ? (days_between(*m.effective, *m.expires) + 1) / 7.0
                                                      : par.stockpile_release_weeks;
            release_rate[k] = m.tonnes.value_or(0.0) / std::max(1.0, w);
        }
    }
    std::vector<double> purchased(mm.purchases.size(), 0.0), purchase_rate(mm.purchases.size(), 0.0);
    std::vector<std::pair<int, int>> purchase_window(mm.purchases.size());
    for (std::size_t k = 0; k < mm.purchases.size(); ++k) {
        const auto& rule = sim_.rules[mm.purchases[k].rule];
        const auto& m = measures_[rule.index];
        const auto* edit = edit_of(drawn_, rule.id);
        double weeks = par.purchase_weeks;
        if (edit != nullptr && edit->purchase_weeks) {
            weeks = edit->purchase_weeks->value;
        } else if (m.expires && m.effective) {
            weeks = (days_between(*m.effective, *m.expires) + 1) / 7.0;
        }
        const int count = std::max(1, static_cast<int>(std::lround(weeks)));
        purchase_rate[k] = m.tonnes.value_or(0.0) / count;
        const int first = m.effective ? first_week_from(sim_.spec.start, *m.effective) : 0;
        purchase_window[k] = {first, first + count};
    }

    // Precautionary buying: from the announcement of a restriction that takes effect later.
    std::vector<std::pair<int, int>> precaution;
    for (const auto r : mm.rules) {
        const auto& m = measures_[sim_.rules[r].index];
        if (!is_restriction(sim_.rules[r].kind) || !m.effective) {
            continue;
        }
        if (!m.announced || !(*m.announced < *m.effective)) {
            continue;  // no notice given: nothing to buy ahead of
        }
        const int w = first_week_from(sim_.spec.start, *m.announced);
        precaution.emplace_back(w, w + static_cast<int>(std::lround(par.precaution_weeks)));
    }

    // Temporaries.
    std::vector<double> q(nz), supply(nz), alpha(nl), tax(nl), taxed(nz), leak_in(nz), arrivals(nz), release(nz),
        purchase(nz), short_share(nz, 0.0), price_add(nz, 0.0);
    std::vector<std::uint8_t> restricted(nl);
    std::vector<ZoneCurve> curves(nz);

    for (std::size_t t = 0; t < weeks_; ++t) {
        const int day = sim_.week_dates[t].days();
        const int ti = static_cast<int>(t);
        const bool precautious = std::any_of(precaution.begin(), precaution.end(),
                                             [&](const auto& w) { return ti >= w.first && ti < w.second; });
        // Capacity of every stage this week: base, growth, projects, capacity changes.
        for (std::size_t i = 0; i < ns * nz; ++i) {
            cap[i] = cap0[i] + growth[i];
        }
        for (const auto& p : mm.projects) {
            double weight = p.status == "operating"      ? par.project_weight_operating
                            : p.status == "construction" ? par.project_weight_construction
                                                         : par.project_weight_announced;
            weight *= p.probability;
            const double ramped = day < p.start_day   ? 0.0
                                  : p.ramp_days <= 0 ? 1.0
                                                     : std::min(1.0, (day - p.start_day) / p.ramp_days);
            cap[p.stage * nz + mm.zone_of[p.country]] += weight * ramped * p.t_week;
        }
        for (const auto& c : mm.capacity_changes) {
            if (rules_[c.rule][t].active) {
                const auto& node = mm.nodes[c.node];
                const double tonnes = measures_[sim_.rules[c.rule].index].tonnes.value_or(0.0);
                auto& k = cap[node.stage * nz + mm.zone_of[node.country]];
                k = std::max(0.0, k + c.share * tonnes / kWeeksPerYear);
            }
        }
        double residual = 0.0;
        std::fill(short_share.begin(), short_share.end(), 0.0);
        std::fill(price_add.begin(), price_add.end(), 0.0);

        for (std::size_t s = 0; s < ns; ++s) {
            const bool final = mm.stages[s].final;
            const auto zi = [&](std::size_t z) { return s * nz + z; };
            // Production: the first stage runs to plan within capacity; later stages convert what
            // they bought of the previous stage this week.
            for (std::size_t z = 0; z < nz; ++z) {
                q[z] = s == 0 ? std::min(cap[zi(z)], planned[zi(z)])
                              : bought[(s - 1) * nz + z] * mm.zone_stage[zi(z)].conversion;
            }
            // Throughput of each link under the active measures.
            std::fill(alpha.begin(), alpha.end(), 1.0);
            std::fill(tax.begin(), tax.end(), 0.0);
            std::fill(restricted.begin(), restricted.end(), 0);
            for (std::size_t k = 0; k < mm.rules.size(); ++k) {
                const auto& rule = sim_.rules[mm.rules[k]];
                const auto& rw = rules_[mm.rules[k]][t];
                if (!rw.active) {
                    continue;
                }
                const double* share = &mm.rule_share[k][s * nl];
                const std::uint8_t* touch = &mm.rule_touch[k][s * nl];
                double a_rule = rw.alpha;
                if (rw.quota.kind == Quota::Kind::ShareOfBaseline) {
                    a_rule = std::min(1.0, rw.quota.value);
                } else if (rw.quota.kind == Quota::Kind::TonnesPerWeek) {
                    double total0 = 0.0;
                    for (const double e : rule.export0[mi]) {
                        total0 += e;
                    }
                    double covered = 0.0;
                    for (std::size_t a = 0; a < nz; ++a) {
                        const double out0 = mm.zone_stage[zi(a)].out0;
                        for (std::size_t b = 0; b < nz && out0 > 0; ++b) {
                            covered += share[a * nz + b] * q[a] * mm.flow0[s * nl + a * nz + b] / out0;
                        }
                    }
                    const double allowed = total0 > 0 ? rw.quota.value * rule.export0[mi][s] / total0 : kInf;
                    a_rule = covered > allowed ? allowed / covered : 1.0;
                }
                const double m_share = rule.military ? mm.defence_share : 1.0;
                for (std::size_t l = 0; l < nl; ++l) {
                    if (share[l] > 0) {
                        alpha[l] *= 1.0 - share[l] * m_share * (1.0 - a_rule);
                        tax[l] += share[l] * m_share * rw.tax;
                    }
                    if (touch[l] != 0 && a_rule < 1.0) {
                        restricted[l] = 1;
                    }
                }
            }
            // Contracted flows in the baseline pattern, through the measures; part of what is
            // blocked leaks (smuggling, relabelling) after a delay; the rest stays at home.
            std::copy(q.begin(), q.end(), supply.begin());
            std::fill(taxed.begin(), taxed.end(), 0.0);
            std::fill(leak_in.begin(), leak_in.end(), 0.0);
            std::fill(arrivals.begin(), arrivals.end(), 0.0);
            for (std::size_t a = 0; a < nz; ++a) {
                const double out0 = mm.zone_stage[zi(a)].out0;
                for (std::size_t b = 0; b < nz && out0 > 0; ++b) {
                    const std::size_t l = a * nz + b;
                    const double f0 = mm.flow0[s * nl + l];
                    if (a == b || f0 <= 0) {
                        continue;
                    }
                    if (alpha[l] < 1.0 && leak_start[s * nl + l] < 0) {
                        leak_start[s * nl + l] = ti;
                    }
                    const double intended = q[a] * f0 / out0;
                    const double shipped = intended * alpha[l];
                    const double leaked =
                        (intended - shipped) * par.leakage * ramp(leak_start[s * nl + l], t, par.leakage_delay_weeks);
                    supply[a] -= shipped + leaked;
                    supply[b] += shipped + leaked;
                    arrivals[b] += shipped + leaked;
                    taxed[b] += tax[l] * shipped;
                    leak_in[b] += leaked;
                }
            }
            for (std::size_t z = 1; z < nz; ++z) {
                bool hit = false;
                for (std::size_t a = 0; a < nz; ++a) {
                    hit = hit || (a != z && restricted[a * nz + z] != 0);
                }
                if (hit && reroute_start[zi(z)] < 0) {
                    reroute_start[zi(z)] = ti;
                }
            }
            // Strategic stocks release (by their rule, or while the price is high) and purchases
            // take their tonnes whatever the price.
            std::fill(release.begin(), release.end(), 0.0);
            std::fill(purchase.begin(), purchase.end(), 0.0);
            for (std::size_t k = 0; k < mm.stocks.size(); ++k) {
                const auto& sk = mm.stocks[k];
                const auto z = mm.stock_zone[k];
                if (sk.stage != s || sk.nodes.empty()) {
                    continue;
                }
                if (sk.unconditional) {
                    if (rules_[sk.rule][t].active) {
                        release[z] += release_rate[k];
                    }
                    continue;
                }
                if (price[zi(z)] >= par.stockpile_release_price) {
                    const double out = std::min(release_rate[k], strategic[k]);
                    release[z] += out;
                    strategic[k] -= out;
                }
            }
            for (std::size_t k = 0; k < mm.purchases.size(); ++k) {
                const auto& p = mm.purchases[k];
                if (p.stage != s || ti < purchase_window[k].first || ti >= purchase_window[k].second ||
                    !rules_[p.rule][t].active) {
                    continue;
                }
                for (std::size_t z = 0; z < nz; ++z) {
                    purchase[z] += mm.purchase_zone_share[k][z] * purchase_rate[k];
                }
                purchased[k] += purchase_rate[k];
            }
            // The zones' curves, then the clearing.
            for (std::size_t z = 0; z < nz; ++z) {
                const auto& zs = mm.zone_stage[zi(z)];
                auto& c = curves[z];
                c = ZoneCurve{};
                c.supply = supply[z] + release[z] - purchase[z];
                c.demand0 = zs.use0;
                if (!final) {  // processors buy the input of their planned output
                    const auto& next = mm.zone_stage[(s + 1) * nz + z];
                    c.demand0 = next.out0 > 0 ? zs.use0 * planned[(s + 1) * nz + z] / next.out0
                                              : planned[(s + 1) * nz + z] / next.conversion;
                    c.demand_cap = cap[(s + 1) * nz + z] / next.conversion;
                }
                c.demand_scale = std::exp((eps_l - eps_s) * slow[zi(z)]);
                c.elasticity = eps_s;
                c.stock = stock[zi(z)];
                const bool buyer = !mm.zones[z].imposer;
                c.target0 = par.inventory_weeks * zs.use0 * (precautious && buyer ? 1.0 + par.precaution_share : 1.0);
                c.stock_elasticity = par.stock_price_elasticity;
                c.reservation = par.reservation_price;
                c.adjust_weeks = std::max(1.0, par.restock_weeks);
                if (z == 0) {
                    continue;
                }
                double tariff_in = 0.0;
                for (std::size_t k = 0; k < mm.rules.size(); ++k) {
                    if (sim_.rules[mm.rules[k]].kind == MeasureKind::Tariff && rules_[mm.rules[k]][t].active &&
                        mm.rule_touch[k][s * nl + z] != 0) {
                        tariff_in += rules_[mm.rules[k]][t].tax;
                    }
                }
                if (mm.zones[z].target && reroute_start[zi(z)] >= 0) {
                    // Re-exports through third countries: a markup, and time to set up.
                    c.import_capacity = zs.use0 * ramp(reroute_start[zi(z)], t, par.reorder_delay_weeks);
                    c.import_friction = par.leakage_markup + tariff_in;
                } else {
                    c.import_capacity = kInf;
                    c.import_friction = par.arbitrage_friction + tariff_in;
                }
                c.export_capacity = restricted[z * nz] != 0 ? 0.0 : kInf;
                c.export_friction = par.arbitrage_friction + tax[z * nz];
            }
            const auto cleared = clear_zones(curves, floor_guard, cap_guard);
            if (cleared.capped) {
                if (result_.capped_weeks == 0) {
                    std::size_t worst = 0;
                    for (std::size_t z = 0; z < nz; ++z) {
                        worst = cleared.zones[z].price > cleared.zones[worst].price ? z : worst;
                    }
                    result_.capped_at = mm.id + "/" + mm.stages[s].id + "/" + mm.zones[worst].name + ", week " +
                                        std::to_string(t);
                }
                ++result_.capped_weeks;
            }
            double produced = 0.0;
            double used = 0.0;
            for (std::size_t z = 0; z < nz; ++z) {
                const auto& o = cleared.zones[z];
                const auto& zs = mm.zone_stage[zi(z)];
                produced += q[z] + release[z] - purchase[z];
                const double consumed = o.demand - o.unmet;
                used += consumed + o.stock_change;
                stock[zi(z)] = std::max(0.0, stock[zi(z)] + o.stock_change);
                price[zi(z)] = o.price;
                if (final) {
                    short_share[z] = zs.use0 > 0 ? std::max(0.0, zs.use0 - consumed) / zs.use0 : 0.0;
                    if (arrivals[z] > 0 && consumed > 0) {
                        price_add[z] = (taxed[z] + par.leakage_markup * leak_in[z]) / std::max(consumed, arrivals[z]);
                    }
                } else {
                    bought[zi(z)] = consumed;
                }
                // Slow responses: demand over the substitution lag, capacity after its lag.
                const double lp = std::log(o.price);
                slow[zi(z)] += (lp - slow[zi(z)]) / tau_sub;
                lag1[zi(z)] += (lp - lag1[zi(z)]) / tau_cap;
                lag2[zi(z)] += (lag1[zi(z)] - lag2[zi(z)]) / tau_cap;
                lag3[zi(z)] += (lag2[zi(z)] - lag3[zi(z)]) / tau_cap;
                growth[zi(z)] = cap0[zi(z)] * (std::exp(par.elasticity_supply_long * std::max(0.0, lag3[zi(z)])) - 1.0);
                const double added = std::max(0.0, cap[zi(z)] - cap0[zi(z)]);
                planned[zi(z)] =
                    std::min(cap[zi(z)], (zs.out0 + added) * std::pow(o.price, par.elasticity_supply_short));
            }
            const double scale = std::max({produced, used, 1e-300});
            residual = std::max(residual, std::fabs(produced - used) / scale);
        }
        result_.max_mass_residual = std::max(result_.max_mass_residual, residual);
        record(mi, t, price, short_share, price_add, stock, strategic, purchased);
    }
}

void Runner::record(std::size_t mi, std::size_t t, const std::vector<double>& price,
                    const std::vector<double>& short_share, const std::vector<double>& price_add,
                    const std::vector<double>& stock, const std::vector<double>& strategic,
                    const std::vector<double>& purchased) {
    const auto& mm = sim_.models[mi];
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
            const bool serves = std::any_of(mm.stocks[k].nodes.begin(), mm.stocks[k].nodes.end(),
                                            [&](std::uint32_t v) { return in[mm.nodes[v].country] != 0; });
            stock_t += serves ? strategic[k] : 0.0;
        }
        for (std::size_t k = 0; k < mm.purchases.size(); ++k) {
            const bool serves = std::any_of(mm.purchases[k].nodes.begin(), mm.purchases[k].nodes.end(),
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
                    pct += sim_.models[mi].intensity[k] / 1e9 * region_dprice_[(r * nm + mi) * weeks_ + t] * 100.0;
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
            case SummaryMetric::PeakShortfallShare: v = peak; break;
            case SummaryMetric::FirstShortfallWeek: v = first; break;
            case SummaryMetric::PeakPriceMultiple: v = price; break;
            case SummaryMetric::CumulativeShortfallTonnes: v = cum_t; break;
            case SummaryMetric::CumulativeCostUsd: v = cost; break;
            case SummaryMetric::PeakCostPctOutput: v = pct; break;
        }
        result_.summaries[j] = v;
    }
}

}  // namespace

RunResult simulate_run(const Simulation& sim, std::uint64_t seed, std::uint64_t run) {
    return Runner(sim, seed, run).run();
}

}  // namespace lodestone::sim
