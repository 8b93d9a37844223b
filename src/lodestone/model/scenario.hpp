// lodestone/model/scenario.hpp: a disruption scenario as plain data (docs/market_model.md,
// docs/scenarios.md). Read from TOML by io::read_scenario; run by sim::run_monte_carlo. Every
// uncertain number is a Distribution; sim::draw_scenario replaces each one by a Fixed draw for one
// Monte Carlo run. Example: ScenarioSpec s; s.start = *Date::parse("2026-11-01"); s.horizon_weeks =
// 104;
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lodestone/core/date.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::model {

/// An uncertain parameter: fixed, uniform, triangular, beta (scaled to [min,max]) or lognormal.
struct Distribution {
    enum class Kind { Fixed, Uniform, Triangular, Beta, Lognormal };
    Kind kind = Kind::Fixed;
    double value = 0.0;   ///< Fixed
    double min = 0.0;     ///< Uniform, Triangular, Beta: lower bound of the support
    double max = 0.0;     ///< Uniform, Triangular, Beta: upper bound of the support
    double mode = 0.0;    ///< Triangular
    double alpha = 1.0;   ///< Beta shape a > 0
    double beta = 1.0;    ///< Beta shape b > 0
    double median = 1.0;  ///< Lognormal: exp(mu) > 0
    double sigma = 0.0;   ///< Lognormal: standard deviation of the log, >= 0

    [[nodiscard]] static Distribution fixed(double v) { return {.kind = Kind::Fixed, .value = v}; }
    [[nodiscard]] static Distribution uniform(double lo, double hi) {
        return {.kind = Kind::Uniform, .min = lo, .max = hi};
    }
    [[nodiscard]] static Distribution triangular(double lo, double mode_, double hi) {
        return {.kind = Kind::Triangular, .min = lo, .max = hi, .mode = mode_};
    }
    [[nodiscard]] static Distribution beta_on(double a,
                                              double b,
                                              double lo = 0.0,
                                              double hi = 1.0) {
        return {.kind = Kind::Beta, .min = lo, .max = hi, .alpha = a, .beta = b};
    }
    [[nodiscard]] static Distribution lognormal(double median_, double sigma_) {
        return {.kind = Kind::Lognormal, .median = median_, .sigma = sigma_};
    }
    /// True for Fixed; then `value` is the number.
    [[nodiscard]] bool is_fixed() const { return kind == Kind::Fixed; }
};

using Param = std::optional<Distribution>;  ///< absent = use the default

/// What a scenario does to one measure: add a new one, lift an existing one, or change it.
struct MeasureEdit {
    enum class Action { Add, Lift, Change };
    Action action = Action::Add;
    std::string id;
    /// Add: the whole measure (its numeric fields below override the plain ones when given).
    /// Change: only the fields listed in `changed` are taken from here.
    Measure measure;
    std::vector<std::string> changed;  ///< Change: names of the fields set (e.g. "expires")
    std::optional<Date> lift_from;  ///< Lift: first day it no longer binds (default: never binds)
    Param approval_rate;            ///< share of volume licensed, [0,1]
    Param lead_time_days;           ///< days after effect before the first licensed shipment
    Param duration_days;            ///< sets expires = effective + duration - 1
    Param quota_tonnes;             ///< per year
    Param quota_share;              ///< quota as a share of the covered baseline exports
    Param tax_rate;                 ///< fraction of the price
    Param tonnes;                   ///< purchase or release volume (t contained)
    Param purchase_weeks;           ///< a purchase is spread evenly over this many weeks
};

/// Model parameters; each absent one falls back to the documented default (docs/scenarios.md).
struct ModelParams {
    Param leakage;                  ///< λ: share of blocked volume arriving via third countries
    Param leakage_delay_weeks;      ///< L_leak
    Param leakage_markup;           ///< price markup on leaked volume, fraction
    Param reorder_delay_weeks;      ///< substitution delay before re-ordering elsewhere
    Param inventory_weeks;          ///< buyer inventories, weeks of baseline use
    Param restock_weeks;            ///< weeks over which buyers refill inventories to target
    Param spare_capacity;           ///< capacity headroom over output where capacity is unknown
    Param elasticity_demand_short;  ///< overrides the material's value (negative)
    Param elasticity_demand_long;
    Param elasticity_supply_long;
    Param substitution_lag_months;   ///< τ_sub of ε(t)
    Param capacity_lag_months;       ///< delay before capacity responds to price
    Param stockpile_release_weeks;   ///< a stock with no rule releases over this many weeks
    Param purchase_weeks;            ///< a purchase without a window is spread over these weeks
    Param project_weight_announced;  ///< weight of announced projects' capacity
    Param project_weight_construction;
    Param project_weight_operating;
    Param stock_price_elasticity;  ///< eta: stock holders' target cover scales as price^-eta
    Param
        arbitrage_friction;  ///< transport, insurance and trading cost between open zones, fraction
    Param precaution_share;  ///< extra target cover buyers seek after a restriction is announced
    Param precaution_weeks;  ///< how long precautionary buying lasts after the announcement
    Param elasticity_supply_short;  ///< producers' output response to this week's price
    Param stockpile_release_price;  ///< a strategic stock releases while the price is at least this
                                    ///< multiple
    Param reservation_price;  ///< buyers' choke price multiple: demand and stock targets reach 0
                              ///< there
};

/// A strategic stock added by the scenario (in addition to world.stockpiles).
struct StockpileSpec {
    std::string holder;
    std::string country;  ///< ISO3 or bloc whose buyers it serves
    std::string material;
    std::string stage;
    Param tonnes;
    Param release_weeks;  ///< it can empty in this many weeks at its maximum rate
};

/// Replacement figures for a (material, stage): all dataset rows of that pair are replaced.
struct ProductionOverride {
    std::string material;
    std::string stage;
    std::string country;
    double tonnes = 0.0;  ///< per year
    std::optional<double> capacity_tonnes;
    int year = 0;
    std::string source;
};

/// Replacement final-stage demand weights of a material: all dataset rows of that material (and
/// the "*" default for it) give way to these; the rest of the world takes 1 - sum.
struct DemandOverride {
    std::string material;
    std::string country;
    double weight = 0.0;
    std::string source;
};

struct ScenarioSpec {
    std::string file;          ///< for messages and provenance
    std::string content_hash;  ///< FNV-1a of the file bytes (16 hex digits), for run.json
    std::string name;
    std::string description;
    std::vector<std::string> sources;  ///< where the scenario's figures come from
    Date start;
    int horizon_weeks = 52;
    int runs = 200;                      ///< default when --runs is not given
    std::uint64_t seed = 1;              ///< default when --seed is not given
    bool free_trade_baseline = false;    ///< false: measures in force at start are in the baseline
    std::vector<std::string> materials;  ///< empty = those the scenario's measures touch
    std::vector<std::string> regions;    ///< ISO3 or blocs reported besides WORLD
    std::vector<MeasureEdit> measures;
    ModelParams params;
    std::map<std::string, ModelParams> material_params;  ///< by material id
    std::vector<StockpileSpec> stockpiles;
    bool sector_priority = false;                ///< false = pro rata
    std::vector<std::string> priority_sectors;   ///< served first, in this order
    std::optional<double> price_cap_multiple;    ///< overrides world.methods
    std::vector<ProductionOverride> production;  ///< world overrides (e.g. a historical year)
    std::vector<DemandOverride> demand;          ///< world overrides of demand weights
    std::map<std::string, double> price_usd_t;   ///< world overrides by material
    /// Sensitivity analysis, never read from a file: key path (as sim::param_sites names it) -> the
    /// value a run uses instead of its draw. The draw is still made, so every other parameter keeps
    /// its random numbers (common random numbers across pinned and unpinned runs).
    std::map<std::string, double> pinned;
};

}  // namespace lodestone::model
