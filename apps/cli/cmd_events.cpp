// lodestone events: ingest policy events into the workspace (one transaction per file, the same
// event twice stored once, a changed event stored as a new revision), list the merged measures,
// and show the revisions of one event.
#include <cstdio>

#include "commands.hpp"
#include "lodestone/io/event_reader.hpp"
#include "lodestone/report/workspace_view.hpp"
#include "workspace_support.hpp"

namespace lodestone::cli {

namespace {

struct EventsOptions {
    std::string file;
    std::string id;
    std::string as_of;
    std::string origin = "all";
    bool progress = false;
    WorkspaceChoice workspace;
};

void run_add(Context& ctx, const EventsOptions& o) {
    const auto& world = ctx.world();
    auto ws = open_for_write(o.workspace);
    const auto batch =
        io::read_event_file(o.file, world, [&](const std::string& id) { return ws.has_event(id); });
    for (const auto& w : batch.warnings) {
        std::fprintf(stderr, "%s\n", w.to_string().c_str());
    }
    store::Progress progress;
    if (o.progress) {
        progress = [&](std::size_t done, std::size_t total) {
            if (done == 0) {
                std::fprintf(stderr, "events add: transaction started, storing %zu event(s)\n",
                             total);
            } else {
                std::fprintf(stderr, "events add: %zu/%zu\n", done, total);
            }
            std::fflush(stderr);
        };
    }
    const auto result = ws.add_events(
        batch.events, o.file, std::string(io::to_string(batch.format)), batch.lines, progress);
    const auto r = report::ingest_report(o.file, io::to_string(batch.format), batch.lines, result,
                                         ws.path().string());
    print(ctx, r);
}

void run_list(Context& ctx, const EventsOptions& o) {
    const auto ws = open_for_read(o.workspace);
    const auto merged = merged_world(ctx, ws);
    const auto origin = o.origin == "dataset"     ? report::EventOrigin::Dataset
                        : o.origin == "workspace" ? report::EventOrigin::Workspace
                                                  : report::EventOrigin::All;
    print(ctx,
          {report::events_table(merged, ctx.world(), resolve_as_of(o.as_of, ctx.world()), origin)});
}

void run_history(Context& ctx, const EventsOptions& o) {
    const auto ws = open_for_read(o.workspace);
    print(ctx, {report::event_history_table(
                   o.id, ctx.world(), ctx.data_dir.empty() ? "embedded data/world" : ctx.data_dir,
                   ws ? ws->history(o.id) : std::vector<store::EventRevision>{},
                   ws ? ws->path().string() : std::string())});
}

}  // namespace

void add_events_command(CLI::App& app, Context& ctx) {
    static EventsOptions o;
    auto* cmd = app.add_subcommand("events", "Policy events in the workspace: add, list, history");
    cmd->require_subcommand(1);

    auto* add = cmd->add_subcommand(
        "add",
        "Ingest an event file (CSV in the measures.csv format, or JSON lines) in one transaction");
    add_common_options(*add, ctx);
    add_workspace_option(*add, o.workspace);
    add->add_option("FILE", o.file, "Event file (.csv, or .jsonl with one JSON object per line)")
        ->required();
    add->add_flag("--progress", o.progress,
                  "Report progress on stderr once the transaction has started");
    add->callback([&ctx] { run_add(ctx, o); });

    auto* list = cmd->add_subcommand(
        "list", "The dataset's measures and the workspace's events (latest revisions)");
    add_common_options(*list, ctx);
    add_as_of_option(*list, o.as_of);
    add_workspace_option(*list, o.workspace, true);
    list->add_option("--origin", o.origin, "all, dataset or workspace")
        ->check(CLI::IsMember({"all", "dataset", "workspace"}));
    list->callback([&ctx] { run_list(ctx, o); });

    auto* history = cmd->add_subcommand("history", "Every stored revision of one event");
    add_common_options(*history, ctx);
    add_workspace_option(*history, o.workspace);
    history->add_option("ID", o.id, "Event id, e.g. CN-2025-SUSP46")->required();
    history->callback([&ctx] { run_history(ctx, o); });
}

}  // namespace lodestone::cli
