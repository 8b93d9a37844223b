// lodestone assess: the criticality panel of docs/methods.md, one row per material (or per material
// and stage), ranked by one method with the rank under every other method beside it.
#include "commands.hpp"
#include "lodestone/io/material_numbers.hpp"
#include "lodestone/report/assess_view.hpp"
#include "options_util.hpp"

namespace lodestone::cli {

namespace {

struct AssessArgs {
    std::string as_of;
    std::string perspective = "EU";
    std::vector<std::string> materials;
    std::string stage;
    std::string method = "all";
    bool by_stage = false;
    std::string methods_file;
    std::vector<std::string> ev;
    bool product_stages = false;
};

void run_assess(Context& ctx, const AssessArgs& args) {
    const auto& world = ctx.world();
    const auto params = methods_with_override(world, args.methods_file);
    const auto materials = material_options(world, args.materials, "--material");
    const report::AssessQuery query{
        resolve_as_of(args.as_of, world),
        country_option(world, args.perspective, "--perspective", ErrorCode::UnknownPerspective),
        materials,
        args.stage,
        args.method,
        args.by_stage,
        io::parse_material_numbers(world, args.ev, "--ev", {0, 1}),
        args.product_stages};
    const auto views = report::assess_views(world, params, query);
    print(ctx, views);
}

}  // namespace

void add_assess_command(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<AssessArgs>();
    auto* cmd = app.add_subcommand("assess",
                                   "Criticality panel: concentration, EU SR/EI, GeoPolRisk, USGS "
                                   "DP/TE per material and stage");
    add_common_options(*cmd, ctx);
    add_as_of_option(*cmd, args->as_of);
    cmd->add_option("--perspective", args->perspective,
                    "Country ISO3 or bloc whose sourcing is assessed (default EU)")
        ->type_name("ISO3|BLOC");
    cmd->add_option("--material", args->materials,
                    "Material id (repeatable or comma-separated; default all)")
        ->delimiter(',')
        ->type_name("ID");
    cmd->add_option("--stage", args->stage, "Only this stage (e.g. refined, separation)")
        ->type_name("ID");
    cmd->add_option("--method", args->method,
                    "Method to rank by and show: all (ranked by EU SR), eu, geopolrisk, usgs, hhi")
        ->check(CLI::IsMember({"all", "eu", "geopolrisk", "usgs", "hhi"}));
    cmd->add_flag("--by-stage", args->by_stage, "One row per material and stage");
    cmd->add_flag("--product-stages", args->product_stages,
                  "EU perspective: also assess product stages (magnet, anode), which the EU method "
                  "leaves out");
    cmd->add_option("--methods", args->methods_file,
                    "methods.toml overriding the dataset's trade factors and thresholds")
        ->type_name("FILE");
    cmd->add_option("--ev", args->ev, "USGS economic vulnerability of a material, 0-1 (repeatable)")
        ->type_name("MATERIAL=EV");
    cmd->callback([&ctx, args] { run_assess(ctx, *args); });
}

}  // namespace lodestone::cli
