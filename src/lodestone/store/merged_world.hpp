// lodestone/store/merged_world.hpp: the dataset with its measures overlaid by a workspace's latest
// events (the latest revision of an id wins), as `policies`, `events`, `watch` and `serve` use it.
// Example: auto merged = merged_world(dataset, &ws); policy::in_force(merged.world.measures, day);
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "lodestone/model/world.hpp"
#include "lodestone/store/workspace.hpp"

namespace lodestone::store {

struct MergedWorld {
    model::World world;
    std::vector<EventRevision> events;  ///< latest revision of each workspace event
    std::string workspace;              ///< path shown in notes; empty = none
    std::unordered_map<std::string, std::size_t> event_index;  ///< id -> position in `events`
    /// "dataset", "workspace rN" or "workspace rN (revises the dataset's)".
    [[nodiscard]] std::string origin_of(const std::string& id, const model::World& dataset) const;
    /// One line for table notes: which measures were used.
    [[nodiscard]] std::string basis_note() const;
};

/// The dataset alone when ws is null.
[[nodiscard]] MergedWorld merged_world(const model::World& dataset, const Workspace* ws);

}  // namespace lodestone::store
