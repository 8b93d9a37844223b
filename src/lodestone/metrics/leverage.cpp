#include "lodestone/metrics/leverage.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/metrics/perspective.hpp"
#include "lodestone/policy/timeline.hpp"

namespace lodestone::metrics {

namespace {

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

bool contains(const std::vector<std::string>& list, const std::string& code) {
    return std::find(list.begin(), list.end(), code) != list.end();
}

/// A country's or bloc's supply of every selected material, stage by stage (chain order).
struct SupplySet {
    std::string code;
    std::vector<std::string> members;
    std::vector<std::pair<const model::Material*, std::vector<PerspectiveSupply>>> materials;
};

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
            diags.add({Severity::Error, ErrorCode::UnknownMaterial, {}, 0, 0, "material",
                       "unknown material '" + id + "'"});
        } else if (std::find(out.begin(), out.end(), m) == out.end()) {
            out.push_back(m);
        }
    }
    diags.throw_if_errors();
    return out;
}

SupplySet supplies(const model::World& world, const std::string& code,
                   const std::vector<const model::Material*>& materials) {
    SupplySet set{code, perspective_members(world, code), {}};
    for (const auto* m : materials) {
        std::vector<PerspectiveSupply> stages;
        for (const auto* s : world.stages_of(m->id)) {
            stages.push_back(perspective_supply(world, m->id, s->stage, code));
        }
        set.materials.emplace_back(m, std::move(stages));
    }
    return set;
}

double supplier_share(const PerspectiveSupply& supply, const std::vector<std::string>& supplier) {
    double share = 0.0;
    for (const auto& o : supply.origins) {
        if (!o.domestic && contains(supplier, o.country)) {
            share += o.share;
        }
    }
    return std::min(share, 1.0);
}

bool holds(const model::Stockpile& s, const SupplySet& target) {
    return s.bloc_or_country == target.code || contains(target.members, s.bloc_or_country);
}

LeverageRow material_row(const model::World& world, const model::Material& material,
                         const std::vector<PerspectiveSupply>& stages, const SupplySet& target,
                         const std::string& supplier_code, const std::vector<std::string>& supplier,
                         Date as_of) {
    LeverageRow row;
    row.material = material.id;
    const PerspectiveSupply* best = nullptr;
    for (const auto& s : stages) {  // chain order: ties go downstream
        if (best == nullptr || supplier_share(s, supplier) >= row.supplier_share) {
            best = &s;
            row.supplier_share = supplier_share(s, supplier);
        }
    }
    if (best == nullptr) {
        return row;
    }
    row.stage = best->stage;
    row.basis = best->basis;
    row.si_sr = material.si_sr;
    row.use_tonnes = best->use_tonnes;
    row.import_tonnes = best->import_tonnes;
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
            std::any_of(target.members.begin(), target.members.end(),
                        [&](const std::string& iso3) { return policy::covers_destination(world, *m, iso3); })) {
            row.measures.push_back(m->id);
        }
    }
    return row;
}

Dyad dyad(const model::World& world, const std::string& supplier_code,
          const std::vector<std::string>& supplier, const SupplySet& target, Date as_of) {
    Dyad d{supplier_code, target.code, {}, 0.0, 0.0};
    double weighted = 0.0;
    for (const auto& [material, stages] : target.materials) {
        auto row = material_row(world, *material, stages, target, supplier_code, supplier, as_of);
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

void check_disjoint(const std::vector<std::string>& a, const std::vector<std::string>& b,
                    const std::string& supplier, const std::string& target) {
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
            notes.push_back(m->id + ": no price in materials.csv, so it has no weight in the totals");
        }
    }
    return notes;
}

}  // namespace

double leverage_value(double supplier_share, double si_sr, double cover_years, const std::string& what) {
    Diagnostics diags;
    auto bad = [&](ErrorCode code, const std::string& message) {
        diags.add({Severity::Error, code, {}, 0, 0, {}, what + ": " + message});
    };
    if (!(supplier_share >= 0.0 && supplier_share <= 1.0)) {
        bad(ErrorCode::ShareRange, "supplier share " + num(supplier_share) + " outside [0,1]");
    }
    if (!(si_sr >= 0.0 && si_sr <= 1.0)) {
        bad(ErrorCode::ShareRange, "SI_SR " + num(si_sr) + " outside [0,1]");
    }
    if (!(cover_years >= 0.0)) {
        bad(ErrorCode::Range, "stockpile cover " + num(cover_years) + " years must be >= 0");
    }
    diags.throw_if_errors();
    return supplier_share * si_sr * (1.0 - std::min(1.0, cover_years));
}

LeverageReport leverage(const model::World& world, const std::string& supplier,
                        const std::string& target, Date as_of, const std::vector<std::string>& materials) {
    const auto selected = select_materials(world, materials);
    const auto t = supplies(world, target, selected);
    const auto s = supplies(world, supplier, selected);
    check_disjoint(s.members, t.members, supplier, target);
    LeverageReport r;
    r.forward = dyad(world, supplier, s.members, t, as_of);
    r.reverse = dyad(world, target, t.members, s, as_of);
    r.share_basis = "direct sourcing mix of each stage (the importer's suppliers at that stage)";
    r.notes = price_notes(selected);
    return r;
}

std::vector<SupplierRank> rank_suppliers(const model::World& world, const std::string& target, Date as_of,
                                         const std::vector<std::string>& materials, std::size_t top) {
    const auto selected = select_materials(world, materials);
    const auto t = supplies(world, target, selected);
    std::map<std::string, bool> candidates;
    for (const auto& [material, stages] : t.materials) {
        for (const auto& st : stages) {
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
        const auto back = dyad(world, target, t.members, supplies(world, code, selected), as_of);
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
