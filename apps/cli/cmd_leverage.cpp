// lodestone leverage: two-sided leverage of a supplier over a target (and back), per material, or
// the ranking of every supplier against one target (--top).
#include "commands.hpp"
#include "lodestone/report/leverage_view.hpp"

namespace lodestone::cli {

namespace {

struct LeverageArgs {
    std::string supplier;
    std::string target;
    std::string as_of;
    std::vector<std::string> materials;
    std::size_t top = 10;
    bool top_given = false;
};

void run_leverage(Context& ctx, LeverageArgs args) {
    const auto& world = ctx.world();
    args.supplier = country_option(world, args.supplier, "--supplier");
    args.target = country_option(world, args.target, "--target");
    args.materials = material_options(world, args.materials, "--material");
    const Date as_of = resolve_as_of(args.as_of, world);
    if (args.supplier.empty()) {
        const auto views =
            report::leverage_ranking_views(world, args.target, as_of, args.materials, args.top);
        print(ctx, views);
        return;
    }
    if (args.top_given) {
        throw InputError(ErrorCode::Usage,
                         "--top ranks every supplier of --target: drop --supplier or --top");
    }
    const auto views =
        report::leverage_pair_views(world, args.supplier, args.target, as_of, args.materials);
    print(ctx, views);
}

}  // namespace

void add_leverage_command(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<LeverageArgs>();
    auto* cmd = app.add_subcommand(
        "leverage",
        "Two-sided leverage of a supplier over a target per material; or rank suppliers (--top)");
    add_common_options(*cmd, ctx);
    add_as_of_option(*cmd, args->as_of);
    cmd->add_option("--supplier", args->supplier,
                    "Supplier country ISO3 or bloc (omit to rank every supplier)")
        ->type_name("ISO3|BLOC");
    cmd->add_option("--target", args->target, "Target country ISO3 or bloc")
        ->type_name("ISO3|BLOC")
        ->required();
    cmd->add_option("--material", args->materials,
                    "Material id (repeatable or comma-separated; default all)")
        ->delimiter(',')
        ->type_name("ID");
    auto* top = cmd->add_option("--top", args->top,
                                "Rank suppliers of --target, keep the first N (default 10)")
                    ->type_name("N")
                    ->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
    cmd->callback([&ctx, args, top] {
        args->top_given = top->count() > 0;
        run_leverage(ctx, *args);
    });
}

}  // namespace lodestone::cli
