// lodestone portfolio --holdings FILE --scenario SCENARIO...: scenario cost impact on holdings (%
// of cost of goods), EBIT margin change at a pass-through rate, ranking, CVaR across the scenario
// set and drivers (src/lodestone/exposure/portfolio.hpp, docs/decisions.md).
#include <algorithm>
#include <thread>

#include "commands.hpp"
#include "lodestone/exposure/portfolio.hpp"
#include "lodestone/io/holdings_reader.hpp"
#include "lodestone/report/decisions_view.hpp"
#include "scenario_arg.hpp"

namespace lodestone::cli {

namespace {

struct PortfolioArgs {
    std::string holdings;
    std::vector<std::string> scenarios;
    long long runs = -1;
    int threads = -1;
    double pass_through = 0.0;
    double alpha = 0.95;
};

void run_portfolio(Context& ctx, const PortfolioArgs& a) {
    Diagnostics usage;
    auto bad = [&](const std::string& field, const std::string& message) {
        usage.add({Severity::Error, ErrorCode::Usage, {}, 0, 0, field, message});
    };
    if (a.runs != -1 && (a.runs < 1 || a.runs > 100000)) {
        bad("runs", "--runs: expected a whole number in [1,100000], got " + std::to_string(a.runs));
    }
    if (a.threads != -1 && (a.threads < 1 || a.threads > 256)) {
        bad("threads", "--threads: expected a number in [1,256], got " + std::to_string(a.threads));
    }
    if (!(a.pass_through >= 0 && a.pass_through <= 1)) {
        bad("pass-through", "--pass-through: expected a share in [0,1]");
    }
    if (!(a.alpha > 0 && a.alpha < 1)) {
        bad("cvar", "--cvar: expected a level in (0,1)");
    }
    usage.throw_if_errors();
    const auto& world = ctx.world();
    const auto holdings = io::load_holdings(a.holdings, world);
    std::vector<model::ScenarioSpec> specs;
    specs.reserve(a.scenarios.size());
    for (const auto& s : a.scenarios) {
        specs.push_back(read_scenario_arg(s, world));
    }
    exposure::PortfolioOptions opt;
    opt.runs = a.runs > 0 ? static_cast<std::size_t>(a.runs) : 0;
    opt.threads = a.threads > 0
                      ? a.threads
                      : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    opt.pass_through = a.pass_through;
    opt.alpha = a.alpha;
    const auto report = exposure::portfolio_exposure(world, holdings, specs, opt);
    const auto views = report::portfolio_views(report);
    print(ctx, views);
}

}  // namespace

void add_portfolio_command(CLI::App& app, Context& ctx) {
    auto a = std::make_shared<PortfolioArgs>();
    auto* cmd = app.add_subcommand("portfolio",
                                   "Scenario cost impact on holdings: % of cost of goods, EBIT "
                                   "margin change, ranking, CVaR, drivers");
    cmd->add_option("--holdings", a->holdings,
                    "Holdings CSV (docs/decisions.md; example in data/examples/)")
        ->required()
        ->type_name("FILE");
    cmd->add_option("--scenario", a->scenarios,
                    "Scenario TOML file or curated scenario id; repeat for a set")
        ->required()
        ->type_name("SCENARIO");
    cmd->add_option("--runs", a->runs,
                    "Monte Carlo runs per scenario (default: each scenario's runs)")
        ->type_name("N");
    cmd->add_option("--threads", a->threads,
                    "Worker threads (default: all cores); results do not depend on it")
        ->type_name("T");
    cmd->add_option("--pass-through", a->pass_through,
                    "Share of the cost increase passed on in prices, 0-1 (default 0)")
        ->type_name("RATE");
    cmd->add_option("--cvar", a->alpha,
                    "CVaR level of the tail across runs and scenarios (default 0.95)")
        ->type_name("LEVEL");
    add_common_options(*cmd, ctx);
    cmd->callback([&ctx, a] { run_portfolio(ctx, *a); });
}

}  // namespace lodestone::cli
