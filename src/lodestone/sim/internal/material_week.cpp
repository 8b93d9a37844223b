#include "lodestone/sim/internal/material_week.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "lodestone/sim/internal/market_common.hpp"

namespace lodestone::sim::internal {

using model::MeasureKind;

double ramp(int start, std::size_t t, double weeks) {
    if (start < 0 || static_cast<int>(t) < start) {
        return 0.0;
    }
    const double since = static_cast<double>(static_cast<int>(t) - start) + 1.0;
    return weeks <= 0 ? 1.0 : std::min(1.0, since / weeks);
}

namespace {

/// The throughput a quota in tonnes per week leaves on the flows it covers: the allowed tonnes
/// (this stage's part of the quota, by baseline exports) over what the covered links would carry.
double quota_throughput(const Rule& rule,
                        const MaterialModel& mm,
                        std::size_t mi,
                        std::size_t s,
                        std::span<const double> q,
                        const double* share,
                        double tonnes_per_week) {
    const std::size_t nz = mm.zones.size();
    double total0 = 0.0;
    for (const double e : rule.export0[mi]) {
        total0 += e;
    }
    double covered = 0.0;
    for (std::size_t a = 0; a < nz; ++a) {
        const double out0 = mm.zone_stage[s * nz + a].out0;
        for (std::size_t b = 0; b < nz && out0 > 0; ++b) {
            covered += share[a * nz + b] * q[a] * mm.flow0[s * nz * nz + a * nz + b] / out0;
        }
    }
    const double allowed = total0 > 0 ? tonnes_per_week * rule.export0[mi][s] / total0 : kInf;
    return covered > allowed ? allowed / covered : 1.0;
}

}  // namespace

void link_measures(const RunInputs& in,
                   std::size_t mi,
                   std::size_t s,
                   std::size_t t,
                   std::span<const double> q,
                   LinkMeasures& out) {
    const auto& mm = in.sim.models[mi];
    const std::size_t nl = mm.zones.size() * mm.zones.size();
    out.alpha.assign(nl, 1.0);
    out.tax.assign(nl, 0.0);
    out.restricted.assign(nl, 0);
    for (std::size_t k = 0; k < mm.rules.size(); ++k) {
        const auto& rule = in.sim.rules[mm.rules[k]];
        const auto& rw = in.rules[mm.rules[k]][t];
        if (!rw.active) {
            continue;
        }
        const double* share = &mm.rule_share[k][s * nl];
        const std::uint8_t* touch = &mm.rule_touch[k][s * nl];
        double a_rule = rw.alpha;
        if (rw.quota.kind == Quota::Kind::ShareOfBaseline) {
            a_rule = std::min(1.0, rw.quota.value);
        } else if (rw.quota.kind == Quota::Kind::TonnesPerWeek) {
            a_rule = quota_throughput(rule, mm, mi, s, q, share, rw.quota.value);
        }
        const double m_share = rule.military ? mm.defence_share : 1.0;
        for (std::size_t l = 0; l < nl; ++l) {
            if (share[l] > 0) {
                out.alpha[l] *= 1.0 - share[l] * m_share * (1.0 - a_rule);
                out.tax[l] += share[l] * m_share * rw.tax;
            }
            if (touch[l] != 0 && a_rule < 1.0) {
                out.restricted[l] = 1;
            }
        }
    }
}

void contracted_flows(const MaterialModel& mm,
                      const MaterialParams& par,
                      std::size_t s,
                      std::size_t t,
                      std::span<const double> q,
                      const LinkMeasures& links,
                      std::vector<int>& leak_start,
                      StageFlows& out) {
    const std::size_t nz = mm.zones.size();
    const std::size_t nl = nz * nz;
    out.supply.assign(q.begin(), q.end());
    out.arrivals.assign(nz, 0.0);
    out.taxed.assign(nz, 0.0);
    out.leak_in.assign(nz, 0.0);
    for (std::size_t a = 0; a < nz; ++a) {
        const double out0 = mm.zone_stage[s * nz + a].out0;
        for (std::size_t b = 0; b < nz && out0 > 0; ++b) {
            const std::size_t l = a * nz + b;
            const double f0 = mm.flow0[s * nl + l];
            if (a == b || f0 <= 0) {
                continue;
            }
            if (links.alpha[l] < 1.0 && leak_start[s * nl + l] < 0) {
                leak_start[s * nl + l] = static_cast<int>(t);
            }
            const double intended = q[a] * f0 / out0;
            const double shipped = intended * links.alpha[l];
            const double leaked = (intended - shipped) * par.leakage *
                                  ramp(leak_start[s * nl + l], t, par.leakage_delay_weeks);
            out.supply[a] -= shipped + leaked;
            out.supply[b] += shipped + leaked;
            out.arrivals[b] += shipped + leaked;
            out.taxed[b] += links.tax[l] * shipped;
            out.leak_in[b] += leaked;
        }
    }
}

MaterialWeek::MaterialWeek(const RunInputs& in, std::size_t mi, const MaterialParams& par)
    : in_(in),
      mm_(in.sim.models[mi]),
      mi_(mi),
      par_(par),
      nz_(mm_.zones.size()),
      ns_(mm_.stages.size()),
      tau_sub_(std::max(1.0, par.substitution_lag_months * kWeeksPerMonth)),
      tau_cap_(std::max(1.0, par.capacity_lag_months * kWeeksPerMonth / 3.0)) {  // 3 delay stages
    const std::size_t n = ns_ * nz_;
    stock_.resize(n);
    price_.assign(n, 1.0);
    slow_.assign(n, 0.0);
    lag1_.assign(n, 0.0);
    lag2_.assign(n, 0.0);
    lag3_.assign(n, 0.0);
    planned_.resize(n);
    cap0_.resize(n);
    growth_.assign(n, 0.0);
    cap_.resize(n);
    bought_.assign(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& zs = mm_.zone_stage[i];
        stock_[i] = par_.inventory_weeks * zs.use0;
        planned_[i] = zs.out0;
        cap0_[i] = zs.cap_known + zs.out_unknown * (1.0 + par_.spare_capacity);
    }
    leak_start_.assign(ns_ * nz_ * nz_, -1);
    reroute_start_.assign(n, -1);
    init_strategic_stocks();
    init_purchases();
    init_precaution();
    q_.resize(nz_);
    release_.resize(nz_);
    purchase_.resize(nz_);
    short_share_.assign(nz_, 0.0);
    price_add_.assign(nz_, 0.0);
    curves_.resize(nz_);
}

void MaterialWeek::init_strategic_stocks() {
    strategic_.resize(mm_.stocks.size());
    release_rate_.resize(mm_.stocks.size());
    for (std::size_t k = 0; k < mm_.stocks.size(); ++k) {
        const auto& s = mm_.stocks[k];
        if (s.unconditional) {  // a stockpile_release measure: its tonnes over its dates
            strategic_[k] = 0.0;
            const auto& m = in_.measures[in_.sim.rules[s.rule].index];
            const double w = m.expires && m.effective
                                 ? (days_between(*m.effective, *m.expires) + 1) / 7.0
                                 : par_.stockpile_release_weeks;
            release_rate_[k] = m.tonnes.value_or(0.0) / std::max(1.0, w);
            continue;
        }
        strategic_[k] =
            s.tonnes_param >= 0
                ? in_.drawn.stockpiles[static_cast<std::size_t>(s.tonnes_param)].tonnes->value
                : s.tonnes;
        double weeks = s.release_weeks > 0 ? s.release_weeks : par_.stockpile_release_weeks;
        if (s.release_param >= 0) {
            weeks = in_.drawn.stockpiles[static_cast<std::size_t>(s.release_param)]
                        .release_weeks->value;
        }
        release_rate_[k] = strategic_[k] / std::max(1.0, weeks);
    }
}

void MaterialWeek::init_purchases() {
    const std::size_t n = mm_.purchases.size();
    purchased_.assign(n, 0.0);
    purchase_rate_.assign(n, 0.0);
    purchase_window_.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
        const auto& rule = in_.sim.rules[mm_.purchases[k].rule];
        const auto& m = in_.measures[rule.index];
        const auto* edit = edit_of(in_.drawn, rule.id);
        double weeks = par_.purchase_weeks;
        if (edit != nullptr && edit->purchase_weeks) {
            weeks = edit->purchase_weeks->value;
        } else if (m.expires && m.effective) {
            weeks = (days_between(*m.effective, *m.expires) + 1) / 7.0;
        }
        const int count = std::max(1, static_cast<int>(std::lround(weeks)));
        purchase_rate_[k] = m.tonnes.value_or(0.0) / count;
        const int first = m.effective ? first_week_from(in_.sim.spec.start, *m.effective) : 0;
        purchase_window_[k] = {first, first + count};
    }
}

