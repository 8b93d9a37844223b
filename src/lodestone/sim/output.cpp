#include "lodestone/sim/output.hpp"

#include <cmath>

#include "lodestone/core/number_text.hpp"
#include "lodestone/sim/random.hpp"
#include "lodestone/sim/scenario_draw.hpp"

namespace lodestone::sim {

namespace {

const double kQuantiles[] = {0.05, 0.5, 0.95};

nlohmann::json num(double v) {
    if (std::isnan(v) || std::isinf(v)) {
        return nullptr;
    }
    return v;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) {
        return s;
    }
    std::string out = "\"";
    for (const char c : s) {
        out += c == '"' ? "\"\"" : std::string(1, c);
    }
    return out + "\"";
}

nlohmann::json distribution_json(const model::Distribution& d) {
    using K = model::Distribution::Kind;
    switch (d.kind) {
        case K::Fixed:
            return {{"dist", "fixed"}, {"value", d.value}};
        case K::Uniform:
            return {{"dist", "uniform"}, {"min", d.min}, {"max", d.max}};
        case K::Triangular:
            return {{"dist", "triangular"}, {"min", d.min}, {"mode", d.mode}, {"max", d.max}};
        case K::Beta:
            return {{"dist", "beta"},
                    {"alpha", d.alpha},
                    {"beta", d.beta},
                    {"min", d.min},
                    {"max", d.max}};
        case K::Lognormal:
            return {{"dist", "lognormal"}, {"median", d.median}, {"sigma", d.sigma}};
    }
    return nullptr;
}

}  // namespace

std::string number_text(double v) {
    return std::isnan(v) ? std::string() : significant(v, 12);
}

std::vector<SummaryRow> summary_rows(const Simulation& sim, const MonteCarloResult& mc) {
    std::vector<SummaryRow> out;
    for (std::size_t j = 0; j < sim.summaries.size(); ++j) {
        const auto& info = sim.summaries[j];
        out.push_back({info.region, info.sector, info.group, info.metric, mc.summary(j)});
    }
    return out;
}

/// Every model parameter of every material: its value source and evidence class.
nlohmann::json model_parameters_json(const Simulation& sim) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& id : sim.materials) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& e : parameter_evidence(sim.spec, *sim.world->find_material(id))) {
            list.push_back({{"name", e.name},
                            {"from", e.from},
                            {"evidence", e.evidence},
                            {"source", e.source}});
        }
        out[id] = std::move(list);
    }
    return out;
}

std::string series_csv(const Simulation& sim, const MonteCarloResult& mc) {
    std::string out = "region,kind,group,metric,stage,unit,week,date,mean,p5,p50,p95,min,max\n";
    for (std::size_t s = 0; s < sim.series.size(); ++s) {
        const auto& info = sim.series[s];
        const std::string head =
            csv_field(info.region) + "," + (info.sector ? "sector" : "material") + "," +
            csv_field(info.group) + "," + std::string(to_string(info.metric)) + "," +
            csv_field(info.stage) + "," + std::string(unit_of(info.metric)) + ",";
        for (std::size_t t = 0; t < mc.bands[s].size(); ++t) {
            const auto& band = mc.bands[s][t];
            const auto& st = band.stats();
            out += head + std::to_string(t) + "," + sim.week_dates[t].to_string() + ",";
            out += (st.count > 0 ? number_text(st.mean) : "") + ",";
            for (const double q : kQuantiles) {
                out += number_text(band.quantile(q, info.bins)) + ",";
            }
            out += (st.count > 0 ? number_text(st.min) : "") + "," +
                   (st.count > 0 ? number_text(st.max) : "") + "\n";
        }
    }
    return out;
}

