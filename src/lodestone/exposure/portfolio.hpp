// lodestone/exposure/portfolio.hpp: scenario cost impact on a portfolio's holdings. A holding's
// material cost shares (of cost of goods) are its own, or those of its sector: intensity.csv kg per
// million USD of output × price / 1e9 / (cost of goods / revenue). Per Monte Carlo run, the cost of
// goods rises by Σ_m share_m × (PriceMultiple_m averaged over the horizon − 1) (prices of the
// holding's country, else the world market); the EBIT margin changes by −that × cogs/revenue ×
// (1 − pass-through), in percentage points of revenue. Scenarios are equally likely; runs equally
// likely within a scenario; the tail is the CVaR of the margin loss over all runs.
// Example: auto r = portfolio_exposure(world, holdings, {spec}, {.pass_through = 0.3});
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "lodestone/io/holdings_reader.hpp"
#include "lodestone/model/scenario.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::exposure {

/// ASSUMPTION: cost of goods sold as a share of revenue for a holding whose file gives none
/// (a round figure for manufacturers, not a published statistic).
inline constexpr double kDefaultCogsShare = 0.7;

struct PortfolioOptions {
    std::size_t runs = 0;  ///< per scenario; 0 = each scenario's runs
    int threads = 1;
    double pass_through = 0.0;
    double alpha = 0.95;  ///< CVaR level of the tail
    std::function<void(std::size_t, std::size_t)> progress;
    const std::atomic<bool>* cancel = nullptr;
};

struct HoldingScenario {
    std::string scenario;
    double cost_pct_cogs_mean = 0;  ///< % of cost of goods, mean over runs
    double margin_pp_mean = 0;      ///< EBIT margin change, pp of revenue, mean over runs
    double margin_pp_p5 = 0;        ///< 5th percentile (a bad run)
};

struct HoldingResult {
    std::string id;
    double weight = 0;
    std::string basis;   ///< "sector automotive (intensity.csv)" or "own cost shares"
    std::string region;  ///< whose prices: the holding's country or WORLD
    double cogs_share = 0;
    std::string cogs_basis;  ///< "holdings file" or the labelled default
    std::vector<std::pair<std::string, double>>
        cost_shares;  ///< material -> share of cost of goods
    std::vector<HoldingScenario> scenarios;
    double cost_pct_cogs_mean = 0;  ///< over all scenarios and runs
    double margin_pp_mean = 0;
    double margin_cvar_pp = 0;    ///< mean of the worst (1 − α) margin changes (negative = loss)
    int rank = 0;                 ///< 1 = largest expected margin loss
    std::string driver_material;  ///< the largest contribution to the expected cost increase
    double driver_share = 0;      ///< its share of that increase
};

struct PortfolioReport {
    std::vector<std::string> scenarios;  ///< "name (seed, runs)"
    double pass_through = 0, alpha = 0.95;
    std::vector<HoldingResult> holdings;  ///< in file order
    double margin_pp_mean = 0;            ///< weighted portfolio
    double margin_cvar_pp = 0;
    bool cancelled = false;
    std::vector<std::string> notes;
};

[[nodiscard]] PortfolioReport portfolio_exposure(const model::World& world,
                                                 const std::vector<io::Holding>& holdings,
                                                 const std::vector<model::ScenarioSpec>& scenarios,
                                                 const PortfolioOptions& options);

}  // namespace lodestone::exposure
