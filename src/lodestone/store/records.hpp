// lodestone/store/records.hpp: the plain records the workspace stores and returns (docs/api.md):
// event revisions and ingest outcomes, watch rules and their items, alerts, simulation runs.
// Example: store::Alert a; a.measure_id = "CN-2024-046-2"; a.change = policy::ChangeKind::Resumed;
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lodestone/core/date.hpp"
#include "lodestone/model/world.hpp"
#include "lodestone/policy/timeline.hpp"

namespace lodestone::store {

enum class AlertSeverity { Low, Medium, High };
[[nodiscard]] std::string_view to_string(AlertSeverity severity);
[[nodiscard]] std::optional<AlertSeverity> parse_alert_severity(std::string_view text);

/// What a watch rule watches: a list of materials, or the lines of a BOM.
enum class RuleKind { Materials, Bom };
/// "materials" or "bom".
[[nodiscard]] std::string_view to_string(RuleKind kind);
[[nodiscard]] std::optional<RuleKind> parse_rule_kind(std::string_view text);

/// One stored revision of an event.
struct EventRevision {
    model::Measure measure;
    int revision = 1;
    std::string content_hash;  ///< FNV-1a 64 of the canonical JSON body
    std::string created;       ///< UTC timestamp
    std::string source;        ///< the file it came from
    int line = 0;              ///< its line in that file
    std::int64_t ingest_id = 0;
};

enum class IngestOutcome { New, Revised, Unchanged };
[[nodiscard]] std::string_view to_string(IngestOutcome outcome);

struct IngestedEvent {
    std::string id;
    IngestOutcome outcome = IngestOutcome::New;
    int revision = 1;  ///< the revision now latest
};

struct IngestResult {
    std::int64_t ingest_id = 0;
    std::vector<IngestedEvent> events;  ///< in input order
    int new_events = 0, revised = 0, unchanged = 0;
};

/// One line of what a rule watches: a material, and for a BOM rule the line it came from.
struct WatchItem {
    std::string material;
    std::string stage;             ///< form in which it arrives (BOM), may be empty
    std::string product, part;     ///< BOM only
    std::string supplier_country;  ///< ISO3, BOM only, may be empty
    double kg_per_unit = 0.0;      ///< BOM only
    std::string product_country;   ///< ISO3 where the product is made, BOM only, may be empty
};

struct WatchRule {
    std::int64_t id = 0;
    std::string name;
    std::string created;
    RuleKind kind = RuleKind::Materials;
    std::vector<WatchItem> items;
    std::string source;       ///< the BOM file, for RuleKind::Bom
    std::string destination;  ///< ISO3 of the user's location; empty = any destination
    AlertSeverity min_severity = AlertSeverity::Low;
};

/// An alert; raised at most once per (rule, measure, change, date).
struct Alert {
    std::int64_t id = 0;
    std::int64_t rule_id = 0;
    std::string rule_name;
    std::string measure_id;
    policy::ChangeKind change = policy::ChangeKind::Started;
    Date date;  ///< first day of the new status
    AlertSeverity severity = AlertSeverity::Low;
    std::optional<double> share;  ///< share of the supply touched, 0-1
    std::string basis;
    std::string materials;  ///< ';'-list of the rule's materials it touches
    std::string message;
    Date as_of;  ///< date of the run that raised it
    std::string created;
};

/// A simulation run (docs/scenarios.md): enough to replay it and to tell which data it used.
struct Run {
    std::int64_t id = 0;
    std::string created;
    std::string scenario;
    std::uint64_t seed = 0;
    std::string params_json = "{}";
    std::string summary_json = "{}";
    std::string dataset_hash;
    std::string version;
};

}  // namespace lodestone::store
