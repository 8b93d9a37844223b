#include "workspace_support.hpp"

#include "lodestone/core/text.hpp"

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
    return choice.path.empty() ? store::default_workspace_path()
                               : std::filesystem::path(choice.path);
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

MergedWorld merged_world(Context& ctx, const std::optional<store::Workspace>& ws) {
    return store::merged_world(ctx.world(), ws ? &*ws : nullptr);
}

}  // namespace lodestone::cli
