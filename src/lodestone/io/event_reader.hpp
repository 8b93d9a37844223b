// lodestone/io/event_reader.hpp: policy events from a user's file, validated like the dataset's
// measures (same columns, same checks, shared code in measure_row.hpp). Two formats: CSV in the
// measures.csv format, or JSON lines (one object per line, keys = the measures.csv columns; list
// fields may be arrays or ';'-strings). A file with any bad line is refused as a whole: the
// InputError lists every bad line with its number, and no event of it is returned.
// Example: auto batch = read_event_file("events.jsonl", world, [&](auto& id) { return ws.has(id);
// });
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::io {

enum class EventFormat { Csv, JsonLines };
[[nodiscard]] std::string_view to_string(EventFormat format);

/// .csv -> Csv; .jsonl, .ndjson, .json -> JsonLines; otherwise JsonLines if the first non-blank
/// byte is '{', else Csv.
[[nodiscard]] EventFormat detect_event_format(std::string_view file_name, std::string_view bytes);

/// The validated events of one file, in file order.
struct EventBatch {
    std::string file;
    EventFormat format = EventFormat::Csv;
    std::vector<model::Measure> events;
    std::vector<int> lines;  ///< 1-based line of each event
    std::vector<Diagnostic> warnings;
};

/// Predicate for ids a suspension may name besides the file's own and the world's measures.
using KnownId = std::function<bool(const std::string&)>;

/// Parses and validates every line. Throws InputError with every problem (duplicate ids within
/// the file, unknown materials/countries/stages, bad dates, suspensions of unknown ids, ...).
[[nodiscard]] EventBatch parse_events(std::string_view bytes,
                                      const std::string& file,
                                      const model::World& world,
                                      const KnownId& known_id = {});

/// Reads a file (at most 256 MiB) and parses it. Throws InputError E-FILE-MISSING, E-NOT-FILE or
/// E-FILE-READ when it cannot be read.
[[nodiscard]] EventBatch read_event_file(const std::filesystem::path& path,
                                         const model::World& world,
                                         const KnownId& known_id = {});

}  // namespace lodestone::io
