#include "lodestone/report/workspace_view.hpp"

#include <algorithm>
#include <array>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/core/text.hpp"
#include "lodestone/policy/timeline.hpp"
#include "lodestone/report/measure_columns.hpp"
#include "lodestone/store/measure_json.hpp"

namespace lodestone::report {

namespace {

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

}  // namespace

Table events_table(const store::MergedWorld& merged,
                   const model::World& dataset,
                   Date as_of,
                   EventOrigin origin) {
    const auto& all = merged.world->measures;
    const policy::MeasureIndexScope index(all);  // status_on per row in O(1), not O(measures)
    using F = model::MeasureField;
    static constexpr std::array kFields{F::Id,           F::Kind,      F::Country, F::Materials,
                                        F::Destinations, F::Effective, F::Expires, F::Suspends};
    std::vector<Column> columns;
    append_columns(columns, kFields);
    columns.insert(columns.end(), {{"state"}, {"origin"}});
    Table t{"Events (dataset measures and workspace events), state on " + as_of.to_string(),
            std::move(columns),
            {},
            {merged.basis_note(), "state: in_force, suspended or inactive on the date"}};
    for (const auto& m : all) {
        const std::string from = merged.origin_of(m.id, dataset);
        const bool from_ws = from != "dataset";
        if ((origin == EventOrigin::Dataset && from_ws) ||
            (origin == EventOrigin::Workspace && !from_ws)) {
            continue;
        }
        std::vector<Cell> row;
        append_cells(row, m, kFields);
        row.insert(row.end(),
                   {std::string(policy::to_string(policy::status_on(m, all, as_of))), from});
        t.add(std::move(row));
    }
    return t;
}

Table event_history_table(const std::string& id,
                          const model::World& dataset,
                          const std::string& dataset_source,
                          const std::vector<store::EventRevision>& revisions,
                          const std::string& workspace) {
    const auto* base = dataset.find_measure(id);
    if (base == nullptr && revisions.empty()) {
        throw InputError(ErrorCode::NotFound,
                         "no event '" + id + "' in the dataset or the workspace" +
                             (workspace.empty() ? std::string(" (none)") : " " + workspace));
    }
    Table t{"History of " + id,
            {{"origin"},
             {"revision"},
             {"stored"},
             {"source"},
             {"content_hash"},
             {"effective"},
             {"expires"},
             {"changed"},
             {"same_as"}},
            {},
            {"The latest revision is the one in use; changed = fields that differ from the row "
             "above."}};
    nlohmann::json previous;
    std::string base_hash;
    if (base != nullptr) {
        previous = store::measure_to_json(*base);
        base_hash = fnv1a_hex(previous.dump());
        t.add({"dataset", Cell{}, Cell{}, dataset_source, base_hash,
               base->effective ? base->effective->to_string() : "",
               base->expires ? base->expires->to_string() : "", Cell{}, Cell{}});
    }
    std::vector<std::pair<int, std::string>> hashes;  // revision -> content hash
    for (const auto& r : revisions) {
        const auto j = store::measure_to_json(r.measure);
        std::string same;
        for (const auto& [rev, hash] : hashes) {
            if (hash == r.content_hash) {
                same = "r" + std::to_string(rev);
            }
        }
        if (same.empty() && !base_hash.empty() && base_hash == r.content_hash) {
            same = "dataset";
        }
        t.add({"workspace", static_cast<std::int64_t>(r.revision), r.created,
               r.source + (r.line > 0 ? ":" + std::to_string(r.line) : ""), r.content_hash,
               r.measure.effective ? r.measure.effective->to_string() : "",
               r.measure.expires ? r.measure.expires->to_string() : "",
               previous.is_null() ? Cell{} : Cell{changed_fields(previous, j)},
               same.empty() ? Cell{} : Cell{same}});
        hashes.emplace_back(r.revision, r.content_hash);
        previous = j;
    }
    return t;
}

Document ingest_report(const std::string& file,
                       std::string_view format,
                       const std::vector<int>& lines,
                       const store::IngestResult& result,
                       const std::string& workspace) {
    Table t{"Events stored from " + file, {{"id"}, {"outcome"}, {"revision"}, {"line"}}, {}, {}};
    for (std::size_t i = 0; i < result.events.size(); ++i) {
        const auto& e = result.events[i];
        t.add({e.id, std::string(store::to_string(e.outcome)),
               static_cast<std::int64_t>(e.revision),
               i < lines.size() ? Cell{static_cast<std::int64_t>(lines[i])} : Cell{}});
    }
    t.notes.push_back(std::to_string(result.new_events) + " new, " +
                      std::to_string(result.revised) + " revised, " +
                      std::to_string(result.unchanged) + " unchanged; ingest #" +
                      std::to_string(result.ingest_id) + " in " + workspace);
    nlohmann::json doc{{"file", file},
                       {"format", format},
                       {"workspace", workspace},
                       {"ingest_id", result.ingest_id},
                       {"new", result.new_events},
                       {"revised", result.revised},
                       {"unchanged", result.unchanged},
                       {"events", to_json(t)}};
    return Document{{std::move(t)}, std::move(doc), {}};
}

Table rules_table(const std::vector<store::WatchRule>& rules) {
    Table t{"Watch rules",
            {{"name"},
             {"kind"},
             {"materials"},
             {"destination"},
             {"min_severity"},
             {"lines"},
             {"source"},
             {"created"}},
            {},
            {}};
    for (const auto& r : rules) {
        std::vector<std::string> materials;
        for (const auto& i : r.items) {
            if (std::find(materials.begin(), materials.end(), i.material) == materials.end()) {
                materials.push_back(i.material);
            }
        }
        t.add({r.name, std::string(store::to_string(r.kind)), join(materials, ";"),
               r.destination.empty() ? "any" : r.destination,
               std::string(store::to_string(r.min_severity)),
               static_cast<std::int64_t>(r.items.size()), r.source, r.created});
    }
    return t;
}

Table alerts_table(const std::string& title, const std::vector<store::Alert>& alerts) {
    Table t{title,
            {{"rule"},
             {"severity"},
             {"date"},
             {"change"},
             {"measure"},
             {"materials"},
             {"share", 3},
             {"message"},
             {"basis"},
             {"as_of"}},
            {},
            {"share = share of the watched supply originating in the imposing country (the largest "
             "over the "
             "measure's stages); severity high >= 0.5, medium >= 0.2, else low."}};
    for (const auto& a : alerts) {
        t.add({a.rule_name, std::string(store::to_string(a.severity)), a.date.to_string(),
               std::string(policy::to_string(a.change)), a.measure_id, a.materials,
               a.share ? Cell{*a.share} : Cell{}, a.message, a.basis, a.as_of.to_string()});
    }
    return t;
}

}  // namespace lodestone::report
