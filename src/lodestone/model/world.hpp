// lodestone/model/world.hpp: the dataset as plain, validated, immutable data (docs/dataset.md).
// Everything downstream (metrics, policy, network, sim) reads a World; nothing here knows files.
// Example: const Material* ga = world.find_material("gallium");
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lodestone/core/date.hpp"

namespace lodestone::model {

/// Reserved country code of the "Other countries" residual in production rows.
inline constexpr const char* kRestOfWorld = "ROW";
/// Perspective of a published global supply mix in sourcing_shares.csv.
inline constexpr const char* kWorldPerspective = "WORLD";

struct Country {
    std::string iso3;
    std::string name;
    std::string region;
    double wgi = 0.0;  ///< governance on 0-10, 10 = worst (EU CRM scaling)
    std::vector<std::string> blocs;
    std::string source;
};

struct Material {
    std::string id;
    std::string name;
    std::string family;
    std::optional<double> price_usd_t;  ///< USD per tonne of contained element
    std::optional<int> price_year;
    std::optional<double> eol_rir;  ///< end-of-life recycling input rate, 0-1
    double si_sr = 1.0;             ///< substitution index for supply risk, 0-1
    double si_ei = 1.0;             ///< substitution index for economic importance, 0-1
    double elasticity_demand_short = -0.1;
    double elasticity_demand_long = -0.5;
    double elasticity_supply_long = 0.3;
    double substitution_lag_months = 12;
    double capacity_lag_months = 24;
    std::string source;
};

struct Stage {
    std::string material;
    std::string stage;
    int order = 1;       ///< 1 = most upstream
    double yield = 1.0;  ///< t out per t in, contained element
    std::string description;
};

struct Production {
    std::string material;
    std::string stage;
    std::string country;  ///< ISO3 or kRestOfWorld
    int year = 0;
    double tonnes = 0.0;  ///< per year, contained element (see the stage's description)
    std::optional<double> capacity_tonnes;
    std::string source;
};

/// An observed bilateral flow (trade.csv): customs statistics of the exporter or the importer.
/// The importer may be a bloc (EU: Eurostat extra-EU imports); the exporter may be ROW (all
/// others).
struct TradeFlow {
    std::string material;
    std::string stage;
    std::string exporter;  ///< ISO3 or ROW
    std::string importer;  ///< ISO3 or bloc
    int year = 0;
    double tonnes = 0.0;
    std::string source;
};

/// Observed apparent use of a stage by a country or bloc (consumption.csv), t/yr.
struct Consumption {
    std::string material;
    std::string stage;
    std::string country;  ///< ISO3 or bloc
    int year = 0;
    double tonnes = 0.0;
    std::string source;
};

/// Published net import reliance of an importer (e.g. USGS for the USA), fraction 0-1.
struct ImportReliance {
    std::string importer;
    std::string material;
    int year = 0;
    double net_import_reliance = 0.0;
    std::string source;
};

/// Published share of an importer's imports from one exporter (ROW = all others).
struct ImportSource {
    std::string importer;
    std::string material;
    int year = 0;
    std::string exporter;
    double share = 0.0;
    std::string source;
};

struct Sector {
    std::string id;
    std::string name;
    std::string gics;
    double value_added_usd = 0.0;  ///< global gross value added, USD per year
    std::string source;
    bool serves_military =
        false;  ///< its buyers are armed forces: measures with end_users = military reach it
};

struct EndUse {
    std::string material;
    std::string sector;
    double share = 0.0;
    std::string source;
};

/// Demand weight of a country for a material's final stage (demand.csv). material "*" = default
/// for every material without rows of its own; the rest of the world (ROW) gets 1 - sum.
struct Demand {
    std::string material;  ///< material id or "*"
    std::string country;   ///< ISO3
    double weight = 0.0;   ///< share of world use of the final stage, 0-1
    std::string source;
};

struct Intensity {
    std::string sector;
    std::string material;
    std::string stage;
    double kg_per_musd = 0.0;  ///< kg of material per million USD of sector output
    std::string source;
};

enum class MeasureKind {
    ExportLicensing,
    ExportBan,
    ExportQuota,
    ExportTax,
    Suspension,
    StockpilePurchase,
    StockpileRelease,
    CapacityChange,
    Tariff,
    DemandShift,
    TechnologyControl,
    Other,
};

/// Which destinations a measure covers: ALL, a list of ISO3/blocs, or ALL_EXCEPT a list.
struct DestinationSet {
    enum class Mode { All, Listed, AllExcept };
    Mode mode = Mode::All;
    std::vector<std::string> codes;  ///< ISO3 codes or bloc names
};

/// One policy event (docs/policies.md). Dates are inclusive; no expiry = open-ended.
struct Measure {
    std::string id;
    MeasureKind kind = MeasureKind::Other;
    std::string country;                 ///< who imposes it
    std::vector<std::string> materials;  ///< may be empty: covers nothing we model
    std::vector<std::string> stages;     ///< empty = all stages
    DestinationSet destinations;
    std::string end_users = "all";  ///< "all" or "military"
    std::optional<Date> announced;
    std::optional<Date> effective;
    std::optional<Date> expires;
    std::vector<std::string> suspends;    ///< for kind Suspension
    std::optional<double> approval_rate;  ///< licensing: expected share of volume licensed
    std::optional<double> lead_time_days;
    std::optional<double> quota_tonnes;
    std::optional<double> tax_rate;
    std::optional<double> tonnes;  ///< purchase or release volume
    std::string status;
    std::string title;
    std::string source;
    std::optional<Date> verified;  ///< when the row was last checked against its source
    std::string notes;
};

struct Stockpile {
    std::string holder;
    std::string bloc_or_country;
    std::string material;
    std::string stage;
    double tonnes = 0.0;
    std::optional<Date> as_of;
    std::string release_rule;
    std::string source;
};

/// How far a project in projects.csv has come; the market model weighs its capacity by it.
enum class ProjectStatus { Announced, Construction, Operating };

struct Project {
    std::string id;
    std::string country;
    std::string material;
    std::string stage;
    double capacity_tonnes = 0.0;
    ProjectStatus status = ProjectStatus::Announced;  ///< an empty cell in projects.csv: announced
    std::optional<Date> start;
    double ramp_months = 0.0;
    double probability = 1.0;
    std::string source;
};

struct DatasetInfo {
    std::string name;
    std::string version;
    std::optional<Date> as_of;
    /// Last date to which the policy measures were checked against the public record: measures
    /// announced after it are not in the data (dataset.toml `policy_verified`; optional).
    std::optional<Date> policy_verified;
    std::string description;
    std::string licence;
};

/// Trade factors and thresholds of the criticality methods (methods.toml).
struct MethodParams {
    std::map<std::string, double> trade_factor{
        {"export_tax", 1.1}, {"export_quota", 1.2}, {"export_licensing", 1.3}, {"export_ban", 1.3}};
    double critical_ei = 2.8;
    double critical_sr = 1.0;
    /// t_c of supply from an EU member state in the EU perspective (EU CRM 2023: 0.8).
    double eu_member_trade_factor = 0.8;
    /// Stages that are products, not raw materials: left out of the EU perspective's assessment
    /// unless asked for (the EU assesses extraction and processing only).
    std::vector<std::string> eu_product_stages{"magnet", "anode"};
    double price_cap_multiple = 1000.0;
};

/// The whole dataset. Built by io::load_world; immutable afterwards.
/// A published sourcing mix of a country or bloc at one stage (e.g. the EU's own criticality
/// assessment): the share of its supply from each origin, its own members' output included (ROW =
/// the unlisted rest). Shares of one (perspective, material, stage) sum to 1. Perspective WORLD is
/// a published global supply mix: each country's share of world output in `year`.
struct SourcingShare {
    std::string perspective;
    std::string material;
    std::string stage;
    int year = 0;
    std::string country;  ///< ISO3 (a member: domestic) or ROW
    double share = 0.0;
    std::string source;
};

struct World {
    DatasetInfo info;
    MethodParams methods;
    std::vector<Country> countries;
    std::vector<Material> materials;
    std::vector<Stage> stages;  ///< sorted by (material, order)
    std::vector<Production> production;
    std::vector<TradeFlow> trade;
    std::vector<Consumption> consumption;  ///< optional consumption.csv
    std::vector<ImportReliance> import_reliance;
    std::vector<ImportSource> import_sources;
    std::vector<SourcingShare> sourcing_shares;  ///< optional sourcing_shares.csv
    std::vector<Sector> sectors;
    std::vector<EndUse> end_use;
    std::vector<Intensity> intensity;
    std::vector<Demand> demand;  ///< optional demand.csv; empty = no weights given
    std::vector<Measure> measures;
    std::vector<Stockpile> stockpiles;
    std::vector<Project> projects;
    std::string content_hash;  ///< FNV-1a of every file's bytes, for run provenance

