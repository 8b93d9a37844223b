// lodestone/sim/internal/market_model.hpp: the compiled layout the weekly market step reads.
// Built by compile_simulation from the supply network; not part of the public API.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lodestone/model/world.hpp"

namespace lodestone::sim::internal {

inline constexpr std::uint32_t kNoNode = 0xFFFFFFFFu;

/// A stage node (material, stage, country) in canonical order (stage, then country code).
struct StageNode {
    std::uint32_t country = 0;     ///< index into SupplyNetwork::countries
    std::uint32_t stage = 0;       ///< index into MaterialModel::stages
    double out0 = 0.0;             ///< baseline output, t/week
    double use0 = 0.0;             ///< baseline own use, t/week
    double dom0 = 0.0;             ///< own output used at home, t/week
    double supply0 = 0.0;          ///< dom0 + baseline imports: the denominator of the order mix
    double cap0 = 0.0;             ///< capacity from the data (t/week); < 0 when not given
    std::uint32_t prev = kNoNode;  ///< node of the previous stage in the same country
    std::uint32_t next = kNoNode;  ///< node of the next stage in the same country
    double conversion = 1.0;       ///< t of output per t of input from `prev` (baseline ratio)
    std::vector<std::uint32_t> in_edges;   ///< trade edges where this node buys
    std::vector<std::uint32_t> out_edges;  ///< trade edges where this node sells
    /// Final stage: (sector index into Simulation::sectors, baseline t/week), by sector.
    std::vector<std::pair<std::uint32_t, double>> demand;
};

struct TradeEdge {
    std::uint32_t from = 0;  ///< seller node (local index)
    std::uint32_t to = 0;    ///< buyer node (local index)
    double base = 0.0;       ///< baseline t/week
};

struct StageModel {
    std::string id;
    std::uint32_t first = 0;  ///< node range [first, last)
    std::uint32_t last = 0;
    bool final = false;
};

/// A strategic stock serving the buyers of one stage in a set of countries.
struct Stock {
    std::string label;
    std::uint32_t stage = 0;
    std::vector<std::uint32_t> nodes;  ///< served nodes (use0 > 0)
    double tonnes = 0.0;               ///< initial, when fixed in the data
    int tonnes_param = -1;        ///< index into spec.stockpiles when it comes from the scenario
    double release_weeks = 26.0;  ///< from the data's release_rule, else the scenario/default
    int release_param = -1;
    bool unconditional = false;    ///< a stockpile_release measure: releases on schedule
    std::uint32_t rule = kNoNode;  ///< the stockpile_release rule behind it
};

/// A purchase into a strategic stock (stockpile_purchase measure).
struct Purchase {
    std::uint32_t rule = 0;  ///< index into Simulation::rules
    std::uint32_t stage = 0;
    std::vector<std::pair<std::uint32_t, double>> nodes;  ///< (node, share of the purchase)
};

/// Capacity from projects.csv at one stage of one country: weight × capacity per week, ramped.
struct ProjectCapacity {
    std::uint32_t stage = 0;
    std::uint32_t country = 0;  ///< index into SupplyNetwork::countries
    double t_week = 0.0;        ///< full capacity, t/week, before the status weight
    model::ProjectStatus status = model::ProjectStatus::Announced;
    double probability = 1.0;
    int start_day = 0;  ///< Date::days of the start
    double ramp_days = 0.0;
};

struct CapacityChange {
    std::uint32_t rule = 0;
    std::uint32_t node = 0;
    double share = 1.0;  ///< of the measure's tonnes
};

/// A price zone of one material: zone 0 is the hub (the rest of the world); the others are each
/// restricting country or bloc and each restricted destination set of the scenario's measures.
struct Zone {
    std::string name;      ///< "rest of world", an ISO3 code, or codes joined by '+'
    bool imposer = false;  ///< imposes a restriction on this material in the horizon
    bool target = false;   ///< a named destination of a restriction: supplied by re-routing
};

/// One zone at one stage, t/week.
struct ZoneStage {
    double out0 = 0.0;         ///< baseline output
    double use0 = 0.0;         ///< baseline use (inputs of the next stage, or final demand)
    double cap_known = 0.0;    ///< capacity of the nodes whose capacity the data give
    double out_unknown = 0.0;  ///< output of the nodes without capacity data (get spare_capacity)
    double conversion = 1.0;   ///< t of output per t of input from the previous stage, baseline
};

struct MaterialModel {
    std::string id;
    double p0 = 1.0;  ///< baseline price, USD/t
    double defence_share =
        0.0;  ///< end-use share of sectors with serves_military (military-only measures)
    std::vector<StageModel> stages;
    std::vector<StageNode> nodes;
    std::vector<TradeEdge> edges;
    std::vector<Stock> stocks;
    std::vector<Purchase> purchases;
    std::vector<ProjectCapacity> projects;
    std::vector<CapacityChange> capacity_changes;
    std::vector<std::uint32_t> rules;  ///< restrictive rules touching this material
    /// intensity kg per million USD of output, by sector index (0 when none)
    std::vector<double> intensity;

    // Zones (built after the rules' coverage): Z = zones.size().
    std::vector<Zone> zones;
    std::vector<std::uint32_t> zone_of;  ///< [net country] -> zone
    std::vector<ZoneStage> zone_stage;   ///< [stage * Z + zone]
    std::vector<double> flow0;  ///< [stage * Z * Z + a * Z + b]: baseline flow a -> b, t/week
    /// Per entry of `rules`, [stage * Z * Z + a * Z + b]: the share of flow0 that the rule covers,
    /// and whether it covers any country pair of the link (for links without baseline flow).
    std::vector<std::vector<double>> rule_share;
    std::vector<std::vector<std::uint8_t>> rule_touch;
    std::vector<std::uint32_t> stock_zone;                 ///< [stock] zone it serves
    std::vector<std::vector<double>> purchase_zone_share;  ///< [purchase][zone]
    [[nodiscard]] std::size_t zone_count() const { return zones.size(); }
};

/// How a measure enters the model.
enum class Treatment {
    Applied,   ///< its full effect from its dates
    Absorbed,  ///< in force at the start and unchanged: part of the baseline (status quo)
    Relative,  ///< in force at the start and changed: effect of the change relative to the old
               ///< values
};

/// A measure the model applies (restriction, purchase, release, capacity change).
struct Rule {
    std::string id;
    std::size_t index = 0;  ///< position in the run's measure list (same structure every run)
    model::MeasureKind kind = model::MeasureKind::Other;
    Treatment treatment = Treatment::Applied;
    double old_approval = 1.0;  ///< Relative: approval rate at the start
    double old_quota = 0.0;     ///< Relative: quota at the start, t/yr
    double old_tax = 0.0;       ///< Relative: tax rate at the start
    bool military = false;      ///< end_users == "military"
    std::vector<std::string> materials;
    std::vector<std::uint32_t> imposers;  ///< net country indices of the imposing country or bloc
    /// [material model][stage] -> covered pairs (seller country * C + buyer country), 1 = covered
    std::vector<std::vector<std::vector<std::uint8_t>>> cover;
    /// Quota: baseline covered exports per material model and stage, t/week
    std::vector<std::vector<double>> export0;
};

}  // namespace lodestone::sim::internal