void MaterialWeek::init_precaution() {
    // Buyers stock up from the announcement of a restriction that takes effect later.
    for (const auto r : mm_.rules) {
        const auto& m = in_.measures[in_.sim.rules[r].index];
        if (!is_restriction(in_.sim.rules[r].kind) || !m.effective || !m.announced ||
            !(*m.announced < *m.effective)) {
            continue;  // no notice given: nothing to buy ahead of
        }
        const int w = first_week_from(in_.sim.spec.start, *m.announced);
        precaution_.emplace_back(w, w + static_cast<int>(std::lround(par_.precaution_weeks)));
    }
}

bool MaterialWeek::precautious(std::size_t t) const {
    const int ti = static_cast<int>(t);
    return std::any_of(precaution_.begin(), precaution_.end(),
                       [&](const auto& w) { return ti >= w.first && ti < w.second; });
}

void MaterialWeek::capacity(std::size_t t) {
    // Base, growth after the capacity lag, projects as they ramp, capacity measures.
    const int day = in_.sim.week_dates[t].days();
    for (std::size_t i = 0; i < ns_ * nz_; ++i) {
        cap_[i] = cap0_[i] + growth_[i];
    }
    for (const auto& p : mm_.projects) {
        double weight = p.status == model::ProjectStatus::Operating ? par_.project_weight_operating
                        : p.status == model::ProjectStatus::Construction
                            ? par_.project_weight_construction
                            : par_.project_weight_announced;
        weight *= p.probability;
        const double ramped = day < p.start_day  ? 0.0
                              : p.ramp_days <= 0 ? 1.0
                                                 : std::min(1.0, (day - p.start_day) / p.ramp_days);
        cap_[p.stage * nz_ + mm_.zone_of[p.country]] += weight * ramped * p.t_week;
    }
    for (const auto& c : mm_.capacity_changes) {
        if (in_.rules[c.rule][t].active) {
            const auto& node = mm_.nodes[c.node];
            const double tonnes = in_.measures[in_.sim.rules[c.rule].index].tonnes.value_or(0.0);
            auto& k = cap_[node.stage * nz_ + mm_.zone_of[node.country]];
            k = std::max(0.0, k + c.share * tonnes / kWeeksPerYear);
        }
    }
}

