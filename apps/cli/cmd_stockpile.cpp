// lodestone stockpile --holder ISO3|BLOC --budget USD --scenario SCENARIO...: what strategic stock
// to hold under a budget, from the two-stage stochastic LP over the scenarios' Monte Carlo runs
// (src/lodestone/optimize/stockpile_scenario.hpp, docs/decisions.md).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <thread>

#include "commands.hpp"
#include "lodestone/core/limits.hpp"
#include "lodestone/io/material_numbers.hpp"
#include "lodestone/optimize/stockpile_scenario.hpp"
#include "lodestone/report/decisions_view.hpp"
#include "scenario_arg.hpp"

namespace lodestone::cli {

namespace {

struct StockpileArgs {
    std::string holder;
    double budget = -1;
    bool budget_given = false;
    std::vector<std::string> scenarios;
    long long runs = -1;
    int threads = -1;
    std::string objective = "expected";
    std::vector<std::string> materials;
    std::vector<std::string> values;
    double holding = optimize::kDefaultHoldingCostPerYear;
    double release_weeks = 26;
    std::string method = "auto";
    std::string write_lp;
};

void run_stockpile(Context& ctx, const StockpileArgs& a) {
    Diagnostics usage;
    auto bad = [&](const std::string& field, const std::string& message) {
        usage.add({Severity::Error, ErrorCode::Usage, {}, 0, 0, field, message});
    };
    optimize::StockpileRequest req;
    req.holder = a.holder;
    req.budget_usd = a.budget;
    if (!(std::abs(a.budget) <= kMaxInputQuantity)) {  // the API's bound on budget_usd too
        bad("budget", "--budget: expected a number of USD in [-1e+15,1e+15]");
    }
    if (a.runs != -1 && (a.runs < 1 || a.runs > 100000)) {
        bad("runs", "--runs: expected a whole number in [1,100000], got " + std::to_string(a.runs));
    }
    if (a.threads != -1 && (a.threads < 1 || a.threads > 256)) {
        bad("threads", "--threads: expected a number in [1,256], got " + std::to_string(a.threads));
    }
    if (a.objective == "expected") {
        req.objective = optimize::Objective::Expected;
    } else if (a.objective.rfind("cvar:", 0) == 0) {
        req.objective = optimize::Objective::Cvar;
        char* end = nullptr;
        const std::string level = a.objective.substr(5);
        req.alpha = std::strtod(level.c_str(), &end);
        if (level.empty() || end != level.c_str() + level.size() ||
            !(req.alpha > 0 && req.alpha < 1)) {
            bad("objective",
                "--objective: expected 'expected' or 'cvar:LEVEL' with LEVEL in (0,1), got '" +
                    a.objective + "'");
        }
    } else {
        bad("objective",
            "--objective: expected 'expected' or 'cvar:LEVEL' (e.g. cvar:0.95), got '" +
                a.objective + "'");
    }
    if (!(a.holding >= 0 && a.holding <= 1)) {
        bad("holding-cost", "--holding-cost: expected a yearly fraction of the price in [0,1]");
    }
    if (!(a.release_weeks >= 1 && a.release_weeks <= 1040)) {
        bad("release-weeks", "--release-weeks: expected weeks in [1,1040]");
    }
    if (a.method == "auto") {
        req.method = optimize::Method::Auto;
    } else if (a.method == "lp") {
        req.method = optimize::Method::Monolithic;
    } else if (a.method == "structured") {
        req.method = optimize::Method::Structured;
    } else {
        bad("method", "--method: expected auto, lp or structured, got '" + a.method + "'");
    }
    usage.throw_if_errors();
    const auto& world = ctx.world();
    req.value_usd_t = io::parse_material_numbers(world, a.values, "--value-of-lost-supply",
                                                 {0, optimize::kMaxValueOfLostSupplyUsdPerTonne});
    for (const auto& s : a.scenarios) {
        req.scenarios.push_back(read_scenario_arg(s, world));
    }
    for (const auto& m : a.materials) {
        std::size_t from = 0;
        while (from <= m.size()) {
            const auto comma = std::min(m.find(',', from), m.size());
            if (comma > from) {
                req.materials.push_back(m.substr(from, comma - from));
            }
            from = comma + 1;
        }
    }
    req.runs = a.runs > 0 ? static_cast<std::size_t>(a.runs) : 0;
    req.threads = a.threads > 0
                      ? a.threads
                      : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    req.holding_cost_per_year = a.holding;
    req.release_weeks = a.release_weeks;
    const auto solver = optimize::make_clp_solver();
    const auto report = optimize::plan_stockpile(world, req, *solver);
    if (!a.write_lp.empty()) {
        write_file_replacing(a.write_lp,
                             optimize::write_lp(optimize::build_stockpile_lp(report.problem)));
    }
    const auto views = report::stockpile_views(report, a.holder);
    print(ctx, views);
}

}  // namespace

void add_stockpile_command(CLI::App& app, Context& ctx) {
    auto a = std::make_shared<StockpileArgs>();
    auto* cmd = app.add_subcommand("stockpile",
                                   "Strategic stock to hold under a budget: two-stage stochastic "
                                   "LP over scenario Monte Carlo runs");
    cmd->add_option("--holder", a->holder,
                    "ISO3 or bloc whose buyers the stock serves (e.g. USA, EU)")
        ->required()
        ->type_name("ISO3|BLOC");
    cmd->add_option("--budget", a->budget, "Budget for purchase plus holding cost, USD")
        ->required()
        ->type_name("USD");
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
    cmd->add_option("--objective", a->objective,
                    "expected (expected loss) or cvar:LEVEL (e.g. cvar:0.95)")
        ->type_name("OBJ");
    cmd->add_option("--materials", a->materials,
                    "Materials to stock, comma-separated (default: all simulated)")
        ->type_name("IDS");
    cmd->add_option(
           "--value-of-lost-supply", a->values,
           "MATERIAL=USD_PER_T; default: sector output lost per tonne short (intensity.csv)")
        ->type_name("M=USD");
    cmd->add_option("--holding-cost", a->holding,
                    "Holding cost, fraction of the price per year (default 0.02, an ASSUMPTION)")
        ->type_name("RATE");
    cmd->add_option(
           "--release-weeks", a->release_weeks,
           "Weeks to empty a stock at its maximum release rate (default 26, the model's default)")
        ->type_name("WEEKS");
    cmd->add_option("--method", a->method, "auto, lp (monolithic LP) or structured (default auto)")
        ->type_name("M");
    cmd->add_option("--write-lp", a->write_lp, "Write the monolithic LP in LP format to FILE")
        ->type_name("FILE");
    add_common_options(*cmd, ctx);
    cmd->callback([&ctx, a] { run_stockpile(ctx, *a); });
}

}  // namespace lodestone::cli
