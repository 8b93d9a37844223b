// lodestone/report/brief.hpp: the brief, the product's main job (docs/brief.md): on one date and
// for one point of view, what binds today, what changes soon, which materials are riskiest, what a
// BOM is exposed to and what the most relevant curated scenario does. Plain structs, assembled from
// the library's capabilities; presenters (terminal text, JSON, self-contained HTML) live in
// brief_render.hpp. A section whose capability is not in this build says so and holds no numbers.
// Example: auto b = assemble_brief(world, {.as_of = *Date::parse("2026-11-27"), .perspective =
// "USA"});
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "lodestone/core/date.hpp"
#include "lodestone/exposure/bom_exposure.hpp"
#include "lodestone/io/bom_reader.hpp"
#include "lodestone/io/scenario_reader.hpp"
#include "lodestone/model/world.hpp"
#include "lodestone/network/basis.hpp"
#include "lodestone/policy/timeline.hpp"

namespace lodestone::report {

/// Whether a section could be computed. When not, `reason` says why in plain words.
struct Availability {
    bool available = false;
    std::string reason;
};

/// A measure as the brief shows it.
struct BriefMeasure {
    std::string id;
    model::MeasureKind kind = model::MeasureKind::Other;
    std::string country;
    std::string title;
    std::vector<std::string> materials;
    std::vector<std::string> stages;  ///< empty = all stages
    std::string destinations;         ///< "ALL", "USA;EU" or "ALL_EXCEPT:USA"
    std::string end_users;
    std::optional<Date> effective;
    std::optional<Date> expires;  ///< last day in force (inclusive); none = open-ended
    policy::Status status = policy::Status::InForce;  ///< in force or suspended on the as-of date
    std::vector<std::string> suspended_by;            ///< suspensions covering the as-of date
    std::optional<Date> suspended_until;  ///< last day of the latest such suspension window
    /// Export-side measures: covers a member of the perspective as a destination; buyer-side
    /// measures (stockpile, capacity, tariff, demand): imposed by the perspective or a member.
    bool touches_perspective = false;
    std::optional<double> approval_rate;
    std::optional<double> quota_tonnes;
    std::optional<double> tax_rate;
    std::optional<double> tonnes;
    std::string source;
};

/// One status change of a measure within the horizon.
struct BriefChange {
    Date date;  ///< first day of the new status
    int days_from_as_of = 0;
    policy::ChangeKind change = policy::ChangeKind::Started;
    std::string measure_id;
    model::MeasureKind measure_kind = model::MeasureKind::Other;
    std::string country;
    std::string title;
    std::vector<std::string> materials;
    std::string cause_id;  ///< the suspension behind suspended/resumed, if any
    bool touches_perspective = false;
};

/// One bar of the policy timeline chart: a measure's window clipped to the chart, plus the
/// windows in which suspensions switched it off.
struct TimelineRow {
    std::string measure_id;
    model::MeasureKind kind = model::MeasureKind::Other;
    std::string label;  ///< short text: country, kind and materials
    std::optional<Date> effective;
    std::optional<Date> expires;
    std::vector<std::pair<Date, Date>> suspended;  ///< inclusive windows
    bool touches_perspective = false;
};

/// Where a stage's output comes from (global shares).
struct StageConcentration {
    std::string material;
    std::string stage;
    int year = 0;
    double world_tonnes = 0.0;  ///< t per year, contained element
    std::string top_country;
    double top_share = 0.0;  ///< fraction
    double hhi = 0.0;        ///< 0-1
    double cr3 = 0.0;        ///< fraction
};

/// One material of the risk ranking.
struct RiskRow {
    int rank = 0;
    std::string material;
    std::string name;
    std::string stage;  ///< the stage that drives the score (bottleneck)
    std::string top_country;
    double top_share = 0.0;        ///< fraction, at `stage`
    double hhi = 0.0;              ///< 0-1, at `stage`
    double score = 0.0;            ///< the ranking score; its meaning is RiskSection::score_name
    double sr = 0.0;               ///< EU supply risk of `stage` for the perspective
    double ei = 0.0;               ///< EU economic importance of the material, 0-10
    bool critical = false;         ///< EU thresholds (EI and SR)
    double geopolrisk = 0.0;       ///< GeoPolRisk of `stage` for the perspective
    double import_reliance = 0.0;  ///< of the perspective at `stage`, 0-1
    network::Basis basis = network::Basis::Derived;  ///< sourcing basis at `stage`
    std::vector<std::string>
        binding_measures;  ///< in force on the as-of date, touching the perspective
};

struct RiskSection {
    Availability availability;
    std::string method;      ///< what the ranking is, in words
    std::string score_name;  ///< e.g. "hhi"
    std::vector<RiskRow> rows;
    std::vector<std::string> notes;  ///< basis and limits of the ranking
};

/// One origin country of a BOM material at one stage.
struct BomOriginShare {
    std::string country;                ///< ISO3 or ROW
    double share = 0.0;                 ///< fraction of the material at that stage
    std::vector<std::string> measures;  ///< export measures in force touching this share
};

/// The origin of a BOM material at one upstream stage.
struct BomStage {
    std::string stage;
    double hhi = 0.0;          ///< of the origin shares, 0-1
    double kg_per_unit = 0.0;  ///< kg per unit of product that passed through this stage
    std::vector<BomOriginShare> countries;  ///< largest first
};

/// One material of one product of the BOM, looked through to every upstream stage.
struct BomItem {
    std::string product;
    std::string material;
    double kg_per_unit = 0.0;
    std::optional<double> tonnes_per_year;
    std::vector<BomStage> stages;  ///< in chain order
    std::vector<std::string> notes;
    /// The stage whose origin is the most concentrated (largest HHI); nullptr if no stage.
    [[nodiscard]] const BomStage* bottleneck() const;
};

/// What the headline scenario does to the BOM's products: `lodestone exposure`
/// (exposure::bom_exposure) with the headline's scenario, runs and seed: per product the stock-out
/// week, cost per unit before and after, margin change and the driving material and country.
struct BomScenarioExposure {
    Availability availability;
    std::string scenario;                            ///< the headline's curated scenario id
    std::optional<exposure::ExposureReport> report;  ///< set when available
};

struct BomSection {
    Availability availability;
    std::string file;  ///< the --bom path, empty when none was given
    std::vector<BomItem> items;
    std::vector<std::string> notes;
    BomScenarioExposure exposure;  ///< filled after the scenario section (it needs the headline)
};

/// Weekly P5/P50/P95 of one series over the Monte Carlo runs.
struct ScenarioBands {
    std::vector<double> p5, p50, p95;
};

/// Quantiles over runs of one per-run summary number (sim::SummaryBand).
struct ScenarioStat {
    double p5 = 0.0, p50 = 0.0, p95 = 0.0;
    double probability = 0.0;  ///< share of runs in which it happens
};

/// One simulated material in the headline region.
struct ScenarioMaterial {
    std::string material;
    ScenarioStat peak_shortfall_share;  ///< 0-1 of need
    ScenarioStat first_shortfall_week;  ///< weeks from start; +inf where no shortfall
    ScenarioStat peak_price_multiple;   ///< x baseline price
    ScenarioBands shortfall_share;      ///< weekly
    ScenarioBands price_multiple;       ///< weekly
};

/// One bar of the headline's tornado: an uncertain parameter pinned at its P5 and at its P95.
struct ScenarioDriver {
    std::string parameter;     ///< key path, e.g. scenario.parameters.leakage
    double low_value = 0.0;    ///< the parameter's P5 (its unit)
    double high_value = 0.0;   ///< its P95
    double median_low = 0.0;   ///< median of the output over runs with the parameter at P5
    double median_high = 0.0;  ///< ... at P95
    double swing = 0.0;        ///< |median_high - median_low|
};

/// Which uncertain parameter moves the top material's headline number most (one at a time, same
/// seed: sim::run_sensitivity).
struct ScenarioSensitivity {
    std::string material;
    std::string metric;    ///< "peak_shortfall_share", or "peak_price_multiple" when no parameter
                           ///< moves the shortfall
    std::size_t runs = 0;  ///< Monte Carlo runs per variant
    double median_base = 0.0;             ///< the output's median with nothing pinned
    std::vector<ScenarioDriver> drivers;  ///< largest swing first
};

/// A curated scenario weighed for the perspective (highest relevance first).
struct ScenarioCandidate {
    std::string id;
    std::string name;
    double relevance = 0.0;
    std::vector<std::string> reasons;  ///< why it matters (or not) to the perspective, in words
    std::string error;                 ///< the scenario could not be read on this dataset
};

/// The headline of the most relevant curated scenario: run here with a reduced number of runs.
struct ScenarioSection {
    Availability availability;
    std::string id;  ///< curated scenario id (file name without .toml)
    std::string file;
    std::string name;
    std::string description;
    Date start;
    int horizon_weeks = 0;
    std::size_t runs = 0;
    std::uint64_t seed = 0;
    std::string region;  ///< reported: the perspective if simulated, else a region sharing members,
                         ///< else WORLD
    std::vector<Date> weeks;                         ///< first day of each week
    std::vector<ScenarioMaterial> materials;         ///< largest median peak shortfall first
    std::optional<ScenarioSensitivity> sensitivity;  ///< none: not asked, or nothing uncertain
    std::vector<ScenarioCandidate> candidates;
    std::vector<std::string> notes;  ///< the model's own notes and the run's limits
    std::string replay;              ///< the command that runs it in full
};

struct Brief {
    std::string generator;  ///< e.g. "lodestone 0.1.0 (abc1234)"; set by the caller
    std::string dataset_name;
    std::string dataset_version;
    std::optional<Date> dataset_as_of;
    std::optional<Date> policy_verified;  ///< dataset.toml policy_verified
    std::string policy_warning;           ///< non-empty when as_of is later than policy_verified
    std::string dataset_hash;
    Date as_of;
    std::optional<int> data_age_days;    ///< as_of - dataset_as_of (report::freshness)
    std::vector<std::string> freshness;  ///< how old the data are on as_of, in words
    std::string perspective;             ///< ISO3 or bloc
    std::string perspective_name;        ///< country name, or "bloc of N countries"
    std::vector<std::string> perspective_members;
    int horizon_days = 180;
    std::vector<BriefMeasure> binding;    ///< in force on as_of (suspensions excluded)
    std::vector<BriefMeasure> suspended;  ///< effective but switched off by a suspension on as_of
    std::vector<BriefChange> upcoming;    ///< changes on days (as_of, as_of + horizon]
    Date timeline_from;
    Date timeline_to;
    std::vector<TimelineRow> timeline;
    std::vector<StageConcentration> concentration;  ///< every stage of every material
    RiskSection risk;
    BomSection bom;
    ScenarioSection scenario;
};

struct BriefOptions {
    Date as_of;
    std::string perspective = "USA";
    int horizon_days = 180;      ///< "expires soon" = within this many days after as_of
    int history_days = 3 * 365;  ///< how far back the timeline chart reaches
    std::string bom_file;        ///< the BOM's name as shown; empty = no BOM section requested
    const io::Bom* bom =
        nullptr;  ///< the BOM read by the caller (io::load_bom); required with bom_file
    std::size_t top_n = 10;
    /// Curated scenarios to choose the headline from
    /// (io::scenario_texts(io::embedded_scenarios())).
    std::vector<io::ScenarioText> scenarios;
    std::string scenario_id;          ///< run this one instead of the most relevant; empty = choose
    std::size_t scenario_runs = 200;  ///< Monte Carlo runs of the headline; 0 = rank only, run none
    /// Runs of each candidate's dry run, which measures whether its shocks reach the perspective
    /// (no shortfall and no price effect there: never the headline); 0 = no dry run.
    std::size_t dry_runs = 8;
    int threads = 1;  ///< of the headline run; results do not depend on it
    /// Runs per variant of the headline's tornado (1 + 2 per uncertain parameter variants); 0 =
    /// none.
    std::size_t sensitivity_runs = 0;
    /// Share of a BOM product's cost increase passed on in its price (the BOM's exposure), [0,1].
    double pass_through = 0.0;
};

/// Builds the brief. Throws InputError (E-UNKNOWN-PERSPECTIVE, E-USAGE) on a bad option.
[[nodiscard]] Brief assemble_brief(const model::World& world, const BriefOptions& options);

/// The brief as one JSON document (the payload the HTML embeds).
[[nodiscard]] nlohmann::json to_json(const Brief& brief);

}  // namespace lodestone::report
