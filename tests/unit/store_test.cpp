// The workspace: migrations, WAL and foreign keys, event revisions, rules, alerts raised once,
// runs, and rollback of a failed ingest.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "error_text.hpp"
#include "lodestone/core/diagnostic.hpp"
#include "lodestone/model/measure_fields.hpp"
#include "lodestone/store/measure_json.hpp"
#include "lodestone/store/merged_world.hpp"
#include "lodestone/store/migrations.hpp"
#include "lodestone/store/workspace.hpp"
#include "policy_fixture.hpp"

using namespace lodestone;
using lodestone::testing::error_text;
using namespace lodestone::test;
using store::IngestOutcome;
using store::MergedWorldCache;
using store::Workspace;
namespace fs = std::filesystem;

namespace {

class StoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::path(LODE_BINARY_DIR) / "test_tmp" /
               ::testing::UnitTest::GetInstance()->current_test_info()->name();
        fs::remove_all(dir_);
        path_ = dir_ / "nested" / "workspace.sqlite";
    }
    void TearDown() override { fs::remove_all(dir_); }

    /// One value of a query on a separate, raw connection.
    std::string query(const std::string& sql) const {
        sqlite3* db = nullptr;
        EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
        sqlite3_stmt* s = nullptr;
        std::string out;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
            sqlite3_step(s) == SQLITE_ROW) {
            const auto* text = sqlite3_column_text(s, 0);
            out = text != nullptr ? reinterpret_cast<const char*>(text) : "";
        } else {
            out = std::string("error: ") + sqlite3_errmsg(db);
        }
        sqlite3_finalize(s);
        sqlite3_close(db);
        return out;
    }

    fs::path dir_;
    fs::path path_;
};

/// An alert of rule `rule_id` on measure BAN, dated 2026-11-28 as of 2026-11-27.
store::Alert ban_alert(std::int64_t rule_id, policy::ChangeKind change) {
    store::Alert a;
    a.rule_id = rule_id;
    a.measure_id = "BAN";
    a.change = change;
    a.date = d("2026-11-28");
    a.severity = store::AlertSeverity::High;
    a.as_of = d("2026-11-27");
    return a;
}

model::Measure ban(const char* expires = nullptr) {
    auto m = measure("BAN", model::MeasureKind::ExportBan, "2024-12-03", expires);
    m.destinations = listed({"USA"});
    m.title = "Ban";
    return m;
}

}  // namespace

TEST_F(StoreTest, OpeningCreatesTheFolderAndAppliesEveryMigrationOnce) {
    {
        auto ws = Workspace::open(path_);
        EXPECT_EQ(ws.schema_version(), store::migrations().back().version);
    }
    EXPECT_TRUE(fs::exists(path_));
    EXPECT_EQ(query("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(query("SELECT group_concat(name) FROM schema_migrations"), "0001_init");
    { auto again = Workspace::open(path_); }
    EXPECT_EQ(query("SELECT count(*) FROM schema_migrations"),
              std::to_string(store::migrations().size()));
    EXPECT_EQ(query("PRAGMA integrity_check"), "ok");
}

TEST_F(StoreTest, MigrationsAreNumberedWithoutGaps) {
    const auto& all = store::migrations();
    ASSERT_FALSE(all.empty());
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i].version, static_cast<int>(i) + 1);
        EXPECT_THAT(all[i].sql, ::testing::HasSubstr("CREATE TABLE"));
    }
}

TEST_F(StoreTest, ANewerSchemaIsRefused) {
    { auto ws = Workspace::open(path_); }
    query("PRAGMA user_version = 99");
    EXPECT_EQ(error_text([&] { (void)Workspace::open(path_); }),
              path_.string() +
                  ": workspace schema version 99 is newer than this lodestone understands (" +
                  std::to_string(store::migrations().back().version) +
                  "); use a newer lodestone (E-STORE)\n");
}

TEST_F(StoreTest, AFileThatIsNotADatabaseIsRefused) {
    fs::create_directories(path_.parent_path());
    std::ofstream(path_)
        << "this is not a database, it is a long enough line of text to fill a header.....\n";
    EXPECT_EQ(error_text([&] { (void)Workspace::open(path_); }),
              path_.string() + ": cannot open the workspace: file is not a database (E-STORE)\n");
}

TEST_F(StoreTest, OpeningAMissingWorkspaceForReadingIsAnError) {
    EXPECT_EQ(error_text([&] { (void)Workspace::open(path_, false); }),
              path_.string() +
                  ": workspace does not exist (it is created by `lodestone events add` or "
                  "`lodestone watch add`) "
                  "(E-FILE-MISSING)\n");
    EXPECT_FALSE(fs::exists(path_));
}

