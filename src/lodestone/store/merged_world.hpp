// lodestone/store/merged_world.hpp: the dataset with its measures overlaid by a workspace's latest
// events (the latest revision of an id wins), as `policies`, `events`, `watch` and `serve` use it.
// Example: auto merged = merged_world(dataset, &ws); policy::in_force(merged.world->measures, day);
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "lodestone/model/world.hpp"
#include "lodestone/store/workspace.hpp"

namespace lodestone::store {

struct MergedWorld {
    /// The dataset itself when there are no workspace events (shared, not copied: the dataset
    /// must outlive the MergedWorld), else `overlaid`.
    const model::World* world = nullptr;
    std::shared_ptr<const model::World> overlaid;  ///< the dataset with the events' measures
    std::vector<EventRevision> events;             ///< latest revision of each workspace event
    std::string workspace;                         ///< path shown in notes; empty = none
    std::unordered_map<std::string, std::size_t> event_index;  ///< id -> position in `events`
    /// "dataset", "workspace rN" or "workspace rN (revises the dataset's)".
    [[nodiscard]] std::string origin_of(const std::string& id, const model::World& dataset) const;
    /// One line for table notes: which measures were used.
    [[nodiscard]] std::string basis_note() const;
};

/// The dataset alone when ws is null. `dataset` must outlive the result.
[[nodiscard]] MergedWorld merged_world(const model::World& dataset, const Workspace* ws);
/// A temporary dataset would not outlive the MergedWorld that points into it.
MergedWorld merged_world(model::World&& dataset, const Workspace* ws) = delete;

/// The last merge of one dataset with one workspace file, kept while the workspace's events are
/// unchanged (Workspace::events_version), so that a server answering many requests reads and
/// overlays the events once per change instead of once per request. Thread-safe. The dataset
/// must outlive the cache.
class MergedWorldCache {
public:
    [[nodiscard]] std::shared_ptr<const MergedWorld> get(const model::World& dataset,
                                                         const Workspace* ws);
    std::shared_ptr<const MergedWorld> get(model::World&& dataset, const Workspace* ws) = delete;

private:
    std::mutex mutex_;
    const model::World* dataset_ = nullptr;
    std::string key_;  ///< workspace path and events_version of `merged_`
    std::shared_ptr<const MergedWorld> merged_;
};

}  // namespace lodestone::store
