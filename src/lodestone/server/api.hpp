// lodestone/server/api.hpp: the endpoints of the HTTP API under /api/v1/, each a thin mapping
// from query parameters and body to a library call and the same JSON the CLI prints with
// --format json. The dataset is loaded once and shared, immutable, by every request thread.
// Example: Router r; add_api_routes(r, std::make_shared<ApiState>(ApiState{loaded, "data/world",
// "0.1.0", &jobs}));
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "lodestone/io/dataset_reader.hpp"
#include "lodestone/io/scenario_reader.hpp"
#include "lodestone/server/jobs.hpp"
#include "lodestone/server/router.hpp"
#include "lodestone/store/merged_world.hpp"

namespace lodestone::server {

/// What every endpoint shares. Immutable once the server runs (JobManager and MergedWorldCache
/// are thread-safe).
struct ApiState {
    std::shared_ptr<const io::LoadedWorld> loaded;  ///< the dataset
    std::string dataset_source;                     ///< "embedded data/world" or the folder given
    std::string version;                            ///< lodestone version, for /api/v1 and OpenAPI
    std::string git_hash;                           ///< of the build, for simulate's run.json
    std::vector<io::ScenarioText> scenarios;        ///< what POST /simulate?scenario=ID can run
    std::filesystem::path workspace;                ///< events, watch rules, alerts; empty = none
    JobManager* jobs = nullptr;                     ///< long runs; must outlive the router
    std::size_t max_body_bytes = 0;                 ///< shown in /api/v1; enforced by the server
    /// The dataset merged with the workspace's events, reused until the events change.
    std::shared_ptr<store::MergedWorldCache> merged_worlds =
        std::make_shared<store::MergedWorldCache>();
};

/// Registers every endpoint, the index (/api/v1) and the OpenAPI document last.
void add_api_routes(Router& router, std::shared_ptr<const ApiState> state);

}  // namespace lodestone::server
