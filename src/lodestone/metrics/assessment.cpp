#include "lodestone/metrics/assessment.hpp"

#include <algorithm>
#include <cmath>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/metrics/concentration.hpp"
#include "lodestone/metrics/criticality.hpp"

namespace lodestone::metrics {

namespace {

struct Context {
    const model::World& world;
    const model::MethodParams& params;
    const AssessOptions& options;
    std::vector<std::string> members;
    double row_wgi = 0.0;
    double q_max = 0.0;

    [[nodiscard]] double wgi(const std::string& code) const {
        if (code == model::kRestOfWorld) {
            return row_wgi;
        }
        const auto* c = world.find_country(code);
        if (c == nullptr) {
            throw InputError(ErrorCode::UnknownCountry,
                             "country '" + code + "' has no WGI in countries.csv");
        }
        return c->wgi;
    }
    [[nodiscard]] bool is_member(const std::string& code) const {
        return std::find(members.begin(), members.end(), code) != members.end();
    }
};

/// Global supply of a stage as it could be known on the date assessed: production data of a year
/// that had not ended by then give way to the latest published mix of an earlier year, if any.
StageShares known_global_supply(const Context& ctx,
                                const std::string& material,
                                const std::string& stage,
                                std::vector<std::string>& notes) {
    auto shares = stage_shares(ctx.world, material, stage);
    const int as_of_year = ctx.options.as_of.year();
    if (shares.data_year < as_of_year) {
        return shares;
    }
    const std::string where = material + "/" + stage + ": the production data of " +
                              std::to_string(shares.data_year) + " were not known on " +
                              ctx.options.as_of.to_string();
    auto published = published_world_shares(ctx.world, material, stage, as_of_year);
    if (!published) {
        notes.push_back(
            where +
            " and no earlier global supply mix is published (sourcing_shares.csv, perspective "
            "WORLD): they stand in (ASSUMPTION)");
        return shares;
    }
    notes.push_back(where + ": global supply is the published mix of " +
                    std::to_string(published->year) +
                    " (sourcing_shares.csv, perspective WORLD); world output stays the " +
                    std::to_string(shares.data_year) + " figure");
    published->world_tonnes = shares.world_tonnes;
    return *published;
}

StageRisk assess_stage(const Context& ctx,
                       const model::Material& material,
                       const model::Stage& stage,
                       std::vector<std::string>& notes) {
    StageRisk r;
    r.material = material.id;
    r.stage = stage.stage;
    r.order = stage.order;
    const std::string where = material.id + "/" + stage.stage;

    const auto shares = known_global_supply(ctx, material.id, stage.stage, notes);
    const auto values = share_values(shares);
    r.year = shares.year;
    r.world_tonnes = shares.world_tonnes;
    r.hhi = hhi(values);
    r.cr1 = concentration_ratio(values, 1);
    r.cr3 = concentration_ratio(values, 3);
    r.producers = static_cast<int>(shares.countries.size());
    if (!shares.countries.empty()) {
        r.top_country = shares.countries.front().country;
        r.top_share = shares.countries.front().share;
    }

    const std::vector<std::string> any;
    r.restrictions_gs =
        trade_restrictions(ctx.world, ctx.params, material.id, stage.stage, ctx.options.as_of, any);
    r.restrictions_p = trade_restrictions(ctx.world, ctx.params, material.id, stage.stage,
                                          ctx.options.as_of, ctx.members);
    // A perspective's own measures do not restrict its domestic supply.
    std::erase_if(r.restrictions_p,
                  [&](const TradeRestriction& t) { return ctx.is_member(t.country); });

    // EU method: supply from within the EU carries t = 0.8 in both mixes (the EU's adjustment for
    // its internal market); everyone else 1, or the factor of their export restriction.
    const bool eu = ctx.options.perspective == "EU";
    auto factor = [&](const std::string& country, std::span<const TradeRestriction> restrictions) {
        return eu && ctx.is_member(country) ? ctx.params.eu_member_trade_factor
                                            : trade_factor_of(restrictions, country);
    };
    std::vector<WeightedShare> gs;
    gs.reserve(shares.countries.size());
    for (const auto& c : shares.countries) {
        gs.push_back(
            {c.country, c.share, ctx.wgi(c.country), factor(c.country, r.restrictions_gs)});
    }
    r.hhi_wgi_gs = hhi_wgi_t(gs, where + " global supply");
    r.dp = usgs_disruption_potential(gs, where + " global supply");

    r.supply = perspective_supply(ctx.world, material.id, stage.stage, ctx.options.perspective);
    std::vector<WeightedShare> p;
    std::vector<ImportFlow> imports;
    double domestic_share = 0.0;
    for (const auto& o : r.supply.origins) {
        if (o.domestic) {
            domestic_share += o.share;
        } else {
            imports.push_back({o.country, o.share, ctx.wgi(o.country)});
        }
        if (o.country == model::kRestOfWorld) {
            continue;  // the residual is many small suppliers: no term in an HHI, as for global
                       // supply
        }
        const double t = o.domestic ? (eu ? ctx.params.eu_member_trade_factor : 1.0)
                                    : factor(o.country, r.restrictions_p);
        p.push_back({o.country, o.share, ctx.wgi(o.country), t});
    }
    r.hhi_wgi_p = hhi_wgi_t(p, where + " sourcing of " + ctx.options.perspective);

    r.eol_rir = material.eol_rir.value_or(0.0);
    r.si_sr = material.si_sr;
    r.sr = eu_supply_risk({r.hhi_wgi_gs, r.hhi_wgi_p, r.supply.import_reliance, r.eol_rir, r.si_sr},
                          where);
    // Shares stand in for tonnes: GeoPolRisk is a ratio, and shares stay defined without use.
    r.geopolrisk = geopolrisk(r.hhi, imports, domestic_share, where + " GeoPolRisk");
    r.te = r.supply.import_reliance;
    if (const auto it = ctx.options.ev.find(material.id); it != ctx.options.ev.end()) {
        r.ev = it->second;
    }
    r.usgs_sr = usgs_supply_risk(r.dp, r.te, r.ev, where + " USGS");
    r.usgs_score = std::cbrt(r.dp * r.te * r.ev.value_or(1.0));
    return r;
}

double economic_importance(const Context& ctx, const model::Material& material) {
    std::vector<SectorUse> uses;
    for (const auto& e : ctx.world.end_use) {
        if (e.material != material.id) {
            continue;
        }
        const auto* sector = ctx.world.find_sector(e.sector);
        if (sector == nullptr) {
            throw InputError(ErrorCode::UnknownSector,
                             "end use of " + material.id + ": unknown sector '" + e.sector + "'");
        }
        uses.push_back({e.sector, e.share, sector->value_added_usd});
    }
    return eu_economic_importance(uses, ctx.q_max, material.si_ei,
                                  material.id + " economic importance");
}

/// Materials and stages to assess; every problem with the selection is reported at once.
std::vector<std::pair<const model::Material*, std::vector<const model::Stage*>>> selection(
    const model::World& world, const model::MethodParams& params, const AssessOptions& options) {
    Diagnostics diags;
    std::vector<const model::Material*> materials;
    if (options.materials.empty()) {
        for (const auto& m : world.materials) {
            materials.push_back(&m);
        }
    } else {
        for (const auto& id : options.materials) {
            const auto* m = world.find_material(id);
            if (m == nullptr) {
                diags.add({Severity::Error,
                           ErrorCode::UnknownMaterial,
                           {},
                           0,
                           0,
                           "material",
                           "unknown material '" + id + "'"});
            } else if (std::find(materials.begin(), materials.end(), m) == materials.end()) {
                materials.push_back(m);
            }
        }
    }
    for (const auto& [id, ev] : options.ev) {
        if (world.find_material(id) == nullptr) {
            diags.add({Severity::Error,
                       ErrorCode::UnknownMaterial,
                       {},
                       0,
                       0,
                       "ev",
                       "economic vulnerability given for unknown material '" + id + "'"});
        }
    }
    std::vector<std::pair<const model::Material*, std::vector<const model::Stage*>>> out;
    for (const auto* m : materials) {
        auto stages = world.stages_of(m->id);
        if (options.stage.empty() && options.perspective == "EU" && !options.product_stages) {
            std::erase_if(stages, [&](const model::Stage* s) {
                return std::find(params.eu_product_stages.begin(), params.eu_product_stages.end(),
                                 s->stage) != params.eu_product_stages.end();
            });
        }
        if (!options.stage.empty()) {
            std::erase_if(stages, [&](const model::Stage* s) { return s->stage != options.stage; });
            if (stages.empty() && !options.materials.empty()) {
                diags.add({Severity::Error,
                           ErrorCode::UnknownStage,
                           {},
                           0,
                           0,
                           "stage",
                           "material '" + m->id + "' has no stage '" + options.stage + "'"});
            }
        }
        if (!stages.empty()) {
            out.emplace_back(m, std::move(stages));
        }
    }
    if (out.empty() && !options.stage.empty() && options.materials.empty()) {
        diags.add({Severity::Error,
                   ErrorCode::UnknownStage,
                   {},
                   0,
                   0,
                   "stage",
                   "no material has a stage '" + options.stage + "'"});
    }
    diags.throw_if_errors();
    return out;
}

}  // namespace

double residual_wgi(const model::World& world) {
    if (world.countries.empty()) {
        return 0.0;
    }
    double sum = 0.0;
    for (const auto& c : world.countries) {
        sum += c.wgi;
    }
    return sum / static_cast<double>(world.countries.size());
}

std::vector<MaterialRisk> assess(const model::World& world,
                                 const model::MethodParams& params,
                                 const AssessOptions& options) {
    Context ctx{world,
                params,
                options,
                perspective_members(world, options.perspective),
                residual_wgi(world),
                0.0};
    for (const auto& s : world.sectors) {
        ctx.q_max = std::max(ctx.q_max, s.value_added_usd);
    }
    std::vector<MaterialRisk> out;
    for (const auto& [material, stages] : selection(world, params, options)) {
        MaterialRisk m;
        m.material = material->id;
        m.ei = economic_importance(ctx, *material);
        if (!material->eol_rir) {
            m.notes.push_back(material->id +
                              ": no EoL-RIR in materials.csv, taken as 0 (ASSUMPTION)");
        }
        for (const auto* s : stages) {
            m.stages.push_back(assess_stage(ctx, *material, *s, m.notes));
        }
        for (std::size_t i = 0; i < m.stages.size(); ++i) {
            auto& s = m.stages[i];
            s.critical = eu_critical(m.ei, s.sr, params);
            if (s.sr > m.stages[m.bottleneck].sr) {
                m.bottleneck = i;
            }
        }
        m.critical = eu_critical(m.ei, m.bottleneck_stage().sr, params);
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace lodestone::metrics
