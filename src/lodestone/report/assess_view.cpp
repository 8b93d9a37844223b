#include "lodestone/report/assess_view.hpp"

#include <algorithm>
#include <functional>
#include <set>

#include "lodestone/metrics/panel.hpp"

namespace lodestone::report {

namespace {

std::string fmt_share(double v) {
    return format_number(v, 3);
}

std::string restrictions_text(const std::vector<metrics::TradeRestriction>& list) {
    std::string out;
    for (const auto& r : list) {
        out += (out.empty() ? "" : "; ") + r.country + " " + format_number(r.factor) + " (" +
               r.measure_id + ", " + std::string(model::to_string(r.kind)) + ")";
    }
    return out;
}

std::string origins_text(const metrics::PerspectiveSupply& s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < s.origins.size() && i < n; ++i) {
        out +=
            (out.empty() ? "" : "; ") + s.origins[i].country + " " + fmt_share(s.origins[i].share);
    }
    return out;
}

Cell opt(const std::optional<double>& v) {
    return v ? Cell{*v} : Cell{};
}

/// A column of the full panel: its header and how a row fills it.
struct Field {
    Column column;
    std::function<Cell(const metrics::PanelRow&)> get;
};

std::vector<Field> fields(const std::vector<metrics::Method>& methods) {
    using R = const metrics::PanelRow&;
    auto i64 = [](auto v) { return Cell{static_cast<std::int64_t>(v)}; };
    const auto primary = methods.front();
    std::vector<Field> f{
        {{"rank"}, [primary, i64](R r) { return i64(r.rank.at(primary)); }},
        {{"material"}, [](R r) { return Cell{r.material->material}; }},
        {{"stage"}, [](R r) { return Cell{r.stage->stage}; }},
        {{"year"}, [i64](R r) { return i64(r.stage->year); }},
        {{"world_tonnes", 0, "t"}, [](R r) { return Cell{r.stage->world_tonnes}; }},
        {{"hhi", 3}, [](R r) { return Cell{r.stage->hhi}; }},
        {{"hhi_10k", 0}, [](R r) { return Cell{r.stage->hhi * 10000.0}; }},
        {{"cr1", 3}, [](R r) { return Cell{r.stage->cr1}; }},
        {{"cr3", 3}, [](R r) { return Cell{r.stage->cr3}; }},
        {{"top_country"}, [](R r) { return Cell{r.stage->top_country}; }},
        {{"top_share", 3}, [](R r) { return Cell{r.stage->top_share}; }},
        {{"producers"}, [i64](R r) { return i64(r.stage->producers); }},
        {{"hhi_wgi_gs", 3}, [](R r) { return Cell{r.stage->hhi_wgi_gs}; }},
        {{"hhi_wgi_p", 3}, [](R r) { return Cell{r.stage->hhi_wgi_p}; }},
        {{"import_reliance", 3}, [](R r) { return Cell{r.stage->supply.import_reliance}; }},
        {{"basis"},
         [](R r) { return Cell{std::string(network::to_string(r.stage->supply.basis))}; }},
        {{"use_tonnes", 0, "t"}, [](R r) { return Cell{r.stage->supply.use_tonnes}; }},
        {{"import_tonnes", 0, "t"}, [](R r) { return Cell{r.stage->supply.import_tonnes}; }},
        {{"top_origins"}, [](R r) { return Cell{origins_text(r.stage->supply, 4)}; }},
        {{"eol_rir", 3}, [](R r) { return Cell{r.stage->eol_rir}; }},
        {{"si_sr", 3}, [](R r) { return Cell{r.stage->si_sr}; }},
        {{"sr", 3}, [](R r) { return Cell{r.stage->sr}; }},
        {{"ei", 2}, [](R r) { return Cell{r.material->ei}; }},
        {{"critical"},
         [](R r) { return Cell{r.by_stage ? r.stage->critical : r.material->critical}; }},
        {{"geopolrisk", 3}, [](R r) { return Cell{r.stage->geopolrisk}; }},
        {{"dp", 3}, [](R r) { return Cell{r.stage->dp}; }},
        {{"te", 3}, [](R r) { return Cell{r.stage->te}; }},
        {{"ev", 3}, [](R r) { return opt(r.stage->ev); }},
        {{"usgs_sr", 3}, [](R r) { return opt(r.stage->usgs_sr); }},
        {{"usgs_score", 3}, [](R r) { return Cell{r.stage->usgs_score}; }},
        {{"bottleneck"}, [](R r) { return Cell{r.material->bottleneck_stage().stage}; }},
        {{"trade_factors"}, [](R r) { return Cell{restrictions_text(r.stage->restrictions_gs)}; }},
        {{"perspective_trade_factors"},
         [](R r) { return Cell{restrictions_text(r.stage->restrictions_p)}; }},
        {{"basis_note"}, [](R r) { return Cell{r.stage->supply.basis_note}; }},
    };
    for (const auto m : methods) {
        const std::string name(metrics::to_string(m));
        f.push_back({{"score_" + name, 3}, [m](R r) { return Cell{r.score.at(m)}; }});
        f.push_back({{"rank_" + name}, [m, i64](R r) { return i64(r.rank.at(m)); }});
        f.push_back({{name + "_stage"}, [m](R r) { return Cell{r.peak.at(m)}; }});
    }
    f.push_back({{"rank_spread"}, [i64](R r) { return i64(r.rank_spread); }});
    return f;
}

/// The columns a person reads on a terminal, by method.
std::vector<std::string> text_columns(const std::vector<metrics::Method>& methods) {
    std::vector<std::string> cols{"rank", "material", "stage", "top_country", "top_share"};
    const auto has = [&](metrics::Method m) {
        return std::find(methods.begin(), methods.end(), m) != methods.end();
    };
    if (has(metrics::Method::Hhi)) {
        cols.insert(cols.end(), {"hhi", "hhi_10k", "cr3"});
    }
    if (has(metrics::Method::Eu)) {
        cols.insert(cols.end(), {"hhi_wgi_gs", "hhi_wgi_p"});
    }
    cols.insert(cols.end(), {"import_reliance", "basis"});
    if (has(metrics::Method::Eu)) {
        cols.insert(cols.end(), {"sr", "ei", "critical"});
    }
    if (has(metrics::Method::GeoPolRisk)) {
        cols.emplace_back("geopolrisk");
    }
    if (has(metrics::Method::Usgs)) {
        cols.insert(cols.end(), {"dp", "te", "usgs_sr"});
    }
    if (methods.size() > 1) {
        for (const auto m : methods) {
            cols.push_back("rank_" + std::string(metrics::to_string(m)));
        }
        cols.emplace_back("rank_spread");
    }
    return cols;
}

Table project(const Table& full, const std::vector<std::string>& names) {
    Table t{full.title, {}, {}, full.notes};
    std::vector<std::size_t> idx;
    for (const auto& n : names) {
        for (std::size_t i = 0; i < full.columns.size(); ++i) {
            if (full.columns[i].name == n) {
                idx.push_back(i);
                t.columns.push_back(full.columns[i]);
            }
        }
    }
    for (const auto& row : full.rows) {
        std::vector<Cell> cells;
        cells.reserve(idx.size());
        for (const auto i : idx) {
            cells.push_back(row[i]);
        }
        t.add(std::move(cells));
    }
    return t;
}

}  // namespace

