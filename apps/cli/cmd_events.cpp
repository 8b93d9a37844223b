// lodestone events: ingest policy events into the workspace (one transaction per file, the same
// event twice stored once, a changed event stored as a new revision), list the merged measures,
// and show the revisions of one event.
#include <cstdio>

#include "commands.hpp"
#include "lodestone/io/event_reader.hpp"
#include "lodestone/policy/timeline.hpp"
#include "lodestone/store/measure_json.hpp"
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
    const auto batch = io::read_event_file(o.file, world, [&](const std::string& id) { return ws.has_event(id); });
    for (const auto& w : batch.warnings) {
        std::fprintf(stderr, "%s\n", w.to_string().c_str());
    }
    store::Progress progress;
    if (o.progress) {
        progress = [&](std::size_t done, std::size_t total) {
            if (done == 0) {
                std::fprintf(stderr, "events add: transaction started, storing %zu event(s)\n", total);
            } else {
                std::fprintf(stderr, "events add: %zu/%zu\n", done, total);
            }
            std::fflush(stderr);
        };
    }
    const auto result = ws.add_events(batch.events, o.file, std::string(io::to_string(batch.format)),
                                      batch.lines, progress);
    report::Table t{"Events stored from " + o.file, {{"id"}, {"outcome"}, {"revision"}, {"line"}}, {}, {}};
    for (std::size_t i = 0; i < result.events.size(); ++i) {
        const auto& e = result.events[i];
        t.add({e.id, std::string(store::to_string(e.outcome)), static_cast<std::int64_t>(e.revision),
               static_cast<std::int64_t>(batch.lines[i])});
    }
    t.notes.push_back(std::to_string(result.new_events) + " new, " + std::to_string(result.revised) + " revised, " +
                      std::to_string(result.unchanged) + " unchanged; ingest #" + std::to_string(result.ingest_id) +
                      " in " + ws.path().string());
    nlohmann::json doc{{"file", o.file},
                       {"format", io::to_string(batch.format)},
                       {"workspace", ws.path().string()},
                       {"ingest_id", result.ingest_id},
                       {"new", result.new_events},
                       {"revised", result.revised},
                       {"unchanged", result.unchanged},
                       {"events", report::to_json(t)}};
    print(ctx, {t}, &doc);
}

void run_list(Context& ctx, const EventsOptions& o) {
    const auto ws = open_for_read(o.workspace);
    const auto merged = merged_world(ctx, ws);
    const auto& all = merged.world.measures;
    const Date as_of = resolve_as_of(o.as_of, ctx.world());
    report::Table t{"Events (dataset measures and workspace events), status on " + as_of.to_string(),
                    {{"id"}, {"kind"}, {"country"}, {"materials"}, {"destinations"}, {"effective"},
                     {"expires"}, {"suspends"}, {"status"}, {"origin"}},
                    {},
                    {merged.basis_note()}};
    for (const auto& m : all) {
        const std::string origin = merged.origin_of(m.id, ctx.world());
        const bool from_ws = origin != "dataset";
        if ((o.origin == "dataset" && from_ws) || (o.origin == "workspace" && !from_ws)) {
            continue;
        }
        t.add({m.id, std::string(model::to_string(m.kind)), m.country, join(m.materials),
               store::destinations_text(m.destinations), m.effective ? m.effective->to_string() : "",
               m.expires ? m.expires->to_string() : "", join(m.suspends),
               std::string(policy::to_string(policy::status_on(m, all, as_of))), origin});
    }
    print(ctx, {t});
}

/// Names of the fields whose canonical JSON differs between two revisions.
std::string changed_fields(const nlohmann::json& before, const nlohmann::json& after) {
    std::vector<std::string> out;
    for (const auto& [key, value] : after.items()) {
        if (!before.contains(key) || before[key] != value) {
            out.push_back(key);
        }
    }
    for (const auto& [key, value] : before.items()) {
        if (!after.contains(key)) {
            out.push_back(key);
        }
    }
    return join(out, ";");
}

void run_history(Context& ctx, const EventsOptions& o) {
    const auto ws = open_for_read(o.workspace);
    const auto* base = ctx.world().find_measure(o.id);
    const auto revisions = ws ? ws->history(o.id) : std::vector<store::EventRevision>{};
    if (base == nullptr && revisions.empty()) {
        throw InputError(ErrorCode::NotFound, "no event '" + o.id + "' in the dataset or the workspace" +
                                                  (ws ? " " + ws->path().string() : std::string(" (none)")));
    }
    report::Table t{"History of " + o.id,
                    {{"origin"}, {"revision"}, {"stored"}, {"source"}, {"content_hash"}, {"effective"},
                     {"expires"}, {"changed"}, {"same_as"}},
                    {},
                    {"The latest revision is the one in use; changed = fields that differ from the row above."}};
    nlohmann::json previous;
    std::vector<std::pair<int, std::string>> hashes;  // revision -> content hash
    if (base != nullptr) {
        previous = store::measure_to_json(*base);
        t.add({"dataset", report::Cell{}, report::Cell{}, ctx.data_dir.empty() ? "embedded data/world" : ctx.data_dir,
               store::fnv1a_hex(previous.dump()), base->effective ? base->effective->to_string() : "",
               base->expires ? base->expires->to_string() : "", report::Cell{}, report::Cell{}});
    }
    for (const auto& r : revisions) {
        const auto j = store::measure_to_json(r.measure);
        std::string same;
        for (const auto& [rev, hash] : hashes) {
            if (hash == r.content_hash) {
                same = "r" + std::to_string(rev);
            }
        }
        if (same.empty() && base != nullptr && store::fnv1a_hex(store::measure_to_json(*base).dump()) == r.content_hash) {
            same = "dataset";
        }
        t.add({"workspace", static_cast<std::int64_t>(r.revision), r.created,
               r.source + (r.line > 0 ? ":" + std::to_string(r.line) : ""), r.content_hash,
               r.measure.effective ? r.measure.effective->to_string() : "",
               r.measure.expires ? r.measure.expires->to_string() : "",
               previous.is_null() ? report::Cell{} : report::Cell{changed_fields(previous, j)},
               same.empty() ? report::Cell{} : report::Cell{same}});
        hashes.emplace_back(r.revision, r.content_hash);
        previous = j;
    }
    print(ctx, {t});
}

}  // namespace

void add_events_command(CLI::App& app, Context& ctx) {
    static EventsOptions o;
    auto* cmd = app.add_subcommand("events", "Policy events in the workspace: add, list, history");
    cmd->require_subcommand(1);

    auto* add = cmd->add_subcommand(
        "add", "Ingest an event file (CSV in the measures.csv format, or JSON lines) in one transaction");
    add_common_options(*add, ctx);
    add_workspace_option(*add, o.workspace);
    add->add_option("FILE", o.file, "Event file (.csv, or .jsonl with one JSON object per line)")->required();
    add->add_flag("--progress", o.progress, "Report progress on stderr once the transaction has started");
    add->callback([&ctx] { run_add(ctx, o); });

    auto* list = cmd->add_subcommand("list", "The dataset's measures and the workspace's events (latest revisions)");
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
