// Endpoints of the user's workspace (serve --workspace PATH): policy events with their revisions,
// watch rules and alerts. Each request opens its own SQLite connection (WAL: readers never wait for
// the writer); every write is one transaction, as in the CLI. Writes need the token.
#include <filesystem>

#include "lodestone/io/bom_reader.hpp"
#include "lodestone/io/event_reader.hpp"
#include "lodestone/report/document.hpp"
#include "lodestone/report/workspace_view.hpp"
#include "lodestone/server/internal/routes.hpp"
#include "lodestone/server/openapi.hpp"
#include "lodestone/watch/watch.hpp"

namespace lodestone::server::internal {

namespace {

/// The workspace for reading: none when serve has none or the file does not exist yet.
std::optional<store::Workspace> open_for_read(const ApiState& state) {
    std::error_code ec;
    if (state.workspace.empty() || !std::filesystem::exists(state.workspace, ec)) {
        return std::nullopt;
    }
    return store::Workspace::open(state.workspace, false);
}

store::Workspace open_for_write(const ApiState& state) {
    if (state.workspace.empty()) {
        throw ApiError(
            409, ErrorCode::Store,
            "this server has no workspace; start it with `lodestone serve --workspace PATH`");
    }
    return store::Workspace::open(state.workspace, true);
}

nlohmann::json table_doc(const report::Table& t) {
    return report::tables_to_json(std::span<const report::Table>(&t, 1));
}

std::string string_field(const nlohmann::json& doc, const char* key, std::vector<Diagnostic>& bad) {
    if (!doc.contains(key) || doc[key].is_null()) {
        return {};
    }
    if (!doc[key].is_string()) {
        bad.push_back({Severity::Error,
                       ErrorCode::Usage,
                       {},
                       0,
                       0,
                       key,
                       std::string(key) + ": expected a string"});
        return {};
    }
    return doc[key].get<std::string>();
}

store::WatchRule rule_from_json(const model::World& w, const nlohmann::json& doc) {
    std::vector<Diagnostic> bad;
    for (const auto& [key, value] : doc.items()) {
        if (key != "name" && key != "materials" && key != "bom" && key != "destination" &&
            key != "min_severity") {
            bad.push_back(
                {Severity::Error,
                 ErrorCode::Usage,
                 {},
                 0,
                 0,
                 key,
                 key + ": unknown key; expected name, materials, bom, destination, min_severity"});
        }
    }
    const auto name = string_field(doc, "name", bad);
    const auto destination = string_field(doc, "destination", bad);
    const auto bom_csv = string_field(doc, "bom", bad);
    const auto severity_text = string_field(doc, "min_severity", bad);
    const auto severity =
        store::parse_alert_severity(severity_text.empty() ? "medium" : severity_text);
    if (!severity) {
        bad.push_back({Severity::Error,
                       ErrorCode::Enum,
                       {},
                       0,
                       0,
                       "min_severity",
                       "min_severity: expected low, medium or high, got '" + severity_text + "'"});
    }
    std::vector<std::string> materials;
    if (doc.contains("materials")) {
        if (!doc["materials"].is_array()) {
            bad.push_back({Severity::Error,
                           ErrorCode::Usage,
                           {},
                           0,
                           0,
                           "materials",
                           "materials: expected an array of material ids"});
        } else {
            for (const auto& m : doc["materials"]) {
                if (m.is_string()) {
                    materials.push_back(m.get<std::string>());
                } else {
                    bad.push_back({Severity::Error,
                                   ErrorCode::Usage,
                                   {},
                                   0,
                                   0,
                                   "materials",
                                   "materials: expected material ids (strings), got " + m.dump()});
                }
            }
        }
    }
    if (materials.empty() == bom_csv.empty()) {
        bad.push_back(
            {Severity::Error,
             ErrorCode::Usage,
             {},
             0,
             0,
             {},
             "give either \"materials\": [...] or \"bom\": \"<bom.csv text>\" (exactly one)"});
    }
    if (!bad.empty()) {
        throw ApiError(400, std::move(bad));
    }
    if (!bom_csv.empty()) {
        const auto bom = io::parse_bom(bom_csv, "bom.csv", {}, {}, w);
        return watch::bom_rule(w, name, bom, "bom.csv (uploaded)", destination, *severity, "");
    }
    return watch::materials_rule(w, name, materials, destination, *severity, "");
}

}  // namespace

std::shared_ptr<const model::World> world_with_events(const State& state) {
    const auto merged = merged_with_events(state);
    if (merged->overlaid == nullptr) {  // the dataset's own measures: the state keeps it alive
        return {state->loaded, &state->loaded->world};
    }
    return {merged, merged->overlaid.get()};
}

std::shared_ptr<const store::MergedWorld> merged_with_events(const State& state) {
    const auto ws = open_for_read(*state);
    return state->merged_worlds->get(state->loaded->world, ws ? &*ws : nullptr);
}

void add_workspace_routes(Router& router, const State& state) {
    const auto table_schema = nlohmann::json{{"type", "object"}};
    router.add({.method = "GET",
                .path = "/api/v1/events",
                .summary = "The dataset's measures and the workspace's events (latest revisions), "
                           "state on a date",
                .description = "The JSON of `lodestone events list --format json`.",
                .tag = "events",
                .query = {as_of_param(),
                          {.name = "origin",
                           .type = ParamType::Enum,
                           .description = "which measures to list",
                           .choices = {"all", "dataset", "workspace"},
                           .default_text = "all"}},
                .response_schema = table_schema},
               [state](const Params& p) {
                   const auto& dataset = state->loaded->world;
                   const auto merged = merged_with_events(state);
                   const auto origin = p.text_or_default("origin");
                   return Response::json(table_doc(
                       report::events_table(*merged, dataset, as_of(p, dataset),
                                            origin == "dataset"     ? report::EventOrigin::Dataset
                                            : origin == "workspace" ? report::EventOrigin::Workspace
                                                                    : report::EventOrigin::All)));
               });

    router.add({.method = "GET",
                .path = "/api/v1/events/{id}/history",
                .summary = "Every stored revision of one event, after the dataset's version if any",
                .description = "The JSON of `lodestone events history ID --format json`.",
                .tag = "events",
                .path_params = {{.name = "id", .description = "event id, e.g. CN-2025-SUSP46"}},
                .response_schema = table_schema,
                .error_statuses = {404}},
               [state](const Params& p) {
                   const auto ws = open_for_read(*state);
                   const auto& id = p.path("id");
                   return Response::json(table_doc(report::event_history_table(
                       id, state->loaded->world, state->dataset_source,
                       ws ? ws->history(id) : std::vector<store::EventRevision>{},
                       ws ? ws->path().string() : std::string())));
               });

    router.add(
        {.method = "POST",
         .path = "/api/v1/events",
         .summary = "Ingest policy events (CSV in the measures.csv format, or JSON lines) in one "
                    "transaction",
         .description =
             "As `lodestone events add FILE`: the same event twice is stored once, a changed "
             "event becomes a new revision. A file with any error is refused whole (422, every "
             "problem with its line and column) and nothing is stored.",
         .tag = "events",
         .access = Access::Write,
         .query = {{.name = "file",
                    .description =
                        "name shown in diagnostics and stored as the source; its extension "
                        "(.csv, .jsonl) sets the format",
                    .default_note = "upload.csv or upload.jsonl, from the content type"}},
         .body = {.content_types = {"text/csv", "application/x-ndjson", "application/jsonl",
                                    "application/json", "text/plain"},
                  .description =
                      "the events: CSV (text/csv), JSON lines (application/x-ndjson, "
                      "application/jsonl, application/json), or text/plain told apart by the "
                      "first byte"},
         .response_schema = {{"type", "object"}},
         .error_statuses = {409, 422}},
        [state](const Params& p) {
            auto ws = open_for_write(*state);
            const auto& body = p.request().body;
            const auto& type = p.request().content_type;
            std::string file = p.text("file");
            if (file.empty()) {  // the format follows the name; "upload" = by the first byte
                file = type == "text/csv"     ? "upload.csv"
                       : type == "text/plain" ? "upload"
                                              : "upload.jsonl";
            }
            const auto batch =
                io::parse_events(body, file, state->loaded->world,
                                 [&](const std::string& id) { return ws.has_event(id); });
            const auto result = ws.add_events(
                batch.events, file, std::string(io::to_string(batch.format)), batch.lines);
            auto r = report::ingest_report(file, io::to_string(batch.format), batch.lines, result,
                                           ws.path().string());
            r.json["warnings"] = report::diagnostics_json(batch.warnings);
            return Response::json(r.json);
        });

    router.add({.method = "GET",
                .path = "/api/v1/watch/rules",
                .summary = "The watch rules",
                .description = "The JSON of `lodestone watch list --format json`.",
                .tag = "watch",
                .response_schema = table_schema},
               [state](const Params&) {
                   const auto ws = open_for_read(*state);
                   return Response::json(table_doc(
                       report::rules_table(ws ? ws->rules() : std::vector<store::WatchRule>{})));
               });

    router.add(
        {.method = "POST",
         .path = "/api/v1/watch/rules",
         .summary = "Add a watch rule over materials or a BOM",
         .description =
             "JSON {name, materials: [ids] | bom: \"<bom.csv text>\", destination (ISO3, "
             "optional), min_severity (low|medium|high, default medium)}, as `lodestone watch "
             "add`. 201 with the rule; 422 for a duplicate name or unknown ids.",
         .tag = "watch",
         .access = Access::Write,
         .body = {.content_types = {"application/json"}, .description = "the rule"},
         .success_status = 201,
         .response_schema = table_schema,
         .error_statuses = {409, 422}},
        [state](const Params& p) {
            const auto rule = rule_from_json(
                state->loaded->world,
                json_object_body(p.request(),
                                 "{name, materials | bom, destination, min_severity}"));
            auto ws = open_for_write(*state);
            (void)ws.add_rule(rule);
            return Response::json(table_doc(report::rules_table({*ws.find_rule(rule.name)})), 201);
        });

    router.add({.method = "DELETE",
                .path = "/api/v1/watch/rules/{name}",
                .summary = "Remove a watch rule and its alerts",
                .tag = "watch",
                .access = Access::Write,
                .path_params = {{.name = "name", .description = "rule name"}},
                .response_schema = {{"type", "object"}},
                .error_statuses = {404, 409}},
               [state](const Params& p) {
                   auto ws = open_for_write(*state);
                   if (!ws.remove_rule(p.path("name"))) {
                       throw ApiError(404, ErrorCode::NotFound,
                                      "no watch rule named '" + p.path("name") + "'", "name");
                   }
                   return Response::json({{"removed", p.path("name")}});
               });

    router.add({.method = "POST",
                .path = "/api/v1/watch/run",
                .summary = "Evaluate the rules on a date and store the alerts not raised before",
                .description =
                    "As `lodestone watch run`: each alert (rule, measure, change, date) is raised "
                    "once; the answer lists the new ones.",
                .tag = "watch",
                .access = Access::Write,
                .query = {as_of_param(),
                          {.name = "rule", .description = "only this rule (default: every rule)"},
                          {.name = "horizon",
                           .type = ParamType::Duration,
                           .description = "announce transitions up to this far ahead",
                           .default_text = "30d"},
                          {.name = "lookback",
                           .type = ParamType::Duration,
                           .description = "report transitions back to this far",
                           .default_text = "30d"}},
                .response_schema = {{"type", "object"}},
                .error_statuses = {404, 409}},
               [state](const Params& p) {
                   auto ws = open_for_write(*state);
                   std::vector<store::WatchRule> rules;
                   if (p.has("rule")) {
                       auto r = ws.find_rule(p.text("rule"));
                       if (!r) {
                           throw ApiError(404, ErrorCode::NotFound,
                                          "no watch rule named '" + p.text("rule") + "'", "rule");
                       }
                       rules.push_back(std::move(*r));
                   } else {
                       rules = ws.rules();
                   }
                   if (rules.empty()) {
                       throw ApiError(404, ErrorCode::NotFound,
                                      "no watch rules; add one with POST /api/v1/watch/rules");
                   }
                   const auto merged = state->merged_worlds->get(state->loaded->world, &ws);
                   watch::Options opt;
                   opt.as_of = as_of(p, state->loaded->world);
                   opt.horizon_days = p.duration_days_or_default("horizon");
                   opt.lookback_days = p.duration_days_or_default("lookback");
                   const auto outcome = watch::run_rules(*merged->world, ws, rules, opt);
                   auto t = report::alerts_table("New alerts on " + opt.as_of.to_string(),
                                                 outcome.fresh);
                   t.notes.push_back(merged->basis_note());
                   return Response::json({{"as_of", opt.as_of.to_string()},
                                          {"new", outcome.fresh.size()},
                                          {"already_raised", outcome.already_raised},
                                          {"alerts", report::to_json(t)}});
               });

    router.add({.method = "GET",
                .path = "/api/v1/watch/alerts",
                .summary = "Alerts raised so far, newest first",
                .description = "The JSON of `lodestone watch alerts --format json`.",
                .tag = "watch",
                .query = {{.name = "rule", .description = "only this rule's alerts"}},
                .response_schema = table_schema,
                .error_statuses = {404}},
               [state](const Params& p) {
                   const auto ws = open_for_read(*state);
                   const auto rule = p.text("rule");
                   if (ws && !rule.empty() && !ws->find_rule(rule)) {
                       throw ApiError(404, ErrorCode::NotFound,
                                      "no watch rule named '" + rule + "'", "rule");
                   }
                   return Response::json(table_doc(report::alerts_table(
                       "Alerts", ws ? ws->alerts(rule) : std::vector<store::Alert>{})));
               });
}

}  // namespace lodestone::server::internal
