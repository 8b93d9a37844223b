#include "lodestone/report/brief.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/exposure/lookthrough_report.hpp"
#include "lodestone/metrics/assessment.hpp"
#include "lodestone/metrics/concentration.hpp"
#include "lodestone/model/measure_fields.hpp"
#include "lodestone/network/lookthrough.hpp"
#include "lodestone/network/supply_network.hpp"
#include "lodestone/policy/timeline.hpp"
#include "lodestone/report/decisions_view.hpp"
#include "lodestone/report/freshness.hpp"
#include "lodestone/report/internal/brief_scenario.hpp"
#include "lodestone/report/policy_view.hpp"
#include "lodestone/report/table.hpp"

namespace lodestone::report {

namespace {

/// Export-side measures (restrictions, technology controls, other) touch the perspective when they
/// cover one of its members as a destination; buyer-side measures (stockpiles, capacity, tariffs,
/// demand shifts) when the perspective or one of its members imposes them.
bool touches(const model::World& world,
             const model::Measure& m,
             const std::string& perspective,
             const std::vector<std::string>& members) {
    switch (m.kind) {
        case model::MeasureKind::StockpilePurchase:
        case model::MeasureKind::StockpileRelease:
        case model::MeasureKind::CapacityChange:
        case model::MeasureKind::Tariff:
        case model::MeasureKind::DemandShift:
            return m.country == perspective ||
                   std::find(members.begin(), members.end(), m.country) != members.end();
        default:
            return std::any_of(members.begin(), members.end(), [&](const std::string& iso3) {
                return policy::covers_destination(world, m, iso3);
            });
    }
}

BriefMeasure brief_measure(const model::World& world,
                           const model::Measure& m,
                           Date as_of,
                           const std::string& perspective,
                           const std::vector<std::string>& members) {
    BriefMeasure b;
    b.id = m.id;
    b.kind = m.kind;
    b.country = m.country;
    b.title = m.title;
    b.materials = m.materials;
    b.stages = m.stages;
    b.destinations = model::to_string(m.destinations);
    b.end_users = m.end_users;
    b.effective = m.effective;
    b.expires = m.expires;
    b.status = policy::status_on(m, world.measures, as_of);
    for (const auto* s : policy::suspensions_of(m, world.measures, as_of)) {
        b.suspended_by.push_back(s->id);
        if (s->expires && (!b.suspended_until || *s->expires > *b.suspended_until)) {
            b.suspended_until = s->expires;
        }
    }
    b.touches_perspective = touches(world, m, perspective, members);
    b.approval_rate = m.approval_rate;
    b.quota_tonnes = m.quota_tonnes;
    b.tax_rate = m.tax_rate;
    b.tonnes = m.tonnes;
    b.source = m.source;
    return b;
}

/// Perspective first, export restrictions next, then the most recent first, then by id.
void sort_measures(std::vector<BriefMeasure>& list) {
    std::sort(list.begin(), list.end(), [](const BriefMeasure& a, const BriefMeasure& b) {
        if (a.touches_perspective != b.touches_perspective) {
            return a.touches_perspective;
        }
        const bool ra = policy::is_export_restriction(a.kind);
        const bool rb = policy::is_export_restriction(b.kind);
        if (ra != rb) {
            return ra;
        }
        if (a.effective != b.effective) {
            return a.effective > b.effective;
        }
        return a.id < b.id;
    });
}

std::string short_label(const model::Measure& m) {
    std::string materials;
    for (const auto& mat : m.materials) {
        materials += (materials.empty() ? "" : ", ") + mat;
    }
    return m.country + " " + std::string(model::to_string(m.kind)) + ": " + materials;
}

std::vector<TimelineRow> timeline_rows(const model::World& world,
                                       Date from,
                                       Date to,
                                       const std::string& perspective,
                                       const std::vector<std::string>& members) {
    std::vector<TimelineRow> rows;
    for (const auto& m : world.measures) {
        if (m.kind == model::MeasureKind::Suspension || !m.effective || m.materials.empty()) {
            continue;
        }
        if (*m.effective > to || (m.expires && *m.expires < from)) {
            continue;
        }
        TimelineRow row{m.id,
                        m.kind,
                        short_label(m),
                        m.effective,
                        m.expires,
                        {},
                        touches(world, m, perspective, members)};
        for (const auto& s : world.measures) {
            if (s.kind != model::MeasureKind::Suspension || !s.effective ||
                std::find(s.suspends.begin(), s.suspends.end(), m.id) == s.suspends.end()) {
                continue;
            }
            const Date start = std::max(*s.effective, *m.effective);
            const Date end = std::min(s.expires.value_or(to), m.expires.value_or(to));
            if (start <= end) {
                row.suspended.emplace_back(start, end);
            }
        }
        rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end(), [](const TimelineRow& a, const TimelineRow& b) {
        return a.effective != b.effective ? a.effective < b.effective : a.measure_id < b.measure_id;
    });
    return rows;
}

std::vector<StageConcentration> concentration(const model::World& world) {
    std::vector<StageConcentration> out;
    for (const auto& stage : world.stages) {
        std::optional<metrics::StageShares> shares;
        try {
            shares = metrics::stage_shares(world, stage.material, stage.stage);
        } catch (const InputError&) {
            continue;  // a stage without output has no shares; the dataset loader warned about it
        }
        const auto values = metrics::share_values(*shares);
        StageConcentration c{stage.material,
                             stage.stage,
                             shares->year,
                             shares->world_tonnes,
                             "",
                             0.0,
                             metrics::hhi(values),
                             metrics::concentration_ratio(values, 3)};
        if (!shares->countries.empty()) {
            c.top_country = shares->countries.front().country;
            c.top_share = shares->countries.front().share;
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<std::string> restrictions_on(const std::string& material,
                                         const std::vector<BriefMeasure>& binding) {
    std::vector<std::string> out;
    for (const auto& m : binding) {
        if (policy::is_export_restriction(m.kind) && m.touches_perspective &&
            std::find(m.materials.begin(), m.materials.end(), material) != m.materials.end()) {
            out.push_back(m.id);
        }
    }
    return out;
}

/// "observed, derived": the bases met, in order of first appearance.
std::string bases_text(const std::vector<network::Basis>& bases) {
    std::string text;
    for (const auto b : bases) {
        text += (text.empty() ? "" : ", ") + std::string(network::to_string(b));
    }
    return text;
}

/// Every method of docs/methods.md for the perspective (metrics::assess), ranked by the EU supply
/// risk of each material's bottleneck stage.
RiskSection risk_by_assessment(const model::World& world,
                               const BriefOptions& options,
                               const std::vector<BriefMeasure>& binding) {
    RiskSection section;
    section.availability = {true, ""};
    section.method =
        "EU supply risk (SR, CRM Act Annex II) of each material's bottleneck stage for " +
        options.perspective + ", trade factors from the measures in force";
    section.score_name = "sr";
    metrics::AssessOptions ao;
    ao.as_of = options.as_of;
    ao.perspective = options.perspective;
    std::vector<network::Basis> bases;
    for (const auto& m : metrics::assess(world, world.methods, ao)) {
        if (m.stages.empty()) {
            continue;
        }
        const auto& st = m.bottleneck_stage();
        const auto* material = world.find_material(m.material);
        RiskRow row{0,
                    m.material,
                    material != nullptr ? material->name : m.material,
                    st.stage,
                    st.top_country,
                    st.top_share,
                    st.hhi,
                    st.sr,
                    st.sr,
                    m.ei,
                    m.critical,
                    st.geopolrisk,
                    st.supply.import_reliance,
                    st.supply.basis,
                    restrictions_on(m.material, binding)};
        section.rows.push_back(std::move(row));
        if (std::find(bases.begin(), bases.end(), st.supply.basis) == bases.end()) {
            bases.push_back(st.supply.basis);
        }
    }
    std::sort(section.rows.begin(), section.rows.end(), [](const RiskRow& a, const RiskRow& b) {
        return a.score != b.score ? a.score > b.score : a.material < b.material;
    });
    if (section.rows.size() > options.top_n) {
        section.rows.resize(options.top_n);
    }
    for (std::size_t i = 0; i < section.rows.size(); ++i) {
        section.rows[i].rank = static_cast<int>(i + 1);
    }
    const std::string basis_text = bases_text(bases);
    section.notes = {
        "Ranked by EU supply risk SR = [HHI_WGI,t(global) x IR/2 + HHI_WGI,t(sourcing of " +
            options.perspective +
            ") x (1 - IR/2)] x (1 - EoL-RIR) x SI_SR, taken at the stage where it is largest "
            "(`lodestone assess`, "
            "docs/methods.md). Critical: EI >= " +
            report::format_number(world.methods.critical_ei) +
            " and SR >= " + report::format_number(world.methods.critical_sr) + ".",
        "Sourcing basis of the perspective: " +
            (basis_text.empty() ? std::string("none") : basis_text) +
            " (observed = trade and consumption data, partial = some of it observed, published = a "
            "published "
            "sourcing mix of the perspective, usgs = USGS import reliance and sources, derived = "
            "exportable-surplus "
            "rule).",
        "The binding column lists export restrictions in force on the date that touch " +
            options.perspective + "."};
    return section;
}

BomSection bom_section(const model::World& world, const BriefOptions& options) {
    BomSection section;
    section.file = options.bom_file;
    if (options.bom_file.empty() || options.bom == nullptr) {
        section.availability = {false, "no BOM given (add --bom FILE to see a product's exposure)"};
        return section;
    }
    section.availability = {true, ""};
    const auto net = network::compile(world, options.as_of);
    const network::LookThrough lt(net);
    // A single-country perspective is the buyer of products whose BOM names no country.
    const std::string buyer =
        world.is_bloc(options.perspective) ? std::string() : options.perspective;
    std::vector<network::Basis> bases;
    for (const auto& pm :
         exposure::bom_lookthrough(world, lt, *options.bom, options.as_of, buyer)) {
        BomItem item{pm.product, pm.material, pm.kg_per_unit, pm.tonnes_per_year, {}, pm.notes};
        for (const auto& o : pm.origins) {
            BomStage st{o.stage, o.hhi, o.kg_per_unit, {}};
            for (const auto& c : o.countries) {
                st.countries.push_back({c.country, c.share, c.measures});
            }
            item.stages.push_back(std::move(st));
            if (std::find(bases.begin(), bases.end(), o.basis) == bases.end()) {
                bases.push_back(o.basis);
            }
        }
        section.items.push_back(std::move(item));
    }
    const std::string basis_text = bases_text(bases);
    section.notes.push_back(
        "Look-through of origins through every upstream stage (docs/lookthrough.md), flows "
        "basis: " +
        (basis_text.empty() ? std::string("none") : basis_text) +
        "; measures are export restrictions in force on " + options.as_of.to_string() +
        " that touch each origin share (docs/lookthrough.md).");
    return section;
}

/// The BOM's exposure to the headline scenario, through the library of `lodestone exposure` with
/// the headline's runs and seed (the scenario's own), so that the two print the same numbers.
BomScenarioExposure bom_scenario_exposure(const model::World& world,
                                          const Brief& b,
                                          const BriefOptions& options) {
    BomScenarioExposure out;
    out.scenario = b.scenario.id;
    if (!b.bom.availability.available || options.bom == nullptr) {
        out.availability = {false, "no BOM given (add --bom FILE)"};
        return out;
    }
    if (!b.scenario.availability.available || b.scenario.runs == 0) {
        out.availability = {
            false, "no headline scenario was run, so there is nothing to expose the BOM to" +
                       (b.scenario.availability.reason.empty()
                            ? std::string()
                            : " (" + b.scenario.availability.reason + ")")};
        return out;
    }
    const auto text =
        std::find_if(options.scenarios.begin(), options.scenarios.end(),
                     [&](const io::ScenarioText& t) { return t.id == b.scenario.id; });
    if (text == options.scenarios.end()) {
        out.availability = {false, "the headline scenario " + b.scenario.id +
                                       " is not among the curated scenarios"};
        return out;
    }
    try {
        const auto spec = io::read_scenario(text->toml, text->file, world);
        exposure::ExposureOptions eo;
        eo.runs = b.scenario.runs;
        eo.threads = std::max(1, options.threads);
        eo.pass_through = options.pass_through;
        out.report = exposure::bom_exposure(world, *options.bom, spec, eo);
        out.availability = {true, {}};
    } catch (const InputError& e) {
        std::string why;
        for (const auto& d : e.diagnostics()) {
            why += (why.empty() ? "" : "; ") + d.to_string();
        }
        out.availability = {
            false, "the exposure of the BOM to " + b.scenario.id + " could not run: " + why};
    }
    return out;
}

nlohmann::json opt_date(const std::optional<Date>& d) {
    return d ? nlohmann::json(d->to_string()) : nlohmann::json(nullptr);
}
nlohmann::json opt_num(const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
nlohmann::json availability_json(const Availability& a) {
    return {{"available", a.available}, {"reason", a.reason}};
}

nlohmann::json measure_json(const BriefMeasure& m) {
    return {{"id", m.id},
            {"kind", model::to_string(m.kind)},
            {"country", m.country},
            {"title", m.title},
            {"materials", m.materials},
            {"stages", m.stages},
            {"destinations", m.destinations},
            {"end_users", m.end_users},
            {"effective", opt_date(m.effective)},
            {"expires", opt_date(m.expires)},
            {"status", policy::to_string(m.status)},
            {"suspended_by", m.suspended_by},
            {"suspended_until", opt_date(m.suspended_until)},
            {"touches_perspective", m.touches_perspective},
            {"approval_rate", opt_num(m.approval_rate)},
            {"quota_tonnes", opt_num(m.quota_tonnes)},
            {"tax_rate", opt_num(m.tax_rate)},
            {"tonnes", opt_num(m.tonnes)},
            {"source", m.source}};
}

/// A number, or null where it is not finite (e.g. no shortfall week within the horizon).
nlohmann::json finite(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json stat_json(const ScenarioStat& s) {
    return {{"p5", finite(s.p5)},
            {"p50", finite(s.p50)},
            {"p95", finite(s.p95)},
            {"probability", s.probability}};
}

nlohmann::json bands_json(const ScenarioBands& b) {
    auto list = [](const std::vector<double>& v) {
        auto out = nlohmann::json::array();
        for (const double x : v) {
            out.push_back(finite(x));
        }
        return out;
    };
    return {{"p5", list(b.p5)}, {"p50", list(b.p50)}, {"p95", list(b.p95)}};
}

nlohmann::json scenario_json(const ScenarioSection& s) {
    auto weeks = nlohmann::json::array();
    for (const auto& d : s.weeks) {
        weeks.push_back(d.to_string());
    }
    auto materials = nlohmann::json::array();
    for (const auto& m : s.materials) {
        materials.push_back({{"material", m.material},
                             {"peak_shortfall_share", stat_json(m.peak_shortfall_share)},
                             {"first_shortfall_week", stat_json(m.first_shortfall_week)},
                             {"peak_price_multiple", stat_json(m.peak_price_multiple)},
                             {"shortfall_share", bands_json(m.shortfall_share)},
                             {"price_multiple", bands_json(m.price_multiple)}});
    }
    auto candidates = nlohmann::json::array();
    for (const auto& c : s.candidates) {
        candidates.push_back({{"id", c.id},
                              {"name", c.name},
                              {"relevance", c.relevance},
                              {"reasons", c.reasons},
                              {"error", c.error}});
    }
    nlohmann::json sensitivity = nullptr;
    if (s.sensitivity) {
        auto drivers = nlohmann::json::array();
        for (const auto& d : s.sensitivity->drivers) {
            drivers.push_back({{"parameter", d.parameter},
                               {"low_value", d.low_value},
                               {"high_value", d.high_value},
                               {"median_low", d.median_low},
                               {"median_high", d.median_high},
                               {"swing", d.swing}});
        }
        sensitivity = {{"method", "oat"},
                       {"material", s.sensitivity->material},
                       {"metric", s.sensitivity->metric},
                       {"runs", s.sensitivity->runs},
                       {"median_base", s.sensitivity->median_base},
                       {"drivers", std::move(drivers)}};
    }
    return {{"availability", availability_json(s.availability)},
            {"id", s.id},
            {"file", s.file},
            {"name", s.name},
            {"description", s.description},
            {"start", s.id.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.start.to_string())},
            {"horizon_weeks", s.horizon_weeks},
            {"runs", s.runs},
            {"seed", s.seed},
            {"region", s.region},
            {"weeks", std::move(weeks)},
            {"materials", std::move(materials)},
            {"sensitivity", std::move(sensitivity)},
            {"candidates", std::move(candidates)},
            {"notes", s.notes},
            {"replay", s.replay}};
}

}  // namespace

const BomStage* BomItem::bottleneck() const {
    const BomStage* best = nullptr;
    for (const auto& s : stages) {
        if (best == nullptr || s.hhi > best->hhi) {
            best = &s;
        }
    }
    return best;
}

Brief assemble_brief(const model::World& world, const BriefOptions& options) {
    Brief b;
    const auto members = world.members(options.perspective);
    if (members.empty()) {
        throw InputError(ErrorCode::UnknownPerspective,
                         "perspective '" + options.perspective +
                             "' is not an ISO3 country code or a bloc of the dataset");
    }
    if (options.horizon_days <= 0) {
        throw InputError(ErrorCode::Usage, "horizon: expected a positive number of days, got " +
                                               std::to_string(options.horizon_days));
    }
    b.dataset_name = world.info.name;
    b.dataset_version = world.info.version;
    b.dataset_as_of = world.info.as_of;
    b.dataset_hash = world.content_hash;
    b.as_of = options.as_of;
    b.policy_verified = world.info.policy_verified;
    if (b.policy_verified && *b.policy_verified < b.as_of) {
        b.policy_warning = "policy data verified to " + b.policy_verified->to_string() +
                           "; measures after that date are not known";
    }
    const auto fresh = freshness(world, options.as_of);
    b.data_age_days = fresh.data_age_days;
    b.freshness = fresh.notes;
    b.perspective = options.perspective;
    b.perspective_members = members;
    if (const auto* c = world.find_country(options.perspective);
        c != nullptr && !world.is_bloc(options.perspective)) {
        b.perspective_name = c->name;
    } else {
        b.perspective_name = "bloc of " + std::to_string(members.size()) + " countries";
    }
    b.horizon_days = options.horizon_days;
    const policy::MeasureIndexScope index(world.measures);  // per-measure questions in O(1)

    for (const auto* m : policy::in_force(world.measures, options.as_of)) {
        b.binding.push_back(brief_measure(world, *m, options.as_of, options.perspective, members));
    }
    for (const auto& m : world.measures) {
        if (m.kind != model::MeasureKind::Suspension &&
            policy::status_on(m, world.measures, options.as_of) == policy::Status::Suspended) {
            b.suspended.push_back(
                brief_measure(world, m, options.as_of, options.perspective, members));
        }
    }
    sort_measures(b.binding);
    sort_measures(b.suspended);

    const Date horizon_end = options.as_of.plus_days(options.horizon_days);
    for (const auto& c : policy::changes_between(world.measures, options.as_of, horizon_end)) {
        if (c.measure->kind == model::MeasureKind::Suspension) {
            continue;  // a suspension's own start and end show as suspended/resumed on what it
                       // suspends
        }
        b.upcoming.push_back({c.date, days_between(options.as_of, c.date), c.kind, c.measure->id,
                              c.measure->kind, c.measure->country, c.measure->title,
                              c.measure->materials, c.cause ? c.cause->id : std::string(),
                              touches(world, *c.measure, options.perspective, members)});
    }

    b.timeline_from = options.as_of.plus_days(-options.history_days);
    b.timeline_to = horizon_end;
    b.timeline = timeline_rows(world, b.timeline_from, b.timeline_to, options.perspective, members);
    b.concentration = concentration(world);
    try {
        b.risk = risk_by_assessment(world, options, b.binding);
    } catch (const InputError& e) {
        // The dataset lacks what a method needs: the section says so instead of the brief failing.
        std::string why;
        for (const auto& d : e.diagnostics()) {
            why += (why.empty() ? "" : "; ") + d.to_string();
        }
        b.risk =
            RiskSection{{false, "the criticality assessment could not run on this dataset: " + why},
                        "",
                        "sr",
                        {},
                        {}};
    }

    b.bom = bom_section(world, options);
    b.scenario = internal::scenario_section(world, b, options);
    b.bom.exposure = bom_scenario_exposure(world, b, options);
    return b;
}

nlohmann::json to_json(const Brief& b) {
    nlohmann::json j;
    j["generator"] = b.generator;
    j["dataset"] = {{"name", b.dataset_name},
                    {"version", b.dataset_version},
                    {"as_of", opt_date(b.dataset_as_of)},
                    {"policy_verified", opt_date(b.policy_verified)},
                    {"content_hash", b.dataset_hash}};
    if (!b.policy_warning.empty()) {
        j["policy_warning"] = b.policy_warning;
    }
    j["as_of"] = b.as_of.to_string();
    j["data_age_days"] = b.data_age_days ? nlohmann::json(*b.data_age_days) : nlohmann::json();
    j["freshness"] = b.freshness;
    j["perspective"] = {
        {"code", b.perspective}, {"name", b.perspective_name}, {"members", b.perspective_members}};
    j["horizon_days"] = b.horizon_days;
    j["binding"] = nlohmann::json::array();
    for (const auto& m : b.binding) {
        j["binding"].push_back(measure_json(m));
    }
    j["suspended"] = nlohmann::json::array();
    for (const auto& m : b.suspended) {
        j["suspended"].push_back(measure_json(m));
    }
    j["upcoming"] = nlohmann::json::array();
    for (const auto& c : b.upcoming) {
        j["upcoming"].push_back({{"date", c.date.to_string()},
                                 {"days_from_as_of", c.days_from_as_of},
                                 {"change", policy::to_string(c.change)},
                                 {"measure_id", c.measure_id},
                                 {"measure_kind", model::to_string(c.measure_kind)},
                                 {"country", c.country},
                                 {"title", c.title},
                                 {"materials", c.materials},
                                 {"cause_id", c.cause_id},
                                 {"touches_perspective", c.touches_perspective}});
    }
    j["timeline"] = {{"from", b.timeline_from.to_string()},
                     {"to", b.timeline_to.to_string()},
                     {"rows", nlohmann::json::array()}};
    for (const auto& r : b.timeline) {
        auto windows = nlohmann::json::array();
        for (const auto& [s, e] : r.suspended) {
            windows.push_back({s.to_string(), e.to_string()});
        }
        j["timeline"]["rows"].push_back({{"measure_id", r.measure_id},
                                         {"kind", model::to_string(r.kind)},
                                         {"label", r.label},
                                         {"effective", opt_date(r.effective)},
                                         {"expires", opt_date(r.expires)},
                                         {"suspended", windows},
                                         {"touches_perspective", r.touches_perspective}});
    }
    j["concentration"] = nlohmann::json::array();
    for (const auto& c : b.concentration) {
        j["concentration"].push_back({{"material", c.material},
                                      {"stage", c.stage},
                                      {"year", c.year},
                                      {"world_tonnes", c.world_tonnes},
                                      {"top_country", c.top_country},
                                      {"top_share", c.top_share},
                                      {"hhi", c.hhi},
                                      {"cr3", c.cr3}});
    }
    j["risk"] = {{"availability", availability_json(b.risk.availability)},
                 {"method", b.risk.method},
                 {"score_name", b.risk.score_name},
                 {"notes", b.risk.notes},
                 {"rows", nlohmann::json::array()}};
    for (const auto& r : b.risk.rows) {
        j["risk"]["rows"].push_back({{"rank", r.rank},
                                     {"material", r.material},
                                     {"name", r.name},
                                     {"stage", r.stage},
                                     {"top_country", r.top_country},
                                     {"top_share", r.top_share},
                                     {"hhi", r.hhi},
                                     {"score", r.score},
                                     {"sr", r.sr},
                                     {"ei", r.ei},
                                     {"critical", r.critical},
                                     {"geopolrisk", r.geopolrisk},
                                     {"import_reliance", r.import_reliance},
                                     {"basis", network::to_string(r.basis)},
                                     {"binding_measures", r.binding_measures}});
    }
    j["bom"] = {{"availability", availability_json(b.bom.availability)},
                {"file", b.bom.file},
                {"notes", b.bom.notes},
                {"items", nlohmann::json::array()}};
    for (const auto& item : b.bom.items) {
        auto stages = nlohmann::json::array();
        for (const auto& st : item.stages) {
            auto countries = nlohmann::json::array();
            for (const auto& c : st.countries) {
                countries.push_back(
                    {{"country", c.country}, {"share", c.share}, {"measures", c.measures}});
            }
            stages.push_back({{"stage", st.stage},
                              {"hhi", st.hhi},
                              {"kg_per_unit", st.kg_per_unit},
                              {"countries", std::move(countries)}});
        }
        j["bom"]["items"].push_back({{"product", item.product},
                                     {"material", item.material},
                                     {"kg_per_unit", item.kg_per_unit},
                                     {"tonnes_per_year", opt_num(item.tonnes_per_year)},
                                     {"notes", item.notes},
                                     {"stages", std::move(stages)}});
    }
    // The BOM's exposure to the headline: the document of `lodestone exposure --format json` with
    // the section's availability beside it.
    nlohmann::json ex = {{"availability", availability_json(b.bom.exposure.availability)},
                         {"scenario_id", b.bom.exposure.scenario}};
    if (b.bom.exposure.report) {
        const auto views = exposure_views(*b.bom.exposure.report,
                                          std::filesystem::path(b.bom.file).filename().string());
        for (const auto& [k, v] : views.json.items()) {
            ex[k] = v;
        }
    }
    j["bom"]["exposure"] = std::move(ex);
    j["scenario"] = scenario_json(b.scenario);
    return j;
}

}  // namespace lodestone::report
