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
    MergedWorld out{dataset, {}, {}, {}};
    if (ws == nullptr) {
        return out;
    }
    out.workspace = ws->path().string();
    out.events = ws->latest_events();
    for (std::size_t i = 0; i < out.events.size(); ++i) {
        out.event_index.emplace(out.events[i].measure.id, i);
    }
    std::vector<model::Measure> overlay;
    overlay.reserve(out.events.size());
    for (const auto& e : out.events) {
        overlay.push_back(e.measure);
    }
    out.world.measures = policy::overlay_measures(out.world.measures, overlay);
    return out;
}

}  // namespace lodestone::store