TEST_F(StoreTest, TheSameEventTwiceIsStoredOnceAndAChangeIsANewRevision) {
    auto ws = Workspace::open(path_);
    const std::vector first{ban()};
    const auto r1 = ws.add_events(first, "a.csv", "csv", std::vector{2});
    ASSERT_EQ(r1.events.size(), 1u);
    EXPECT_EQ(r1.events[0].outcome, IngestOutcome::New);
    const auto r2 = ws.add_events(first, "a.csv", "csv");
    EXPECT_EQ(r2.events[0].outcome, IngestOutcome::Unchanged);
    EXPECT_EQ(r2.events[0].revision, 1);
    EXPECT_EQ(query("SELECT count(*) FROM events"), "1");

    const std::vector changed{ban("2027-01-31")};
    const auto r3 = ws.add_events(changed, "b.jsonl", "jsonl", std::vector{7});
    EXPECT_EQ(r3.events[0].outcome, IngestOutcome::Revised);
    EXPECT_EQ(r3.events[0].revision, 2);
    const auto history = ws.history("BAN");
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].revision, 1);
    EXPECT_FALSE(history[0].measure.expires.has_value());
    EXPECT_EQ(history[0].source, "a.csv");
    EXPECT_EQ(history[0].line, 2);
    EXPECT_EQ(history[1].measure.expires, d("2027-01-31"));
    EXPECT_EQ(history[1].source, "b.jsonl");
    EXPECT_NE(history[0].content_hash, history[1].content_hash);
    const auto latest = ws.latest_events();
    ASSERT_EQ(latest.size(), 1u);
    EXPECT_EQ(latest[0].revision, 2);
    // Sending the first version again is a change back: a third revision, equal to the first.
    const auto r4 = ws.add_events(first, "a.csv", "csv");
    EXPECT_EQ(r4.events[0].outcome, IngestOutcome::Revised);
    EXPECT_EQ(ws.history("BAN").back().content_hash, history[0].content_hash);
    EXPECT_EQ(query("SELECT group_concat(new_events || '/' || revised || '/' || unchanged, ' ') "
                    "FROM ingests"),
              "1/0/0 0/0/1 0/1/0 0/1/0");
}

// A server merges the dataset with the workspace's events once per change of the events, not once
// per request, and without events it shares the dataset instead of copying it.
TEST_F(StoreTest, TheMergedWorldIsSharedUntilTheEventsChange) {
    const model::World dataset = small_world();
    ASSERT_EQ(dataset.find_measure("BAN"), nullptr);
    MergedWorldCache cache;
    const auto alone = cache.get(dataset, nullptr);
    EXPECT_EQ(alone->world, &dataset);
    EXPECT_EQ(alone->overlaid, nullptr);

    auto ws = Workspace::open(path_);
    const auto empty = cache.get(dataset, &ws);
    EXPECT_EQ(empty->world, &dataset);
    EXPECT_EQ(empty->workspace, path_.string());

    const std::string before = ws.events_version();
    ws.add_events(std::vector{ban()}, "a.csv", "csv");
    EXPECT_NE(ws.events_version(), before);
    const auto first = cache.get(dataset, &ws);
    ASSERT_NE(first->overlaid, nullptr);
    EXPECT_EQ(first->world, first->overlaid.get());
    ASSERT_NE(first->world->find_measure("BAN"), nullptr);
    EXPECT_EQ(dataset.find_measure("BAN"), nullptr);
    EXPECT_EQ(cache.get(dataset, &ws), first);  // unchanged events: the same merge

    ws.add_events(std::vector{ban("2027-01-31")}, "b.csv", "csv");
    const auto revised = cache.get(dataset, &ws);
    EXPECT_NE(revised, first);
    EXPECT_EQ(revised->world->find_measure("BAN")->expires, d("2027-01-31"));
    EXPECT_FALSE(first->world->find_measure("BAN")->expires.has_value());  // still valid
}

TEST_F(StoreTest, AFailedIngestLeavesNothingAndKeepsWhatWasThere) {
    auto ws = Workspace::open(path_);
    const std::vector before{ban()};
    (void)ws.add_events(before, "a.csv", "csv");
    std::vector<model::Measure> many;
    for (int i = 0; i < 2500; ++i) {
        many.push_back(
            measure("M" + std::to_string(i), model::MeasureKind::ExportTax, "2026-01-01"));
    }
    const store::Progress fail_midway = [](std::size_t done, std::size_t) {
        if (done == 2000) {
            throw InputError(ErrorCode::Store, "interrupted");
        }
    };
    EXPECT_THROW((void)ws.add_events(many, "big.csv", "csv", {}, fail_midway), InputError);
    EXPECT_EQ(query("SELECT count(*) FROM events"), "1");
    EXPECT_EQ(query("SELECT count(*) FROM ingests"), "1");
    EXPECT_EQ(ws.history("BAN").size(), 1u);
    // The workspace still works after the rollback.
    EXPECT_EQ(ws.add_events(many, "big.csv", "csv").new_events, 2500);
}