nlohmann::json series_json(const Simulation& sim, const MonteCarloResult& mc) {
    nlohmann::json dates = nlohmann::json::array();
    for (const auto& d : sim.week_dates) {
        dates.push_back(d.to_string());
    }
    nlohmann::json series = nlohmann::json::array();
    for (std::size_t s = 0; s < sim.series.size(); ++s) {
        const auto& info = sim.series[s];
        nlohmann::json mean = nlohmann::json::array(), p5 = nlohmann::json::array(),
                       p50 = nlohmann::json::array(), p95 = nlohmann::json::array(),
                       lo = nlohmann::json::array(), hi = nlohmann::json::array();
        for (const auto& band : mc.bands[s]) {
            const auto& st = band.stats();
            const bool any = st.count > 0;
            mean.push_back(any ? num(st.mean) : nullptr);
            p5.push_back(num(band.quantile(0.05, info.bins)));
            p50.push_back(num(band.quantile(0.5, info.bins)));
            p95.push_back(num(band.quantile(0.95, info.bins)));
            lo.push_back(any ? num(st.min) : nullptr);
            hi.push_back(any ? num(st.max) : nullptr);
        }
        series.push_back({{"region", info.region},
                          {"kind", info.sector ? "sector" : "material"},
                          {"group", info.group},
                          {"metric", to_string(info.metric)},
                          {"stage", info.stage},
                          {"unit", unit_of(info.metric)},
                          {"mean", std::move(mean)},
                          {"p5", std::move(p5)},
                          {"p50", std::move(p50)},
                          {"p95", std::move(p95)},
                          {"min", std::move(lo)},
                          {"max", std::move(hi)}});
    }
    return {{"scenario", sim.spec.name},
            {"seed", mc.seed},
            {"runs", mc.runs_done},
            {"weeks", std::move(dates)},
            {"quantiles",
             "fixed-bin histograms (1000 bins per series), interpolated in the bin and clamped to "
             "the observed min/max: exact for one run"},
            {"series", std::move(series)}};
}

std::string summary_csv(const Simulation& sim, const MonteCarloResult& mc) {
    std::string out = "region,kind,group,metric,p5,p50,p95,mean,probability,cvar95\n";
    for (const auto& row : summary_rows(sim, mc)) {
        out += csv_field(row.region) + "," + (row.sector ? "sector" : "material") + "," +
               csv_field(row.group) + "," + std::string(to_string(row.metric)) + "," +
               number_text(row.band.p5) + "," + number_text(row.band.p50) + "," +
               number_text(row.band.p95) + "," + number_text(row.band.mean) + "," +
               number_text(row.band.probability) + "," + number_text(row.band.cvar95) + "\n";
    }
    return out;
}

nlohmann::json summary_json(const Simulation& sim, const MonteCarloResult& mc) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : summary_rows(sim, mc)) {
        rows.push_back({{"region", row.region},
                        {"kind", row.sector ? "sector" : "material"},
                        {"group", row.group},
                        {"metric", to_string(row.metric)},
                        {"p5", num(row.band.p5)},
                        {"p50", num(row.band.p50)},
                        {"p95", num(row.band.p95)},
                        {"mean", num(row.band.mean)},
                        {"probability", num(row.band.probability)},
                        {"cvar95", num(row.band.cvar95)}});
    }
    return rows;
}

