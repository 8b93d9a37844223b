#include "lodestone/store/workspace.hpp"

#include <bit>
#include <cstdlib>
#include <ctime>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/store/measure_json.hpp"
#include "lodestone/store/migrations.hpp"

namespace lodestone::store {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kBusyTimeoutMs = 5000;

[[noreturn]] void fail(const fs::path& path, const std::string& what, sqlite3* db = nullptr) {
    std::string message = what;
    if (db != nullptr) {
        message += ": ";
        message += sqlite3_errmsg(db);
    }
    throw InputError({{Severity::Error, ErrorCode::Store, path.string(), 0, 0, {}, message}});
}

/// One prepared statement; finalized on scope exit.
class Stmt {
public:
    Stmt(sqlite3* db, const fs::path& path, std::string_view sql) : db_(db), path_(path) {
        if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &s_, nullptr) !=
            SQLITE_OK) {
            fail(path_, "cannot prepare a statement", db_);
        }
    }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    ~Stmt() { sqlite3_finalize(s_); }

    Stmt& bind(int i, std::string_view v) {
        check(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
        return *this;
    }
    Stmt& bind(int i, std::int64_t v) {
        check(sqlite3_bind_int64(s_, i, v));
        return *this;
    }
    Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    Stmt& bind(int i, std::optional<double> v) {
        check(v ? sqlite3_bind_double(s_, i, *v) : sqlite3_bind_null(s_, i));
        return *this;
    }
    /// True while there is a row.
    bool step() {
        const int rc = sqlite3_step(s_);
        if (rc == SQLITE_ROW) {
            return true;
        }
        if (rc == SQLITE_DONE) {
            return false;
        }
        fail(path_, "the workspace refused a statement", db_);
    }
    void run() {
        (void)step();
        reset();
    }
    void reset() {
        sqlite3_reset(s_);
        sqlite3_clear_bindings(s_);
    }
    [[nodiscard]] std::string text(int col) const {
        const auto* p = sqlite3_column_text(s_, col);
        return p == nullptr ? std::string{}
                            : std::string(reinterpret_cast<const char*>(p),
                                          static_cast<std::size_t>(sqlite3_column_bytes(s_, col)));
    }
    [[nodiscard]] std::int64_t integer(int col) const { return sqlite3_column_int64(s_, col); }
    [[nodiscard]] std::optional<double> real(int col) const {
        if (sqlite3_column_type(s_, col) == SQLITE_NULL) {
            return std::nullopt;
        }
        return sqlite3_column_double(s_, col);
    }

private:
    void check(int rc) const {
        if (rc != SQLITE_OK) {
            fail(path_, "cannot bind a value", db_);
        }
    }
    sqlite3* db_;
    const fs::path& path_;
    sqlite3_stmt* s_ = nullptr;
};

void exec(sqlite3* db, const fs::path& path, const std::string& sql, const std::string& what) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string message = what + ": " + (err != nullptr ? err : sqlite3_errmsg(db));
        sqlite3_free(err);
        fail(path, message);
    }
}

/// BEGIN IMMEDIATE (takes the write lock at once, waiting up to the busy timeout); rolls back
/// unless committed.
class Transaction {
public:
    Transaction(sqlite3* db, const fs::path& path) : db_(db), path_(path) {
        exec(db_, path_, "BEGIN IMMEDIATE", "cannot start a transaction");
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction() {
        if (!done_) {
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        }
    }
    void commit() {
        exec(db_, path_, "COMMIT", "cannot commit");
        done_ = true;
    }

private:
    sqlite3* db_;
    const fs::path& path_;
    bool done_ = false;
};

Date parse_stored_date(const std::string& text, const fs::path& path) {
    const auto d = Date::parse(text);
    if (!d) {
        fail(path, "stored date '" + text + "' does not parse");
    }
    return *d;
}

/// `parse(text)` of a value read back from the workspace, or E-STORE naming what did not parse (a
/// file written by another program, or damaged): never a silent default.
template <class Parse>
auto stored(Parse parse, const std::string& text, const char* what, const fs::path& path) {
    const auto value = parse(text);
    if (!value) {
        fail(path, std::string("stored ") + what + " '" + text + "' is not one this version knows");
    }
    return *value;
}

json items_to_json(const std::vector<WatchItem>& items) {
    json out = json::array();
    for (const auto& i : items) {
        json j{{"material", i.material}};
        auto put = [&](const char* key, const std::string& v) {
            if (!v.empty()) {
                j[key] = v;
            }
        };
        put("stage", i.stage);
        put("product", i.product);
        put("part", i.part);
        put("supplier_country", i.supplier_country);
        put("product_country", i.product_country);
        if (i.kg_per_unit != 0.0) {
            j["kg_per_unit"] = i.kg_per_unit;
        }
        out.push_back(std::move(j));
    }
    return out;
}

std::vector<WatchItem> items_from_json(const std::string& text, const fs::path& path) {
    std::vector<WatchItem> out;
    try {
        for (const auto& j : json::parse(text)) {
            WatchItem i;
            i.material = j.at("material").get<std::string>();
            i.stage = j.value("stage", std::string{});
            i.product = j.value("product", std::string{});
            i.part = j.value("part", std::string{});
            i.supplier_country = j.value("supplier_country", std::string{});
            i.kg_per_unit = j.value("kg_per_unit", 0.0);
            i.product_country = j.value("product_country", std::string{});
            out.push_back(std::move(i));
        }
    } catch (const json::exception& e) {
        fail(path, std::string("stored watch rule items do not parse: ") + e.what());
    }
    return out;
}

}  // namespace

