// lodestone/report/decisions_view.cpp: tables and JSON of the decision commands.
#include "lodestone/report/decisions_view.hpp"

#include <cmath>

namespace lodestone::report {

namespace {

Cell finite(double v) {
    if (!std::isfinite(v)) {
        return {};
    }
    return v;
}

}  // namespace

Document stockpile_views(const optimize::StockpileReport& r, const std::string& holder) {
    const auto& plan = r.plan;
    const auto& p = r.problem;
    const bool ok = plan.status == optimize::SolveStatus::Optimal;
    const std::string objective = p.objective == optimize::Objective::Expected
                                      ? "expected loss"
                                      : "CVaR " + format_number(p.alpha) + " of the loss";
    Document v;
    Table t{"Stockpile of " + holder + ": " + std::string(optimize::to_string(plan.status)),
            {{"material"},
             {"stage"},
             {"tonnes", 1, "t"},
             {"cost", 0, "USD"},
             {"start_stock", 1, "t"},
             {"expected_shortfall", 1, "t"},
             {"unmet_before", 1, "t"},
             {"unmet_after", 1, "t"},
             {"coverage_before", 3},
             {"coverage_after", 3}},
            {},
            {}};
    Table csv{"stockpile",
              {{"holder"},
               {"material"},
               {"stage"},
               {"status"},
               {"objective"},
               {"tonnes"},
               {"cost_usd"},
               {"price_usd_t"},
               {"holding_usd_t"},
               {"value_of_lost_supply_usd_t"},
               {"value_basis"},
               {"start_stock_t"},
               {"start_stock_source"},
               {"expected_shortfall_t"},
               {"expected_unmet_before_t"},
               {"expected_unmet_after_t"},
               {"coverage_before"},
               {"coverage_after"},
               {"expected_loss_before_usd"},
               {"expected_loss_after_usd"},
               {"cvar_before_usd"},
               {"cvar_after_usd"},
               {"budget_usd"},
               {"budget_dual_usd_per_usd"},
               {"method"}},
              {},
              {}};
    nlohmann::json mats = nlohmann::json::array();
    const std::string status(optimize::to_string(plan.status));
    for (std::size_t m = 0; m < r.basis.size(); ++m) {
        const auto& b = r.basis[m];
        const optimize::MaterialPlan* mp =
            ok && m < plan.materials.size() ? &plan.materials[m] : nullptr;
        auto val = [&](double optimize::MaterialPlan::*f) -> Cell {
            return mp != nullptr ? finite(mp->*f) : Cell{};
        };
        t.add({b.id, b.stage, val(&optimize::MaterialPlan::tonnes),
               val(&optimize::MaterialPlan::cost_usd), b.start_tonnes, b.expected_shortfall_t,
               val(&optimize::MaterialPlan::expected_unmet_before_t),
               val(&optimize::MaterialPlan::expected_unmet_after_t),
               val(&optimize::MaterialPlan::coverage_before),
               val(&optimize::MaterialPlan::coverage_after)});
        csv.add({holder,
                 b.id,
                 b.stage,
                 status,
                 objective,
                 val(&optimize::MaterialPlan::tonnes),
                 val(&optimize::MaterialPlan::cost_usd),
                 b.price_usd_t,
                 b.holding_usd_t,
                 b.value_usd_t,
                 b.value_basis,
                 b.start_tonnes,
                 b.start_source,
                 b.expected_shortfall_t,
                 val(&optimize::MaterialPlan::expected_unmet_before_t),
                 val(&optimize::MaterialPlan::expected_unmet_after_t),
                 val(&optimize::MaterialPlan::coverage_before),
                 val(&optimize::MaterialPlan::coverage_after),
                 {},
                 {},
                 {},
                 {},
                 p.budget_usd,
                 {},
                 plan.method});
        nlohmann::json j{
            {"material", b.id},
            {"stage", b.stage},
            {"price_usd_t", b.price_usd_t},
            {"price_source", b.price_source},
            {"holding_usd_t", b.holding_usd_t},
            {"cost_usd_t", b.price_usd_t + b.holding_usd_t},
            {"value_of_lost_supply_usd_t", b.value_usd_t},
            {"value_basis", b.value_basis},
            {"start_stock_t", b.start_tonnes},
            {"start_stock_source", b.start_source},
            {"release_weeks", p.materials.empty() ? 0.0 : p.materials[m].release_weeks},
            {"expected_shortfall_t", b.expected_shortfall_t}};
        if (mp != nullptr) {
            j["tonnes"] = mp->tonnes;
            j["cost_usd"] = mp->cost_usd;
            j["expected_unmet_before_t"] = mp->expected_unmet_before_t;
            j["expected_unmet_after_t"] = mp->expected_unmet_after_t;
            j["coverage_before"] = mp->coverage_before;
            j["coverage_after"] = mp->coverage_after;
        }
        mats.push_back(std::move(j));
    }
    auto total = [&](double x) -> Cell { return ok ? finite(x) : Cell{}; };
    csv.add({holder,
             "ALL",
             {},
             status,
             objective,
             {},
             total(plan.cost_usd),
             {},
             {},
             {},
             {},
             {},
             {},
             {},
             {},
             {},
             total(plan.coverage_before),
             total(plan.coverage_after),
             total(plan.expected_loss_before_usd),
             total(plan.expected_loss_after_usd),
             total(plan.cvar_before_usd),
             total(plan.cvar_after_usd),
             p.budget_usd,
             total(plan.budget_dual),
             plan.method});

    Table sum{"Plan", {{"item"}, {"value"}}, {}, {}};
    sum.add({"objective", objective});
    sum.add({"status", status + (plan.message.empty() ? "" : ": " + plan.message)});
    sum.add({"budget (USD)", p.budget_usd});
    if (ok) {
        sum.add({"cost (USD)", plan.cost_usd});
        sum.add({"expected loss before -> after (USD)",
                 format_number(plan.expected_loss_before_usd, 0) + " -> " +
                     format_number(plan.expected_loss_after_usd, 0)});
        sum.add({"CVaR " + format_number(p.alpha) + " of the loss before -> after (USD)",
                 format_number(plan.cvar_before_usd, 0) + " -> " +
                     format_number(plan.cvar_after_usd, 0)});
        sum.add({"coverage: share of runs with no unmet demand, before -> after",
                 format_number(plan.coverage_before, 3) + " -> " +
                     format_number(plan.coverage_after, 3)});
        sum.add({"marginal value of one more USD of budget (USD of objective avoided)",
                 plan.budget_dual});
    }
    sum.add({"runs", static_cast<std::int64_t>(p.runs)});
    sum.add({"method", plan.method});
    for (const auto& s : r.scenarios) {
        sum.notes.push_back("scenario: " + s);
    }
    sum.notes.push_back(
        "shortfall: the holder's final-stage shortfall (t/week) in every run; the LP releases "
        "at most (stock)/R per week (R = " +
        format_number(p.materials.empty() ? 0.0 : p.materials.front().release_weeks) +
        " weeks, the model's default stockpile_release_weeks, an ASSUMPTION) with perfect "
        "foresight "
        "within a run.");
    for (const auto& b : r.basis) {
        t.notes.push_back(b.id + ": price " + format_number(b.price_usd_t) + " USD/t (" +
                          b.price_source + "); holding " + format_number(b.holding_usd_t) +
                          " USD/t over the horizon (ASSUMPTION: a yearly rate of the price); value "
                          "of lost supply " +
                          format_number(b.value_usd_t) + " USD/t, " + b.value_basis +
                          "; starting stock: " + b.start_source);
    }
    for (const auto& n : r.notes) {
        t.notes.push_back(n);
    }
    if (r.cancelled) {
        sum.notes.emplace_back("interrupted: the plan covers the runs finished");
    }
    v.tables = {sum, t};
    v.csv = {csv};
    v.json = {{"holder", holder},           {"status", status},       {"message", plan.message},
              {"method", plan.method},      {"objective", objective}, {"alpha", p.alpha},
              {"budget_usd", p.budget_usd}, {"runs", p.runs},         {"weeks", p.weeks},
              {"scenarios", r.scenarios},   {"notes", r.notes},       {"cancelled", r.cancelled},
              {"materials", mats}};
    if (ok) {
        v.json["plan"] = {{"cost_usd", plan.cost_usd},
                          {"objective_usd", plan.objective_usd},
                          {"expected_loss_before_usd", plan.expected_loss_before_usd},
                          {"expected_loss_after_usd", plan.expected_loss_after_usd},
                          {"cvar_before_usd", plan.cvar_before_usd},
                          {"cvar_after_usd", plan.cvar_after_usd},
                          {"coverage_before", plan.coverage_before},
                          {"coverage_after", plan.coverage_after},
                          {"budget_dual_usd_per_usd", plan.budget_dual},
                          {"iterations", plan.iterations},
                          {"lp_columns", plan.lp_columns},
                          {"lp_rows", plan.lp_rows}};
    }
    return v;
}

}  // namespace lodestone::report

