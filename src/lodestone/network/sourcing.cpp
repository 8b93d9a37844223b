#include "lodestone/network/sourcing.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "lodestone/core/diagnostic.hpp"

namespace lodestone::network {

namespace {

const model::Stage& require_stage(const model::World& world, const std::string& material,
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

std::map<std::string, double> output_by_country(const model::World& world, const std::string& material,
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

/// Observed rule: trade.csv rows of the stage are the flows.
void observed(const model::World& world, StageBalance& bal, std::map<std::string, CountryBalance>& rows) {
    for (const auto& f : world.trade) {
        if (f.material != bal.material || f.stage != bal.stage || f.tonnes <= 0) {
            continue;
        }
        bal.flows.push_back({f.exporter, f.importer, f.tonnes});
        rows[f.exporter].exports_tonnes += f.tonnes;
        rows[f.importer].imports_tonnes += f.tonnes;
    }
    for (auto& [code, r] : rows) {
        r.use_tonnes = std::max(0.0, r.output_tonnes + r.imports_tonnes - r.exports_tonnes);
        r.domestic_tonnes = std::max(0.0, r.output_tonnes - r.exports_tonnes);
    }
}

/// Derived rule: use by next-stage need or demand weights, own output first, deficits from the pool.
void derived(const model::World& world, const model::Stage& st, StageBalance& bal,
             std::map<std::string, CountryBalance>& rows) {
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
    const double total_weight = sum_values(weight);
    if (total_weight <= 0) {
        bal.notes.push_back("no demand weights (demand.csv) for '" + bal.material +
                            "': each country is taken to use its own output, no trade derived");
        for (auto& [code, r] : rows) {
            r.use_tonnes = r.output_tonnes;
        }
    } else {
        for (const auto& [code, w] : weight) {
            rows[code].use_tonnes = bal.world_output_tonnes * w / total_weight;
        }
    }
    double total_surplus = 0;
    for (auto& [code, r] : rows) {
        total_surplus += std::max(0.0, r.output_tonnes - r.use_tonnes);
    }
    if (total_surplus > 0) {
        for (auto& [importer, d] : rows) {
            const double deficit = d.use_tonnes - std::min(d.output_tonnes, d.use_tonnes);
            if (deficit <= 0) {
                continue;
            }
            for (auto& [exporter, e] : rows) {
                const double surplus = e.output_tonnes - std::min(e.output_tonnes, e.use_tonnes);
                if (surplus <= 0) {
                    continue;
                }
                const double t = deficit * surplus / total_surplus;
                bal.flows.push_back({exporter, importer, t});
                d.imports_tonnes += t;
                e.exports_tonnes += t;
            }
        }
    }
    for (auto& [code, r] : rows) {
        r.domestic_tonnes = std::max(0.0, r.output_tonnes - r.exports_tonnes);
    }
    std::sort(bal.flows.begin(), bal.flows.end(), [](const Flow& a, const Flow& b) {
        return std::tie(a.exporter, a.importer) < std::tie(b.exporter, b.importer);
    });
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

StageBalance stage_balance(const model::World& world, const std::string& material,
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
    const bool has_trade = std::any_of(world.trade.begin(), world.trade.end(), [&](const auto& f) {
        return f.material == material && f.stage == stage;
    });
    bal.basis = has_trade ? "observed" : "derived";
    if (has_trade) {
        observed(world, bal, rows);
    } else {
        derived(world, st, bal, rows);
    }
    for (auto& [code, r] : rows) {
        if (r.output_tonnes > 0 || r.use_tonnes > 0 || r.imports_tonnes > 0 || r.exports_tonnes > 0) {
            r.country = code;
            bal.world_use_tonnes += r.use_tonnes;
            bal.countries.push_back(r);
        }
    }
    return bal;
}

SourcingMix sourcing_mix(const model::World& world, const std::string& material,
                         const std::string& stage, const std::string& perspective) {
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
    mix.basis = bal.basis;
    double output = 0;
    std::map<std::string, double> member_output;
    for (const auto& c : bal.countries) {
        if (members.count(c.country) != 0) {
            mix.use_tonnes += c.use_tonnes;
            output += c.output_tonnes;
            member_output[c.country] = c.output_tonnes;
        }
    }
    std::map<std::string, double> gross_imports;  // from non-members into members
    double gross_total = 0;
    for (const auto& f : bal.flows) {
        if (members.count(f.importer) != 0 && members.count(f.exporter) == 0) {
            gross_imports[f.exporter] += f.tonnes;
            gross_total += f.tonnes;
        }
    }
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