TEST_F(StoreTest, MeasuresRoundTripThroughCanonicalJson) {
    auto m = ban("2027-01-31");
    m.destinations = all_except({"EU", "USA"});
    m.stages = {"refined"};
    m.approval_rate = 0.6;
    m.lead_time_days = 45;
    m.notes = "quoted \"text\", commas";
    const auto j = store::measure_to_json(m);
    EXPECT_EQ(j["destinations"], "ALL_EXCEPT:EU;USA");
    const auto back = store::measure_from_json(j);
    EXPECT_EQ(store::measure_to_json(back).dump(), j.dump());
    EXPECT_EQ(back.destinations.mode, model::DestinationSet::Mode::AllExcept);
    EXPECT_EQ(back.expires, d("2027-01-31"));
    EXPECT_EQ(lodestone::fnv1a_hex(""), "cbf29ce484222325");  // FNV-1a 64 test vectors
    EXPECT_EQ(lodestone::fnv1a_hex("a"), "af63dc4c8601ec8c");
    EXPECT_EQ(lodestone::fnv1a_hex("foobar"), "85944171f73967e8");
}

// Every field of model/measure_fields.hpp is stored and read back: a field the storage form left
// out (as `verified` once was) would be lost from every event a user adds.
TEST_F(StoreTest, EveryMeasureFieldSurvivesStorage) {
    auto m = ban("2027-01-31");
    m.country = "CHN";
    m.materials = {"gallium", "germanium"};
    m.stages = {"refined"};
    m.end_users = "military";
    m.announced = d("2024-11-01");
    m.suspends = {"OTHER"};
    m.approval_rate = 0.6;
    m.lead_time_days = 45;
    m.quota_tonnes = 120;
    m.tax_rate = 0.2;
    m.tonnes = 30;
    m.status = "announced";
    m.source = "https://www.mofcom.gov.cn/";
    m.verified = d("2026-11-20");
    m.notes = "n";
    const auto j = store::measure_to_json(m);
    EXPECT_EQ(j.size(), model::measure_fields().size()) << j.dump();
    const auto back = store::measure_from_json(j);
    for (const auto& f : model::measure_fields()) {
        EXPECT_TRUE(model::field_value(back, f.field) == model::field_value(m, f.field)) << f.name;
    }
}

// Regression pin, deliberately: the canonical body of a stored measure. Ingest compares a new body
// with the stored one to tell a revision from an unchanged event, so a change in this spelling
// would turn every re-ingest of an existing workspace's events into a revision. Written by hand
// from measure_json.hpp's rules (sorted keys, empty and absent values omitted).
TEST_F(StoreTest, TheCanonicalBodyOfAMeasureIsPinned) {
    auto m = ban("2027-01-31");
    m.country = "CHN";
    m.materials = {"gallium"};
    EXPECT_EQ(store::measure_to_json(m).dump(),
              R"({"country":"CHN","destinations":"USA","effective":"2024-12-03",)"
              R"("end_users":"all","expires":"2027-01-31","id":"BAN","kind":"export_ban",)"
              R"("materials":["gallium"],"title":"Ban"})");
}

TEST_F(StoreTest, RulesAreUniqueByNameAndRemovingOneRemovesItsAlerts) {
    auto ws = Workspace::open(path_);
    store::WatchRule rule;
    rule.name = "ga";
    rule.items = {{"gallium", "refined", "radar", "mmic", "USA", 0.001, "USA"}};
    rule.destination = "USA";
    rule.min_severity = store::AlertSeverity::Medium;
    rule.id = ws.add_rule(rule);
    EXPECT_EQ(
        error_text([&] { (void)ws.add_rule(rule); }),
        "a watch rule named 'ga' exists already (remove it first with `lodestone watch remove ga`) "
        "(E-DUPLICATE)\n");
    const auto stored = ws.find_rule("ga");
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->items.at(0).part, "mmic");
    EXPECT_EQ(stored->items.at(0).kg_per_unit, 0.001);
    EXPECT_EQ(stored->min_severity, store::AlertSeverity::Medium);

    auto a = ban_alert(rule.id, policy::ChangeKind::Resumed);
    a.share = 0.98;
    a.message = "binds again";
    EXPECT_EQ(ws.raise_alerts(std::vector{a}).size(), 1u);
    EXPECT_TRUE(ws.raise_alerts(std::vector{a}).empty());  // raised once
    auto other_day = a;
    other_day.date = d("2027-11-28");
    EXPECT_EQ(ws.raise_alerts(std::vector{a, other_day}).size(), 1u);
    ASSERT_EQ(ws.alerts("ga").size(), 2u);
    EXPECT_EQ(ws.alerts("ga")[0].share, 0.98);
    EXPECT_TRUE(ws.remove_rule("ga"));
    EXPECT_FALSE(ws.remove_rule("ga"));
    EXPECT_EQ(query("SELECT count(*) FROM alerts"), "0");  // ON DELETE CASCADE: foreign keys are on
}

