// lodestone/report/decisions_view.hpp: the decision commands (stockpile, exposure, portfolio) as
// tables and JSON, built in one place so that the CLI and the HTTP API print the same document.
// Text: a summary table plus the basis of every number; CSV: one tidy table per command; JSON:
// everything, with units in the key names.
// Example: auto v = stockpile_views(report); print(v.tables);
#pragma once

#include "lodestone/exposure/bom_exposure.hpp"
#include "lodestone/exposure/portfolio.hpp"
#include "lodestone/optimize/stockpile_scenario.hpp"
#include "lodestone/report/document.hpp"

namespace lodestone::report {

/// `lodestone stockpile`: per material tonnes, cost, unmet demand and coverage before/after, with
/// the price, holding cost, value of lost supply and starting stock behind them; totals in a row
/// "ALL" (CSV) and in the JSON "plan" object.
[[nodiscard]] Document stockpile_views(const optimize::StockpileReport& report,
                                       const std::string& holder);

/// `lodestone exposure`: per product the stock-out week, lost output, cost per unit before/after,
/// margin change and drivers (text: a product table and a material table; CSV: one row per product
/// and material with the product's columns repeated).
[[nodiscard]] Document exposure_views(const exposure::ExposureReport& report,
                                      const std::string& bom_name);

/// `lodestone portfolio`: per holding the cost impact (% of cost of goods), the EBIT margin change
/// and its CVaR, the rank and the driver; per scenario in CSV (one row per holding and scenario,
/// plus "ALL SCENARIOS" rows).
[[nodiscard]] Document portfolio_views(const exposure::PortfolioReport& report);

}  // namespace lodestone::report
