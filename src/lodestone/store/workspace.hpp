// lodestone/store/workspace.hpp: the user's SQLite workspace (DESIGN §9): policy events with
// their revisions, watch rules, alerts and simulation runs. WAL journal, foreign keys on, a busy
// timeout, fsync on commit; the schema is migrated on open (migrations.hpp). Every write is one
// transaction, so a crash leaves either all of it or none of it.
// Example: auto ws = Workspace::open(default_workspace_path()); ws.add_events(batch.events, "f.csv");
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lodestone/model/world.hpp"

struct sqlite3;

namespace lodestone::store {

/// $XDG_DATA_HOME/lodestone/workspace.sqlite, else $HOME/.local/share/lodestone/workspace.sqlite.
/// Throws InputError (E-STORE) if neither variable is set.
[[nodiscard]] std::filesystem::path default_workspace_path();

/// Current UTC time as YYYY-MM-DDTHH:MM:SSZ.
[[nodiscard]] std::string now_utc();

enum class AlertSeverity { Low, Medium, High };
[[nodiscard]] std::string_view to_string(AlertSeverity severity);
[[nodiscard]] std::optional<AlertSeverity> parse_alert_severity(std::string_view text);

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

/// Called with (done, total) after the transaction has begun (done = 0) and every 1000 events.
using Progress = std::function<void(std::size_t done, std::size_t total)>;

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
    std::string kind = "materials";  ///< "materials" or "bom"
    std::vector<WatchItem> items;
    std::string source;              ///< the BOM file, for kind "bom"
    std::string destination;         ///< ISO3 of the user's location; empty = any destination
    AlertSeverity min_severity = AlertSeverity::Low;
};

/// An alert; raised at most once per (rule, measure, change, date).
struct Alert {
    std::int64_t id = 0;
    std::int64_t rule_id = 0;
    std::string rule_name;
    std::string measure_id;
    std::string change;  ///< started | ended | suspended | resumed
    Date date;           ///< first day of the new status
    AlertSeverity severity = AlertSeverity::Low;
    std::optional<double> share;  ///< share of the supply touched, 0-1
    std::string basis;
    std::string materials;  ///< ';'-list of the rule's materials it touches
    std::string message;
    Date as_of;             ///< date of the run that raised it
    std::string created;
};

/// A simulation run (DESIGN §7.3): enough to replay it and to tell which data it used.
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

class Workspace final {
public:
    /// Opens the workspace, creating the file and its folder if `create`, then migrates it.
    /// Throws InputError (E-STORE, or E-FILE-MISSING when !create and it does not exist).
    [[nodiscard]] static Workspace open(const std::filesystem::path& path, bool create = true);
    Workspace(Workspace&& other) noexcept;
    Workspace& operator=(Workspace&& other) noexcept;
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;
    ~Workspace();

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    /// Schema version (the number of the last migration applied).
    [[nodiscard]] int schema_version() const;

    /// Stores a validated batch in one transaction: an event equal to its latest revision is
    /// unchanged, a different one becomes a new revision. Throws InputError (E-STORE).
    IngestResult add_events(std::span<const model::Measure> events, const std::string& source,
                            const std::string& format, std::span<const int> lines = {},
                            const Progress& progress = {});
    /// Latest revision of every event, by id.
    [[nodiscard]] std::vector<EventRevision> latest_events() const;
    /// Every revision of one id, oldest first (empty if unknown).
    [[nodiscard]] std::vector<EventRevision> history(const std::string& id) const;
    [[nodiscard]] bool has_event(const std::string& id) const;

    /// Adds a rule; throws InputError E-DUPLICATE if the name exists. Returns its id.
    std::int64_t add_rule(const WatchRule& rule);
    [[nodiscard]] std::vector<WatchRule> rules() const;
    [[nodiscard]] std::optional<WatchRule> find_rule(const std::string& name) const;
    /// Removes a rule and its alerts; false if there was none of that name.
    bool remove_rule(const std::string& name);

    /// Stores the alerts not raised before (one transaction); returns those, with ids.
    std::vector<Alert> raise_alerts(std::span<const Alert> alerts);
    /// Stored alerts, newest first; only one rule's when rule_name is given.
    [[nodiscard]] std::vector<Alert> alerts(const std::string& rule_name = {}) const;

    std::int64_t add_run(const Run& run);
    [[nodiscard]] std::vector<Run> runs() const;
    [[nodiscard]] std::optional<Run> find_run(std::int64_t id) const;

private:
    Workspace(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
    void migrate();

    sqlite3* db_ = nullptr;
    std::filesystem::path path_;
};

}  // namespace lodestone::store
