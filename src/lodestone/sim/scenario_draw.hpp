// lodestone/sim/scenario_draw.hpp: from a scenario with distributions to the numbers of one run.
// draw_scenario replaces every Distribution by a Fixed draw, in a fixed documented order, from the
// run's own stream, so a run is reproducible from (seed, run index) alone. resolve_params merges
// the defaults, the scenario's [parameters] and its per-material overrides.
// Example: auto drawn = draw_scenario(spec, rng); auto p = resolve_params(drawn,
// *world.find_material("gallium"));
#pragma once

#include <string>
#include <vector>

#include "lodestone/model/scenario.hpp"
#include "lodestone/model/world.hpp"
#include "lodestone/sim/random.hpp"

namespace lodestone::sim {

/// Model defaults used when neither the scenario nor the material row gives a value (assumptions,
/// documented in docs/scenarios.md).
struct Defaults {
    static constexpr double kLeakage = 0.0;
    static constexpr double kLeakageDelayWeeks = 8.0;
    static constexpr double kLeakageMarkup = 0.3;
    static constexpr double kReorderDelayWeeks = 12.0;
    static constexpr double kInventoryWeeks = 8.0;
    static constexpr double kRestockWeeks = 1.0;  // calibrated: data/backtests/calibration.toml
    static constexpr double kSpareCapacity = 0.10;
    static constexpr double kStockpileReleaseWeeks = 26.0;
    static constexpr double kPurchaseWeeks = 52.0;
    static constexpr double kProjectWeightAnnounced = 0.3;
    static constexpr double kProjectWeightConstruction = 0.7;
    static constexpr double kProjectWeightOperating = 1.0;
    static constexpr double kStockPriceElasticity =
        0.45;  // calibrated: data/backtests/calibration.toml
    static constexpr double kArbitrageFriction = 0.05;
    static constexpr double kPrecautionShare = 0.25;
    static constexpr double kPrecautionWeeks = 26.0;
    static constexpr double kElasticitySupplyShort = 0.1;
    static constexpr double kStockpileReleasePrice = 2.0;
    static constexpr double kReservationPrice =
        500.0;  // ASSUMPTION (the fit bounds it only from below)
};

/// The parameters of one material in one run, all numbers.
struct MaterialParams {
    double leakage = Defaults::kLeakage;
    double leakage_delay_weeks = Defaults::kLeakageDelayWeeks;
    double leakage_markup = Defaults::kLeakageMarkup;
    double reorder_delay_weeks = Defaults::kReorderDelayWeeks;
    double inventory_weeks = Defaults::kInventoryWeeks;
    double restock_weeks = Defaults::kRestockWeeks;
    double spare_capacity = Defaults::kSpareCapacity;
    double elasticity_demand_short = -0.1;
    double elasticity_demand_long = -0.5;
    double elasticity_supply_long = 0.3;
    double substitution_lag_months = 12;
    double capacity_lag_months = 24;
    double stockpile_release_weeks = Defaults::kStockpileReleaseWeeks;
    double purchase_weeks = Defaults::kPurchaseWeeks;
    double project_weight_announced = Defaults::kProjectWeightAnnounced;
    double project_weight_construction = Defaults::kProjectWeightConstruction;
    double project_weight_operating = Defaults::kProjectWeightOperating;
    double stock_price_elasticity = Defaults::kStockPriceElasticity;
    double arbitrage_friction = Defaults::kArbitrageFriction;
    double precaution_share = Defaults::kPrecautionShare;
    double precaution_weeks = Defaults::kPrecautionWeeks;
    double elasticity_supply_short = Defaults::kElasticitySupplyShort;
    double stockpile_release_price = Defaults::kStockpileReleasePrice;
    double reservation_price = Defaults::kReservationPrice;
};

/// One uncertain parameter of a scenario: its key path and distribution (in draw order).
struct ParamSite {
    std::string path;
    model::Distribution dist;
};

/// One drawn value of an uncertain parameter, for replay reports.
struct ParamDraw {
    std::string path;
    double value = 0.0;
};

/// Every Distribution of the spec with its key path, in the order draw_scenario draws them:
/// measures (approval_rate, lead_time_days, duration_days, quota_tonnes, quota_share, tax_rate,
/// tonnes, purchase_weeks), [parameters] in ModelParams field order, [material.ID] by id,
/// stockpiles.
[[nodiscard]] std::vector<ParamSite> param_sites(const model::ScenarioSpec& spec);

/// A copy of spec with each Distribution replaced by Distribution::fixed(draw). Fixed ones consume
/// no random numbers. A path in spec.pinned takes the pinned value after its draw was made. Measure
/// edits also get their drawn numbers copied into `measure` and named in `changed`, and
/// duration_days turned into expires, ready for policy::apply_overlay.
[[nodiscard]] model::ScenarioSpec draw_scenario(const model::ScenarioSpec& spec, Rng& rng);

/// The measures a drawn run works with: policy::apply_overlay(world.measures, drawn.measures) after
/// turning each edit's duration_days into expires = effective + round(duration) - 1 (the effective
/// date of the edit, else of the base measure). Throws InputError like apply_overlay.
[[nodiscard]] std::vector<model::Measure> scenario_measures(const model::World& world,
                                                            const model::ScenarioSpec& drawn);

/// Names of the model parameters ([parameters] keys), in draw order.
[[nodiscard]] std::vector<std::string> model_param_names();

/// Sets model parameter `key` to a fixed value (in the scenario's [parameters], or in the
/// material's own table when `material` is given). False when there is no such parameter.
[[nodiscard]] bool set_model_param(model::ScenarioSpec& spec,
                                   std::string_view key,
                                   double value,
                                   const std::string& material = {});

/// Where a material's model parameter comes from in a scenario, and the evidence behind it.
struct ParamEvidence {
    std::string name;
    std::string from;      ///< "scenario", "scenario (material)", "material row", "default"
    std::string evidence;  ///< "published", "calibrated", "assumed", or "scenario" (the file's own)
    std::string source;    ///< citation, calibration script, or the assumption's reasoning
};
[[nodiscard]] std::vector<ParamEvidence> parameter_evidence(const model::ScenarioSpec& spec,
                                                            const model::Material& material);

/// Numbers for a material: per-material override, else [parameters], else the material row
/// (elasticities, lags), else Defaults. Pre: spec is drawn (all Fixed).
[[nodiscard]] MaterialParams resolve_params(const model::ScenarioSpec& drawn,
                                            const model::Material& material);

/// Whether the scenario replaces any of the dataset's figures (production, demand or prices).
[[nodiscard]] bool has_world_overrides(const model::ScenarioSpec& spec);

/// The World with the scenario's replacement figures: production rows of each (material, stage)
/// it lists replace the dataset's rows of that pair; demand weights of a material it lists replace
/// the dataset's (and the "*" default for it); prices replace price_usd_t. content_hash is
/// kept (the scenario's own hash records the change).
[[nodiscard]] model::World apply_world_overrides(const model::World& world,
                                                 const model::ScenarioSpec& spec);

}  // namespace lodestone::sim