fs::path default_workspace_path() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
        return fs::path(xdg) / "lodestone" / "workspace.sqlite";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return fs::path(home) / ".local" / "share" / "lodestone" / "workspace.sqlite";
    }
    throw InputError(ErrorCode::Store,
                     "no workspace location: set XDG_DATA_HOME or HOME, or pass --workspace PATH");
}

std::string now_utc() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string_view to_string(AlertSeverity severity) {
    switch (severity) {
        case AlertSeverity::Low:
            return "low";
        case AlertSeverity::Medium:
            return "medium";
        case AlertSeverity::High:
            return "high";
    }
    return "low";
}

std::string_view to_string(RuleKind kind) {
    return kind == RuleKind::Bom ? "bom" : "materials";
}

std::optional<RuleKind> parse_rule_kind(std::string_view text) {
    if (text == "materials") {
        return RuleKind::Materials;
    }
    if (text == "bom") {
        return RuleKind::Bom;
    }
    return std::nullopt;
}

std::optional<AlertSeverity> parse_alert_severity(std::string_view text) {
    if (text == "low") {
        return AlertSeverity::Low;
    }
    if (text == "medium") {
        return AlertSeverity::Medium;
    }
    if (text == "high") {
        return AlertSeverity::High;
    }
    return std::nullopt;
}

std::string_view to_string(IngestOutcome outcome) {
    switch (outcome) {
        case IngestOutcome::New:
            return "new";
        case IngestOutcome::Revised:
            return "revised";
        case IngestOutcome::Unchanged:
            return "unchanged";
    }
    return "new";
}

Workspace Workspace::open(const fs::path& path, bool create) {
    std::error_code ec;
    const bool exists = fs::exists(path, ec);
    if (!exists && !create) {
        throw InputError({{Severity::Error,
                           ErrorCode::FileMissing,
                           path.string(),
                           0,
                           0,
                           {},
                           "workspace does not exist (it is created by `lodestone events add` or "
                           "`lodestone watch add`)"}});
    }
    if (exists && fs::is_directory(path, ec)) {
        throw InputError({{Severity::Error,
                           ErrorCode::NotAFile,
                           path.string(),
                           0,
                           0,
                           {},
                           "expected a workspace file, not a folder"}});
    }
    if (!exists && path.has_parent_path()) {
        fs::create_directories(path.parent_path(), ec);
        if (ec) {
            fail(path,
                 "cannot create the folder " + path.parent_path().string() + ": " + ec.message());
        }
    }
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        const std::string why = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        fail(path, "cannot open the workspace: " + why);
    }
    Workspace ws(db, path);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) !=
        SQLITE_OK) {
        fail(ws.path_, "cannot open the workspace", db);
    }
    {
        Stmt wal(db, ws.path_, "PRAGMA journal_mode=WAL");
        if (!wal.step() || wal.text(0) != "wal") {
            fail(ws.path_, "cannot switch the workspace to WAL mode");
        }
    }
    exec(db, ws.path_, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL",
         "cannot configure the workspace");
    ws.migrate();
    return ws;
}

