#include "lodestone/report/brief_render.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lodestone/core/number_text.hpp"
#include "lodestone/core/text.hpp"
#include "lodestone/report/html.hpp"
#include "lodestone/report/svg_chart.hpp"
#include "lodestone/report/table.hpp"
#include "lodestone/report/table_fit.hpp"

namespace lodestone::report {

namespace {

using html::escape;
using html::Html;
using html::Literal;

std::string materials_text(const std::vector<std::string>& materials, std::string_view sep) {
    return materials.empty() ? std::string("(none modelled)") : join(materials, sep);
}

std::string opt_date_text(const std::optional<Date>& d, std::string_view none) {
    return d ? d->to_string() : std::string(none);
}

std::string kind_color(model::MeasureKind kind) {
    using model::MeasureKind;
    switch (kind) {
        case MeasureKind::ExportBan:
            return "#c0392b";
        case MeasureKind::ExportLicensing:
            return "#e67e22";
        case MeasureKind::ExportQuota:
        case MeasureKind::ExportTax:
            return "#d4ac0d";
        case MeasureKind::StockpilePurchase:
        case MeasureKind::StockpileRelease:
            return "#2874a6";
        case MeasureKind::CapacityChange:
            return "#27ae60";
        case MeasureKind::Tariff:
            return "#8e44ad";
        case MeasureKind::Suspension:
        case MeasureKind::DemandShift:
        case MeasureKind::TechnologyControl:
        case MeasureKind::Other:
            break;
    }
    return "#7f8c8d";
}

std::string kind_text(model::MeasureKind kind) {
    return std::string(model::to_string(kind));
}

std::string change_text(policy::ChangeKind change) {
    return std::string(policy::to_string(change));
}

std::size_t count_touching(const std::vector<BriefMeasure>& list) {
    return static_cast<std::size_t>(std::count_if(
        list.begin(), list.end(), [](const BriefMeasure& m) { return m.touches_perspective; }));
}

/// "week 5" or "none within the horizon" for a first-shortfall week quantile.
std::string week_text(double week) {
    return std::isfinite(week) ? fmt::format("week {:.0f}", week)
                               : std::string("none within the horizon");
}

/// The one-sentence result of the headline scenario, for the headline list and the terminal.
std::string scenario_sentence(const Brief& b) {
    const auto& s = b.scenario;
    if (!s.availability.available || s.materials.empty()) {
        return {};
    }
    const auto& m = s.materials.front();
    return fmt::format(
        "Scenario \"{}\" ({} runs): in {}, the {} shortfall peaks at {} of need in the median run "
        "(P5-P95 {} to {}); first shortfall {}; price up to {:.2f}x (P50, P95 {:.2f}x).",
        s.name, s.runs, s.region, m.material, percent(m.peak_shortfall_share.p50, 1),
        percent(m.peak_shortfall_share.p5, 1), percent(m.peak_shortfall_share.p95, 1),
        week_text(m.first_shortfall_week.p50), m.peak_price_multiple.p50,
        m.peak_price_multiple.p95);
}

/// One sentence per headline fact, shared by the terminal and the HTML.
std::vector<std::string> headline(const Brief& b) {
    std::vector<std::string> lines;
    lines.push_back(fmt::format("{} measures bind on {}; {} of them touch {}.", b.binding.size(),
                                b.as_of.to_string(), count_touching(b.binding), b.perspective));
    // What touches the perspective comes first; the rest is summed up in one line.
    std::vector<std::string> other_suspended;
    for (const auto& m : b.suspended) {
        if (!m.touches_perspective) {
            other_suspended.push_back(m.id);
            continue;
        }
        lines.push_back(
            fmt::format("{} ({}) is suspended by {}{}.", m.id,
                        m.title.empty() ? kind_text(m.kind) : m.title, join(m.suspended_by, ", "),
                        m.suspended_until ? fmt::format(" until {}; it binds again from {} unless "
                                                        "extended",
                                                        m.suspended_until->to_string(),
                                                        m.suspended_until->plus_days(1).to_string())
                                          : std::string()));
    }
    if (b.upcoming.empty()) {
        lines.push_back(
            fmt::format("No measure starts, ends, is suspended or resumes in the next {} days.",
                        b.horizon_days));
    } else {
        const auto touching =
            std::find_if(b.upcoming.begin(), b.upcoming.end(),
                         [](const BriefChange& c) { return c.touches_perspective; });
        if (touching == b.upcoming.end()) {
            lines.push_back(fmt::format("{} change{} in the next {} days; none touches {}.",
                                        b.upcoming.size(), b.upcoming.size() == 1 ? "" : "s",
                                        b.horizon_days, b.perspective));
        } else {
            const auto& c = *touching;
            lines.push_back(fmt::format(
                "{} change{} in the next {} days; the first that touches {}: {} {} on {} "
                "(in {} day{}).",
                b.upcoming.size(), b.upcoming.size() == 1 ? "" : "s", b.horizon_days, b.perspective,
                c.measure_id, change_text(c.change), c.date.to_string(), c.days_from_as_of,
                c.days_from_as_of == 1 ? "" : "s"));
        }
    }
    if (!other_suspended.empty()) {
        lines.push_back(fmt::format("Also suspended, not touching {}: {}.", b.perspective,
                                    join(other_suspended, ", ")));
    }
    if (const auto sentence = scenario_sentence(b); !sentence.empty()) {
        lines.push_back(sentence);
    }
    return lines;
}

Table measures_table(const std::string& title,
                     const std::vector<BriefMeasure>& list,
                     const Brief& b,
                     bool suspended,
                     bool with_touch = true) {
    std::vector<Column> cols{"id",        "title",        "country", "kind",
                             "materials", "destinations", "since",   "until"};
    if (suspended) {
        cols.emplace_back("suspended_by");
        cols.emplace_back("binds_again");
    }
    if (with_touch) {
        cols.emplace_back("touches_" + b.perspective);
    }
    Table t{title, cols, {}, {}};
    for (const auto& m : list) {
        std::vector<Cell> row{m.id,
                              m.title,
                              m.country,
                              kind_text(m.kind),
                              materials_text(m.materials, ";"),
                              m.destinations,
                              opt_date_text(m.effective, ""),
                              opt_date_text(m.expires, "open-ended")};
        if (suspended) {
            row.emplace_back(join(m.suspended_by, ";"));
            row.emplace_back(m.suspended_until ? Cell{m.suspended_until->plus_days(1).to_string()}
                                               : Cell{});
        }
        if (with_touch) {
            row.emplace_back(m.touches_perspective);
        }
        t.add(std::move(row));
    }
    return t;
}

Table upcoming_table(const Brief& b) {
    Table t{fmt::format("Changes in the next {} days (to {})", b.horizon_days,
                        b.as_of.plus_days(b.horizon_days).to_string()),
            {"date",
             {"in", -1, "days"},
             "change",
             "measure",
             "country",
             "kind",
             "materials",
             "cause",
             "touches_" + b.perspective},
            {},
            {"date = first day of the new status"}};
    for (const auto& c : b.upcoming) {
        t.add({c.date.to_string(), static_cast<std::int64_t>(c.days_from_as_of),
               change_text(c.change), c.measure_id, c.country, kind_text(c.measure_kind),
               join(c.materials, ";"), c.cause_id, c.touches_perspective});
    }
    return t;
}

Table risk_table(const Brief& b) {
    Table t{fmt::format("The {} riskiest materials for {}", b.risk.rows.size(), b.perspective),
            {"rank",
             "material",
             "name",
             "stage",
             {"sr", 2},
             {"ei", 2},
             "critical",
             {"hhi", 3},
             "top_country",
             {"top_share", 2},
             {"import_reliance", 2},
             "basis",
             "binding_export_restrictions"},
            {},
            {"method: " + b.risk.method}};
    for (const auto& n : b.risk.notes) {
        t.notes.push_back(n);
    }
    for (const auto& r : b.risk.rows) {
        t.add({static_cast<std::int64_t>(r.rank), r.material, r.name, r.stage, r.sr, r.ei,
               r.critical, r.hhi, r.top_country, r.top_share, r.import_reliance,
               std::string(network::to_string(r.basis)), join(r.binding_measures, ";")});
    }
    return t;
}

std::vector<std::string> stage_measures(const BomStage& s) {
    std::vector<std::string> out;
    for (const auto& c : s.countries) {
        for (const auto& m : c.measures) {
            if (std::find(out.begin(), out.end(), m) == out.end()) {
                out.push_back(m);
            }
        }
    }
    return out;
}

Table bom_table(const Brief& b) {
    Table t{"BOM exposure: " + b.bom.file,
            {"product",
             "material",
             {"kg_per_unit", 4, "kg"},
             "most_concentrated_stage",
             "top_origin",
             {"top_share", 2},
             {"hhi", 3},
             "measures_in_force"},
            {},
            b.bom.notes};
    for (const auto& item : b.bom.items) {
        const auto* s = item.bottleneck();
        if (s == nullptr || s->countries.empty()) {
            t.add({item.product, item.material, item.kg_per_unit, {}, {}, {}, {}, {}});
            continue;
        }
        t.add({item.product, item.material, item.kg_per_unit, s->stage,
               s->countries.front().country, s->countries.front().share, s->hhi,
               join(stage_measures(*s), ";")});
    }
    return t;
}

std::string weeks_text(double w) {
    return std::isfinite(w) ? fmt::format("{:.0f}", w) : std::string("never");
}

/// Stock-out week as "P50 [P5, P95]" (never = not within the horizon).
std::string stockout_text(const exposure::Band& w) {
    return weeks_text(w.p50) + " [" + weeks_text(w.p5) + ", " + weeks_text(w.p95) + "]";
}

std::string driver_text(const exposure::ProductExposure& p) {
    return p.driver_material.empty()
               ? std::string("-")
               : p.driver_material + (p.driver_country.empty() ? "" : " / " + p.driver_country);
}

Cell finite_cell(double v) {
    return std::isfinite(v) ? Cell{v} : Cell{};
}

/// The BOM's exposure to the headline scenario: one row per product.
Table exposure_table(const Brief& b) {
    const auto& r = *b.bom.exposure.report;
    Table t{fmt::format("BOM under {} ({}): median [P5, P95] over {} runs, seed {}",
                        b.bom.exposure.scenario, r.scenario, r.runs, r.seed),
            {"product",
             "region",
             {"cover", 1, "weeks"},
             {"p_stockout", 2},
             "stockout_week",
             {"cost_before", 2, "USD/unit"},
             {"cost_after_p50", 2, "USD/unit"},
             {"cost_after_p95", 2, "USD/unit"},
             {"margin_change_p50", 2, "pp"},
             "driver"},
            {},
            {}};
    for (const auto& p : r.products) {
        t.add({p.product, p.region, p.cover_weeks, p.p_stockout, stockout_text(p.stockout_week),
               p.cost_before_usd, finite_cell(p.cost_after_usd.p50),
               finite_cell(p.cost_after_usd.p95),
               p.margin_change_pp ? finite_cell(p.margin_change_pp->p50) : Cell{}, driver_text(p)});
    }
    t.notes.push_back(
        fmt::format("stockout_week: weeks from the scenario start until the line runs below full "
                    "output (never = not within {} "
                    "weeks); cost per unit: material content x price, mean over the horizon; "
                    "margin change at pass-through {}, "
                    "percentage points of the unit price (empty: the BOM gives no unit price). "
                    "Same numbers as `lodestone "
                    "exposure --bom {} --scenario {} --runs {} --pass-through {}`.",
                    r.weeks, format_number(r.pass_through), b.bom.file, b.bom.exposure.scenario,
                    r.runs, format_number(r.pass_through)));
    for (const auto& p : r.products) {
        t.notes.push_back(p.product + ": cover " + format_number(p.cover_weeks) + " weeks (" +
                          p.cover_basis + "); driver: " + p.driver_basis);
    }
    t.notes.insert(t.notes.end(), r.notes.begin(), r.notes.end());
    return t;
}

// ---- HTML ----------------------------------------------------------------------------------

constexpr Literal kCss{R"(
:root{--ink:#1d2329;--muted:#5f6b76;--line:#e2e6ea;--accent:#2f6f9f;--warn:#c0392b;--bg:#f6f7f9}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#14202b;color:#fff;padding:22px 32px}header h1{margin:0 0 4px;font-size:22px;font-weight:650}
header p{margin:0;color:#c7d0d8}main{max-width:1080px;margin:0 auto;padding:8px 24px 40px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}
h2{font-size:17px;margin:0 0 10px}h3{font-size:14px;margin:14px 0 6px;color:var(--muted)}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:6px 0 10px}.card{flex:1 1 150px;border:1px solid var(--line);border-radius:6px;padding:10px 12px}
.card b{display:block;font-size:22px}.card span{color:var(--muted);font-size:12px}
ul.headline{margin:4px 0 0;padding-left:18px}table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);vertical-align:top}th{color:var(--muted);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.touch td:first-child{border-left:3px solid var(--warn)}
.pill{display:inline-block;padding:0 6px;border-radius:9px;font-size:11px;color:#fff}
.unavailable{border:1px dashed #b9c2ca;background:#fafbfc;color:var(--muted);padding:10px 12px;border-radius:6px}
td.date{white-space:nowrap}.notes{color:var(--muted);font-size:12px;margin:8px 0 0;padding-left:18px}.chart{overflow-x:auto}
.heat td.cell{text-align:center;font-size:11.5px;white-space:nowrap}
footer{color:var(--muted);font-size:12px;max-width:1080px;margin:0 auto;padding:0 24px 30px}
.chart svg{display:block;max-width:100%;height:auto}.freshness{margin:6px 0 0;color:#ffd27f}
@media (max-width:640px){header{padding:14px 16px}main{padding:4px 8px 24px}section{padding:12px 10px}
table{display:block;overflow-x:auto}.card{flex:1 1 120px}}
@page{size:A4;margin:12mm}
@media print{body{background:#fff;font-size:11px}header{background:#fff;color:#000;padding:0 0 8px;border-bottom:2px solid #000}
header p{color:#333}main{max-width:none;padding:0}section{break-inside:avoid;border:none;padding:6px 0;margin:8px 0}
.chart{overflow:visible}table{font-size:10px}tr{break-inside:avoid}h2{break-after:avoid}
.freshness{color:#000}a{color:#000;text-decoration:none}}
)"};

Html pill(model::MeasureKind kind) {
    return html::format("<span class=\"pill\" style=\"background:{}\">{}</span>", kind_color(kind),
                        kind_text(kind));
}

Html unavailable(const Availability& a) {
    return "<div class=\"unavailable\"><b>Not available.</b> " + escape(a.reason) + "</div>";
}

/// An output value as the brief shows it: a share in %, a price multiple with "x".
std::string metric_text(const std::string& metric, double v) {
    return metric == "peak_shortfall_share" ? percent(v, 1) : fmt::format("{:.2f}x", v);
}

/// Parameter values: short, in the parameter's own unit.
std::string value_text(double v) {
    return fmt::format("{:.3g}", v);
}

Table scenario_table(const Brief& b) {
    const auto& s = b.scenario;
    Table t{fmt::format("Scenario {}: {} (region {}, {} runs from {}, {} weeks)", s.id, s.name,
                        s.region, s.runs, s.start.to_string(), s.horizon_weeks),
            {"material",
             {"peak_shortfall_p5", 3},
             {"peak_shortfall_p50", 3},
             {"peak_shortfall_p95", 3},
             {"shortfall_probability", 2},
             "first_shortfall_week_p50",
             {"peak_price_p50", 2},
             {"peak_price_p95", 2}},
            {},
            {}};
    for (const auto& m : s.materials) {
        t.add({m.material, m.peak_shortfall_share.p5, m.peak_shortfall_share.p50,
               m.peak_shortfall_share.p95, m.peak_shortfall_share.probability,
               std::isfinite(m.first_shortfall_week.p50) ? Cell{m.first_shortfall_week.p50}
                                                         : Cell{std::string("none")},
               m.peak_price_multiple.p50, m.peak_price_multiple.p95});
    }
    for (const auto& c : s.candidates) {
        if (c.id == s.id) {
            t.notes.push_back("chosen because: " + join(c.reasons, "; "));
        }
    }
    t.notes.emplace_back(
        "shortfall = share of need not met (0-1); price = multiple of the baseline price.");
    t.notes.insert(t.notes.end(), s.notes.begin(), s.notes.end());
    if (s.sensitivity && !s.sensitivity->drivers.empty()) {
        const auto& top = s.sensitivity->drivers.front();
        t.notes.push_back(fmt::format(
            "most sensitive to {}: median {} of {} {} at its P5 ({}), {} at its P95 ({}); "
            "{} runs per variant, same seed",
            top.parameter, s.sensitivity->metric, s.sensitivity->material,
            metric_text(s.sensitivity->metric, top.median_low), value_text(top.low_value),
            metric_text(s.sensitivity->metric, top.median_high), value_text(top.high_value),
            s.sensitivity->runs));
    }
    t.notes.push_back("run it in full: " + s.replay);
    return t;
}

std::vector<svg::BandPoint> band_points(const ScenarioBands& bands) {
    std::vector<svg::BandPoint> points;
    for (std::size_t i = 0; i < bands.p50.size(); ++i) {
        points.push_back({static_cast<double>(i), bands.p5[i], bands.p50[i], bands.p95[i]});
    }
    return points;
}

Html html_tornado(const Brief& b) {
    const auto& t = *b.scenario.sensitivity;
    const bool shortfall = t.metric == "peak_shortfall_share";
    const std::string what = shortfall ? "peak shortfall" : "peak price";
    std::vector<svg::TornadoBar> bars;
    bars.reserve(t.drivers.size());
    for (const auto& d : t.drivers) {
        bars.push_back({d.parameter, d.median_low, d.median_high,
                        value_text(d.low_value) + ": " + metric_text(t.metric, d.median_low),
                        value_text(d.high_value) + ": " + metric_text(t.metric, d.median_high),
                        fmt::format("{} at P5 = {} -> {}; at P95 = {} -> {}; swing {}", d.parameter,
                                    value_text(d.low_value), metric_text(t.metric, d.median_low),
                                    value_text(d.high_value), metric_text(t.metric, d.median_high),
                                    metric_text(t.metric, d.swing))});
    }
    Html h = html::format("<h3 id=\"scenario-tornado\">What the {} of {} in {} depends on</h3>",
                          what, t.material, b.scenario.region);
    h += svg::tornado_chart(
        bars, {.base = t.median_base,
               .axis_label = "median " + what + " over runs" +
                             (shortfall ? " (share of need)" : " (x baseline price)")});
    h += html::format(
        "<ul class=\"notes\"><li>Each uncertain parameter of the scenario pinned at its P5 (blue) "
        "and at its P95 "
        "(red), everything else drawn as usual with the same seed, {} runs each; the vertical line "
        "is the median "
        "with nothing pinned ({}). The numbers at the bar ends are the parameter's value and the "
        "median. The "
        "parameters are the scenario's assumptions: the longest bar is the one the result hangs "
        "on.</li>",
        t.runs, metric_text(t.metric, t.median_base));
    if (!shortfall) {
        h += "<li>No parameter moves the peak shortfall in this run, so the tornado shows the peak "
             "price.</li>";
    }
    return h + "<li>Full analysis: <code>lodestone simulate " + escape(b.scenario.id) +
           " --sensitivity</code></li></ul>";
}

Html html_scenario(const Brief& b) {
    const auto& s = b.scenario;
    Html h;
    if (!s.availability.available) {
        h += unavailable(s.availability);
    } else {
        h += html::format("<p><b>{}</b> (curated scenario <code>{}</code>). {}</p>", s.name, s.id,
                          s.description);
        h += "<p class=\"headline\">" + escape(scenario_sentence(b)) + "</p>";
        h += "<table><thead><tr><th>material</th><th>peak shortfall P5 / P50 / "
             "P95</th><th>probability of a "
             "shortfall</th><th>first shortfall (P50)</th><th>peak price P50 / "
             "P95</th></tr></thead><tbody>";
        for (const auto& m : s.materials) {
            h += html::format(
                "<tr><td>{}</td><td class=\"num\">{} / {} / {}</td><td "
                "class=\"num\">{}</td><td>{}</td>"
                "<td class=\"num\">{:.2f}x / {:.2f}x</td></tr>",
                m.material, percent(m.peak_shortfall_share.p5, 1),
                percent(m.peak_shortfall_share.p50, 1), percent(m.peak_shortfall_share.p95, 1),
                percent(m.peak_shortfall_share.probability, 0),
                week_text(m.first_shortfall_week.p50), m.peak_price_multiple.p50,
                m.peak_price_multiple.p95);
        }
        h += "</tbody></table>";
    }
    if (s.availability.available && !s.materials.empty()) {
        const auto& top = s.materials.front();
        const std::string from =
            s.weeks.empty() ? std::string() : " from " + s.weeks.front().to_string();
        h += "<div class=\"fans\" id=\"scenario-fans\">";
        h += svg::fan_chart(band_points(top.shortfall_share),
                            {.title = top.material + " shortfall, " + s.region + " (share of need)",
                             .x_label = "week" + from,
                             .y_label = "shortfall share"});
        h += svg::fan_chart(band_points(top.price_multiple),
                            {.title = top.material + " price, " + s.region + " (x baseline)",
                             .x_label = "week" + from,
                             .y_label = "price multiple",
                             .color = "#2874a6"});
        h += "</div><ul class=\"notes\"><li>Shaded: P5-P95 over runs, week by week; line: the "
             "weekly median (P50). "
             "Runs meet their shortfall in different weeks, so the weekly median can stay low "
             "while the median of "
             "each run's peak (the table) is high.</li>";
        for (const auto& n : s.notes) {
            h += "<li>" + escape(n) + "</li>";
        }
        h += "<li>Run it in full: <code>" + escape(s.replay) + "</code></li></ul>";
    }
    if (s.availability.available && s.sensitivity) {
        h += html_tornado(b);
    }
    if (!s.candidates.empty()) {
        h += "<h3>Curated scenarios by relevance to " + escape(b.perspective) +
             "</h3><table><thead><tr><th>scenario</th><th>relevance</th><th>why</th></tr></"
             "thead><tbody>";
        for (const auto& c : s.candidates) {
            h += html::format(
                "<tr{}><td><code>{}</code> {}</td><td class=\"num\">{:.2f}</td><td>{}</td></tr>",
                c.id == s.id ? Literal{" class=\"touch\""} : Literal{""}, c.id, c.name, c.relevance,
                c.error.empty() ? join(c.reasons, "; ") : "cannot run: " + c.error);
        }
        h += "</tbody></table><ul class=\"notes\"><li>Relevance = region (1 if the scenario "
             "simulates the "
             "perspective, 0.8 if a simulated region shares members with it, 0.3 if not) x "
             "materials (1 for the riskiest material down to 0.5 for the tenth, 0.25 "
             "if none ranks) x timing (1.5 if a measure touching the perspective changes within "
             "the scenario's "
             "horizon, 0.2 if historical; 1.5 more if a material is in the BOM). A heuristic, "
             "labelled as such."
             "</li></ul>";
    }
    return h;
}

Html html_measures(const std::vector<BriefMeasure>& list, const Brief& b, bool suspended) {
    Html h{
        "<table><thead><tr><th>id</th><th>country</th><th>kind</th><th>materials</"
        "th><th>destinations</th>"
        "<th>since</th><th>until</th>"};
    if (suspended) {
        h += "<th>suspended by</th><th>binds again</th>";
    }
    h += "<th>touches " + escape(b.perspective) + "</th></tr></thead><tbody>";
    for (const auto& m : list) {
        h += html::format(
            "<tr class=\"{}\" data-measure=\"{}\"><td class=\"date\" "
            "title=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td>"
            "<td>{}</td><td class=\"date\">{}</td><td class=\"date\">{}</td>",
            m.touches_perspective ? "touch" : "", m.id, m.title, m.id, m.country, pill(m.kind),
            materials_text(m.materials, ", "), m.destinations, opt_date_text(m.effective, ""),
            opt_date_text(m.expires, "open-ended"));
        if (suspended) {
            h += html::format(
                "<td>{}</td><td class=\"date\">{}</td>", join(m.suspended_by, ", "),
                m.suspended_until ? m.suspended_until->plus_days(1).to_string() : std::string());
        }
        h += html::format("<td>{}</td></tr>", m.touches_perspective ? "yes" : "no");
    }
    return h + "</tbody></table>";
}

Html html_timeline(const Brief& b) {
    std::vector<svg::TimelineBar> bars;
    for (const auto& r : b.timeline) {
        std::string tip = r.measure_id + " (" + kind_text(r.kind) + "): " + r.label + "\nfrom " +
                          opt_date_text(r.effective, "?") + " to " +
                          opt_date_text(r.expires, "open-ended");
        for (const auto& [s, e] : r.suspended) {
            tip += "\nsuspended " + s.to_string() + " to " + e.to_string();
        }
        std::string label = r.measure_id + "  " + r.label;
        if (label.size() > 46) {
            label = label.substr(0, 44) + "…";
        }
        bars.push_back({label,
                        tip,
                        kind_color(r.kind),
                        r.touches_perspective,
                        {r.effective, r.expires},
                        r.suspended});
    }
    return svg::timeline_chart(bars, {b.timeline_from, b.timeline_to, b.as_of});
}

struct Rgb {
    double r, g, b;
};

/// Blue (dispersed) through amber to red (monopoly), the dashboard's scale.
Rgb heat_rgb(double hhi) {
    const double t = std::clamp(hhi, 0.0, 1.0);
    const Rgb lo{94, 140, 180};
    const Rgb mid{245, 176, 65};
    const Rgb hi{192, 57, 43};
    const auto mix = [](const Rgb& a, const Rgb& c, double u) {
        return Rgb{a.r + (c.r - a.r) * u, a.g + (c.g - a.g) * u, a.b + (c.b - a.b) * u};
    };
    return t < 0.5 ? mix(lo, mid, t * 2) : mix(mid, hi, (t - 0.5) * 2);
}

std::string heat_style(double hhi) {
    const Rgb c = heat_rgb(hhi);
    const double luminance = (0.299 * c.r + 0.587 * c.g + 0.114 * c.b) / 255.0;
    return fmt::format("background:rgb({:.0f},{:.0f},{:.0f});color:{}", c.r, c.g, c.b,
                       luminance > 0.6 ? "#1d2329" : "#fff");
}

Html html_concentration(const Brief& b) {
    std::size_t max_stages = 0;
    std::vector<std::string> materials;
    for (const auto& c : b.concentration) {
        if (std::find(materials.begin(), materials.end(), c.material) == materials.end()) {
            materials.push_back(c.material);
        }
    }
    for (const auto& m : materials) {
        max_stages = std::max(max_stages,
                              static_cast<std::size_t>(std::count_if(
                                  b.concentration.begin(), b.concentration.end(),
                                  [&](const StageConcentration& c) { return c.material == m; })));
    }
    Html h{"<table class=\"heat\"><thead><tr><th>material</th>"};
    for (std::size_t i = 0; i < max_stages; ++i) {
        h += html::format("<th>stage {}</th>", i + 1);
    }
    h += "</tr></thead><tbody>";
    for (const auto& m : materials) {
        h += "<tr><td>" + escape(m) + "</td>";
        std::size_t n = 0;
        for (const auto& c : b.concentration) {
            if (c.material != m) {
                continue;
            }
            ++n;
            h += html::format(
                "<td class=\"cell\" style=\"{}\" title=\"{} {}: world {:.0f} t ({}), HHI {:.3f}, "
                "CR3 {}\">{}: {} {}</td>",
                heat_style(c.hhi), c.material, c.stage, c.world_tonnes, c.year, c.hhi,
                percent(c.cr3, 0), c.stage, c.top_country, percent(c.top_share, 0));
        }
        for (; n < max_stages; ++n) {
            h += "<td></td>";
        }
        h += "</tr>";
    }
    return h + "</tbody></table>";
}

Html html_risk(const Brief& b) {
    if (!b.risk.availability.available) {
        return unavailable(b.risk.availability);
    }
    double max_score = 0.0;
    for (const auto& r : b.risk.rows) {
        max_score = std::max(max_score, r.score);
    }
    std::vector<svg::Bar> bars;
    for (const auto& r : b.risk.rows) {
        const std::string name = r.name.empty() ? r.material : r.name.substr(0, r.name.find(" ("));
        bars.push_back(
            {fmt::format("{}. {} ({})", r.rank, name, r.stage), r.score,
             fmt::format("SR {:.2f}{} · {} {}", r.sr, r.critical ? " · critical" : "",
                         r.top_country, percent(r.top_share, 0)),
             fmt::format(
                 "{} at {}: SR {:.3f}, EI {:.2f}{}, HHI {:.3f}, top producer {} with {}, import "
                 "reliance {} ({}){}",
                 r.material, r.stage, r.sr, r.ei, r.critical ? " (critical)" : "", r.hhi,
                 r.top_country, percent(r.top_share, 1), percent(r.import_reliance, 0),
                 std::string(network::to_string(r.basis)),
                 r.binding_measures.empty() ? "" : "; binding: " + join(r.binding_measures, ", ")),
             r.binding_measures.empty() ? "#2f6f9f" : "#c0392b"});
    }
    Html h = html::format(
        "<p>Method: {}. Red bars: materials under an export restriction in force that touches "
        "{}.</p>"
        "<div class=\"chart\" id=\"risk-chart\">{}</div>",
        b.risk.method, b.perspective,
        svg::hbar_chart(bars,
                        {max_score > 0 ? max_score * 1.05 : 1.0, 900, 300, "EU supply risk (SR)"}));
    h += "<table><thead><tr><th>rank</th><th>material</th><th>stage</th><th>SR</th><th>EI</"
         "th><th>critical</th>"
         "<th>HHI</th><th>top producer</th><th>share</th><th>import reliance</th><th>basis</th>"
         "<th>binding export restrictions</th></tr></thead><tbody>";
    for (const auto& r : b.risk.rows) {
        h += html::format(
            "<tr data-material=\"{}\"><td class=\"num\">{}</td><td>{}</td><td>{}</td><td "
            "class=\"num\">{:.2f}</td>"
            "<td class=\"num\">{:.2f}</td><td>{}</td><td class=\"num\">{:.3f}</td><td>{}</td>"
            "<td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            r.material, r.rank, r.material, r.stage, r.sr, r.ei, r.critical ? "yes" : "no", r.hhi,
            r.top_country, percent(r.top_share, 1), percent(r.import_reliance, 0),
            std::string(network::to_string(r.basis)), join(r.binding_measures, ", "));
    }
    h += "</tbody></table><ul class=\"notes\">";
    for (const auto& n : b.risk.notes) {
        h += "<li>" + escape(n) + "</li>";
    }
    return h + "</ul>";
}

Html html_bom(const Brief& b) {
    if (!b.bom.availability.available) {
        return unavailable(b.bom.availability);
    }
    Html h = html::format(
        "<p>{}: for each product and material, the country of origin at every upstream stage "
        "(look-through) and the export measures in force that touch each share.</p>",
        b.bom.file);
    h += "<table><thead><tr><th>product</th><th>material</th><th>kg/unit</th><th>most concentrated "
         "stage</th>"
         "<th>top origin</th><th>share</th><th>HHI</th><th>measures in "
         "force</th></tr></thead><tbody>";
    for (const auto& item : b.bom.items) {
        const auto* s = item.bottleneck();
        const bool any = s != nullptr && !s->countries.empty();
        h += html::format(
            "<tr data-product=\"{}\" data-material=\"{}\"><td>{}</td><td>{}</td><td "
            "class=\"num\">{:.4g}</td>"
            "<td>{}</td><td>{}</td><td class=\"num\">{}</td><td "
            "class=\"num\">{}</td><td>{}</td></tr>",
            item.product, item.material, item.product, item.material, item.kg_per_unit,
            any ? s->stage : "", any ? s->countries.front().country : "",
            any ? percent(s->countries.front().share, 1) : "",
            any ? fmt::format("{:.3f}", s->hhi) : "", any ? join(stage_measures(*s), ", ") : "");
    }
    h += "</tbody></table>";
    // One stacked chart per product: a row per material and stage, segments by origin country.
    std::vector<std::string> products;
    for (const auto& item : b.bom.items) {
        if (std::find(products.begin(), products.end(), item.product) == products.end()) {
            products.push_back(item.product);
        }
    }
    for (const auto& product : products) {
        std::vector<svg::StackedRow> rows;
        for (const auto& item : b.bom.items) {
            if (item.product != product) {
                continue;
            }
            for (const auto& st : item.stages) {
                svg::StackedRow row{item.material + " · " + st.stage, {}};
                for (const auto& c : st.countries) {
                    row.segments.push_back({c.country, c.share, ""});
                }
                rows.push_back(std::move(row));
            }
        }
        h += "<h3>" + escape(product) + ": origin by stage</h3><div class=\"chart bom-chart\">" +
             svg::stacked_chart(rows, 900, 260) + "</div>";
    }
    if (!b.bom.notes.empty() || std::any_of(b.bom.items.begin(), b.bom.items.end(),
                                            [](const BomItem& i) { return !i.notes.empty(); })) {
        h += "<ul class=\"notes\">";
        for (const auto& n : b.bom.notes) {
            h += "<li>" + escape(n) + "</li>";
        }
        for (const auto& i : b.bom.items) {
            for (const auto& n : i.notes) {
                h += "<li>" + escape(i.product + " · " + i.material + ": " + n) + "</li>";
            }
        }
        h += "</ul>";
    }
    return h;
}

Html html_bom_exposure(const Brief& b) {
    const auto& ex = b.bom.exposure;
    if (!ex.availability.available || !ex.report) {
        return "<h3 id=\"bom-exposure\">Under the headline scenario</h3>" +
               unavailable(ex.availability);
    }
    const auto& r = *ex.report;
    Html h = html::format("<h3 id=\"bom-exposure\">Under the headline scenario {} ({})</h3>",
                          ex.scenario, r.scenario);
    h += html::format(
        "<p>What the headline scenario does to each product of the BOM: median [P5, P95] over {} "
        "runs "
        "(seed {}), the same numbers as <code>lodestone exposure --bom {} --scenario {} --runs {} "
        "--pass-through {}</code>.</p>",
        r.runs, r.seed, std::filesystem::path(b.bom.file).filename().string(), ex.scenario, r.runs,
        format_number(r.pass_through));
    h += "<table><thead><tr><th>product</th><th>region</th><th>cover "
         "(weeks)</th><th>P(stock-out)</th>"
         "<th>stock-out week P50 [P5, P95]</th><th>cost/unit before (USD)</th><th>cost/unit after "
         "P50 [P5, P95] "
         "(USD)</th><th>margin change P50 (pp)</th><th>driver (material / "
         "country)</th></tr></thead><tbody>";
    for (const auto& p : r.products) {
        const auto money = [](double v) {
            return std::isfinite(v) ? fmt::format("{:.2f}", v) : std::string();
        };
        h += html::format(
            "<tr data-product=\"{}\"><td>{}</td><td>{}</td><td class=\"num\">{:.1f}</td><td "
            "class=\"num\">{}</td>"
            "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} [{}, {}]</td>"
            "<td class=\"num\">{}</td><td>{}</td></tr>",
            p.product, p.product, p.region, p.cover_weeks, percent(p.p_stockout, 0),
            stockout_text(p.stockout_week), money(p.cost_before_usd), money(p.cost_after_usd.p50),
            money(p.cost_after_usd.p5), money(p.cost_after_usd.p95),
            p.margin_change_pp && std::isfinite(p.margin_change_pp->p50)
                ? fmt::format("{:.2f}", p.margin_change_pp->p50)
                : std::string("-"),
            driver_text(p));
    }
    h += "</tbody></table><ul class=\"notes\">";
    h += html::format(
        "<li>Stock-out week: weeks from the scenario start until the line runs below full output "
        "(never = not within {} weeks). Cost per unit: material content x price, mean over the "
        "horizon. Margin change: -(cost change) x (1 - pass-through {}) / unit price, in "
        "percentage "
        "points (- when the BOM gives no unit price).</li>",
        r.weeks, format_number(r.pass_through));
    for (const auto& p : r.products) {
        h += "<li>" +
             escape(p.product + ": cover " + format_number(p.cover_weeks) + " weeks (" +
                    p.cover_basis + "); driver: " + p.driver_basis) +
             "</li>";
        for (const auto& n : p.notes) {
            h += "<li>" + escape(p.product + ": " + n) + "</li>";
        }
    }
    for (const auto& n : r.notes) {
        h += "<li>" + escape(n) + "</li>";
    }
    return h + "</ul>";
}

}  // namespace

std::string render_terminal(const Brief& b, const std::string& html_path, std::size_t max_width) {
    std::string out = fmt::format("Lodestone brief: as of {}, perspective {} ({})\n",
                                  b.as_of.to_string(), b.perspective, b.perspective_name);
    out +=
        fmt::format("Dataset {} {} (as of {}), content hash {}\n\n", b.dataset_name,
                    b.dataset_version, opt_date_text(b.dataset_as_of, "unknown"), b.dataset_hash);
    if (!b.policy_warning.empty()) {
        out += "WARNING: " + b.policy_warning + "\n\n";
    }
    for (const auto& note : b.freshness) {
        out += "Note: " + note + "\n";
    }
    if (!b.freshness.empty()) {
        out += "\n";
    }
    for (const auto& line : headline(b)) {
        out += "* " + line + "\n";
    }
    std::vector<BriefMeasure> touching;
    std::copy_if(b.binding.begin(), b.binding.end(), std::back_inserter(touching),
                 [](const BriefMeasure& m) { return m.touches_perspective; });
    auto binds = measures_table("What binds today for " + b.perspective, touching, b, false, false);
    if (touching.size() < b.binding.size()) {
        binds.notes.push_back(
            fmt::format("{} other measures in force do not touch {} (listed in the HTML brief)",
                        b.binding.size() - touching.size(), b.perspective));
    }
    out += "\n" + render_text_fitted(binds, max_width);
    if (!b.suspended.empty()) {
        out += "\n" + render_text_fitted(measures_table("Suspended today", b.suspended, b, true),
                                         max_width);
    }
    out += "\n" + render_text_fitted(upcoming_table(b), max_width);
    out += "\n";
    if (b.risk.availability.available) {
        out += render_text_fitted(risk_table(b), max_width);
    } else {
        out += "Riskiest materials: not available: " + b.risk.availability.reason + "\n";
    }
    if (b.bom.availability.available) {
        out += "\n" + render_text_fitted(bom_table(b), max_width);
        if (b.bom.exposure.report) {
            out += "\n" + render_text_fitted(exposure_table(b), max_width);
        } else {
            out += "\nBOM under the headline scenario: not available: " +
                   b.bom.exposure.availability.reason + "\n";
        }
    } else {
        out += "\nBOM exposure: not available: " + b.bom.availability.reason + "\n";
    }
    if (b.scenario.availability.available) {
        out += "\n" + render_text_fitted(scenario_table(b), max_width);
    } else {
        out += "\nScenario: not available: " + b.scenario.availability.reason + "\n";
    }
    if (!html_path.empty()) {
        out += "\nFull brief with charts: " + html_path + "\n";
    }
    return out;
}

std::vector<Table> brief_tables(const Brief& b) {
    std::vector<Table> out;
    auto add = [&](Table t, const char* name) {
        t.title = name;  // CSV prints no title: it is the table's stable name for --table
        out.push_back(std::move(t));
    };
    add(measures_table("Measures in force on " + b.as_of.to_string(), b.binding, b, false),
        "binding");
    add(measures_table("Suspended on " + b.as_of.to_string(), b.suspended, b, true), "suspended");
    add(upcoming_table(b), "upcoming");
    if (b.risk.availability.available) {
        add(risk_table(b), "risk");
    }
    if (b.bom.availability.available) {
        add(bom_table(b), "bom");
    }
    if (b.bom.exposure.report) {
        add(exposure_table(b), "exposure");
    }
    if (b.scenario.availability.available) {
        add(scenario_table(b), "scenario");
    }
    return out;
}

std::string render_html(const Brief& b) {
    // The whole document is an html::Html: markup from this file, every text escaped (html.hpp).
    Html h{
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"};
    h += html::format("<title>Lodestone brief: {} as of {}</title><style>{}</style></head><body>",
                      b.perspective, b.as_of.to_string(), kCss);
    h += html::format(
        "<header><h1>Lodestone brief</h1><p>As of <b>{}</b> · perspective <b>{}</b> ({}) · dataset "
        "{} {} "
        "(as of {})</p></header><main>",
        b.as_of.to_string(), b.perspective, b.perspective_name, b.dataset_name, b.dataset_version,
        opt_date_text(b.dataset_as_of, "unknown"));
    if (!b.policy_warning.empty()) {
        h += "<p class=\"warning\"><b>Warning:</b> " + escape(b.policy_warning) + "</p>";
    }
    for (const auto& note : b.freshness) {
        h += "<p class=\"freshness\">Note: " + escape(note) + "</p>";
    }

    h += "<section id=\"headline\"><h2>Headline</h2><div class=\"cards\">";
    h += html::format("<div class=\"card\"><b>{}</b><span>measures in force</span></div>",
                      b.binding.size());
    h += html::format("<div class=\"card\"><b>{}</b><span>touch {}</span></div>",
                      count_touching(b.binding), b.perspective);
    h += html::format("<div class=\"card\"><b>{}</b><span>suspended today</span></div>",
                      b.suspended.size());
    h += html::format("<div class=\"card\"><b>{}</b><span>changes in the next {} days</span></div>",
                      b.upcoming.size(), b.horizon_days);
    h += "</div><ul class=\"headline\">";
    for (const auto& line : headline(b)) {
        h += "<li>" + escape(line) + "</li>";
    }
    h += "</ul></section>";

    h += "<section id=\"binds\"><h2>What binds today</h2>" + html_measures(b.binding, b, false);
    if (!b.suspended.empty()) {
        h += "<h3>Suspended today</h3>" + html_measures(b.suspended, b, true);
    }
    h += "</section>";

    h += html::format("<section id=\"upcoming\"><h2>What changes in the next {} days</h2>",
                      b.horizon_days);
    if (b.upcoming.empty()) {
        h += html::format("<p>No measure starts, ends, is suspended or resumes before {}.</p>",
                          b.as_of.plus_days(b.horizon_days).to_string());
    } else {
        h += "<table><thead><tr><th>date</th><th>in</th><th>change</th><th>measure</"
             "th><th>country</th><th>kind</th>"
             "<th>materials</th><th>cause</th></tr></thead><tbody>";
        for (const auto& c : b.upcoming) {
            h += html::format(
                "<tr class=\"{}\"><td class=\"date\">{}</td><td class=\"num\">{} "
                "d</td><td><b>{}</b></td><td title=\"{}\">{}</td>"
                "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                c.touches_perspective ? "touch" : "", c.date.to_string(), c.days_from_as_of,
                change_text(c.change), c.title, c.measure_id, c.country, pill(c.measure_kind),
                join(c.materials, ", "), c.cause_id);
        }
        h += "</tbody></table>";
    }
    h += html::format(
        "<h3>Policy timeline, {} to {}</h3><div class=\"chart\" id=\"timeline-chart\">{}</div>",
        b.timeline_from.to_string(), b.timeline_to.to_string(), html_timeline(b));
    h += html::format(
        "<ul class=\"notes\"><li>Bars: measures with materials in force at some point in the "
        "window; "
        "hatched: suspended; arrow: open-ended or beyond the window; black tick: last day in "
        "force; red "
        "dashed line: the as-of date. Bold labels touch {}.</li></ul></section>",
        b.perspective);

    h += html::format("<section id=\"risk\"><h2>The riskiest materials for {}</h2>{}</section>",
                      b.perspective, html_risk(b));
    h += "<section id=\"concentration\"><h2>Where each stage is made</h2><p>Top producer and its "
         "share of world "
         "output per stage; colour = HHI (blue dispersed, red concentrated).</p>" +
         html_concentration(b) + "</section>";

    h += "<section id=\"bom\"><h2>BOM exposure</h2>" + html_bom(b) +
         (b.bom.availability.available ? html_bom_exposure(b) : Html()) + "</section>";
    h += "<section id=\"scenario\"><h2>The most relevant curated scenario</h2>" + html_scenario(b) +
         "</section></main>";

    h += html::format(
        "<footer>Generated by {} from dataset {} {} (content hash {}). Every figure comes from the "
        "dataset and the methods named in each section; the data behind this page is embedded "
        "below "
        "as JSON (id lodestone-brief).</footer>",
        b.generator.empty() ? "lodestone" : b.generator, b.dataset_name, b.dataset_version,
        b.dataset_hash);
    h += html::json_script("lodestone-brief", to_json(b).dump());
    h += "</body></html>\n";
    return h.str();
}

}  // namespace lodestone::report
