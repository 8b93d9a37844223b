#include "workspace_support.hpp"

#include "lodestone/policy/timeline.hpp"

namespace lodestone::cli {

void add_workspace_option(CLI::App& cmd, WorkspaceChoice& choice, bool allow_none) {
    cmd.add_option("--workspace", choice.path,
                   "Workspace file (default: $XDG_DATA_HOME/lodestone/workspace.sqlite)")
        ->type_name("PATH");
    if (allow_none) {
        cmd.add_flag("--no-workspace", choice.none, "Use the dataset's measures only");
    }
}

std::filesystem::path workspace_path(const WorkspaceChoice& choice) {
    return choice.path.empty() ? store::default_workspace_path() : std::filesystem::path(choice.path);
}

store::Workspace open_for_write(const WorkspaceChoice& choice) {
    return store::Workspace::open(workspace_path(choice), true);
}

std::optional<store::Workspace> open_for_read(const WorkspaceChoice& choice) {
    if (choice.none) {
        return std::nullopt;
    }
    const auto path = workspace_path(choice);
    std::error_code ec;
    if (choice.path.empty() && !std::filesystem::exists(path, ec)) {
        return std::nullopt;
    }
    return store::Workspace::open(path, false);
}

std::string join(const std::vector<std::string>& items, const char* sep) {
    std::string out;
    for (const auto& s : items) {
        out += (out.empty() ? "" : sep) + s;
    }
    return out;
}

std::string MergedWorld::origin_of(const std::string& id, const model::World& dataset) const {
    for (const auto& e : events) {
        if (e.measure.id == id) {
            return "workspace r" + std::to_string(e.revision) +
                   (dataset.find_measure(id) != nullptr ? " (revises the dataset's)" : "");
        }
    }
    return "dataset";
}

std::string MergedWorld::basis_note() const {
    if (workspace.empty()) {
        return "Measures: the dataset's only (no workspace).";
    }
    return "Measures: the dataset's plus " + std::to_string(events.size()) +
           " workspace event(s) from " + workspace + " (the latest revision of an id wins).";
}

MergedWorld merged_world(Context& ctx, const std::optional<store::Workspace>& ws) {
    MergedWorld out{ctx.world(), {}, {}};
    if (!ws) {
        return out;
    }
    out.workspace = ws->path().string();
    out.events = ws->latest_events();
    std::vector<model::Measure> overlay;
    overlay.reserve(out.events.size());
    for (const auto& e : out.events) {
        overlay.push_back(e.measure);
    }
    out.world.measures = policy::overlay_measures(out.world.measures, overlay);
    return out;
}

}  // namespace lodestone::cli