// A stored value this version cannot read is a located E-STORE error, never a silent default (a
// "high" alert read back as "low"). The schema's CHECK constraints keep such values out of what
// this program writes; the file is damaged here with them switched off, as another program could.
TEST_F(StoreTest, AnUnreadableStoredValueIsAnErrorNotADefault) {
    {
        auto ws = Workspace::open(path_);
        store::WatchRule rule;
        rule.name = "ga";
        rule.kind = store::RuleKind::Bom;
        rule.items = {{"gallium", "refined", "radar", "mmic", "USA", 0.001, "USA"}};
        rule.id = ws.add_rule(rule);
        EXPECT_EQ(ws.find_rule("ga")->kind, store::RuleKind::Bom);
        const auto a = ban_alert(rule.id, policy::ChangeKind::Suspended);
        ASSERT_EQ(ws.raise_alerts(std::vector{a}).size(), 1u);
        EXPECT_EQ(ws.alerts("ga").at(0).change, policy::ChangeKind::Suspended);
        EXPECT_EQ(ws.alerts("ga").at(0).severity, store::AlertSeverity::High);
    }
    auto damage = [&](const char* sql) {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
        EXPECT_EQ(
            sqlite3_exec(db, "PRAGMA ignore_check_constraints = ON", nullptr, nullptr, nullptr),
            SQLITE_OK);
        EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(db);
    };
    damage("UPDATE alerts SET severity = 'severe'");
    auto ws = Workspace::open(path_);
    EXPECT_EQ(
        error_text([&] { (void)ws.alerts("ga"); }),
        path_.string() + ": stored severity 'severe' is not one this version knows (E-STORE)\n");
    damage("UPDATE alerts SET severity = 'high', change = 'paused'");
    EXPECT_EQ(
        error_text([&] { (void)ws.alerts("ga"); }),
        path_.string() + ": stored change 'paused' is not one this version knows (E-STORE)\n");
    damage("UPDATE watch_rules SET kind = 'list'");
    EXPECT_EQ(
        error_text([&] { (void)ws.rules(); }),
        path_.string() + ": stored rule kind 'list' is not one this version knows (E-STORE)\n");
}

TEST_F(StoreTest, RunsKeepTheirSeedParamsAndProvenance) {
    auto ws = Workspace::open(path_);
    store::Run run;
    run.scenario = "pause-lapse";
    run.seed = 18446744073709551557ULL;  // above 2^63
    run.params_json = R"({"runs":1000})";
    run.summary_json = R"({"p50":0.2})";
    run.dataset_hash = "b01fa5309e6a7fe3";
    run.version = "0.1.0";
    const auto id = ws.add_run(run);
    const auto back = ws.find_run(id);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->seed, run.seed);
    EXPECT_EQ(back->params_json, run.params_json);
    EXPECT_EQ(back->dataset_hash, run.dataset_hash);
    EXPECT_EQ(ws.runs().size(), 1u);
    run.params_json = "not json";
    EXPECT_THAT(error_text([&] { (void)ws.add_run(run); }),
                ::testing::HasSubstr("CHECK constraint failed"));
}

TEST_F(StoreTest, TheDefaultPathFollowsXdgDataHome) {
    const char* old_xdg = std::getenv("XDG_DATA_HOME");
    const std::string saved = old_xdg != nullptr ? old_xdg : "";
    setenv("XDG_DATA_HOME", "/data/x", 1);
    EXPECT_EQ(store::default_workspace_path(), fs::path("/data/x/lodestone/workspace.sqlite"));
    unsetenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    if (home != nullptr) {
        EXPECT_EQ(store::default_workspace_path(),
                  fs::path(home) / ".local/share/lodestone/workspace.sqlite");
    }
    if (old_xdg != nullptr) {
        setenv("XDG_DATA_HOME", saved.c_str(), 1);
    }
}

TEST_F(StoreTest, AWriterWaitsForAnotherProcessToReleaseTheLock) {
    auto ws = Workspace::open(path_);
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    std::thread release([other] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
    });
    // Without the busy timeout this would fail at once with "database is locked".
    const std::vector one{ban()};
    EXPECT_EQ(ws.add_events(one, "a.csv", "csv").new_events, 1);
    release.join();
    sqlite3_close(other);
}
