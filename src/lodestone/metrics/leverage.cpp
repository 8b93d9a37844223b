#include "lodestone/metrics/leverage.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/core/number_text.hpp"
#include "lodestone/metrics/perspective.hpp"
#include "lodestone/network/lookthrough.hpp"
#include "lodestone/network/sourcing.hpp"
#include "lodestone/policy/timeline.hpp"

namespace lodestone::metrics {

namespace {

constexpr const char* kShareBasis =
    "look-through: origin at each stage of the target's use of the final stage "
    "(network::LookThrough; "
    "buyers without use get the world-market origin); direct_share = the target's own sourcing of "
    "that stage";

bool contains(const std::vector<std::string>& list, const std::string& code) {
    return std::find(list.begin(), list.end(), code) != list.end();
}

/// Origin shares (by country code) of a party's final use of a material, at each stage.
struct Origins {
    std::vector<std::map<std::string, double>> by_stage;  ///< chain order
    std::string
        basis;  ///< "lookthrough (derived|observed|published|usgs)" or "lookthrough (world market)"
};

/// A country's or bloc's supply of every selected material, stage by stage (chain order).
struct SupplyMaterial {
    const model::Material* material = nullptr;
    std::vector<PerspectiveSupply> stages;  ///< direct sourcing mix of each stage
    Origins origins;                        ///< look-through of the final use
};

struct SupplySet {
    std::string code;
    std::vector<std::string> members;
    std::vector<SupplyMaterial> materials;
};

/// The compiled network and its look-through, built once per command.
struct Network {
    network::SupplyNetwork net;
    std::unique_ptr<network::LookThrough> lt;