namespace lodestone::report {

namespace {

/// A band in JSON: {p5, p50, p95, mean}; infinities (never) become null.
nlohmann::json band_json(const exposure::Band& b) {
    auto v = [](double x) -> nlohmann::json {
        return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr);
    };
    return {{"p5", v(b.p5)}, {"p50", v(b.p50)}, {"p95", v(b.p95)}, {"mean", v(b.mean)}};
}

std::string weeks_text(double v) {
    return std::isfinite(v) ? format_number(v, 0) : std::string("never");
}

std::string band_text(const exposure::Band& b, int precision) {
    return format_number(b.p50, precision) + " [" + format_number(b.p5, precision) + ", " +
           format_number(b.p95, precision) + "]";
}

Cell opt_cell(const std::optional<exposure::Band>& b, double exposure::Band::*f) {
    if (!b || !std::isfinite((*b).*f)) {
        return {};
    }
    return (*b).*f;
}

Cell fin(double v) {
    if (!std::isfinite(v)) {
        return {};
    }
    return v;
}

}  // namespace

Document exposure_views(const exposure::ExposureReport& r, const std::string& bom_name) {
    Document v;
    Table prod{"Exposure of " + bom_name + " to " + r.scenario + ": median [P5, P95] over " +
                   std::to_string(r.runs) + " runs",
               {{"product"},
                {"region"},
                {"cover", 1, "weeks"},
                {"p_stockout", 2},
                {"stockout_week"},
                {"lost_units"},
                {"cost_before", 2, "USD/unit"},
                {"cost_after", 2, "USD/unit"},
                {"margin_change", 2, "pp"},
                {"driver"}},
               {},
               {}};
    Table mats{"Materials per product",
               {{"product"},
                {"material"},
                {"kg_per_unit", 4},
                {"simulated"},
                {"cost_before", 2, "USD/unit"},
                {"cost_after_p50", 2, "USD/unit"},
                {"runs_out_first", 2},
                {"top_origin"},
                {"stage"},
                {"share", 2}},
               {},
               {}};
    Table csv{"exposure",
              {{"product"},
               {"region"},
               {"material"},
               {"kg_per_unit"},
               {"cover_weeks"},
               {"cover_basis"},
               {"p_stockout"},
               {"stockout_week_p5"},
               {"stockout_week_p50"},
               {"stockout_week_p95"},
               {"lost_units_p5"},
               {"lost_units_p50"},
               {"lost_units_p95"},
               {"lost_weeks_p50"},
               {"cost_before_usd"},
               {"cost_after_usd_p5"},
               {"cost_after_usd_p50"},
               {"cost_after_usd_p95"},
               {"margin_change_pp_p5"},
               {"margin_change_pp_p50"},
               {"margin_change_pp_p95"},
               {"material_cost_before_usd"},
               {"material_cost_after_usd_p50"},
               {"material_runs_out_first"},
               {"material_top_origin"},
               {"material_top_origin_stage"},
               {"material_top_origin_share"},
               {"driver_material"},
               {"driver_country"},
               {"scenario"},
               {"runs"},
               {"pass_through"}},
              {},
              {}};
    nlohmann::json products = nlohmann::json::array();
    for (const auto& p : r.products) {
        prod.add({p.product, p.region, p.cover_weeks, p.p_stockout,
                  weeks_text(p.stockout_week.p50) + " [" + weeks_text(p.stockout_week.p5) + ", " +
                      weeks_text(p.stockout_week.p95) + "]",
                  p.lost_units ? band_text(*p.lost_units, 0) : std::string("-"), p.cost_before_usd,
                  band_text(p.cost_after_usd, 2),
                  p.margin_change_pp ? band_text(*p.margin_change_pp, 2) : std::string("-"),
                  p.driver_material + (p.driver_country.empty() ? "" : " / " + p.driver_country)});
        prod.notes.push_back(p.product + ": cover " + format_number(p.cover_weeks) + " weeks (" +
                             p.cover_basis + "); driver: " + p.driver_basis);
        for (const auto& n : p.notes) {
            prod.notes.push_back(p.product + ": " + n);
        }
        nlohmann::json jm = nlohmann::json::array();
        for (const auto& m : p.materials) {
            mats.add({p.product, m.material, m.kg_per_unit, m.simulated, m.cost_before_usd,
                      fin(m.cost_after_usd.p50), m.first_to_run_out, m.top_country, m.top_stage,
                      m.top_share});
            csv.add({p.product,
                     p.region,
                     m.material,
                     m.kg_per_unit,
                     p.cover_weeks,
                     p.cover_basis,
                     p.p_stockout,
                     fin(p.stockout_week.p5),
                     fin(p.stockout_week.p50),
                     fin(p.stockout_week.p95),
                     opt_cell(p.lost_units, &exposure::Band::p5),
                     opt_cell(p.lost_units, &exposure::Band::p50),
                     opt_cell(p.lost_units, &exposure::Band::p95),
                     p.lost_weeks.p50,
                     p.cost_before_usd,
                     p.cost_after_usd.p5,
                     p.cost_after_usd.p50,
                     p.cost_after_usd.p95,
                     opt_cell(p.margin_change_pp, &exposure::Band::p5),
                     opt_cell(p.margin_change_pp, &exposure::Band::p50),
                     opt_cell(p.margin_change_pp, &exposure::Band::p95),
                     m.cost_before_usd,
                     fin(m.cost_after_usd.p50),
                     m.first_to_run_out,
                     m.top_country,
                     m.top_stage,
                     m.top_share,
                     p.driver_material,
                     p.driver_country,
                     r.scenario,
                     static_cast<std::int64_t>(r.runs),
                     r.pass_through});
            jm.push_back({{"material", m.material},
                          {"kg_per_unit", m.kg_per_unit},
                          {"simulated", m.simulated},
                          {"price_usd_t", m.price_usd_t ? nlohmann::json(*m.price_usd_t)
                                                        : nlohmann::json(nullptr)},
                          {"cost_before_usd", m.cost_before_usd},
                          {"cost_after_usd", band_json(m.cost_after_usd)},
                          {"runs_out_first", m.first_to_run_out},
                          {"top_origin",
                           {{"country", m.top_country},
                            {"stage", m.top_stage},
                            {"share", m.top_share},
                            {"measures", m.measures}}}});
        }
        nlohmann::json jp{
            {"product", p.product},
            {"region", p.region},
            {"cover_weeks", p.cover_weeks},
            {"cover_basis", p.cover_basis},
            {"units_per_year",
             p.units_per_year ? nlohmann::json(*p.units_per_year) : nlohmann::json(nullptr)},
            {"unit_price_usd",
             p.unit_price_usd ? nlohmann::json(*p.unit_price_usd) : nlohmann::json(nullptr)},
            {"p_stockout", p.p_stockout},
            {"stockout_week", band_json(p.stockout_week)},
            {"lost_weeks", band_json(p.lost_weeks)},
            {"lost_units", p.lost_units ? band_json(*p.lost_units) : nlohmann::json(nullptr)},
            {"cost_before_usd", p.cost_before_usd},
            {"cost_after_usd", band_json(p.cost_after_usd)},
            {"cost_change_usd", band_json(p.cost_change_usd)},
            {"margin_change_pp",
             p.margin_change_pp ? band_json(*p.margin_change_pp) : nlohmann::json(nullptr)},
            {"driver",
             {{"material", p.driver_material},
              {"country", p.driver_country},
              {"basis", p.driver_basis}}},
            {"materials", jm},
            {"notes", p.notes}};
        products.push_back(std::move(jp));
    }
    prod.notes.insert(
        prod.notes.begin(),
        "stockout_week: weeks from the scenario start until the line runs below full output (never "
        "= not "
        "within " +
            std::to_string(r.weeks) +
            " weeks); cost per unit: material content x price, "
            "mean over the horizon; margin change: -(cost change) x (1 - pass-through " +
            format_number(r.pass_through) + ") / unit price, in percentage points.");
    for (const auto& n : r.notes) {
        mats.notes.push_back(n);
    }
    v.tables = {prod, mats};
    v.csv = {csv};
    v.json = {{"bom", bom_name},
              {"scenario", r.scenario},
              {"scenario_file", r.scenario_file},
              {"seed", r.seed},
              {"runs", r.runs},
              {"weeks", r.weeks},
              {"pass_through", r.pass_through},
              {"cancelled", r.cancelled},
              {"products", products},
              {"notes", r.notes}};
    return v;
}