Workspace::Workspace(Workspace&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Workspace& Workspace::operator=(Workspace&& other) noexcept {
    if (this != &other) {
        sqlite3_close(db_);
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
    }
    return *this;
}

Workspace::~Workspace() {
    sqlite3_close(db_);
}

int Workspace::schema_version() const {
    Stmt s(db_, path_, "PRAGMA user_version");
    return s.step() ? static_cast<int>(s.integer(0)) : 0;
}

void Workspace::migrate() {
    const auto& all = migrations();
    const int latest = all.empty() ? 0 : all.back().version;
    if (const int v = schema_version(); v > latest) {
        fail(path_, "workspace schema version " + std::to_string(v) +
                        " is newer than this lodestone understands (" + std::to_string(latest) +
                        "); use a newer lodestone");
    }
    for (const auto& m : all) {
        if (schema_version() >= m.version) {
            continue;
        }
        Transaction tx(db_, path_);
        if (schema_version() >= m.version) {  // another process migrated meanwhile
            tx.commit();
            continue;
        }
        exec(db_, path_,
             "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
             "name TEXT NOT NULL, applied TEXT NOT NULL)",
             "cannot record migrations");
        exec(db_, path_, m.sql, "migration " + m.name + " failed");
        Stmt rec(db_, path_,
                 "INSERT INTO schema_migrations(version, name, applied) VALUES (?1, ?2, ?3)");
        rec.bind(1, m.version).bind(2, m.name).bind(3, now_utc()).run();
        exec(db_, path_, "PRAGMA user_version = " + std::to_string(m.version),
             "cannot set the schema version");
        tx.commit();
    }
}

IngestResult Workspace::add_events(std::span<const model::Measure> events,
                                   const std::string& source,
                                   const std::string& format,
                                   std::span<const int> lines,
                                   const Progress& progress) {
    IngestResult result;
    const std::string created = now_utc();
    Transaction tx(db_, path_);
    {
        Stmt ingest(db_, path_,
                    "INSERT INTO ingests(created, source, format, events) VALUES (?1, ?2, ?3, ?4)");
        ingest.bind(1, created)
            .bind(2, source)
            .bind(3, format)
            .bind(4, static_cast<std::int64_t>(events.size()))
            .run();
        result.ingest_id = sqlite3_last_insert_rowid(db_);
    }
    if (progress) {
        progress(0, events.size());
    }
    Stmt latest(db_, path_,
                "SELECT revision, content_hash, body FROM events WHERE id = ?1 "
                "ORDER BY revision DESC LIMIT 1");
    Stmt insert(db_, path_,
                "INSERT INTO events(id, revision, content_hash, body, ingest_id, line, created) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& m = events[i];
        const std::string body = measure_to_json(m).dump();
        const std::string hash = fnv1a_hex(body);
        IngestedEvent out{m.id, IngestOutcome::New, 1};
        latest.bind(1, m.id);
        if (latest.step()) {
            const int rev = static_cast<int>(latest.integer(0));
            if (latest.text(1) == hash && latest.text(2) == body) {
                out = {m.id, IngestOutcome::Unchanged, rev};
            } else {
                out = {m.id, IngestOutcome::Revised, rev + 1};
            }
        }
        latest.reset();
        if (out.outcome != IngestOutcome::Unchanged) {
            insert.bind(1, m.id)
                .bind(2, out.revision)
                .bind(3, hash)
                .bind(4, body)
                .bind(5, result.ingest_id)
                .bind(6, i < lines.size() ? lines[i] : 0)
                .bind(7, created);
            insert.run();
        }
        switch (out.outcome) {
            case IngestOutcome::New:
                ++result.new_events;
                break;
            case IngestOutcome::Revised:
                ++result.revised;
                break;
            case IngestOutcome::Unchanged:
                ++result.unchanged;
                break;
        }
        result.events.push_back(std::move(out));
        if (progress && (i + 1) % 1000 == 0) {
            progress(i + 1, events.size());
        }
    }
    Stmt counts(db_, path_,
                "UPDATE ingests SET new_events = ?1, revised = ?2, unchanged = ?3 WHERE id = ?4");
    counts.bind(1, result.new_events)
        .bind(2, result.revised)
        .bind(3, result.unchanged)
        .bind(4, result.ingest_id)
        .run();
    tx.commit();
    return result;
}

namespace {
constexpr const char* kRevisionColumns =
    "e.id, e.revision, e.content_hash, e.body, e.created, i.source, e.line, e.ingest_id";

EventRevision read_revision(const Stmt& s, const fs::path& path) {
    EventRevision r;
    try {
        r.measure = measure_from_json(json::parse(s.text(3)));
    } catch (const json::exception& e) {
        fail(path, "stored event '" + s.text(0) + "' does not parse: " + e.what());
    }
    r.revision = static_cast<int>(s.integer(1));
    r.content_hash = s.text(2);
    r.created = s.text(4);
    r.source = s.text(5);
    r.line = static_cast<int>(s.integer(6));
    r.ingest_id = s.integer(7);
    return r;
}
}  // namespace

std::vector<EventRevision> Workspace::latest_events() const {
    Stmt s(db_, path_,
           std::string("SELECT ") + kRevisionColumns +
               " FROM events e JOIN ingests i ON i.id = e.ingest_id"
               " WHERE e.revision = (SELECT MAX(revision) FROM events x WHERE x.id = e.id)"
               " ORDER BY e.id");
    std::vector<EventRevision> out;
    while (s.step()) {
        out.push_back(read_revision(s, path_));
    }
    return out;
}

std::vector<EventRevision> Workspace::history(const std::string& id) const {
    Stmt s(db_, path_,
           std::string("SELECT ") + kRevisionColumns +
               " FROM events e JOIN ingests i ON i.id = e.ingest_id WHERE e.id = ?1 ORDER BY "
               "e.revision");
    s.bind(1, id);
    std::vector<EventRevision> out;
    while (s.step()) {
        out.push_back(read_revision(s, path_));
    }
    return out;
}

std::string Workspace::events_version() const {
    Stmt s(db_, path_,
           "SELECT id || ' ' || created || ' ' || new_events || ' ' || revised FROM ingests "
           "ORDER BY id DESC LIMIT 1");
    return s.step() ? s.text(0) : std::string();
}

bool Workspace::has_event(const std::string& id) const {
    Stmt s(db_, path_, "SELECT 1 FROM events WHERE id = ?1 LIMIT 1");
    s.bind(1, id);
    return s.step();
}

std::int64_t Workspace::add_rule(const WatchRule& rule) {
    Transaction tx(db_, path_);
    {
        Stmt exists(db_, path_, "SELECT 1 FROM watch_rules WHERE name = ?1");
        exists.bind(1, rule.name);
        if (exists.step()) {
            throw InputError(ErrorCode::Duplicate, "a watch rule named '" + rule.name +
                                                       "' exists already (remove it first with "
                                                       "`lodestone watch remove " +
                                                       rule.name + "`)");
        }
    }
    Stmt s(db_, path_,
           "INSERT INTO watch_rules(name, created, kind, items, source, destination, min_severity) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    s.bind(1, rule.name)
        .bind(2, rule.created.empty() ? now_utc() : rule.created)
        .bind(3, std::string(to_string(rule.kind)))
        .bind(4, items_to_json(rule.items).dump())
        .bind(5, rule.source)
        .bind(6, rule.destination)
        .bind(7, to_string(rule.min_severity));
    s.run();
    const auto id = sqlite3_last_insert_rowid(db_);
    tx.commit();
    return id;
}

namespace {
constexpr const char* kRuleColumns =
    "id, name, created, kind, items, source, destination, min_severity";

WatchRule read_rule(const Stmt& s, const fs::path& path) {
    WatchRule r;
    r.id = s.integer(0);
    r.name = s.text(1);
    r.created = s.text(2);
    r.kind = stored(parse_rule_kind, s.text(3), "rule kind", path);
    r.items = items_from_json(s.text(4), path);
    r.source = s.text(5);
    r.destination = s.text(6);
    r.min_severity = stored(parse_alert_severity, s.text(7), "severity", path);
    return r;
}
}  // namespace

std::vector<WatchRule> Workspace::rules() const {
    Stmt s(db_, path_, std::string("SELECT ") + kRuleColumns + " FROM watch_rules ORDER BY id");
    std::vector<WatchRule> out;
    while (s.step()) {
        out.push_back(read_rule(s, path_));
    }
    return out;
}

std::optional<WatchRule> Workspace::find_rule(const std::string& name) const {
    Stmt s(db_, path_, std::string("SELECT ") + kRuleColumns + " FROM watch_rules WHERE name = ?1");
    s.bind(1, name);
    if (!s.step()) {
        return std::nullopt;
    }
    return read_rule(s, path_);
}

bool Workspace::remove_rule(const std::string& name) {
    Transaction tx(db_, path_);
    Stmt s(db_, path_, "DELETE FROM watch_rules WHERE name = ?1");
    s.bind(1, name).run();
    const bool removed = sqlite3_changes(db_) > 0;
    tx.commit();
    return removed;
}

std::vector<Alert> Workspace::raise_alerts(std::span<const Alert> alerts) {
    std::vector<Alert> fresh;
    const std::string created = now_utc();
    Transaction tx(db_, path_);
    Stmt s(
        db_, path_,
        "INSERT OR IGNORE INTO alerts(rule_id, measure_id, change, date, severity, share, basis, "
        "materials, message, as_of, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
        "?11)");
    for (const auto& a : alerts) {
        s.bind(1, a.rule_id)
            .bind(2, a.measure_id)
            .bind(3, std::string(policy::to_string(a.change)))
            .bind(4, a.date.to_string())
            .bind(5, to_string(a.severity))
            .bind(6, a.share)
            .bind(7, a.basis)
            .bind(8, a.materials)
            .bind(9, a.message)
            .bind(10, a.as_of.to_string())
            .bind(11, created);
        s.run();
        if (sqlite3_changes(db_) == 1) {
            Alert stored = a;
            stored.id = sqlite3_last_insert_rowid(db_);
            stored.created = created;
            fresh.push_back(std::move(stored));
        }
    }
    tx.commit();
    return fresh;
}

std::vector<Alert> Workspace::alerts(const std::string& rule_name) const {
    Stmt s(db_, path_,
           "SELECT a.id, a.rule_id, r.name, a.measure_id, a.change, a.date, a.severity, a.share, "
           "a.basis, a.materials, a.message, a.as_of, a.created FROM alerts a "
           "JOIN watch_rules r ON r.id = a.rule_id WHERE ?1 = '' OR r.name = ?1 ORDER BY a.id");
    s.bind(1, rule_name);
    std::vector<Alert> out;
    while (s.step()) {
        Alert a;
        a.id = s.integer(0);
        a.rule_id = s.integer(1);
        a.rule_name = s.text(2);
        a.measure_id = s.text(3);
        a.change = stored(policy::parse_change_kind, s.text(4), "change", path_);
        a.date = parse_stored_date(s.text(5), path_);
        a.severity = stored(parse_alert_severity, s.text(6), "severity", path_);
        a.share = s.real(7);
        a.basis = s.text(8);
        a.materials = s.text(9);
        a.message = s.text(10);
        a.as_of = parse_stored_date(s.text(11), path_);
        a.created = s.text(12);
        out.push_back(std::move(a));
    }
    return out;
}

std::int64_t Workspace::add_run(const Run& run) {
    Transaction tx(db_, path_);
    Stmt s(db_, path_,
           "INSERT INTO runs(created, scenario, seed, params, summary, dataset_hash, version) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    s.bind(1, run.created.empty() ? now_utc() : run.created)
        .bind(2, run.scenario)
        .bind(3, std::bit_cast<std::int64_t>(run.seed))
        .bind(4, run.params_json)
        .bind(5, run.summary_json)
        .bind(6, run.dataset_hash)
        .bind(7, run.version);
    s.run();
    const auto id = sqlite3_last_insert_rowid(db_);
    tx.commit();
    return id;
}

namespace {
Run read_run(const Stmt& s) {
    Run r;
    r.id = s.integer(0);
    r.created = s.text(1);
    r.scenario = s.text(2);
    r.seed = std::bit_cast<std::uint64_t>(s.integer(3));
    r.params_json = s.text(4);
    r.summary_json = s.text(5);
    r.dataset_hash = s.text(6);
    r.version = s.text(7);
    return r;
}
constexpr const char* kRunColumns =
    "id, created, scenario, seed, params, summary, dataset_hash, version";
}  // namespace

std::vector<Run> Workspace::runs() const {
    Stmt s(db_, path_, std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY id");
    std::vector<Run> out;
    while (s.step()) {
        out.push_back(read_run(s));
    }
    return out;
}

std::optional<Run> Workspace::find_run(std::int64_t id) const {
    Stmt s(db_, path_, std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) {
        return std::nullopt;
    }
    return read_run(s);
}

}  // namespace lodestone::store