nlohmann::json run_json(const Simulation& sim, const MonteCarloResult& mc, const Provenance& p) {
    const auto& spec = sim.spec;
    nlohmann::json params = nlohmann::json::array();
    for (const auto& site : param_sites(spec)) {
        params.push_back({{"path", site.path}, {"distribution", distribution_json(site.dist)}});
    }
    nlohmann::json draws = nlohmann::json::array();
    for (const auto& d : mc.first_run_draws) {
        draws.push_back({{"path", d.path}, {"value", d.value}});
    }
    nlohmann::json measures = nlohmann::json::array();
    for (const auto& m : sim.measures) {
        measures.push_back({{"id", m.id}, {"kind", m.kind}, {"treatment", m.treatment}});
    }
    std::string replay = "lodestone simulate " + p.scenario_path;
    if (p.dataset_source.rfind("embedded", 0) != 0) {
        replay += " --data " + p.dataset_source;
    }
    replay += " --runs " + std::to_string(mc.runs_requested) + " --seed " +
              std::to_string(mc.seed) + " --horizon " + std::to_string(sim.horizon_weeks);
    return {
        {"tool", {{"name", "lodestone"}, {"version", p.version}, {"git", p.git_hash}}},
        {"scenario",
         {{"name", spec.name},
          {"file", p.scenario_path},
          {"content_hash", spec.content_hash},
          {"start", spec.start.to_string()},
          {"horizon_weeks", sim.horizon_weeks},
          {"baseline", spec.free_trade_baseline ? "free_trade" : "status_quo"},
          {"materials", sim.materials},
          {"regions", sim.regions},
          {"sources", spec.sources}}},
        {"dataset",
         {{"name", sim.world->info.name},
          {"version", sim.world->info.version},
          {"content_hash", sim.world->content_hash},
          {"source", p.dataset_source}}},
        {"seed", mc.seed},
        {"runs_requested", mc.runs_requested},
        {"runs_done", mc.runs_done},
        {"cancelled", mc.cancelled},
        {"chunk_runs", kChunkRuns},
        {"streams", "run i draws from pcg64 seeded by SplitMix64 of (seed, i); see sim/random.hpp"},
        {"parameters", std::move(params)},
        {"run0_draws", std::move(draws)},
        {"measures", std::move(measures)},
        {"notes", sim.notes},
        {"max_mass_balance_residual", mc.max_mass_residual},
        {"price_guard",
         {{"multiple", sim.price_cap_multiple},
          {"capped_runs", mc.capped_runs},
          {"first", mc.first_capped},
          {"meaning", "a run whose price reaches the guard failed; its prices are not results"}}},
        {"model_parameters", model_parameters_json(sim)},
        {"replay", replay}};
}

std::string_view unit_of(SummaryMetric metric) {
    switch (metric) {
        case SummaryMetric::PeakShortfallShare:
            return "share";
        case SummaryMetric::FirstShortfallWeek:
            return "week";
        case SummaryMetric::PeakPriceMultiple:
            return "x";
        case SummaryMetric::CumulativeShortfallTonnes:
            return "t";
        case SummaryMetric::CumulativeCostUsd:
            return "USD";
        case SummaryMetric::PeakCostPctOutput:
            return "%";
    }
    return "";
}

nlohmann::json sensitivity_json(const SensitivityResult& result, const std::string& scenario_name) {
    const bool oat = result.method == SensitivityMethod::Oat;
    nlohmann::json params = nlohmann::json::array();
    for (const auto& site : result.params) {
        params.push_back({{"path", site.path},
                          {"distribution", distribution_json(site.dist)},
                          {"low", num(inverse_cdf(site.dist, kLowQuantile))},
                          {"high", num(inverse_cdf(site.dist, kHighQuantile))}});
    }
    nlohmann::json tornados = nlohmann::json::array();
    for (const auto& t : result.tornados) {
        nlohmann::json bars = nlohmann::json::array();
        for (const auto& b : t.bars) {
            nlohmann::json bar{{"parameter", b.path},
                               {"low_value", num(b.low_value)},
                               {"high_value", num(b.high_value)}};
            if (oat) {
                bar["median_low"] = num(b.median_low);
                bar["median_high"] = num(b.median_high);
            } else {
                bar["mu_star"] = num(b.mu_star);
                bar["sigma"] = num(b.sigma);
            }
            bar["swing"] = num(b.swing);
            bars.push_back(std::move(bar));
        }
        tornados.push_back({{"region", t.region},
                            {"material", t.material},
                            {"metric", to_string(t.metric)},
                            {"unit", unit_of(t.metric)},
                            {"median_base", num(t.median_base)},
                            {"bars", std::move(bars)}});
    }
    return {{"method", to_string(result.method)},
            {"scenario", scenario_name},
            {"seed", result.seed},
            {oat ? "runs" : "trajectories", result.runs},
            {"model_runs", result.model_runs},
            {"cancelled", result.cancelled},
            {"quantiles", {kLowQuantile, kHighQuantile}},
            {"parameters", std::move(params)},
            {"tornados", std::move(tornados)},
            {"notes", result.notes}};
}

}  // namespace lodestone::sim
