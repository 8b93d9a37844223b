// apps/cli/workspace_support.hpp: the --workspace option and the dataset measures merged with the
// workspace's events, shared by `policies`, `events` and `watch`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "context.hpp"
#include "lodestone/core/text.hpp"
#include "lodestone/store/merged_world.hpp"
#include "lodestone/store/workspace.hpp"

namespace lodestone::cli {

struct WorkspaceChoice {
    std::string path;   ///< --workspace; empty = the default location
    bool none = false;  ///< --no-workspace (read commands): dataset measures only
};

/// Adds --workspace PATH (and --no-workspace when `allow_none`).
void add_workspace_option(CLI::App& cmd, WorkspaceChoice& choice, bool allow_none = false);

/// The path chosen: --workspace, else the default ($XDG_DATA_HOME/lodestone/workspace.sqlite).
[[nodiscard]] std::filesystem::path workspace_path(const WorkspaceChoice& choice);

/// Opens the workspace for writing, creating it if needed.
[[nodiscard]] store::Workspace open_for_write(const WorkspaceChoice& choice);

/// Opens it for reading: nullopt with --no-workspace, or when the default workspace does not
/// exist yet; an explicit --workspace that does not exist is an error (E-FILE-MISSING).
[[nodiscard]] std::optional<store::Workspace> open_for_read(const WorkspaceChoice& choice);

/// The dataset with its measures overlaid by the workspace's latest events (when there is one).
using MergedWorld = store::MergedWorld;
[[nodiscard]] MergedWorld merged_world(Context& ctx, const std::optional<store::Workspace>& ws);

}  // namespace lodestone::cli
