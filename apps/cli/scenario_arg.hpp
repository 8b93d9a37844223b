// apps/cli/scenario_arg.hpp: a SCENARIO argument is a TOML file, or the id of a curated scenario
// compiled in (data/scenarios/ID.toml) when no file of that name exists, so that
// `lodestone simulate cn_magnet_ban_us_eu` runs from any folder. Shared by the commands that run
// scenarios.
#pragma once

#include <string>

#include "lodestone/model/scenario.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::cli {

/// Reads the scenario named by `arg`. Throws InputError (E-FILE-MISSING, E-TOML, ...).
[[nodiscard]] model::ScenarioSpec read_scenario_arg(const std::string& arg,
                                                    const model::World& world);

}  // namespace lodestone::cli
