// lodestone/sim/output.hpp: Monte Carlo results as files: weekly P5/P50/P95 bands (CSV, JSON),
// per-run summaries over runs, and run.json (scenario, seed, version, input hashes) for replay.
// Pure functions returning text/JSON; nothing here touches the file system. The bytes depend only
// on the scenario, the dataset, the seed and the run count, never on the thread count.
// Example: write(out / "series.csv", series_csv(sim, mc));
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lodestone/sim/market.hpp"
#include "lodestone/sim/monte_carlo.hpp"
#include "lodestone/sim/sensitivity.hpp"

namespace lodestone::sim {

/// One summary number over the runs, with its labels.
struct SummaryRow {
    std::string region;
    bool sector = false;
    std::string group;
    SummaryMetric metric = SummaryMetric::PeakShortfallShare;
    SummaryBand band;
};

/// Every summary of the result, in the Simulation's order (region, materials, then sectors).
[[nodiscard]] std::vector<SummaryRow> summary_rows(const Simulation& sim,
                                                   const MonteCarloResult& mc);

/// CSV with header region,kind,group,metric,stage,unit,week,date,mean,p5,p50,p95,min,max; one row
/// per series and week. Numbers as %.12g; empty when undefined.
[[nodiscard]] std::string series_csv(const Simulation& sim, const MonteCarloResult& mc);
/// {"scenario", "seed", "runs", "weeks": [dates], "series": [{region, kind, group, metric, unit,
/// mean:[], p5:[], p50:[], p95:[], min:[], max:[]}]}
[[nodiscard]] nlohmann::json series_json(const Simulation& sim, const MonteCarloResult& mc);
/// CSV region,kind,group,metric,p5,p50,p95,mean,probability,cvar95.
[[nodiscard]] std::string summary_csv(const Simulation& sim, const MonteCarloResult& mc);
[[nodiscard]] nlohmann::json summary_json(const Simulation& sim, const MonteCarloResult& mc);

/// What run.json records besides the scenario and the result.
struct Provenance {
    std::string version;         ///< lodestone version
    std::string git_hash;        ///< of the build, may be empty
    std::string dataset_source;  ///< "embedded data/world" or the --data folder
    std::string scenario_path;   ///< as given on the command line
};

/// The replay record: scenario (name, file, content hash, start, horizon), seed, runs, dataset
/// (name, version, content hash), parameters with their distributions, the draws of run 0, the
/// measures and how they were treated, notes, the mass-balance check and a replay command.
[[nodiscard]] nlohmann::json run_json(const Simulation& sim,
                                      const MonteCarloResult& mc,
                                      const Provenance& p);

/// Unit text of a summary metric ("share", "week", "x", "t", "USD", "%").
[[nodiscard]] std::string_view unit_of(SummaryMetric metric);

/// {"method", "scenario", "seed", "runs", "model_runs", "cancelled", "quantiles": [0.05, 0.95],
/// "parameters": [{path, distribution, low, high}], "tornados": [{region, material, metric, unit,
/// median_base, bars: [{parameter, low_value, high_value, median_low, median_high, swing} (oat) or
/// {parameter, low_value, high_value, mu_star, sigma, swing} (morris)]}], "notes"}. Bars by swing.
[[nodiscard]] nlohmann::json sensitivity_json(const SensitivityResult& result,
                                              const std::string& scenario_name);

/// "%.12g", "" for NaN, "inf" for infinity.
[[nodiscard]] std::string number_text(double v);

}  // namespace lodestone::sim