    Network(const model::World& world, Date as_of)
        : net(network::compile(world, as_of)), lt(std::make_unique<network::LookThrough>(net)) {}
};

/// The origin of a party's supply (its use of the final stage) at every stage. The supply follows
/// the party's net sourcing mix (metrics::assessed_sourcing_mix: published or USGS where the
/// network's is derived), as `lodestone lookthrough` does: members' own output carries their
/// production origin, each import the exporter's pool origin. A party without use gets the
/// world-market origin.
Origins lookthrough(const model::World& world,
                    const Network& n,
                    const model::Material& material,
                    const std::string& code,
                    const std::vector<std::string>& members) {
    const auto chain = world.stages_of(material.id);
    Origins out;
    out.by_stage.resize(chain.size());
    if (chain.empty()) {
        return out;
    }
    const std::string& final_stage = chain.back()->stage;
    const auto final_index = n.net.find_stage(material.id, final_stage).value();
    std::string replaced;
    const auto mix = assessed_sourcing_mix(world, material.id, final_stage, code, replaced);
    const bool market = mix.use_tonnes <= 0 || mix.origins.empty();
    const std::string basis(
        network::to_string(replaced.empty() ? n.net.stages[final_index].basis : mix.basis));
    out.basis = market ? "lookthrough (world market)" : "lookthrough (" + basis + ")";
    for (std::size_t i = 0; i < chain.size(); ++i) {
        const auto si = n.net.find_stage(material.id, chain[i]->stage).value();
        std::vector<double> o(n.net.countries.size(), 0.0);
        if (market) {
            o = n.lt->market_origin(final_index, si);
        }
        for (const auto& origin : market ? std::vector<network::Origin>{} : mix.origins) {
            const auto v = n.net.find(material.id, final_stage, origin.country);
            std::vector<double> p;
            if (!v) {
                // A published origin the network does not hold at this stage: the world market.
                p = n.lt->market_origin(final_index, si);
            } else if (contains(members, origin.country) && n.net.nodes[*v].output_t_week > 0) {
                p = n.lt->production_origin(*v, si);
            } else {
                const auto pool =
                    n.lt->pool_origin(*v, si);  // one call: a span into the look-through
                p.assign(pool.begin(), pool.end());
            }
            for (std::size_t k = 0; k < o.size(); ++k) {
                o[k] += origin.share * p[k];
            }
        }
        for (std::size_t k = 0; k < o.size(); ++k) {
            if (o[k] > 0) {
                out.by_stage[i][n.net.countries[k]] = o[k];
            }
        }
    }
    return out;
}

std::vector<const model::Material*> select_materials(const model::World& world,
                                                     const std::vector<std::string>& ids) {
    std::vector<const model::Material*> out;
    if (ids.empty()) {
        for (const auto& m : world.materials) {
            out.push_back(&m);
        }
        return out;
    }
    Diagnostics diags;
    for (const auto& id : ids) {
        const auto* m = world.find_material(id);
        if (m == nullptr) {
            diags.add({Severity::Error,
                       ErrorCode::UnknownMaterial,
                       {},
                       0,
                       0,
                       "material",
                       "unknown material '" + id + "'"});
        } else if (std::find(out.begin(), out.end(), m) == out.end()) {
            out.push_back(m);
        }
    }
    diags.throw_if_errors();
    return out;
}

SupplySet supplies(const model::World& world,
                   const Network& n,
                   const std::string& code,
                   const std::vector<const model::Material*>& materials) {
    SupplySet set{code, perspective_members(world, code), {}};
    for (const auto* m : materials) {
        SupplyMaterial sm{m, {}, lookthrough(world, n, *m, code, set.members)};
        for (const auto* s : world.stages_of(m->id)) {
            sm.stages.push_back(perspective_supply(world, m->id, s->stage, code));
        }
        set.materials.push_back(std::move(sm));
    }
    return set;
}

double direct_share(const PerspectiveSupply& supply, const std::vector<std::string>& supplier) {
    double share = 0.0;
    for (const auto& o : supply.origins) {
        if (!o.domestic && contains(supplier, o.country)) {
            share += o.share;
        }
    }
    return std::min(share, 1.0);
}

double origin_share(const std::map<std::string, double>& origin,
                    const std::vector<std::string>& supplier) {
    double share = 0.0;
    for (const auto& code : supplier) {
        if (const auto it = origin.find(code); it != origin.end()) {
            share += it->second;
        }
    }
    return std::clamp(share, 0.0, 1.0);
}

bool holds(const model::Stockpile& s, const SupplySet& target) {
    return s.bloc_or_country == target.code || contains(target.members, s.bloc_or_country);
}

LeverageRow material_row(const model::World& world,
                         const SupplyMaterial& sm,
                         const SupplySet& target,
                         const std::string& supplier_code,
                         const std::vector<std::string>& supplier,
                         Date as_of) {
    const model::Material& material = *sm.material;
    const auto& stages = sm.stages;
    LeverageRow row;
    row.material = material.id;
    if (stages.empty()) {
        return row;
    }
    std::size_t best_index = 0;
    for (std::size_t i = 0; i < stages.size(); ++i) {  // chain order: ties go downstream
        const double share = origin_share(sm.origins.by_stage[i], supplier);
        if (i == 0 || share >= row.supplier_share) {
            best_index = i;
            row.supplier_share = share;
        }
    }
    const PerspectiveSupply* best = &stages[best_index];
    row.stage = best->stage;
    row.share_basis = sm.origins.basis;
    row.direct_share = best->uses_nothing ? 0.0 : direct_share(*best, supplier);
    row.direct_basis = best->basis;
    row.si_sr = material.si_sr;
    row.use_tonnes = best->use_tonnes;
    // Weight: the importer's largest import of the material in any form (stage), so that a country
    // importing ore and one importing magnets both weigh what they import, and nothing twice.
    row.import_stage = stages.back().stage;
    for (const auto& st : stages) {
        if (st.import_tonnes > row.import_tonnes) {
            row.import_tonnes = st.import_tonnes;
            row.import_stage = st.stage;
        }
    }
    row.price_usd_t = material.price_usd_t;
    row.import_value_usd = row.price_usd_t ? row.import_tonnes * *row.price_usd_t : 0.0;

    // Stock cover: each stock against the use of its own stage (the chosen stage when none is
    // given); a stock held where there is no use covers it fully.
    for (const auto& s : world.stockpiles) {
        if (s.material != material.id || !holds(s, target) || (s.as_of && *s.as_of > as_of)) {
            continue;
        }
        row.stock_tonnes += s.tonnes;
        const PerspectiveSupply* at = best;
        for (const auto& st : stages) {
            if (!s.stage.empty() && st.stage == s.stage) {
                at = &st;
            }
        }
        if (at->use_tonnes > 0) {
            row.cover_years += s.tonnes / at->use_tonnes;
        } else if (s.tonnes > 0) {
            row.cover_years += 1.0;
        }
    }
    row.leverage = leverage_value(row.supplier_share, row.si_sr, row.cover_years,
                                  supplier_code + " over " + target.code + " on " + material.id);
    for (const auto* m : policy::in_force(world.measures, as_of)) {
        if (policy::is_export_restriction(m->kind) && contains(supplier, m->country) &&
            policy::covers_material(*m, material.id, row.stage) &&
            std::any_of(target.members.begin(), target.members.end(), [&](const std::string& iso3) {
                return policy::covers_destination(world, *m, iso3);
            })) {
            row.measures.push_back(m->id);
        }
    }
    return row;
}

Dyad dyad(const model::World& world,
          const std::string& supplier_code,
          const std::vector<std::string>& supplier,
          const SupplySet& target,
          Date as_of) {
    Dyad d{supplier_code, target.code, {}, 0.0, 0.0};
    double weighted = 0.0;
    for (const auto& sm : target.materials) {
        auto row = material_row(world, sm, target, supplier_code, supplier, as_of);
        weighted += row.leverage * row.import_value_usd;
        d.weight_usd += row.import_value_usd;
        d.rows.push_back(std::move(row));
    }
    d.total = d.weight_usd > 0 ? weighted / d.weight_usd : 0.0;
    std::stable_sort(d.rows.begin(), d.rows.end(), [](const LeverageRow& a, const LeverageRow& b) {
        return a.leverage != b.leverage ? a.leverage > b.leverage : a.material < b.material;
    });
    return d;
}

void check_disjoint(const std::vector<std::string>& a,
                    const std::vector<std::string>& b,
                    const std::string& supplier,
                    const std::string& target) {
    for (const auto& code : a) {
        if (contains(b, code)) {
            throw InputError(ErrorCode::Usage, "supplier '" + supplier + "' and target '" + target +
                                                   "' share the member " + code +
                                                   ": leverage is between disjoint parties");
        }
    }
}

std::vector<std::string> price_notes(const std::vector<const model::Material*>& materials) {
    std::vector<std::string> notes;
    for (const auto* m : materials) {
        if (!m->price_usd_t) {
            notes.push_back(m->id +
                            ": no price in materials.csv, so it has no weight in the totals");
        }
    }
    return notes;
}

}  // namespace

double leverage_value(double supplier_share,
                      double si_sr,
                      double cover_years,
                      const std::string& what) {
    Diagnostics diags;
    auto bad = [&](ErrorCode code, const std::string& message) {
        diags.add({Severity::Error, code, {}, 0, 0, {}, what + ": " + message});
    };
    if (!(supplier_share >= 0.0 && supplier_share <= 1.0)) {
        bad(ErrorCode::ShareRange,
            "supplier share " + significant(supplier_share) + " outside [0,1]");
    }
    if (!(si_sr >= 0.0 && si_sr <= 1.0)) {
        bad(ErrorCode::ShareRange, "SI_SR " + significant(si_sr) + " outside [0,1]");
    }
    if (!(cover_years >= 0.0)) {
        bad(ErrorCode::Range,
            "stockpile cover " + significant(cover_years) + " years must be >= 0");
    }
    diags.throw_if_errors();
    return supplier_share * si_sr * (1.0 - std::min(1.0, cover_years));
}

LeverageReport leverage(const model::World& world,
                        const std::string& supplier,
                        const std::string& target,
                        Date as_of,
                        const std::vector<std::string>& materials) {
    const auto selected = select_materials(world, materials);
    check_disjoint(perspective_members(world, supplier), perspective_members(world, target),
                   supplier, target);
    const Network n(world, as_of);
    const auto t = supplies(world, n, target, selected);
    const auto s = supplies(world, n, supplier, selected);
    LeverageReport r;
    r.forward = dyad(world, supplier, s.members, t, as_of);
    r.reverse = dyad(world, target, t.members, s, as_of);
    r.share_basis = kShareBasis;
    r.notes = price_notes(selected);
    for (const auto* set : {&t, &s}) {
        if (std::none_of(world.stockpiles.begin(), world.stockpiles.end(),
                         [&](const model::Stockpile& sp) { return holds(sp, *set); })) {
            r.notes.push_back("stockpiles.csv has no stock held by " + set->code +
                              ": its cover is 0");
        }
    }
    for (const auto* d : {&r.forward, &r.reverse}) {
        if (d->weight_usd <= 0) {
            r.notes.push_back(d->target +
                              " imports none of the selected materials (by value): the " +
                              d->supplier + " over " + d->target + " total is 0");
        }
    }
    return r;
}

std::vector<SupplierRank> rank_suppliers(const model::World& world,
                                         const std::string& target,
                                         Date as_of,
                                         const std::vector<std::string>& materials,
                                         std::size_t top) {
    const auto selected = select_materials(world, materials);
    const Network n(world, as_of);
    const auto t = supplies(world, n, target, selected);
    std::map<std::string, bool> candidates;
    for (const auto& sm : t.materials) {
        for (const auto& origin : sm.origins.by_stage) {
            for (const auto& [code, share] : origin) {
                if (code != model::kRestOfWorld && share > 0 && !contains(t.members, code)) {
                    candidates[code] = true;
                }
            }
        }
        for (const auto& st : sm.stages) {
            for (const auto& o : st.origins) {
                if (!o.domestic && o.country != model::kRestOfWorld && o.share > 0) {
                    candidates[o.country] = true;
                }
            }
        }
    }
    std::vector<SupplierRank> out;
    for (const auto& [code, unused] : candidates) {
        const std::vector<std::string> members{code};
        const auto forward = dyad(world, code, members, t, as_of);
        const auto back = dyad(world, target, t.members, supplies(world, n, code, selected), as_of);
        SupplierRank r{code, forward.total, back.total, {}, 0.0};
        if (!forward.rows.empty()) {
            r.top_material = forward.rows.front().material;
            r.top_leverage = forward.rows.front().leverage;
        }
        out.push_back(std::move(r));
    }
    std::stable_sort(out.begin(), out.end(), [](const SupplierRank& a, const SupplierRank& b) {
        return a.leverage != b.leverage ? a.leverage > b.leverage : a.supplier < b.supplier;
    });
    if (out.size() > top) {
        out.resize(top);
    }
    return out;
}

}  // namespace lodestone::metrics