void MaterialWeek::strategic_flows(std::size_t s, std::size_t t) {
    // Strategic stocks release (by their rule, or while the price is high); purchases take their
    // tonnes whatever the price.
    std::fill(release_.begin(), release_.end(), 0.0);
    std::fill(purchase_.begin(), purchase_.end(), 0.0);
    for (std::size_t k = 0; k < mm_.stocks.size(); ++k) {
        const auto& sk = mm_.stocks[k];
        const auto z = mm_.stock_zone[k];
        if (sk.stage != s || sk.nodes.empty()) {
            continue;
        }
        if (sk.unconditional) {
            release_[z] += in_.rules[sk.rule][t].active ? release_rate_[k] : 0.0;
        } else if (price_[s * nz_ + z] >= par_.stockpile_release_price) {
            const double out = std::min(release_rate_[k], strategic_[k]);
            release_[z] += out;
            strategic_[k] -= out;
        }
    }
    const int ti = static_cast<int>(t);
    for (std::size_t k = 0; k < mm_.purchases.size(); ++k) {
        const auto& p = mm_.purchases[k];
        if (p.stage != s || ti < purchase_window_[k].first || ti >= purchase_window_[k].second ||
            !in_.rules[p.rule][t].active) {
            continue;
        }
        for (std::size_t z = 0; z < nz_; ++z) {
            purchase_[z] += mm_.purchase_zone_share[k][z] * purchase_rate_[k];
        }
        purchased_[k] += purchase_rate_[k];
    }
}

