// lodestone/report/internal/brief_scenario.hpp: the brief's scenario section. Each curated
// scenario is weighed for the perspective (does it simulate the perspective, how high its
// materials rank, does a measure touching them change within the scenario's horizon, is it
// historical, and does a dry run of a few Monte Carlo runs give the perspective a shortfall or a
// price effect: a scenario without one is never the headline); the most relevant one is run with
// a reduced number of Monte Carlo runs.
#pragma once

#include "lodestone/report/brief.hpp"

namespace lodestone::report::internal {

/// Needs b's perspective, risk, upcoming and bom sections filled. Throws InputError only for a
/// bad options.scenario_id; a scenario that fails to read or run is reported in the section.
[[nodiscard]] ScenarioSection scenario_section(const model::World& world,
                                               const Brief& b,
                                               const BriefOptions& options);

}  // namespace lodestone::report::internal
