// lodestone info: what the loaded dataset holds, per material and stage.
#include "commands.hpp"
#include "lodestone/report/dataset_view.hpp"

namespace lodestone::cli {

namespace {

void run_info(Context& ctx) {
    const auto& w = ctx.world();
    const auto doc = report::dataset_info(
        w, ctx.data_dir.empty() ? std::string("embedded data/world") : ctx.data_dir);
    print(ctx, doc);
}

}  // namespace

void add_info_command(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "info", "Summarise the dataset: materials, stages, world output, top producers");
    add_common_options(*cmd, ctx);
    cmd->callback([&ctx] { run_info(ctx); });
}

}  // namespace lodestone::cli
