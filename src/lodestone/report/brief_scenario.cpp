#include "lodestone/report/internal/brief_scenario.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "lodestone/core/text.hpp"
#include "lodestone/sim/market.hpp"
#include "lodestone/sim/monte_carlo.hpp"
#include "lodestone/sim/sensitivity.hpp"

namespace lodestone::report::internal {

namespace {

/// "binds again from 2026-11-28": how a change reads before its date.
const char* change_verb(policy::ChangeKind change) {
    switch (change) {
        case policy::ChangeKind::Resumed:
            return "binds again from";
        case policy::ChangeKind::Started:
            return "starts on";
        case policy::ChangeKind::Ended:
            return "ends on";
        case policy::ChangeKind::Suspended:
            return "is suspended from";
    }
    return "changes on";
}

bool overlaps(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    return std::any_of(a.begin(), a.end(),
                       [&](const auto& x) { return std::find(b.begin(), b.end(), x) != b.end(); });
}

/// Relevance = region weight x materials weight x timing weight, each with its reason.
ScenarioCandidate weigh(const model::World& world,
                        const io::ScenarioText& text,
                        const model::ScenarioSpec& spec,
                        const Brief& b) {
    ScenarioCandidate c{text.id, spec.name, 0.0, {}, {}};

    double region = 0.3;
    for (const auto& r : spec.regions) {
        if (r == b.perspective) {
            region = 1.0;
            break;
        }
        if (overlaps(world.members(r), b.perspective_members)) {
            region = std::max(region, 0.8);
        }
    }
    c.reasons.push_back(region == 1.0 ? "simulates " + b.perspective + " as a region"
                        : region == 0.8
                            ? "simulates a region that shares members with " + b.perspective
                            : "does not simulate " + b.perspective + " (world totals only)");

    double materials = 0.25;
    std::string ranked;
    for (const auto& m : spec.materials) {
        for (const auto& row : b.risk.rows) {
            if (row.material != m) {
                continue;
            }
            const double n = std::max<double>(1.0, static_cast<double>(b.risk.rows.size()) - 1.0);
            const double w = 1.0 - 0.5 * (row.rank - 1) / n;
            if (w > materials) {
                materials = w;
                ranked = fmt::format("{} is #{} of the riskiest materials for {}", m, row.rank,
                                     b.perspective);
            }
        }
    }
    c.reasons.push_back(ranked.empty()
                            ? join(spec.materials, ", ") +
                                  ": not among the riskiest materials for " + b.perspective
                            : ranked);

    double timing = 1.0;
    const Date end = spec.start.plus_days(7 * spec.horizon_weeks);
    if (end < b.as_of) {
        timing = 0.2;
        c.reasons.push_back("historical (" + spec.start.to_string() + " to " + end.to_string() +
                            "): an illustration, not an outlook");
    } else {
        for (const auto& u : b.upcoming) {
            const bool edited = std::any_of(spec.measures.begin(), spec.measures.end(),
                                            [&](const auto& e) { return e.id == u.measure_id; });
            if (u.touches_perspective && u.date <= end &&
                (edited || overlaps(u.materials, spec.materials))) {
                timing = 1.5;
                c.reasons.push_back(u.measure_id + " " + change_verb(u.change) + " " +
                                    u.date.to_string() + ", within its horizon");
                break;
            }
        }
    }
    for (const auto& item : b.bom.items) {
        if (std::find(spec.materials.begin(), spec.materials.end(), item.material) !=
            spec.materials.end()) {
            timing *= 1.5;
            c.reasons.push_back(item.material + " is in the BOM");
            break;
        }
    }
    c.relevance = region * materials * timing;
    return c;
}

ScenarioStat stat(const sim::SummaryBand& band) {
    return {band.p5, band.p50, band.p95, band.probability};
}

/// The simulated numbers of one material in one region.
ScenarioMaterial material_result(const sim::Simulation& sim,
                                 const sim::MonteCarloResult& mc,
                                 const std::string& region,
                                 const std::string& material) {
    ScenarioMaterial out;
    out.material = material;
    for (std::size_t i = 0; i < sim.series.size(); ++i) {
        const auto& s = sim.series[i];
        if (s.sector || s.region != region || s.group != material) {
            continue;
        }
        ScenarioBands* bands = s.metric == sim::Metric::ShortfallShare  ? &out.shortfall_share
                               : s.metric == sim::Metric::PriceMultiple ? &out.price_multiple
                                                                        : nullptr;
        if (bands == nullptr ||
            !bands->p50.empty()) {  // the first price series is the final stage's
            continue;
        }
        for (const auto& week : mc.bands[i]) {
            bands->p5.push_back(week.quantile(0.05, s.bins));
            bands->p50.push_back(week.quantile(0.50, s.bins));
            bands->p95.push_back(week.quantile(0.95, s.bins));
        }
    }
    for (std::size_t j = 0; j < sim.summaries.size(); ++j) {
        const auto& s = sim.summaries[j];
        if (s.sector || s.region != region || s.group != material) {
            continue;
        }
        switch (s.metric) {
            case sim::SummaryMetric::PeakShortfallShare:
                out.peak_shortfall_share = stat(mc.summary(j));
                break;
            case sim::SummaryMetric::FirstShortfallWeek:
                out.first_shortfall_week = stat(mc.summary(j));
                break;
            case sim::SummaryMetric::PeakPriceMultiple:
                out.peak_price_multiple = stat(mc.summary(j));
                break;
            default:
                break;
        }
    }
    return out;
}

/// The tornado of the top material in the section's region: peak shortfall, or peak price when no
/// parameter moves the shortfall (a scenario that only raises prices).
std::optional<ScenarioSensitivity> headline_sensitivity(const ScenarioSection& section,
                                                        const model::World& world,
                                                        const model::ScenarioSpec& spec,
                                                        const BriefOptions& options) {
    if (options.sensitivity_runs == 0 || section.materials.empty()) {
        return std::nullopt;
    }
    sim::SensitivityOptions so;
    so.runs = std::min<std::size_t>(options.sensitivity_runs,
                                    static_cast<std::size_t>(std::max(1, spec.runs)));
    so.threads = std::max(1, options.threads);
    const auto result = sim::run_sensitivity(world, spec, 0, so);
    if (result.params.empty()) {
        return std::nullopt;
    }
    const auto& material = section.materials.front().material;
    auto find = [&](sim::SummaryMetric metric) -> const sim::Tornado* {
        for (const auto& t : result.tornados) {
            if (t.region == section.region && t.material == material && t.metric == metric) {
                return &t;
            }
        }
        return nullptr;
    };
    const auto* tornado = find(sim::SummaryMetric::PeakShortfallShare);
    if (tornado == nullptr || tornado->bars.empty() || tornado->bars.front().swing == 0.0) {
        if (const auto* price = find(sim::SummaryMetric::PeakPriceMultiple); price != nullptr) {
            tornado = price;
        }
    }
    if (tornado == nullptr) {
        return std::nullopt;
    }
    ScenarioSensitivity out{material,
                            std::string(sim::to_string(tornado->metric)),
                            result.runs,
                            tornado->median_base,
                            {}};
    for (const auto& b : tornado->bars) {
        out.drivers.push_back(
            {b.path, b.low_value, b.high_value, b.median_low, b.median_high, b.swing});
    }
    return out;
}

/// The region whose figures the brief reports: the perspective if simulated, else a simulated
/// region sharing members with it (EU for DEU), else WORLD.
std::string reported_region(const sim::Simulation& sim, const model::World& world, const Brief& b) {
    std::string region = "WORLD";
    for (const auto& r : sim.regions) {
        if (r == b.perspective) {
            return r;
        }
        if (region == "WORLD" && r != "WORLD" &&
            overlaps(world.members(r), b.perspective_members)) {
            region = r;
        }
    }
    return region;
}

/// What a few runs of the scenario do to the reported region: the largest median peak shortfall
/// (0-1 of need) and price multiple over its materials.
struct DryRun {
    std::string region;
    std::size_t runs = 0;
    double shortfall = 0.0;
    double price_multiple = 1.0;
    std::string material;  ///< the material with the largest effect
};

DryRun dry_run(const model::World& world,
               const model::ScenarioSpec& spec,
               const Brief& b,
               std::size_t runs,
               int threads) {
    const auto sim = sim::compile_simulation(world, spec);
    sim::MonteCarloOptions mo;
    mo.runs = runs;
    mo.threads = std::max(1, threads);
    const auto mc = sim::run_monte_carlo(sim, mo);
    DryRun d;
    d.region = reported_region(sim, world, b);
    d.runs = mc.runs_done;
    double best = -1.0;
    for (const auto& m : sim.materials) {
        const auto r = material_result(sim, mc, d.region, m);
        const double effect = r.peak_shortfall_share.p50 + (r.peak_price_multiple.p50 - 1.0);
        d.shortfall = std::max(d.shortfall, r.peak_shortfall_share.p50);
        d.price_multiple = std::max(d.price_multiple, r.peak_price_multiple.p50);
        if (effect > best) {
            best = effect;
            d.material = m;
        }
    }
    return d;
}

/// Below these a dry run counts as no effect on the perspective (numerical noise of the market
/// model, not a finding): 0.1 % of need short, prices up 0.1 %.
constexpr double kNoShortfall = 1e-3;
constexpr double kNoPriceEffect = 1e-3;

/// Weighs the candidate by what its dry run does to the perspective: no effect -> relevance 0
/// (never the headline); otherwise x (1 + median peak shortfall share), so a deeper shortfall
/// ranks higher among scenarios that reach it.
void weigh_effect(ScenarioCandidate& c, const DryRun& d, const Brief& b) {
    const std::string where = d.region == b.perspective ? b.perspective
                              : d.region == "WORLD"
                                  ? "the world (" + b.perspective + " is not simulated)"
                                  : d.region + " (sharing members with " + b.perspective + ")";
    if (d.shortfall < kNoShortfall && d.price_multiple - 1.0 < kNoPriceEffect) {
        c.relevance = 0.0;
        c.reasons.push_back(fmt::format(
            "no shortfall or price effect on {} in a dry run of {} runs", where, d.runs));
        return;
    }
    c.relevance *= 1.0 + d.shortfall;
    c.reasons.push_back(
        fmt::format("reaches {}: {} peak shortfall {:.1f} % of need, price {:.2f}x (median of a "
                    "dry run of {} runs)",
                    where, d.material, 100.0 * d.shortfall, d.price_multiple, d.runs));
}

void run_headline(ScenarioSection& section,
                  const model::World& world,
                  const model::ScenarioSpec& spec,
                  const Brief& b,
                  const BriefOptions& options) {
    const auto sim = sim::compile_simulation(world, spec);
    sim::MonteCarloOptions mo;
    mo.runs = std::min<std::size_t>(options.scenario_runs,
                                    static_cast<std::size_t>(std::max(1, spec.runs)));
    mo.threads = std::max(1, options.threads);
    const auto mc = sim::run_monte_carlo(sim, mo);

    section.horizon_weeks = sim.horizon_weeks;
    section.runs = mc.runs_done;
    section.seed = mc.seed;
    section.weeks = sim.week_dates;
    section.region = reported_region(sim, world, b);
    for (const auto& m : sim.materials) {
        section.materials.push_back(material_result(sim, mc, section.region, m));
    }
    std::stable_sort(section.materials.begin(), section.materials.end(),
                     [](const auto& x, const auto& y) {
                         return x.peak_shortfall_share.p50 != y.peak_shortfall_share.p50
                                    ? x.peak_shortfall_share.p50 > y.peak_shortfall_share.p50
                                    : x.peak_price_multiple.p50 > y.peak_price_multiple.p50;
                     });
    if (section.region == "WORLD") {
        section.notes.push_back("The scenario does not simulate " + b.perspective +
                                "; the figures are world totals.");
    } else if (section.region != b.perspective) {
        section.notes.push_back("The scenario does not simulate " + b.perspective +
                                " itself; the figures are those of " + section.region +
                                ", which shares members with it.");
    }
    section.notes.push_back(
        fmt::format("{} Monte Carlo runs (the scenario asks for {}; the brief runs at most {}), "
                    "seed {}. The bands are "
                    "P5-P95 over runs; mass balance held to {:.1e}.",
                    mc.runs_done, spec.runs, options.scenario_runs, mc.seed, mc.max_mass_residual));
    if (mc.capped_runs > 0) {
        section.notes.push_back(
            fmt::format("FAILED RUNS: {} of {} runs reached the model's price guard of {:g}x the "
                        "baseline ({}); their prices "
                        "are not results, and the bands that include them overstate the price. The "
                        "scenario is beyond what "
                        "the model can price: read its shortfall, not its price.",
                        mc.capped_runs, mc.runs_done, sim.price_cap_multiple, mc.first_capped));
    }
    section.notes.insert(section.notes.end(), sim.notes.begin(), sim.notes.end());
    section.sensitivity = headline_sensitivity(section, world, spec, options);
    section.availability = {true, {}};
}

/// Every diagnostic of an error on one line, "; "-separated.
std::string diagnostics_text(const InputError& e) {
    std::vector<std::string> lines;
    for (const auto& d : e.diagnostics()) {
        lines.push_back(d.to_string());
    }
    return join(lines, "; ");
}

}  // namespace

ScenarioSection scenario_section(const model::World& world,
                                 const Brief& b,
                                 const BriefOptions& options) {
    ScenarioSection section;
    std::vector<std::string> ids;
    ids.reserve(options.scenarios.size());
    for (const auto& t : options.scenarios) {
        ids.push_back(t.id);
    }
    if (!options.scenario_id.empty() &&
        std::find(ids.begin(), ids.end(), options.scenario_id) == ids.end()) {
        throw InputError(ErrorCode::Usage, "--scenario: no curated scenario '" +
                                               options.scenario_id + "'; expected one of " +
                                               (ids.empty() ? "(none)" : join(ids, ", ")));
    }
    if (options.scenarios.empty()) {
        section.availability = {false, "no curated scenario is available to this build"};
        return section;
    }

    struct Weighed {
        ScenarioCandidate candidate;
        const io::ScenarioText* text = nullptr;
        std::optional<model::ScenarioSpec> spec;  ///< none: it does not read on this dataset
    };
    std::vector<Weighed> weighed;
    for (const auto& text : options.scenarios) {
        try {
            auto spec = io::read_scenario(text.toml, text.file, world);
            auto candidate = weigh(world, text, spec, b);
            if (options.scenario_runs > 0 && options.dry_runs > 0) {
                weigh_effect(candidate, dry_run(world, spec, b, options.dry_runs, options.threads),
                             b);
            }
            weighed.push_back({std::move(candidate), &text, std::move(spec)});
        } catch (const InputError& e) {  // listed with its problem, never chosen
            weighed.push_back({{text.id, {}, 0.0, {}, diagnostics_text(e)}, &text, std::nullopt});
        }
    }
    std::stable_sort(weighed.begin(), weighed.end(), [](const Weighed& x, const Weighed& y) {
        return x.candidate.relevance > y.candidate.relevance;
    });
    for (const auto& w : weighed) {
        section.candidates.push_back(w.candidate);
    }

    if (options.scenario_id.empty() && weighed.front().candidate.relevance <= 0.0) {
        section.availability = {
            false, "no curated scenario has an effect on " + b.perspective +
                       " (every dry run left its shortfall and prices unchanged); run one with "
                       "--scenario ID"};
        return section;
    }
    const auto& chosen = options.scenario_id.empty()
                             ? weighed.front()
                             : *std::find_if(weighed.begin(), weighed.end(), [&](const Weighed& w) {
                                   return w.text->id == options.scenario_id;
                               });
    const auto& text = *chosen.text;
    section.id = text.id;
    section.file = text.file;
    section.replay = "lodestone simulate " + text.id + " --out runs/" + text.id;
    if (!chosen.spec) {
        section.availability = {false,
                                "curated scenario " + text.id +
                                    " cannot run on this dataset: " + chosen.candidate.error};
        return section;
    }
    const auto& spec = *chosen.spec;
    section.name = spec.name;
    section.description = spec.description;
    section.start = spec.start;
    section.horizon_weeks = spec.horizon_weeks;
    section.seed = spec.seed;
    if (options.scenario_runs == 0) {
        section.availability = {
            false,
            "the scenario was not run (--scenario-runs 0); run it with `" + section.replay + "`"};
        return section;
    }
    try {
        run_headline(section, world, spec, b, options);
    } catch (const InputError& e) {
        section.availability = {
            false, "curated scenario " + text.id + " could not run: " + diagnostics_text(e)};
    }
    return section;
}

}  // namespace lodestone::report::internal
