#include "lodestone/network/sourcing.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "lodestone/core/diagnostic.hpp"

namespace lodestone::network {

namespace {

const model::Stage& require_stage(const model::World& world,
                                  const std::string& material,
                                  const std::string& stage) {
    if (world.find_material(material) == nullptr) {
        throw InputError(ErrorCode::UnknownMaterial, "unknown material '" + material + "'");
    }
    const auto* st = world.find_stage(material, stage);
    if (st == nullptr) {
        std::string known;
        for (const auto* s : world.stages_of(material)) {
            known += (known.empty() ? "" : ", ") + s->stage;
        }
        throw InputError(ErrorCode::UnknownStage, "unknown stage '" + stage + "' of material '" +
                                                      material + "' (stages: " + known + ")");
    }
    return *st;
}

std::map<std::string, double> output_by_country(const model::World& world,
                                                const std::string& material,
                                                const std::string& stage) {
    std::map<std::string, double> out;
    for (const auto* p : world.production_of(material, stage)) {
        out[p->country] += p->tonnes;
    }
    return out;
}

double sum_values(const std::map<std::string, double>& m) {
    double total = 0;
    for (const auto& [k, v] : m) {
        total += v;
    }
    return total;
}

/// Derived use weights of a stage: input need of the next stage (its output / yield), else the
/// final demand weights (demand.csv, ROW takes 1 - sum).
std::map<std::string, double> use_weights(const model::World& world,
                                          const model::Stage& st,
                                          StageBalance& bal) {
    const auto stages = world.stages_of(bal.material);
    const auto it = std::find(stages.begin(), stages.end(), &st);
    std::map<std::string, double> weight;
    if (it + 1 != stages.end()) {
        const model::Stage& next = **(it + 1);
        for (const auto& [code, t] : output_by_country(world, bal.material, next.stage)) {
            weight[code] = t / next.yield;
        }
        if (sum_values(weight) <= 0) {
            weight.clear();
            bal.notes.push_back("stage '" + next.stage + "' has no output: use of '" + bal.stage +
                                "' taken in proportion to final demand weights");
        }
    }
    if (it + 1 == stages.end() || weight.empty()) {
        for (const auto& [code, w] : demand_weights(world, bal.material)) {
            weight[code] = w;
        }
    }
    return weight;
}

/// Spreads a bloc's tonnes over its members that have no figure of their own, in proportion to
/// `weight` (equal split when none of them has weight).
void spread_over_members(const std::vector<std::string>& members,
                         double tonnes,
                         const std::map<std::string, double>& weight,
                         std::map<std::string, double>& out) {
    std::vector<std::string> open;
    double w = 0;
    for (const auto& m : members) {
        if (out.count(m) == 0) {
            open.push_back(m);
            const auto it = weight.find(m);
            w += it == weight.end() ? 0.0 : it->second;
        }
    }
    for (const auto& m : open) {
        const auto it = weight.find(m);
        const double wm = it == weight.end() ? 0.0 : it->second;
        out[m] = w > 0 ? tonnes * wm / w : tonnes / static_cast<double>(open.size());
    }
}

/// Use of every country: consumption.csv where observed (country rows first, then bloc rows over
/// the members without a row), the rest of world output by the derived weights.
void set_use(const model::World& world,
             const model::Stage& st,
             StageBalance& bal,
             std::map<std::string, CountryBalance>& rows) {
    const auto weight = use_weights(world, st, bal);
    std::map<std::string, double> observed;
    for (const auto& c : world.consumption) {
        if (c.material == bal.material && c.stage == bal.stage && !world.is_bloc(c.country)) {
            observed[c.country] = c.tonnes;
        }
    }
    for (const auto& c : world.consumption) {
        if (c.material == bal.material && c.stage == bal.stage && world.is_bloc(c.country)) {
            const auto members = world.members(c.country);
            double own = 0;
            for (const auto& m : members) {
                own += observed.count(m) != 0 ? observed[m] : 0.0;
            }
            // Members that make none of the next stage (e.g. no EU magnet maker) have no input
            // need: the bloc's use is then spread by the final demand weights.
            const bool any_weight = std::any_of(members.begin(), members.end(), [&](const auto& m) {
                const auto it = weight.find(m);
                return it != weight.end() && it->second > 0;
            });
            std::map<std::string, double> demand;
            for (const auto& [code, w] : demand_weights(world, bal.material)) {
                demand[code] = w;
            }
            spread_over_members(members, std::max(0.0, c.tonnes - own),
                                any_weight ? weight : demand, observed);
        }
    }
    const double observed_total = sum_values(observed);
    double rest_weight = 0;
    for (const auto& [code, w] : weight) {
        if (observed.count(code) == 0) {
            rest_weight += w;
        }
    }
    const double rest = bal.world_output_tonnes - observed_total;
    if (rest < 0) {
        bal.notes.emplace_back(
            "observed use (consumption.csv) exceeds world output: the others use none");
    }
    if (rest > 0 && rest_weight <= 0) {
        bal.notes.push_back("no demand weights (demand.csv) for '" + bal.material +
                            "': each country without observed use is taken to use its own output "
                            "plus its observed net imports");
    }
    for (auto& [code, r] : rows) {
        r.use_tonnes = 0.0;
        r.use_apparent = observed.count(code) == 0 && rest_weight <= 0;
    }
    for (const auto& [code, t] : observed) {
        rows[code].use_tonnes = t;
        rows[code].use_observed = true;
    }
    if (rest > 0 && rest_weight > 0) {
        for (const auto& [code, w] : weight) {
            if (observed.count(code) == 0) {
                rows[code].use_tonnes = rest * w / rest_weight;
            }
        }
    }
}

/// Observed flows of the stage (trade.csv); a bloc importer's flow is spread over its members in
/// proportion to their use.
void observed_flows(const model::World& world,
                    StageBalance& bal,
                    std::map<std::string, CountryBalance>& rows) {
    for (const auto& f : world.trade) {
        if (f.material != bal.material || f.stage != bal.stage || f.tonnes <= 0) {
            continue;
        }
        std::map<std::string, double> to;
        if (world.is_bloc(f.importer)) {
            std::map<std::string, double> use;
            for (const auto& m : world.members(f.importer)) {
                const auto it = rows.find(m);
                use[m] = it == rows.end() ? 0.0 : it->second.use_tonnes;
            }
            spread_over_members(world.members(f.importer), f.tonnes, use, to);
        } else {
            to[f.importer] = f.tonnes;
        }
        for (const auto& [importer, t] : to) {
            if (t > 0) {
                bal.flows.push_back({f.exporter, importer, t, true});
                rows[f.exporter].exports_tonnes += t;
                rows[importer].imports_tonnes += t;
            }
        }
    }
    for (auto& [code, r] : rows) {
        if (r.use_apparent) {  // no weights: apparent consumption of the observed flows
            r.use_tonnes = std::max(0.0, r.output_tonnes + r.imports_tonnes - r.exports_tonnes);
            r.use_observed = r.imports_tonnes > 0 || r.exports_tonnes > 0;
        }
    }
}

/// The rest of the trade by the surplus rule: after observed flows, a country's gap is
/// output + imports - use - exports; deficits are bought from the surpluses in proportion to them.
/// If the surpluses cannot cover the deficits (observed figures that do not add up), every deficit
/// is scaled down and use becomes apparent consumption, so that each node still balances.
void derived_flows(StageBalance& bal, std::map<std::string, CountryBalance>& rows) {
    double total_surplus = 0;
    double total_deficit = 0;
    std::map<std::string, double> gap;
    // Gaps below the rounding of the observed figures are no trade (no 1e-15 t flows).
    const double tolerance = 1e-9 * std::max(1.0, bal.world_output_tonnes);
    for (auto& [code, r] : rows) {
        const double g = r.output_tonnes + r.imports_tonnes - r.use_tonnes - r.exports_tonnes;
        gap[code] = std::abs(g) <= tolerance ? 0.0 : g;
        (gap[code] > 0 ? total_surplus : total_deficit) += std::abs(gap[code]);
    }
    if (total_surplus > tolerance && total_deficit > tolerance) {
        const double scale = std::min(1.0, total_surplus / total_deficit);
        for (auto& [importer, d] : rows) {
            if (gap[importer] >= 0) {
                continue;
            }
            const double need = -gap[importer] * scale;
            for (auto& [exporter, e] : rows) {
                if (gap[exporter] <= 0) {
                    continue;
                }
                const double t = need * gap[exporter] / total_surplus;
                bal.flows.push_back({exporter, importer, t, false});
                d.imports_tonnes += t;
                e.exports_tonnes += t;
            }
        }
    }
    if (std::abs(total_surplus - total_deficit) > tolerance) {
        bal.notes.push_back("observed figures do not balance (surplus " +
                            std::to_string(total_surplus) + " t, deficit " +
                            std::to_string(total_deficit) +
                            " t): use is apparent consumption (output + imports - exports)");
        for (auto& [code, r] : rows) {
            r.use_tonnes = std::max(0.0, r.output_tonnes + r.imports_tonnes - r.exports_tonnes);
        }
    }
}

}  // namespace

std::vector<std::pair<std::string, double>> demand_weights(const model::World& world,
                                                           const std::string& material) {
    std::vector<std::pair<std::string, double>> out;
    const bool own = std::any_of(world.demand.begin(), world.demand.end(),
                                 [&](const model::Demand& d) { return d.material == material; });
    const std::string key = own ? material : "*";
    double sum = 0;
    for (const auto& d : world.demand) {
        if (d.material == key && d.weight > 0) {
            out.emplace_back(d.country, d.weight);
            sum += d.weight;
        }
    }
    if (out.empty()) {
        return out;
    }
    if (sum < 1.0) {
        out.emplace_back(model::kRestOfWorld, 1.0 - sum);
        sum = 1.0;
    }
    for (auto& [code, w] : out) {
        w /= sum;
    }
    std::sort(out.begin(), out.end());
    return out;
}

StageBalance stage_balance(const model::World& world,
                           const std::string& material,
                           const std::string& stage) {
    const model::Stage& st = require_stage(world, material, stage);
    StageBalance bal;
    bal.material = material;
    bal.stage = stage;
    std::map<std::string, CountryBalance> rows;
    for (const auto& [code, t] : output_by_country(world, material, stage)) {
        rows[code].output_tonnes = t;
        bal.world_output_tonnes += t;
    }
    set_use(world, st, bal, rows);
    observed_flows(world, bal, rows);
    derived_flows(bal, rows);
    double observed = 0;
    double total = 0;
    for (const auto& f : bal.flows) {
        total += f.tonnes;
        observed += f.observed ? f.tonnes : 0.0;
    }
    const bool any_use_observed = std::any_of(
        rows.begin(), rows.end(), [](const auto& kv) { return kv.second.use_observed; });
    bal.trade_tonnes = total;
    bal.observed_trade_tonnes = observed;
    bal.basis = observed <= 0 && !any_use_observed ? Basis::Derived
                : observed >= total && total > 0   ? Basis::Observed
                                                   : Basis::Partial;
    for (auto& [code, r] : rows) {
        r.domestic_tonnes = std::max(0.0, r.output_tonnes - r.exports_tonnes);
    }
    std::sort(bal.flows.begin(), bal.flows.end(), [](const Flow& a, const Flow& b) {
        return std::tie(a.exporter, a.importer, a.observed) <
               std::tie(b.exporter, b.importer, b.observed);
    });
    for (auto& [code, r] : rows) {
        if (r.output_tonnes > 0 || r.use_tonnes > 0 || r.imports_tonnes > 0 ||
            r.exports_tonnes > 0) {
            r.country = code;
            bal.world_use_tonnes += r.use_tonnes;
            bal.countries.push_back(r);
        }
    }
    return bal;
}

SourcingMix sourcing_mix(const model::World& world,
                         const std::string& material,
                         const std::string& stage,
                         const std::string& perspective) {
    const auto member_list = world.members(perspective);
    if (member_list.empty()) {
        throw InputError(ErrorCode::UnknownPerspective,
                         "unknown perspective '" + perspective +
                             "': expected an ISO3 code of countries.csv or a bloc (EU, G7, ...)");
    }
    const std::set<std::string> members(member_list.begin(), member_list.end());
    const StageBalance bal = stage_balance(world, material, stage);
    SourcingMix mix;
    mix.material = material;
    mix.stage = stage;
    mix.perspective = perspective;
    double output = 0;
    bool use_observed = false;
    bool use_derived = false;
    std::map<std::string, double> member_output;
    for (const auto& c : bal.countries) {
        if (members.count(c.country) != 0) {
            use_observed = use_observed || c.use_observed;
            use_derived = use_derived || (!c.use_observed && c.use_tonnes > 0);
            mix.use_tonnes += c.use_tonnes;
            output += c.output_tonnes;
            member_output[c.country] = c.output_tonnes;
        }
    }
    std::map<std::string, double> gross_imports;  // from non-members into members
    double gross_total = 0;
    double gross_observed = 0;
    for (const auto& f : bal.flows) {
        if (members.count(f.importer) != 0 && members.count(f.exporter) == 0) {
            gross_imports[f.exporter] += f.tonnes;
            gross_total += f.tonnes;
            gross_observed += f.observed ? f.tonnes : 0.0;
        }
    }
    mix.use_observed = use_observed && !use_derived;
    mix.observed_import_share = gross_total > 0 ? gross_observed / gross_total : 0.0;
    const bool imports_observed = gross_total <= 0 || gross_observed >= gross_total * (1 - 1e-9);
    mix.basis = mix.use_observed && imports_observed ? Basis::Observed
                : use_observed || gross_observed > 0 ? Basis::Partial
                                                     : Basis::Derived;
    mix.domestic_tonnes = std::min(output, mix.use_tonnes);
    mix.import_tonnes = mix.use_tonnes - mix.domestic_tonnes;
    if (mix.import_tonnes > 0 && gross_total <= 0) {
        // Only possible with inconsistent observed data (members re-exporting more than they had):
        // nothing came from outside, so the whole use is counted as domestic.
        mix.domestic_tonnes = mix.use_tonnes;
        mix.import_tonnes = 0;
    }
    if (mix.use_tonnes <= 0) {
        return mix;
    }
    mix.import_reliance = mix.import_tonnes / mix.use_tonnes;
    if (output > 0) {
        for (const auto& [code, t] : member_output) {
            if (t > 0) {
                mix.origins.push_back({code, t * mix.domestic_tonnes / output, 0});
            }
        }
    }
    if (mix.import_tonnes > 0) {
        for (const auto& [code, t] : gross_imports) {
            mix.origins.push_back({code, t * mix.import_tonnes / gross_total, 0});
        }
    }
    for (auto& o : mix.origins) {
        o.share = o.tonnes / mix.use_tonnes;
    }
    std::erase_if(mix.origins, [](const Origin& o) { return o.tonnes <= 0; });
    std::sort(mix.origins.begin(), mix.origins.end(), [](const Origin& a, const Origin& b) {
        return a.tonnes != b.tonnes ? a.tonnes > b.tonnes : a.country < b.country;
    });
    return mix;
}

}  // namespace lodestone::network
