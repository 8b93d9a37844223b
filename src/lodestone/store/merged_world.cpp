#include "lodestone/store/merged_world.hpp"

#include "lodestone/policy/timeline.hpp"

namespace lodestone::store {

std::string MergedWorld::origin_of(const std::string& id, const model::World& dataset) const {
    const auto it = event_index.find(id);
    if (it == event_index.end()) {
        return "dataset";
    }
    return "workspace r" + std::to_string(events[it->second].revision) +
           (dataset.find_measure(id) != nullptr ? " (revises the dataset's)" : "");
}

std::string MergedWorld::basis_note() const {
    if (workspace.empty()) {
        return "Measures: the dataset's only (no workspace).";
    }
    return "Measures: the dataset's plus " + std::to_string(events.size()) +
           " workspace event(s) from " + workspace + " (the latest revision of an id wins).";
}

MergedWorld merged_world(const model::World& dataset, const Workspace* ws) {
    MergedWorld out;
    out.world = &dataset;
    if (ws == nullptr) {
        return out;
    }
    out.workspace = ws->path().string();
    out.events = ws->latest_events();
    if (out.events.empty()) {
        return out;
    }
    for (std::size_t i = 0; i < out.events.size(); ++i) {
        out.event_index.emplace(out.events[i].measure.id, i);
    }
    std::vector<model::Measure> overlay;
    overlay.reserve(out.events.size());
    for (const auto& e : out.events) {
        overlay.push_back(e.measure);
    }
    auto overlaid = std::make_shared<model::World>(dataset);
    overlaid->measures = policy::overlay_measures(dataset.measures, overlay);
    out.overlaid = std::move(overlaid);
    out.world = out.overlaid.get();
    return out;
}

std::shared_ptr<const MergedWorld> MergedWorldCache::get(const model::World& dataset,
                                                         const Workspace* ws) {
    const std::string key =
        ws == nullptr ? std::string() : ws->path().string() + "\n" + ws->events_version();
    const std::lock_guard lock(mutex_);
    if (merged_ == nullptr || dataset_ != &dataset || key != key_) {
        merged_ = std::make_shared<const MergedWorld>(merged_world(dataset, ws));
        dataset_ = &dataset;
        key_ = key;
    }
    return merged_;
}

}  // namespace lodestone::store