void MaterialWeek::zone_curves(std::size_t s, std::size_t t, bool precautious) {
    const std::size_t nl = nz_ * nz_;
    const double eps_s = par_.elasticity_demand_short;
    const double eps_l = par_.elasticity_demand_long;
    for (std::size_t z = 0; z < nz_; ++z) {
        const std::size_t i = s * nz_ + z;
        const auto& zs = mm_.zone_stage[i];
        auto& c = curves_[z];
        c = ZoneCurve{};
        c.supply = flows_.supply[z] + release_[z] - purchase_[z];
        c.demand0 = zs.use0;
        if (!mm_.stages[s].final) {  // processors buy the input of their planned output
            const auto& next = mm_.zone_stage[i + nz_];
            c.demand0 = next.out0 > 0 ? zs.use0 * planned_[i + nz_] / next.out0
                                      : planned_[i + nz_] / next.conversion;
            c.demand_cap = cap_[i + nz_] / next.conversion;
        }
        c.demand_scale = std::exp((eps_l - eps_s) * slow_[i]);
        c.elasticity = eps_s;
        c.stock = stock_[i];
        const bool buyer = !mm_.zones[z].imposer;
        c.target0 = par_.inventory_weeks * zs.use0 *
                    (precautious && buyer ? 1.0 + par_.precaution_share : 1.0);
        c.stock_elasticity = par_.stock_price_elasticity;
        c.reservation = par_.reservation_price;
        c.adjust_weeks = std::max(1.0, par_.restock_weeks);
        if (z == 0) {
            continue;  // the hub: arbitrage is the other zones' side
        }
        double tariff_in = 0.0;
        for (std::size_t k = 0; k < mm_.rules.size(); ++k) {
            const auto& rw = in_.rules[mm_.rules[k]][t];
            if (in_.sim.rules[mm_.rules[k]].kind == MeasureKind::Tariff && rw.active &&
                mm_.rule_touch[k][s * nl + z] != 0) {
                tariff_in += rw.tax;
            }
        }
        if (mm_.zones[z].target && reroute_start_[i] >= 0) {
            // Re-exports through third countries: a markup, and time to set up.
            c.import_capacity = zs.use0 * ramp(reroute_start_[i], t, par_.reorder_delay_weeks);
            c.import_friction = par_.leakage_markup + tariff_in;
        } else {
            c.import_capacity = kInf;
            c.import_friction = par_.arbitrage_friction + tariff_in;
        }
        c.export_capacity = links_.restricted[z * nz_] != 0 ? 0.0 : kInf;
        c.export_friction = par_.arbitrage_friction + links_.tax[z * nz_];
    }
}

