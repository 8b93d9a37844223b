// Durability of ingest: the real `lodestone events add` is SIGKILLed while it writes a large event
// file inside its transaction. The workspace must then pass SQLite's integrity check and hold
// either the whole file or none of it, with everything stored before intact.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

constexpr int kBulkEvents = 20000;

const std::string kBinary = std::string(LODE_BINARY_DIR) + "/apps/cli/lodestone";
const std::string kData = std::string(LODE_SOURCE_DIR) + "/tests/data/policy_world";

struct Child {
    pid_t pid = -1;
    int stderr_fd = -1;
};

/// fork + exec of the real binary; stdout to /dev/null, stderr to a pipe we read.
Child spawn(const std::vector<std::string>& args) {
    int fds[2];
    if (pipe(fds) != 0) {
        return {};
    }
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(kBinary.c_str()));
    for (const auto& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
    }
    argv.push_back(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
        const int null_fd = open("/dev/null", O_WRONLY);
        dup2(null_fd, STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        execv(kBinary.c_str(), argv.data());
        _exit(127);
    }
    close(fds[1]);
    return {pid, fds[0]};
}

/// Reads the child's stderr until `needle` appears; false at end of stream.
bool read_until(int fd, const std::string& needle, std::string& seen) {
    char buf[512];
    while (seen.find(needle) == std::string::npos) {
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) {
            return false;
        }
        seen.append(buf, static_cast<std::size_t>(n));
    }
    return true;
}

/// Runs the binary to completion; returns its exit code.
int run(const std::vector<std::string>& args) {
    Child c = spawn(args);
    std::string ignored;
    read_until(c.stderr_fd, "\x01never", ignored);
    close(c.stderr_fd);
    int status = 0;
    waitpid(c.pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Query results as text rows on a fresh connection (which recovers the WAL as SQLite does).
std::vector<std::string> rows(const fs::path& db_path, const std::string& sql) {
    sqlite3* db = nullptr;
    std::vector<std::string> out;
    if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        out.push_back(std::string("open failed: ") + sqlite3_errmsg(db));
        sqlite3_close(db);
        return out;
    }
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
        out.push_back(std::string("error: ") + sqlite3_errmsg(db));
    }
    while (s != nullptr && sqlite3_step(s) == SQLITE_ROW) {
        std::string row;
        for (int i = 0; i < sqlite3_column_count(s); ++i) {
            const auto* text = sqlite3_column_text(s, i);
            row += (i ? "|" : "") +
                   std::string(text != nullptr ? reinterpret_cast<const char*>(text) : "NULL");
        }
        out.push_back(row);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

std::string one(const fs::path& db, const std::string& sql) {
    const auto r = rows(db, sql);
    return r.empty() ? "" : r.front();
}

class Durability : public testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::path(LODE_BINARY_DIR) / "test_tmp" / "durability";
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        ws_ = dir_ / "workspace.sqlite";
        small_ = dir_ / "small.csv";
        std::ofstream(small_)
            << "id,kind,country,materials,destinations,effective,expires,suspends\n"
               "EXT,suspension,CHN,gallium,USA,2026-11-28,2027-11-27,BAN-US\n"
               "TAX,export_tax,CHN,gallium,ALL,2026-06-01,,\n";
        bulk_ = dir_ / "bulk.csv";
        std::ofstream bulk(bulk_);
        bulk << "id,kind,country,materials,destinations,effective,tax_rate,title\n";
        for (int i = 0; i < kBulkEvents; ++i) {
            bulk << "BULK-" << i << ",export_tax,CHN,gallium,ALL,2027-01-01,0.1,Bulk event number "
                 << i << "\n";
        }
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::vector<std::string> add(const fs::path& file) const {
        return {"events",      "add",        file.string(), "--data",   kData,
                "--workspace", ws_.string(), "--progress",  "--format", "csv"};
    }

    /// The invariants that must hold whatever moment the process died.
    void expect_consistent(const std::string& when) const {
        SCOPED_TRACE(when);
        EXPECT_EQ(one(ws_, "PRAGMA integrity_check"), "ok");
        EXPECT_THAT(rows(ws_, "PRAGMA foreign_key_check"), testing::IsEmpty());
        // Everything stored before: the small file's two events and the watch rule.
        EXPECT_EQ(one(ws_,
                      "SELECT group_concat(id || '@' || revision, ' ') FROM "
                      "(SELECT id, revision FROM events WHERE id NOT LIKE 'BULK-%' ORDER BY id)"),
                  "EXT@1 TAX@1");
        EXPECT_EQ(one(ws_, "SELECT name FROM watch_rules"), "ga");
        // Each ingest holds exactly the events it says it stored.
        EXPECT_THAT(rows(ws_,
                         "SELECT i.id FROM ingests i WHERE i.new_events + i.revised != "
                         "(SELECT count(*) FROM events e WHERE e.ingest_id = i.id)"),
                    testing::IsEmpty());
    }

    [[nodiscard]] int bulk_count() const {
        return std::stoi(one(ws_, "SELECT count(*) FROM events WHERE id LIKE 'BULK-%'"));
    }

    fs::path dir_, ws_, small_, bulk_;
};

}  // namespace

TEST_F(Durability, AKilledIngestLeavesAllOrNothingAndEverythingBeforeIntact) {
    ASSERT_TRUE(fs::exists(kBinary)) << kBinary;
    ASSERT_EQ(run(add(small_)), 0);
    ASSERT_EQ(run({"watch", "add", "--name", "ga", "--materials", "gallium", "--data", kData,
                   "--workspace", ws_.string()}),
              0);
    expect_consistent("before");

    // Kill at three points inside the transaction: right after BEGIN, and after 1000 and 10000
    // rows.
    int killed_mid_transaction = 0;
    for (const std::string point : {"transaction started", "1000/", "10000/"}) {
        Child c = spawn(add(bulk_));
        ASSERT_GT(c.pid, 0);
        std::string seen;
        const bool reached = read_until(c.stderr_fd, point, seen);
        kill(c.pid, SIGKILL);
        int status = 0;
        waitpid(c.pid, &status, 0);
        close(c.stderr_fd);
        ASSERT_TRUE(reached) << "the child ended before '" << point << "': " << seen;
        const int n = bulk_count();
        EXPECT_TRUE(n == 0 || n == kBulkEvents)
            << "partial ingest after a kill at '" << point << "': " << n;
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && n == 0) {
            ++killed_mid_transaction;
        }
        expect_consistent("after a kill at '" + point + "'");
    }
    // The test means something only if the kills did land inside the transaction.
    EXPECT_EQ(killed_mid_transaction, 3);

    // The workspace is still usable: the whole file goes in, then a second time changes nothing.
    ASSERT_EQ(run(add(bulk_)), 0);
    EXPECT_EQ(bulk_count(), kBulkEvents);
    ASSERT_EQ(run(add(bulk_)), 0);
    EXPECT_EQ(bulk_count(), kBulkEvents);
    EXPECT_EQ(one(ws_, "SELECT unchanged FROM ingests ORDER BY id DESC LIMIT 1"),
              std::to_string(kBulkEvents));
    expect_consistent("after the complete ingests");
}