Document portfolio_views(const exposure::PortfolioReport& r) {
    Document v;
    const std::string cvar_name = "CVaR " + format_number(r.alpha);
    Table t{"Portfolio under " + std::to_string(r.scenarios.size()) + " scenario(s)",
            {{"rank"},
             {"holding"},
             {"weight", 3},
             {"basis"},
             {"cost_impact", 2, "% of COGS"},
             {"ebit_margin_change", 2, "pp"},
             {"margin_cvar", 2, "pp"},
             {"driver"}},
            {},
            {}};
    Table csv{"portfolio",
              {{"holding"},
               {"scenario"},
               {"weight"},
               {"basis"},
               {"region"},
               {"cogs_share"},
               {"cogs_basis"},
               {"cost_impact_pct_cogs"},
               {"ebit_margin_change_pp"},
               {"ebit_margin_change_pp_p5"},
               {"ebit_margin_cvar_pp"},
               {"rank"},
               {"driver_material"},
               {"driver_share"},
               {"pass_through"}},
              {},
              {}};
    std::vector<std::size_t> order(r.holdings.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[static_cast<std::size_t>(r.holdings[i].rank - 1)] = i;
    }
    nlohmann::json hj = nlohmann::json::array();
    for (const auto i : order) {
        const auto& h = r.holdings[i];
        t.add({static_cast<std::int64_t>(h.rank), h.id, h.weight, h.basis, h.cost_pct_cogs_mean,
               h.margin_pp_mean, h.margin_cvar_pp,
               h.driver_material.empty()
                   ? std::string("-")
                   : h.driver_material + " (" + format_number(100 * h.driver_share, 0) + "%)"});
        nlohmann::json sj = nlohmann::json::array();
        for (const auto& s : h.scenarios) {
            csv.add({h.id,
                     s.scenario,
                     h.weight,
                     h.basis,
                     h.region,
                     h.cogs_share,
                     h.cogs_basis,
                     s.cost_pct_cogs_mean,
                     s.margin_pp_mean,
                     s.margin_pp_p5,
                     {},
                     static_cast<std::int64_t>(h.rank),
                     h.driver_material,
                     h.driver_share,
                     r.pass_through});
            sj.push_back({{"scenario", s.scenario},
                          {"cost_impact_pct_cogs", s.cost_pct_cogs_mean},
                          {"ebit_margin_change_pp", s.margin_pp_mean},
                          {"ebit_margin_change_pp_p5", s.margin_pp_p5}});
        }
        csv.add({h.id,
                 "ALL SCENARIOS",
                 h.weight,
                 h.basis,
                 h.region,
                 h.cogs_share,
                 h.cogs_basis,
                 h.cost_pct_cogs_mean,
                 h.margin_pp_mean,
                 {},
                 h.margin_cvar_pp,
                 static_cast<std::int64_t>(h.rank),
                 h.driver_material,
                 h.driver_share,
                 r.pass_through});
        nlohmann::json shares = nlohmann::json::object();
        for (const auto& [m, s] : h.cost_shares) {
            shares[m] = s;
        }
        hj.push_back({{"holding", h.id},
                      {"rank", h.rank},
                      {"weight", h.weight},
                      {"basis", h.basis},
                      {"region", h.region},
                      {"cogs_share", h.cogs_share},
                      {"cogs_basis", h.cogs_basis},
                      {"cost_shares_of_cogs", shares},
                      {"cost_impact_pct_cogs", h.cost_pct_cogs_mean},
                      {"ebit_margin_change_pp", h.margin_pp_mean},
                      {"ebit_margin_cvar_pp", h.margin_cvar_pp},
                      {"driver", {{"material", h.driver_material}, {"share", h.driver_share}}},
                      {"scenarios", sj}});
        if (h.cogs_basis != "holdings file") {
            t.notes.push_back(h.id + ": " + h.cogs_basis);
        }
    }
    csv.add({"PORTFOLIO",
             "ALL SCENARIOS",
             1.0,
             {},
             {},
             {},
             {},
             {},
             r.margin_pp_mean,
             {},
             r.margin_cvar_pp,
             {},
             {},
             {},
             r.pass_through});
    t.notes.insert(t.notes.begin(), "portfolio (weighted): EBIT margin change " +
                                        format_number(r.margin_pp_mean, 3) + " pp, " + cvar_name +
                                        " " + format_number(r.margin_cvar_pp, 3) +
                                        " pp; pass-through " + format_number(r.pass_through));
    t.notes.push_back(
        "cost impact: Σ material share of cost of goods x (price multiple averaged over the "
        "horizon - 1); "
        "margin change: - cost impact x cogs/revenue x (1 - pass-through), pp of revenue; "
        "margin_cvar: mean of the worst " +
        format_number(100 * (1 - r.alpha)) + "% of runs over all scenarios.");
    for (const auto& s : r.scenarios) {
        t.notes.push_back("scenario: " + s);
    }
    for (const auto& n : r.notes) {
        t.notes.push_back(n);
    }
    v.tables = {t};
    v.csv = {csv};
    v.json = {
        {"scenarios", r.scenarios},
        {"pass_through", r.pass_through},
        {"alpha", r.alpha},
        {"portfolio",
         {{"ebit_margin_change_pp", r.margin_pp_mean}, {"ebit_margin_cvar_pp", r.margin_cvar_pp}}},
        {"holdings", hj},
        {"cancelled", r.cancelled},
        {"notes", r.notes}};
    return v;
}

}  // namespace lodestone::report