double MaterialWeek::settle(std::size_t s, const Clearing& cleared) {
    const bool final = mm_.stages[s].final;
    double produced = 0.0;
    double used = 0.0;
    for (std::size_t z = 0; z < nz_; ++z) {
        const std::size_t i = s * nz_ + z;
        const auto& o = cleared.zones[z];
        const auto& zs = mm_.zone_stage[i];
        produced += q_[z] + release_[z] - purchase_[z];
        const double consumed = o.demand - o.unmet;
        used += consumed + o.stock_change;
        stock_[i] = std::max(0.0, stock_[i] + o.stock_change);
        price_[i] = o.price;
        if (final) {
            short_share_[z] = zs.use0 > 0 ? std::max(0.0, zs.use0 - consumed) / zs.use0 : 0.0;
            if (flows_.arrivals[z] > 0 && consumed > 0) {
                price_add_[z] = (flows_.taxed[z] + par_.leakage_markup * flows_.leak_in[z]) /
                                std::max(consumed, flows_.arrivals[z]);
            }
        } else {
            bought_[i] = consumed;
        }
        // Slow responses: demand over the substitution lag, capacity after its lag.
        const double lp = std::log(o.price);
        slow_[i] += (lp - slow_[i]) / tau_sub_;
        lag1_[i] += (lp - lag1_[i]) / tau_cap_;
        lag2_[i] += (lag1_[i] - lag2_[i]) / tau_cap_;
        lag3_[i] += (lag2_[i] - lag3_[i]) / tau_cap_;
        growth_[i] =
            cap0_[i] * (std::exp(par_.elasticity_supply_long * std::max(0.0, lag3_[i])) - 1.0);
        const double added = std::max(0.0, cap_[i] - cap0_[i]);
        planned_[i] =
            std::min(cap_[i], (zs.out0 + added) * std::pow(o.price, par_.elasticity_supply_short));
    }
    return std::fabs(produced - used) / std::max({produced, used, 1e-300});
}

void MaterialWeek::step(std::size_t t, RunResult& result) {
    const double cap_guard = in_.sim.price_cap_multiple;
    const bool buying_ahead = precautious(t);
    capacity(t);
    std::fill(short_share_.begin(), short_share_.end(), 0.0);
    std::fill(price_add_.begin(), price_add_.end(), 0.0);
    double residual = 0.0;
    for (std::size_t s = 0; s < ns_; ++s) {
        // Production: the first stage runs to plan within capacity; later stages convert what
        // they bought of the previous stage this week.
        for (std::size_t z = 0; z < nz_; ++z) {
            const std::size_t i = s * nz_ + z;
            q_[z] = s == 0 ? std::min(cap_[i], planned_[i])
                           : bought_[i - nz_] * mm_.zone_stage[i].conversion;
        }
        link_measures(in_, mi_, s, t, q_, links_);
        contracted_flows(mm_, par_, s, t, q_, links_, leak_start_, flows_);
        for (std::size_t z = 1; z < nz_; ++z) {  // a restricted destination starts re-routing
            bool hit = false;
            for (std::size_t a = 0; a < nz_; ++a) {
                hit = hit || (a != z && links_.restricted[a * nz_ + z] != 0);
            }
            if (hit && reroute_start_[s * nz_ + z] < 0) {
                reroute_start_[s * nz_ + z] = static_cast<int>(t);
            }
        }
        strategic_flows(s, t);
        zone_curves(s, t, buying_ahead);
        const auto cleared = clear_zones(curves_, 1.0 / cap_guard, cap_guard);
        if (cleared.capped) {
            if (result.capped_weeks == 0) {
                std::size_t worst = 0;
                for (std::size_t z = 0; z < nz_; ++z) {
                    worst = cleared.zones[z].price > cleared.zones[worst].price ? z : worst;
                }
                result.capped_at = mm_.id + "/" + mm_.stages[s].id + "/" + mm_.zones[worst].name +
                                   ", week " + std::to_string(t);
            }
            ++result.capped_weeks;
        }
        residual = std::max(residual, settle(s, cleared));
    }
    result.max_mass_residual = std::max(result.max_mass_residual, residual);
}

}  // namespace lodestone::sim::internal