Document assess_views(const model::World& world,
                      const model::MethodParams& params,
                      const AssessQuery& args) {
    std::vector<metrics::Method> methods;
    if (args.method == "all") {
        methods.assign(metrics::kAllMethods.begin(), metrics::kAllMethods.end());
    } else {
        const auto m = metrics::parse_method(args.method);
        if (!m) {
            throw InputError(
                ErrorCode::Usage,
                "method: expected all, eu, geopolrisk, usgs or hhi, got '" + args.method + "'");
        }
        methods.push_back(*m);
    }
    metrics::AssessOptions options;
    options.as_of = args.as_of;
    options.perspective = args.perspective;
    options.materials = args.materials;
    options.stage = args.stage;
    options.ev = args.ev;
    options.product_stages = args.product_stages;
    const auto risks = metrics::assess(world, params, options);
    const auto rows = metrics::panel_rows(risks, args.by_stage, methods);
    const auto agree = metrics::agreement(rows, methods);

    const auto members = metrics::perspective_members(world, args.perspective);
    std::vector<std::string> notes{
        "perspective " + args.perspective + " (" + std::to_string(members.size()) + " member" +
            (members.size() == 1 ? "" : "s") + "), as of " + options.as_of.to_string() +
            ", ranked by " + std::string(metrics::to_string(methods.front())),
        args.by_stage
            ? "one row per material and stage"
            : "each method's score is the material's worst stage (*_stage in JSON/CSV); the row "
              "shows the stage where the ranking method peaks (for eu: the bottleneck, largest SR)",
        "basis: observed = consumption.csv use and trade.csv imports, partial = some observed and "
        "the rest by "
        "the surplus rule, derived = surplus rule, published = the perspective's published "
        "sourcing mix "
        "(sourcing_shares.csv: the EU's 2023 assessment for the EU), usgs = USGS net import "
        "reliance and import "
        "sources (USA without observed figures); basis_note gives the observed share of imports or "
        "the source",
        "GeoPolRisk uses WGI/10; ROW counts with the mean WGI of the dataset (" +
            format_number(metrics::residual_wgi(world), 3) + ") and no HHI term",
        "usgs_sr = (DP*TE*EV)^(1/3) only with --ev; without EV the usgs rank is that of DP*TE",
        "critical: EI >= " + format_number(params.critical_ei) +
            " and SR >= " + format_number(params.critical_sr) + " (EU thresholds)"};
    if (args.perspective == "EU") {
        notes.push_back("EU method: supply from EU member states has t = " +
                        format_number(params.eu_member_trade_factor) +
                        " in both mixes (methods.toml eu.member_trade_factor)");
        if (!args.product_stages && args.stage.empty()) {
            std::string list;
            for (const auto& s : params.eu_product_stages) {
                list += (list.empty() ? "" : ", ") + s;
            }
            notes.push_back("EU method: extraction and processing stages only; product stages (" +
                            list + ") with --product-stages");
        }
    }
    std::set<std::string> seen;
    for (const auto& m : risks) {
        for (const auto& n : m.notes) {
            notes.push_back(n);
        }
        for (const auto& s : m.stages) {
            if (s.supply.uses_nothing && seen.insert(s.material + "/" + s.stage).second) {
                notes.push_back(s.material + "/" + s.stage + ": " + s.supply.basis_note);
            }
        }
    }

    const auto field_list = fields(methods);
    Table full{"Criticality panel", {}, {}, notes};
    for (const auto& f : field_list) {
        full.columns.push_back(f.column);
    }
    for (const auto& r : rows) {
        std::vector<Cell> cells;
        cells.reserve(field_list.size());
        for (const auto& f : field_list) {
            cells.push_back(f.get(r));
        }
        full.add(std::move(cells));
    }
    Table agreement_table{
        "Method agreement (vs " + std::string(metrics::to_string(methods.front())) + ")",
        {{"method"},
         {"spearman", 3},
         {"mean_abs_rank_shift", 2},
         {"max_rank_shift"},
         {"max_shift_row"}},
        {},
        {"spearman: rank correlation with the primary method (1 = same order)"}};
    for (const auto& a : agree) {
        agreement_table.add({std::string(metrics::to_string(a.method)), opt(a.spearman),
                             a.mean_abs_shift, static_cast<std::int64_t>(a.max_shift),
                             a.max_shift_row});
    }

    nlohmann::json doc{{"as_of", options.as_of.to_string()},
                       {"perspective", args.perspective},
                       {"members", members},
                       {"ranked_by", std::string(metrics::to_string(methods.front()))},
                       {"by_stage", args.by_stage},
                       {"methods",
                        {{"trade_factor", params.trade_factor},
                         {"critical_ei", params.critical_ei},
                         {"critical_sr", params.critical_sr},
                         {"row_wgi", metrics::residual_wgi(world)}}},
                       {"rows", to_json(full)},
                       {"agreement", to_json(agreement_table)},
                       {"notes", notes}};
    std::vector<Table> text{project(full, text_columns(methods))};
    if (!agree.empty()) {
        text.push_back(agreement_table);
    }
    return Document{std::move(text), std::move(doc), {full}};
}

}  // namespace lodestone::report
