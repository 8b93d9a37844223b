// lodestone exposure --bom FILE --scenario SCENARIO: per product of a bill of materials, the weeks
// until stock-out, lost units, cost per unit before and after, margin impact and drivers under a
// disruption scenario (src/lodestone/exposure/bom_exposure.hpp, docs/decisions.md).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "commands.hpp"
#include "lodestone/exposure/bom_exposure.hpp"
#include "lodestone/report/decisions_view.hpp"
#include "scenario_arg.hpp"

namespace lodestone::cli {

namespace {

struct ExposureArgs {
    std::string bom, products, scenario;
    long long runs = -1;
    int threads = -1;
    double pass_through = 0.0;
    double cover = exposure::kDefaultCoverWeeks;
};

void run_exposure(Context& ctx, const ExposureArgs& a) {
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
    if (!(a.cover >= 0 && a.cover <= 520)) {
        bad("default-cover", "--default-cover: expected weeks in [0,520]");
    }
    usage.throw_if_errors();
    const auto& world = ctx.world();
    const auto bom = io::load_bom(
        a.bom, a.products.empty() ? std::nullopt : std::optional<std::filesystem::path>(a.products),
        world);
    for (const auto& w : bom.warnings) {
        std::fprintf(stderr, "%s\n", w.to_string().c_str());
    }
    const auto spec = read_scenario_arg(a.scenario, world);
    exposure::ExposureOptions opt;
    opt.runs = a.runs > 0 ? static_cast<std::size_t>(a.runs) : 0;
    opt.threads = a.threads > 0
                      ? a.threads
                      : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    opt.pass_through = a.pass_through;
    opt.default_cover_weeks = a.cover;
    const auto report = exposure::bom_exposure(world, bom, spec, opt);
    const auto views =
        report::exposure_views(report, std::filesystem::path(a.bom).filename().string());
    print(ctx, views);
}

}  // namespace

void add_exposure_command(CLI::App& app, Context& ctx) {
    auto a = std::make_shared<ExposureArgs>();
    auto* cmd = app.add_subcommand("exposure",
                                   "Per product of a BOM under a scenario: weeks to stock-out, "
                                   "lost units, cost per unit, margin, drivers");
    cmd->add_option("--bom", a->bom, "Bill of materials CSV (docs/lookthrough.md)")
        ->required()
        ->type_name("FILE");
    cmd->add_option("--products", a->products, "Product data CSV, when not in the BOM")
        ->type_name("FILE");
    cmd->add_option("--scenario", a->scenario, "Scenario TOML file or curated scenario id")
        ->required()
        ->type_name("SCENARIO");
    cmd->add_option("--runs", a->runs, "Monte Carlo runs (default: the scenario's runs)")
        ->type_name("N");
    cmd->add_option("--threads", a->threads,
                    "Worker threads (default: all cores); results do not depend on it")
        ->type_name("T");
    cmd->add_option("--pass-through", a->pass_through,
                    "Share of the cost increase passed on in the price, 0-1 (default 0)")
        ->type_name("RATE");
    cmd->add_option("--default-cover", a->cover,
                    "Weeks of inventory cover of a product without inventory_weeks (default 8, an "
                    "ASSUMPTION)")
        ->type_name("WEEKS");
    add_common_options(*cmd, ctx);
    cmd->callback([&ctx, a] { run_exposure(ctx, *a); });
}

}  // namespace lodestone::cli
