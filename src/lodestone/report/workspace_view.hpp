// lodestone/report/workspace_view.hpp: tables of the user's workspace (events with their
// revisions, watch rules, alerts), shared by `lodestone events|watch` and `lodestone serve`.
// Example: print(events_table(merged, dataset, as_of, EventOrigin::All));
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "lodestone/core/date.hpp"
#include "lodestone/report/document.hpp"
#include "lodestone/report/table.hpp"
#include "lodestone/store/merged_world.hpp"

namespace lodestone::report {

enum class EventOrigin { All, Dataset, Workspace };

/// Every measure of the merged world with its status on as_of and where it comes from.
[[nodiscard]] Table events_table(const store::MergedWorld& merged,
                                 const model::World& dataset,
                                 Date as_of,
                                 EventOrigin origin);

/// The dataset's version of an event (if any) then each stored revision, oldest first, with the
/// fields that changed. Throws InputError E-NOT-FOUND if the id is in neither.
[[nodiscard]] Table event_history_table(const std::string& id,
                                        const model::World& dataset,
                                        const std::string& dataset_source,
                                        const std::vector<store::EventRevision>& revisions,
                                        const std::string& workspace);

/// What one ingest stored: each event's outcome (new, revised, unchanged), revision and line, as a
/// table and as the JSON document {file, format, workspace, ingest_id, new, revised, unchanged,
/// events}.
[[nodiscard]] Document ingest_report(const std::string& file,
                                     std::string_view format,
                                     const std::vector<int>& lines,
                                     const store::IngestResult& result,
                                     const std::string& workspace);

[[nodiscard]] Table rules_table(const std::vector<store::WatchRule>& rules);
[[nodiscard]] Table alerts_table(const std::string& title, const std::vector<store::Alert>& alerts);

}  // namespace lodestone::report
