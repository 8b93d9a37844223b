// lodestone/store/workspace.hpp: the user's SQLite workspace (docs/api.md): policy events with
// their revisions, watch rules, alerts and simulation runs. WAL journal, foreign keys on, a busy
// timeout, fsync on commit; the schema is migrated on open (migrations.hpp). Every write is one
// transaction, so a crash leaves either all of it or none of it.
// Example: auto ws = Workspace::open(default_workspace_path()); ws.add_events(batch.events,
// "f.csv");
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lodestone/model/world.hpp"
#include "lodestone/store/records.hpp"

struct sqlite3;

namespace lodestone::store {

/// $XDG_DATA_HOME/lodestone/workspace.sqlite, else $HOME/.local/share/lodestone/workspace.sqlite.
/// Throws InputError (E-STORE) if neither variable is set.
[[nodiscard]] std::filesystem::path default_workspace_path();

/// Current UTC time as YYYY-MM-DDTHH:MM:SSZ.
[[nodiscard]] std::string now_utc();

/// Called with (done, total) after the transaction has begun (done = 0) and every 1000 events.
using Progress = std::function<void(std::size_t done, std::size_t total)>;

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
    IngestResult add_events(std::span<const model::Measure> events,
                            const std::string& source,
                            const std::string& format,
                            std::span<const int> lines = {},
                            const Progress& progress = {});
    /// Latest revision of every event, by id.
    [[nodiscard]] std::vector<EventRevision> latest_events() const;
    /// Every revision of one id, oldest first (empty if unknown).
    [[nodiscard]] std::vector<EventRevision> history(const std::string& id) const;
    [[nodiscard]] bool has_event(const std::string& id) const;
    /// Changes whenever the events change: events are only ever appended, each `add_events` in
    /// one transaction with its own ingest row, so the last ingest (id, time, counts) identifies
    /// the state. A cache of latest_events() keys on it.
    [[nodiscard]] std::string events_version() const;

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
