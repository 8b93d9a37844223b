// apps/cli/commands.hpp: one registration function per subcommand (one file each).
#pragma once

#include <CLI/CLI.hpp>

#include "context.hpp"

namespace lodestone::cli {

void add_info_command(CLI::App& app, Context& ctx);
void add_validate_command(CLI::App& app, Context& ctx);
void add_assess_command(CLI::App& app, Context& ctx);
void add_leverage_command(CLI::App& app, Context& ctx);
void add_simulate_command(CLI::App& app, Context& ctx);
void add_policies_command(CLI::App& app, Context& ctx);
void add_events_command(CLI::App& app, Context& ctx);
void add_watch_command(CLI::App& app, Context& ctx);
void add_lookthrough_command(CLI::App& app, Context& ctx);
void add_serve_command(CLI::App& app, Context& ctx);
void add_brief_command(CLI::App& app, Context& ctx);
void add_propagate_command(CLI::App& app, Context& ctx);
void add_stockpile_command(CLI::App& app, Context& ctx);
void add_exposure_command(CLI::App& app, Context& ctx);
void add_portfolio_command(CLI::App& app, Context& ctx);

}  // namespace lodestone::cli