    [[nodiscard]] const Country* find_country(std::string_view iso3) const;
    [[nodiscard]] const Material* find_material(std::string_view id) const;
    [[nodiscard]] const Stage* find_stage(std::string_view material, std::string_view stage) const;
    [[nodiscard]] const Measure* find_measure(std::string_view id) const;
    [[nodiscard]] const Sector* find_sector(std::string_view id) const;
    /// Stages of a material in chain order (mine first).
    [[nodiscard]] std::vector<const Stage*> stages_of(std::string_view material) const;
    /// Production rows of one stage, ROW residual included.
    [[nodiscard]] std::vector<const Production*> production_of(std::string_view material,
                                                               std::string_view stage) const;
    /// True if code is a bloc name used by some country (EU, G7, ...).
    [[nodiscard]] bool is_bloc(std::string_view code) const;
    /// ISO3 members of a country code (itself) or a bloc; empty if unknown.
    [[nodiscard]] std::vector<std::string> members(std::string_view code) const;
};

[[nodiscard]] std::string_view to_string(MeasureKind kind);
[[nodiscard]] std::optional<MeasureKind> parse_measure_kind(std::string_view text);
/// "announced", "construction", "operating".
[[nodiscard]] std::string_view to_string(ProjectStatus status);
[[nodiscard]] std::optional<ProjectStatus> parse_project_status(std::string_view text);

}  // namespace lodestone::model
