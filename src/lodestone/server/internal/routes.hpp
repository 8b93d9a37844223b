// lodestone/server/internal/routes.hpp: one registration function per group of endpoints, and the
// small helpers they share. Private to the server module.
#pragma once

#include <memory>
#include <string>

#include "lodestone/model/world.hpp"
#include "lodestone/server/api.hpp"
#include "lodestone/store/merged_world.hpp"

namespace lodestone::server::internal {

using State = std::shared_ptr<const ApiState>;

void add_dataset_routes(Router& router, const State& state);
void add_policy_routes(Router& router, const State& state);
void add_job_routes(Router& router, const State& state);
void add_lookthrough_routes(Router& router, const State& state);
void add_brief_routes(Router& router, const State& state);
void add_analysis_routes(Router& router, const State& state);
void add_simulate_routes(Router& router, const State& state);
void add_workspace_routes(Router& router, const State& state);
void add_decision_routes(Router& router, const State& state);

/// The dataset's world, or the one with the workspace's events overlaid when it has any: what the
/// policy endpoints read, like the CLI's `policies` does. Shared, not copied per request.
[[nodiscard]] std::shared_ptr<const model::World> world_with_events(const State& state);
/// The dataset merged with the workspace's events, with where each measure comes from; the same
/// object for every request until the events change (ApiState::merged_worlds).
[[nodiscard]] std::shared_ptr<const store::MergedWorld> merged_with_events(const State& state);

/// The as_of query parameter: `as_of` given -> it; else the dataset's as-of date; else today.
[[nodiscard]] ParamSpec as_of_param();
[[nodiscard]] Date as_of(const Params& params, const model::World& world);

/// The request body as a JSON object; ApiError 400 (E-JSON) when it does not parse or is not an
/// object, saying what was expected (e.g. "{scenario | toml, runs}").
[[nodiscard]] nlohmann::json json_object_body(const Request& request, const std::string& expected);

}  // namespace lodestone::server::internal
