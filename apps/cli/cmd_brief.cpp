// lodestone brief: the main job. A terminal summary (what binds, what changes soon, the riskiest
// materials, BOM exposure, scenario headline) and one self-contained HTML file with the same
// content.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "build_info.hpp"
#include "commands.hpp"
#include "lodestone/report/brief.hpp"
#include "lodestone/report/brief_render.hpp"

namespace lodestone::cli {

namespace {

struct BriefArgs {
    std::string as_of;
    std::string perspective = "USA";
    std::string bom;
    std::string out = "brief.html";
    int horizon_days = 180;
    bool no_html = false;
    std::string scenario;       // curated scenario id; empty = the most relevant
    std::string scenarios_dir;  // empty = the curated scenarios compiled in
    std::size_t scenario_runs = 200;
    std::size_t sensitivity_runs = 40;
    double pass_through = 0.0;  // of a BOM product's cost increase, into its price
};

void run_brief(Context& ctx, const BriefArgs& args) {
    const auto& world = ctx.world();
    report::BriefOptions options;
    options.as_of = resolve_as_of(args.as_of, world, AgeNote::None);
    options.perspective =
        country_option(world, args.perspective, "--perspective", ErrorCode::UnknownPerspective);
    options.horizon_days = args.horizon_days;
    options.scenarios = args.scenarios_dir.empty() ? io::scenario_texts(io::embedded_scenarios())
                                                   : io::read_scenario_texts(args.scenarios_dir);
    options.scenario_id = args.scenario;
    options.scenario_runs = args.scenario_runs;
    options.sensitivity_runs = args.scenario_runs == 0 ? 0 : args.sensitivity_runs;
    options.threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    if (!(args.pass_through >= 0 && args.pass_through <= 1)) {
        throw InputError(ErrorCode::Usage, "--pass-through: expected a share in [0,1]");
    }
    options.pass_through = args.pass_through;
    std::optional<io::Bom> bom;
    if (!args.bom.empty()) {
        bom = io::load_bom(args.bom, std::nullopt, world);
        for (const auto& w : bom->warnings) {
            std::fprintf(stderr, "%s\n", w.to_string().c_str());
        }
        options.bom_file = args.bom;
        options.bom = &*bom;
    }
    auto brief = report::assemble_brief(world, options);
    brief.generator = "lodestone " + std::string(kVersion);
    const std::string html_path = args.no_html ? std::string() : args.out;
    if (!html_path.empty()) {
        write_file_replacing(html_path, report::render_html(brief));
    }
    if (ctx.format_name == "json") {
        write_stdout(report::to_json(brief).dump(2) + "\n");
    } else if (ctx.format_name == "csv") {  // piped without --format: still the summary
        print(ctx, report::brief_tables(brief));
    } else {
        write_stdout(report::render_terminal(brief, html_path, terminal_width()));
    }
}

}  // namespace

void add_brief_command(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<BriefArgs>();
    auto* cmd = app.add_subcommand(
        "brief",
        "The brief: what binds today, what expires soon, the riskiest materials, BOM exposure, "
        "scenario headline; a terminal summary plus one self-contained HTML file");
    add_common_options(*cmd, ctx);
    add_as_of_option(*cmd, args->as_of);
    cmd->add_option("--perspective", args->perspective,
                    "Point of view: ISO3 country or bloc (default USA)")
        ->type_name("ISO3|BLOC");
    cmd->add_option("--bom", args->bom, "Bill of materials CSV whose exposure to show")
        ->type_name("FILE");
    cmd->add_option("--pass-through", args->pass_through,
                    "Share of a BOM product's cost increase passed on in its price, 0-1, for the "
                    "BOM's exposure to "
                    "the headline scenario (default 0)")
        ->type_name("RATE");
    cmd->add_option("--out", args->out, "Where to write the HTML brief (default brief.html)")
        ->type_name("FILE");
    cmd->add_flag("--no-html", args->no_html, "Print the summary only; write no HTML file");
    cmd->add_option("--horizon", args->horizon_days,
                    "Days ahead that count as 'soon' (default 180)")
        ->type_name("DAYS")
        ->check(CLI::Range(1, 3650));
    cmd->add_option("--scenario", args->scenario,
                    "Curated scenario to headline (default: the most relevant to the perspective)")
        ->type_name("ID");
    cmd->add_option(
           "--scenarios", args->scenarios_dir,
           "Folder of scenario TOMLs to choose from (default: the curated ones compiled in)")
        ->type_name("DIR");
    cmd->add_option("--scenario-runs", args->scenario_runs,
                    "Monte Carlo runs of the headline scenario (default 200; 0 = rank the "
                    "scenarios, run none)")
        ->type_name("N")
        ->check(CLI::Range(0, 100000));
    cmd->add_option("--sensitivity-runs", args->sensitivity_runs,
                    "Runs per variant of the headline's tornado (each uncertain parameter at P5 "
                    "and P95; default "
                    "40; 0 = no tornado)")
        ->type_name("N")
        ->check(CLI::Range(0, 100000));
    cmd->callback([&ctx, args] { run_brief(ctx, *args); });
}

}  // namespace lodestone::cli
