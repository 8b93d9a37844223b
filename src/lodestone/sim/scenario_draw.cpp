#include "lodestone/sim/scenario_draw.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "lodestone/policy/overlay.hpp"

namespace lodestone::sim {

namespace {

using model::Distribution;
using model::ModelParams;
using model::Param;

/// Visits every Param of ModelParams with its key name, in field order.
template <class P, class F>
void for_each_model_param(P& p, F&& f) {
    f("leakage", p.leakage);
    f("leakage_delay_weeks", p.leakage_delay_weeks);
    f("leakage_markup", p.leakage_markup);
    f("reorder_delay_weeks", p.reorder_delay_weeks);
    f("inventory_weeks", p.inventory_weeks);
    f("restock_weeks", p.restock_weeks);
    f("spare_capacity", p.spare_capacity);
    f("elasticity_demand_short", p.elasticity_demand_short);
    f("elasticity_demand_long", p.elasticity_demand_long);
    f("elasticity_supply_long", p.elasticity_supply_long);
    f("substitution_lag_months", p.substitution_lag_months);
    f("capacity_lag_months", p.capacity_lag_months);
    f("stockpile_release_weeks", p.stockpile_release_weeks);
    f("purchase_weeks", p.purchase_weeks);
    f("project_weight_announced", p.project_weight_announced);
    f("project_weight_construction", p.project_weight_construction);
    f("project_weight_operating", p.project_weight_operating);
    f("stock_price_elasticity", p.stock_price_elasticity);
    f("arbitrage_friction", p.arbitrage_friction);
    f("precaution_share", p.precaution_share);
    f("precaution_weeks", p.precaution_weeks);
    f("elasticity_supply_short", p.elasticity_supply_short);
    f("stockpile_release_price", p.stockpile_release_price);
    f("reservation_price", p.reservation_price);
}

/// Visits every Param of the spec with its key path, in draw order.
template <class S, class F>
void for_each_param(S& spec, F&& f) {
    for (std::size_t i = 0; i < spec.measures.size(); ++i) {
        auto& e = spec.measures[i];
        const std::string p = "scenario.measures[" + std::to_string(i) + "].";
        f(p + "approval_rate", e.approval_rate);
        f(p + "lead_time_days", e.lead_time_days);
        f(p + "duration_days", e.duration_days);
        f(p + "quota_tonnes", e.quota_tonnes);
        f(p + "quota_share", e.quota_share);
        f(p + "tax_rate", e.tax_rate);
        f(p + "tonnes", e.tonnes);
        f(p + "purchase_weeks", e.purchase_weeks);
    }
    for_each_model_param(spec.params, [&](const char* name, auto& param) {
        f(std::string("scenario.parameters.") + name, param);
    });
    for (auto& [id, params] : spec.material_params) {  // std::map: by id
        for_each_model_param(params, [&](const char* name, auto& param) {
            f("scenario.material." + id + "." + name, param);
        });
    }
    for (std::size_t i = 0; i < spec.stockpiles.size(); ++i) {
        const std::string p = "scenario.stockpiles[" + std::to_string(i) + "].";
        f(p + "tonnes", spec.stockpiles[i].tonnes);
        f(p + "release_weeks", spec.stockpiles[i].release_weeks);
    }
}

void set_number(model::MeasureEdit& e,
                const char* field,
                const Param& p,
                std::optional<double>& target) {
    if (!p) {
        return;
    }
    target = p->value;
    if (std::find(e.changed.begin(), e.changed.end(), field) == e.changed.end()) {
        e.changed.emplace_back(field);
    }
}

}  // namespace

std::vector<ParamSite> param_sites(const model::ScenarioSpec& spec) {
    std::vector<ParamSite> out;
    for_each_param(spec, [&](const std::string& path, const Param& p) {
        if (p) {
            out.push_back({path, *p});
        }
    });
    return out;
}

model::ScenarioSpec draw_scenario(const model::ScenarioSpec& spec, Rng& rng) {
    model::ScenarioSpec out = spec;
    for_each_param(out, [&](const std::string& path, Param& p) {
        if (p && !p->is_fixed()) {
            const double x = sample(*p, rng);  // drawn even when pinned: the stream stays aligned
            const auto pin = spec.pinned.find(path);
            p = Distribution::fixed(pin != spec.pinned.end() ? pin->second : x);
        }
    });
    for (auto& e : out.measures) {
        if (e.action == model::MeasureEdit::Action::Lift) {
            continue;
        }
        set_number(e, "approval_rate", e.approval_rate, e.measure.approval_rate);
        set_number(e, "lead_time_days", e.lead_time_days, e.measure.lead_time_days);
        set_number(e, "quota_tonnes", e.quota_tonnes, e.measure.quota_tonnes);
        set_number(e, "tax_rate", e.tax_rate, e.measure.tax_rate);
        set_number(e, "tonnes", e.tonnes, e.measure.tonnes);
    }
    return out;
}

std::vector<model::Measure> scenario_measures(const model::World& world,
                                              const model::ScenarioSpec& drawn) {
    std::vector<model::MeasureEdit> edits = drawn.measures;
    for (auto& e : edits) {
        if (!e.duration_days || e.action == model::MeasureEdit::Action::Lift) {
            continue;
        }
        std::optional<Date> effective = e.measure.effective;
        if (std::find(e.changed.begin(), e.changed.end(), "effective") == e.changed.end() &&
            e.action == model::MeasureEdit::Action::Change) {
            const auto* base = world.find_measure(e.id);
            effective = base != nullptr ? base->effective : std::nullopt;
        }
        if (!effective) {
            continue;
        }
        const auto days = static_cast<int>(std::lround(e.duration_days->value));
        e.measure.expires = effective->plus_days(std::max(1, days) - 1);
        if (std::find(e.changed.begin(), e.changed.end(), "expires") == e.changed.end()) {
            e.changed.emplace_back("expires");
        }
    }
    return policy::apply_overlay(world.measures, edits);
}

MaterialParams resolve_params(const model::ScenarioSpec& drawn, const model::Material& material) {
    MaterialParams out;
    out.elasticity_demand_short = material.elasticity_demand_short;
    out.elasticity_demand_long = material.elasticity_demand_long;
    out.elasticity_supply_long = material.elasticity_supply_long;
    out.substitution_lag_months = material.substitution_lag_months;
    out.capacity_lag_months = material.capacity_lag_months;
    const ModelParams* own = nullptr;
    if (const auto it = drawn.material_params.find(material.id);
        it != drawn.material_params.end()) {
        own = &it->second;
    }
    auto pick = [&](const Param ModelParams::*field, double& target) {
        if (own != nullptr && (own->*field)) {
            target = (own->*field)->value;
        } else if (drawn.params.*field) {
            target = (drawn.params.*field)->value;
        }
    };
    pick(&ModelParams::leakage, out.leakage);
    pick(&ModelParams::leakage_delay_weeks, out.leakage_delay_weeks);
    pick(&ModelParams::leakage_markup, out.leakage_markup);
    pick(&ModelParams::reorder_delay_weeks, out.reorder_delay_weeks);
    pick(&ModelParams::inventory_weeks, out.inventory_weeks);
    pick(&ModelParams::restock_weeks, out.restock_weeks);
    pick(&ModelParams::spare_capacity, out.spare_capacity);
    pick(&ModelParams::elasticity_demand_short, out.elasticity_demand_short);
    pick(&ModelParams::elasticity_demand_long, out.elasticity_demand_long);
    pick(&ModelParams::elasticity_supply_long, out.elasticity_supply_long);
    pick(&ModelParams::substitution_lag_months, out.substitution_lag_months);
    pick(&ModelParams::capacity_lag_months, out.capacity_lag_months);
    pick(&ModelParams::stockpile_release_weeks, out.stockpile_release_weeks);
    pick(&ModelParams::purchase_weeks, out.purchase_weeks);
    pick(&ModelParams::project_weight_announced, out.project_weight_announced);
    pick(&ModelParams::project_weight_construction, out.project_weight_construction);
    pick(&ModelParams::project_weight_operating, out.project_weight_operating);
    pick(&ModelParams::stock_price_elasticity, out.stock_price_elasticity);
    pick(&ModelParams::arbitrage_friction, out.arbitrage_friction);
    pick(&ModelParams::precaution_share, out.precaution_share);
    pick(&ModelParams::precaution_weeks, out.precaution_weeks);
    pick(&ModelParams::elasticity_supply_short, out.elasticity_supply_short);
    pick(&ModelParams::stockpile_release_price, out.stockpile_release_price);
    pick(&ModelParams::reservation_price, out.reservation_price);
    return out;
}

namespace {

/// Evidence of the model defaults (docs/market_model.md has the reasoning).
struct DefaultEvidence {
    const char* name;
    const char* evidence;
    const char* source;
};
constexpr DefaultEvidence kDefaultEvidence[] = {
    {"leakage", "assumed", "ASSUMPTION: no leakage unless the scenario states it for its episode"},
    {"leakage_delay_weeks", "assumed",
     "ASSUMPTION: 8 weeks to set up smuggling or relabelling routes"},
    {"leakage_markup", "assumed", "ASSUMPTION: 30 % markup on leaked and re-exported volume"},
    {"reorder_delay_weeks", "assumed",
     "ASSUMPTION: 12 weeks to qualify a re-export route or new source"},
    {"inventory_weeks", "assumed", "ASSUMPTION: buyers and traders hold 8 weeks of use"},
    {"restock_weeks", "calibrated",
     "fitted on the 2010-11 rare-earth episode (scripts/calibrate_market.py)"},
    {"spare_capacity", "assumed", "ASSUMPTION: 10 % headroom where the data give no capacity"},
    {"stockpile_release_weeks", "assumed",
     "ASSUMPTION: a strategic stock empties over 26 weeks at most"},
    {"purchase_weeks", "assumed", "ASSUMPTION: a purchase without a window is spread over a year"},
    {"project_weight_announced", "assumed",
     "ASSUMPTION: 30 % of announced capacity arrives on time"},
    {"project_weight_construction", "assumed",
     "ASSUMPTION: 70 % of capacity under construction arrives"},
    {"project_weight_operating", "assumed", "ASSUMPTION: operating capacity counts in full"},
    {"stock_price_elasticity", "calibrated",
     "fitted on the 2010-11 rare-earth episode (scripts/calibrate_market.py)"},
    {"arbitrage_friction", "assumed",
     "ASSUMPTION: 5 % freight, insurance and trading margin between open zones"},
    {"precaution_share", "assumed",
     "ASSUMPTION: buyers seek 25 % more cover after an announcement (a fit on the rare-earth "
     "episode ran to its grid's edge)"},
    {"precaution_weeks", "assumed",
     "ASSUMPTION: precautionary buying lasts 26 weeks (not identified by the calibration episode)"},
    {"elasticity_supply_short", "assumed",
     "ASSUMPTION: output moves 0.1 % per 1 % of price within the year"},
    {"stockpile_release_price", "assumed",
     "ASSUMPTION: strategic stocks release once the price has doubled"},
    {"reservation_price", "assumed",
     "ASSUMPTION: buyers stop buying at 500x the baseline price (the rare-earth fit only bounds it "
     "from below: data/backtests/calibration_reservation.log)"},
};
constexpr const char* kMaterialRowParams[] = {"elasticity_demand_short", "elasticity_demand_long",
                                              "elasticity_supply_long", "substitution_lag_months",
                                              "capacity_lag_months"};

}  // namespace

std::vector<ParamEvidence> parameter_evidence(const model::ScenarioSpec& spec,
                                              const model::Material& material) {
    std::vector<ParamEvidence> out;
    const ModelParams* own = nullptr;
    if (const auto it = spec.material_params.find(material.id); it != spec.material_params.end()) {
        own = &it->second;
    }
    ModelParams general = spec.params;
    ModelParams mine = own != nullptr ? *own : ModelParams{};
    std::vector<std::pair<std::string, bool>> in_general, in_mine;
    for_each_model_param(
        general, [&](const char* name, Param& p) { in_general.emplace_back(name, p.has_value()); });
    for_each_model_param(
        mine, [&](const char* name, Param& p) { in_mine.emplace_back(name, p.has_value()); });
    for (std::size_t i = 0; i < in_general.size(); ++i) {
        const auto& name = in_general[i].first;
        ParamEvidence e{name, "default", "assumed", ""};
        const bool row =
            std::find_if(std::begin(kMaterialRowParams), std::end(kMaterialRowParams),
                         [&](const char* n) { return name == n; }) != std::end(kMaterialRowParams);
        if (in_mine[i].second) {
            e.from = "scenario (material)";
            e.evidence = "scenario";
            e.source = spec.file;
        } else if (in_general[i].second) {
            e.from = "scenario";
            e.evidence = "scenario";
            e.source = spec.file;
        } else if (row) {
            e.from = "material row";
            e.evidence =
                material.source.find("ASSUMPTION") != std::string::npos ? "assumed" : "published";
            e.source = "materials.csv: " + material.id;
        } else {
            for (const auto& d : kDefaultEvidence) {
                if (name == d.name) {
                    e.evidence = d.evidence;
                    e.source = d.source;
                }
            }
        }
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<std::string> model_param_names() {
    std::vector<std::string> out;
    ModelParams p;
    for_each_model_param(p, [&](const char* name, Param&) { out.emplace_back(name); });
    return out;
}

bool set_model_param(model::ScenarioSpec& spec,
                     std::string_view key,
                     double value,
                     const std::string& material) {
    ModelParams& target = material.empty() ? spec.params : spec.material_params[material];
    bool found = false;
    for_each_model_param(target, [&](const char* name, Param& p) {
        if (key == name) {
            p = Distribution::fixed(value);
            found = true;
        }
    });
    return found;
}

bool has_world_overrides(const model::ScenarioSpec& spec) {
    return !spec.production.empty() || !spec.demand.empty() || !spec.price_usd_t.empty();
}

model::World apply_world_overrides(const model::World& world, const model::ScenarioSpec& spec) {
    model::World out = world;
    std::set<std::pair<std::string, std::string>> replaced;
    for (const auto& o : spec.production) {
        replaced.insert({o.material, o.stage});
    }
    if (!replaced.empty()) {
        std::erase_if(out.production, [&](const model::Production& p) {
            return replaced.count({p.material, p.stage}) != 0;
        });
        for (const auto& o : spec.production) {
            model::Production p;
            p.material = o.material;
            p.stage = o.stage;
            p.country = o.country;
            p.year = o.year;
            p.tonnes = o.tonnes;
            p.capacity_tonnes = o.capacity_tonnes;
            p.source = o.source.empty() ? "scenario " + spec.file : o.source;
            out.production.push_back(std::move(p));
        }
    }
    std::set<std::string> demand_materials;
    for (const auto& d : spec.demand) {
        demand_materials.insert(d.material);
    }
    if (!demand_materials.empty()) {
        std::erase_if(out.demand, [&](const model::Demand& d) {
            return demand_materials.count(d.material) != 0;
        });
        for (const auto& d : spec.demand) {
            out.demand.push_back({d.material, d.country, d.weight,
                                  d.source.empty() ? "scenario " + spec.file : d.source});
        }
    }
    for (auto& m : out.materials) {
        if (const auto it = spec.price_usd_t.find(m.id); it != spec.price_usd_t.end()) {
            m.price_usd_t = it->second;
        }
    }
    return out;
}

}  // namespace lodestone::sim
