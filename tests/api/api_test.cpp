// The HTTP API against a real server on a random loopback port, started and stopped by the test:
// every endpoint on the synthetic dataset of tests/api/data, the error contract (400/404/405/413/
// 415/422 with diagnostics), malformed requests, static files, jobs over HTTP, concurrency.
#include "lodestone/server/api.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lodestone/io/dataset_reader.hpp"
#include "lodestone/io/scenario_reader.hpp"
#include "lodestone/report/assess_view.hpp"
#include "lodestone/report/dataset_view.hpp"
#include "lodestone/report/decisions_view.hpp"
#include "lodestone/report/leverage_view.hpp"
#include "lodestone/report/lookthrough_view.hpp"
#include "lodestone/server/server.hpp"
#include "lodestone/sim/monte_carlo.hpp"
#include "lodestone/sim/output.hpp"

using namespace lodestone;
using namespace lodestone::server;
using nlohmann::json;
using ::testing::HasSubstr;

namespace {

const std::string kData = std::string(LODE_SOURCE_DIR) + "/tests/api/data";

/// A server on 127.0.0.1:<random> for the lifetime of the object.
class LiveServer {
public:
    explicit LiveServer(ServerOptions options = {},
                        AccessPolicy policy = {},
                        bool embedded = false,
                        std::filesystem::path workspace = {})
        : jobs_({.workers = 1, .max_pending = 4, .max_kept = 8}), router_(std::move(policy)) {
        auto state = std::make_shared<ApiState>();
        state->loaded = std::make_shared<const io::LoadedWorld>(
            io::load_world(embedded ? io::embedded_world() : io::read_dataset_dir(kData)));
        state->dataset_source = embedded ? "embedded data/world" : kData;
        if (embedded) {
            state->scenarios = io::scenario_texts(io::embedded_scenarios());
        }
        state->version = "test";
        state->workspace = std::move(workspace);
        state->jobs = &jobs_;
        state->max_body_bytes = options.max_body_bytes;
        state_ = state;
        // A test-only endpoint that runs a job until cancelled, to exercise jobs over HTTP.
        router_.add({.method = "POST", .path = "/api/v1/test/spin", .summary = "spin"},
                    [this](const Params&) {
                        const auto id = jobs_.submit("spin", {}, [](JobContext& ctx) {
                            while (!ctx.cancelled()) {
                                ctx.progress(0.25, "spinning");
                                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                            }
                            return json{};
                        });
                        return Response::json({{"id", *id}}, 202);
                    });
        add_api_routes(router_, state_);
        options.host = "127.0.0.1";
        options.port = 0;
        http_ = std::make_unique<HttpServer>(options, router_);
        port_ = http_->bind();
        thread_ = std::thread([this] { http_->run(); });
    }
    ~LiveServer() {
        http_->stop();
        thread_.join();
    }

    [[nodiscard]] httplib::Client client() const {
        httplib::Client c("127.0.0.1", port_);
        c.set_connection_timeout(5);
        c.set_read_timeout(120);  // a whole-dataset request under ASan on a loaded CI machine
        return c;
    }
    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] const model::World& world() const { return state_->loaded->world; }

private:
    JobManager jobs_;
    Router router_;
    std::shared_ptr<const ApiState> state_;
    std::unique_ptr<HttpServer> http_;
    int port_ = 0;
    std::thread thread_;
};

struct Reply {
    int status = 0;
    json body;
    std::string raw;
    std::string content_type;
};

Reply reply_of(const httplib::Result& res) {
    Reply r;
    if (!res) {
        ADD_FAILURE() << "no response: " << httplib::to_string(res.error());
        return r;
    }
    r.status = res->status;
    r.raw = res->body;
    r.content_type = res->get_header_value("Content-Type");
    r.body = json::parse(res->body, nullptr, false);
    return r;
}

/// Sends raw bytes and returns the status line the server answers with ("" if it closed).
std::string raw_exchange(int port, const std::string& bytes) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return "connect failed";
    }
    (void)!::write(fd, bytes.data(), bytes.size());
    std::string got;
    char buf[4096];
    for (;;) {
        const auto n = ::read(fd, buf, sizeof buf);
        if (n <= 0) {
            break;
        }
        got.append(buf, static_cast<std::size_t>(n));
        if (got.find("\r\n\r\n") != std::string::npos) {
            break;
        }
    }
    ::close(fd);
    return got.substr(0, got.find("\r\n"));
}

class Api : public ::testing::Test {
protected:
    static void SetUpTestSuite() { live_server = new LiveServer(); }
    static void TearDownTestSuite() {
        delete live_server;
        live_server = nullptr;
    }
    static Reply get(const std::string& path) { return reply_of(live_server->client().Get(path)); }
    static LiveServer* live_server;
};
LiveServer* Api::live_server = nullptr;

}  // namespace

TEST_F(Api, HealthAndIndex) {
    EXPECT_EQ(get("/api/v1/health").body, json({{"status", "ok"}}));
    const auto index = get("/api/v1");
    EXPECT_EQ(index.status, 200);
    EXPECT_EQ(index.body["dataset"]["name"], "api-test-world");
    EXPECT_EQ(index.body["auth"]["writes_enabled"], false);
    EXPECT_GE(index.body["endpoints"].size(), 15u);
}

TEST_F(Api, DatasetIsTheJsonOfLodestoneInfo) {
    const auto r = get("/api/v1/dataset");
    ASSERT_EQ(r.status, 200);
    EXPECT_THAT(r.content_type, HasSubstr("application/json"));
    EXPECT_EQ(r.body, report::dataset_info(live_server->world(), kData).to_json());
    EXPECT_EQ(r.body["counts"]["measures"], 5);
}

TEST_F(Api, ValidationOfTheLoadedDataset) {
    const auto r = get("/api/v1/dataset/validation");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body["valid"], true);
    EXPECT_EQ(r.body["errors"], json::array());
}

TEST_F(Api, CountriesAndMaterials) {
    const auto c = get("/api/v1/countries");
    ASSERT_EQ(c.body.size(), 5u);
    EXPECT_EQ(c.body[1],
              json::parse(R"({"iso3":"CHN","name":"China","region":"Asia","wgi":6.5,"blocs":[]})"));
    const auto m = get("/api/v1/materials");
    ASSERT_EQ(m.body.size(), 2u);
    EXPECT_EQ(m.body[1]["id"], "rare_earths");
    EXPECT_EQ(m.body[1]["stages"].size(), 3u);
    EXPECT_EQ(get("/api/v1/materials/gallium").body["stages"][0]["top_country"], "CHN");
    const auto missing = get("/api/v1/materials/unobtainium");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.body["error"], "no material 'unobtainium' (E-NOT-FOUND)");
}

TEST_F(Api, SharesOfOneStageForTheMap) {
    const auto r = get("/api/v1/shares?material=gallium&stage=refined");
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["material"], "gallium");
    EXPECT_EQ(r.body["world_tonnes"], 780.0);
    ASSERT_EQ(r.body["shares"].size(), 3u);
    EXPECT_EQ(r.body["shares"][0]["country"], "CHN");
    EXPECT_DOUBLE_EQ(r.body["shares"][0]["share"].get<double>(), 750.0 / 780.0);
    EXPECT_EQ(r.body["shares"][2]["country"], "ROW");
    // HHI over named producers only: (750/780)^2 + (10/780)^2
    EXPECT_NEAR(r.body["hhi"].get<double>(), (750.0 * 750.0 + 10.0 * 10.0) / (780.0 * 780.0),
                1e-12);
}

TEST_F(Api, SharesErrors) {
    auto r = get("/api/v1/shares?material=gallium");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["error"], "stage: required query parameter is missing (E-USAGE)");
    r = get("/api/v1/shares?material=unobtainium&stage=mine");
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.body["diagnostics"][0]["code"], "E-UNKNOWN-MATERIAL");
    EXPECT_EQ(r.body["diagnostics"][0]["field"], "material");
    r = get("/api/v1/shares?material=gallium&stage=magnet");
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.body["error"],
              "stage: unknown stage 'magnet' of material 'gallium' (E-UNKNOWN-STAGE)");
}

TEST_F(Api, PoliciesInForceApplySuspensionsWithTheLastDayInclusive) {
    auto ids = [](const json& rows) {
        std::vector<std::string> out;
        for (const auto& row : rows) {
            out.push_back(row["id"]);
        }
        return out;
    };
    auto r = get("/api/v1/policies?as_of=2026-11-27&material=gallium");
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_THAT(ids(r.body), ::testing::ElementsAre("CN-2023-023"))
        << "the US ban is suspended to 2026-11-27";
    r = get("/api/v1/policies?as_of=2026-11-28&material=gallium");
    EXPECT_THAT(ids(r.body), ::testing::ElementsAre("CN-2023-023", "CN-2024-046-2"));
    r = get("/api/v1/policies?as_of=2026-11-28&destination=DEU");
    EXPECT_THAT(ids(r.body), ::testing::ElementsAre("CN-2023-023", "CN-2025-018"));
    r = get("/api/v1/policies?as_of=2026-11-28&destination=G7&country=CHN");
    EXPECT_THAT(ids(r.body), ::testing::ElementsAre("CN-2023-023", "CN-2024-046-2", "CN-2025-018"));
    EXPECT_EQ(r.body[0]["approval_rate"], 0.6);
    EXPECT_EQ(r.body[0]["expires"], nullptr);
    EXPECT_EQ(get("/api/v1/policies?as_of=2026-11-27").body.size(), 2u)
        << "2026-11-27: the ban is suspended";
}

TEST_F(Api, UpcomingSaysTheBanBindsAgainTheDayAfterTheSuspensionEnds) {
    const auto r = get("/api/v1/policies/upcoming?as_of=2026-11-27&within=30d");
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(r.body.size(), 2u);
    EXPECT_EQ(
        r.body[0],
        json::parse(R"({"date":"2026-11-28","in_days":1,"change":"resumed","id":"CN-2024-046-2",
        "kind":"export_ban","country":"CHN","materials":"gallium","destinations":"USA","cause":"CN-2025-SUSP46",
        "title":"Ban on gallium exports to the United States"})"));
    EXPECT_EQ(r.body[1]["id"], "JP-2026-001");
    EXPECT_EQ(r.body[1]["in_days"], 18);
    EXPECT_EQ(r.body[1]["destinations"], "ALL_EXCEPT:G7");
    EXPECT_EQ(get("/api/v1/policies/upcoming?as_of=2026-11-27&within=1d").body.size(), 1u);
}

TEST_F(Api, ChangesBetweenTwoDates) {
    auto r = get("/api/v1/policies/changes?since=2025-11-01&as_of=2025-12-01");
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(r.body.size(), 1u);
    EXPECT_EQ(r.body[0]["change"], "suspended");
    EXPECT_EQ(r.body[0]["date"], "2025-11-09");
    r = get("/api/v1/policies/changes?since=2026-01-01&as_of=2025-01-01");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["error"],
              "since: must be on or before as_of (2025-01-01), got '2026-01-01' (E-USAGE)");
    r = get("/api/v1/policies/changes");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["diagnostics"][0]["message"], "since: required query parameter is missing");
}

TEST_F(Api, PolicyParametersAreValidatedLikeTheCli) {
    auto r = get("/api/v1/policies?as_of=27/11/2026&colour=red");
    EXPECT_EQ(r.status, 400);
    ASSERT_EQ(r.body["diagnostics"].size(), 2u) << "every problem at once";
    EXPECT_EQ(r.body["diagnostics"][0]["message"],
              "as_of: expected a date YYYY-MM-DD, got '27/11/2026'");
    EXPECT_EQ(r.body["diagnostics"][0]["field"], "as_of");
    EXPECT_EQ(
        r.body["diagnostics"][1]["message"],
        "unknown query parameter 'colour'; expected one of as_of, material, destination, country");
    r = get("/api/v1/policies?material=unobtainium&destination=ATLANTIS");
    EXPECT_EQ(r.status, 422);
    ASSERT_EQ(r.body["diagnostics"].size(), 2u);
    EXPECT_EQ(r.body["diagnostics"][0]["message"], "material: unknown material 'unobtainium'");
    EXPECT_EQ(r.body["diagnostics"][1]["message"],
              "destination: unknown country or bloc 'ATLANTIS'");
    EXPECT_EQ(get("/api/v1/policies/upcoming?within=soon").status, 400);
}

TEST_F(Api, MeasuresWithTheirStateOnADate) {
    auto r = get("/api/v1/measures/CN-2024-046-2?as_of=2026-01-01");
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["state"], "suspended");
    EXPECT_EQ(r.body["suspended_by"], json({"CN-2025-SUSP46"}));
    EXPECT_EQ(r.body["effective"], "2024-12-03");
    EXPECT_EQ(r.body["expires"], nullptr);
    r = get("/api/v1/measures/CN-2024-046-2?as_of=2026-11-28");
    EXPECT_EQ(r.body["state"], "in_force");
    r = get("/api/v1/measures?as_of=2026-11-27");
    EXPECT_EQ(r.body["as_of"], "2026-11-27");
    EXPECT_EQ(r.body["measures"].size(), 5u);
    EXPECT_EQ(get("/api/v1/measures/NOPE").status, 404);
}

// The documented schemas name exactly the keys the handlers write: both are generated from the
// one list of measure fields, so a field added to the model shows up in both or in neither.
TEST_F(Api, MeasureSchemasNameTheKeysTheHandlersWrite) {
    const auto doc = get("/api/v1/openapi.json");
    ASSERT_EQ(doc.status, 200);
    const auto& measure_schema = doc.body["components"]["schemas"]["Measure"]["properties"];
    const auto one = get("/api/v1/measures/CN-2024-046-2?as_of=2026-11-28");
    ASSERT_EQ(one.status, 200) << one.raw;
    std::set<std::string> written;
    std::set<std::string> documented;
    for (const auto& [key, value] : one.body.items()) {
        written.insert(key);
    }
    for (const auto& [key, value] : measure_schema.items()) {
        documented.insert(key);
    }
    EXPECT_EQ(written, documented);
    EXPECT_TRUE(written.count("verified") == 1);

    const auto rows = get("/api/v1/policies?as_of=2026-11-28");
    ASSERT_EQ(rows.status, 200) << rows.raw;
    ASSERT_FALSE(rows.body.empty());
    const auto& row_schema =
        doc.body["paths"]["/api/v1/policies"]["get"]["responses"]["200"]["content"]
                ["application/json"]["schema"]["items"]["properties"];
    written.clear();
    documented.clear();
    for (const auto& [key, value] : rows.body[0].items()) {
        written.insert(key);
    }
    for (const auto& [key, value] : row_schema.items()) {
        documented.insert(key);
    }
    EXPECT_EQ(written, documented);
}

TEST_F(Api, UnknownPathsAndMethods) {
    auto r = get("/api/v1/nothing-here");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body["diagnostics"][0]["code"], "E-NOT-FOUND");
    const auto res = live_server->client().Post("/api/v1/dataset", "{}", "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 405);
    EXPECT_EQ(res->get_header_value("Allow"), "GET");
    r = get("/not-api");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body["diagnostics"][0]["code"], "E-NOT-FOUND");
}

TEST_F(Api, RootWithoutADashboardPointsToTheApi) {
    const auto res = live_server->client().Get("/");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_THAT(res->body, HasSubstr("/api/v1/openapi.json"));
}

TEST_F(Api, OpenApiDocumentCoversTheRoutes) {
    const auto r = get("/api/v1/openapi.json");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body["openapi"], "3.0.3");
    for (const char* path :
         {"/api/v1/dataset", "/api/v1/dataset/validate", "/api/v1/shares", "/api/v1/policies",
          "/api/v1/policies/upcoming", "/api/v1/measures/{id}", "/api/v1/jobs/{id}",
          "/api/v1/openapi.json"}) {
        EXPECT_TRUE(r.body["paths"].contains(path)) << path;
    }
    EXPECT_TRUE(r.body["paths"]["/api/v1/jobs/{id}"].contains("delete"));
}

TEST_F(Api, ValidateAnUploadedDatasetAsJson) {
    json files = json::object();
    for (const auto& e : std::filesystem::directory_iterator(kData)) {
        std::ifstream in(e.path(), std::ios::binary);
        files[e.path().filename().string()] = std::string(std::istreambuf_iterator<char>(in), {});
    }
    auto res = live_server->client().Post("/api/v1/dataset/validate", json{{"files", files}}.dump(),
                                          "application/json");
    auto r = reply_of(res);
    EXPECT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["valid"], true);
    EXPECT_EQ(r.body["dataset"], "upload");

    std::string countries = files["countries.csv"];
    countries.replace(countries.find("CHN,China,Asia,6.5"), 18, "CHN,China,Asia,16.5");
    files["countries.csv"] = countries;
    files["notes.txt"] = "ignored";
    r = reply_of(live_server->client().Post("/api/v1/dataset/validate",
                                            json{{"files", files}}.dump(), "application/json"));
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.body["valid"], false);
    EXPECT_EQ(r.body["errors"][0]["message"], "wgi: expected a number in [0,10], got '16.5'");
    EXPECT_EQ(r.body["errors"][0]["file"], "upload/countries.csv");
    EXPECT_EQ(r.body["errors"][0]["line"], 3);
    EXPECT_EQ(r.body["diagnostics"], r.body["errors"]) << "the common error contract holds too";
    EXPECT_EQ(r.body["warnings"][0]["file"], "upload/notes.txt");
}

TEST_F(Api, ValidateAnUploadedDatasetAsMultipart) {
    httplib::MultipartFormDataItems items;
    for (const auto& e : std::filesystem::directory_iterator(kData)) {
        std::ifstream in(e.path(), std::ios::binary);
        const auto name = e.path().filename().string();
        if (name == "measures.csv") {
            continue;
        }
        items.push_back(
            {"file", std::string(std::istreambuf_iterator<char>(in), {}), name, "text/csv"});
    }
    const auto r = reply_of(live_server->client().Post("/api/v1/dataset/validate", items));
    EXPECT_EQ(r.status, 422) << r.raw;
    EXPECT_EQ(r.body["errors"][0]["code"], "E-FILE-MISSING");
    EXPECT_EQ(r.body["errors"][0]["file"], "upload/measures.csv");
}

TEST_F(Api, MalformedBodiesAre400Or415) {
    auto r = reply_of(
        live_server->client().Post("/api/v1/dataset/validate", "{not json", "application/json"));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["diagnostics"][0]["code"], "E-JSON");
    r = reply_of(live_server->client().Post("/api/v1/dataset/validate", R"({"files": []})",
                                            "application/json"));
    EXPECT_EQ(r.status, 400);
    r = reply_of(live_server->client().Post("/api/v1/dataset/validate", "a,b", "text/plain"));
    EXPECT_EQ(r.status, 415);
}

TEST_F(Api, MalformedRequestsGet4xxAndTheServerStaysUp) {
    EXPECT_EQ(raw_exchange(live_server->port(), "GARBAGE\r\n\r\n"), "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(raw_exchange(live_server->port(), "GET /api/v1/health HTTP/9.9\r\n\r\n"),
              "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(raw_exchange(live_server->port(), "GET /" + std::string(10000, 'a') +
                                                    " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
              "HTTP/1.1 414 URI Too Long");
    EXPECT_EQ(raw_exchange(live_server->port(),
                           "POST /api/v1/dataset/validate HTTP/1.1\r\nHost: "
                           "127.0.0.1\r\nContent-Type: application/json\r\n"
                           "Content-Length: abc\r\n\r\n{}"),
              "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(raw_exchange(live_server->port(),
                           "GET /api/v1/../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                  .substr(0, 12),
              "HTTP/1.1 404");
    EXPECT_EQ(get("/api/v1/health").status, 200);
}

TEST_F(Api, JobsOverHttpRunReportProgressAndCancel) {
    auto c = live_server->client();
    const auto created = reply_of(c.Post("/api/v1/test/spin", "", "text/plain"));
    ASSERT_EQ(created.status, 202) << created.raw;
    const std::string id = created.body["id"];
    Reply s;
    for (int i = 0; i < 2000; ++i) {
        s = get("/api/v1/jobs/" + id);
        if (s.body["state"] == "running" && s.body["progress"] == 0.25) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(s.body["state"], "running");
    EXPECT_EQ(s.body["message"], "spinning");
    EXPECT_EQ(get("/api/v1/jobs").body[0]["id"], id);
    const auto cancelled = reply_of(c.Delete("/api/v1/jobs/" + id));
    EXPECT_EQ(cancelled.status, 200);
    for (int i = 0; i < 2000 && s.body["state"] != "cancelled"; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        s = get("/api/v1/jobs/" + id);
    }
    EXPECT_EQ(s.body["state"], "cancelled");
    EXPECT_EQ(get("/api/v1/jobs/12345").status, 404);
    EXPECT_EQ(reply_of(c.Delete("/api/v1/jobs/12345")).status, 404);
}

TEST_F(Api, ConcurrentReadersAllSucceed) {
    std::atomic<int> ok{0};
    std::atomic<int> bad{0};
    std::vector<std::thread> threads;
    const std::vector<std::string> paths{"/api/v1/dataset",
                                         "/api/v1/shares?material=rare_earths&stage=separation",
                                         "/api/v1/policies?as_of=2026-11-28", "/api/v1/measures",
                                         "/api/v1/policies/upcoming?within=90d"};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            auto c = live_server->client();
            c.set_keep_alive(true);
            for (int i = 0; i < 40; ++i) {
                const auto res = c.Get(paths[static_cast<std::size_t>(t + i) % paths.size()]);
                (res && res->status == 200 ? ok : bad)++;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(ok, 320);
    EXPECT_EQ(bad, 0);
}

TEST(ApiLimits, OversizedBodiesGet413AndTheServerStaysUp) {
    LiveServer server({.max_body_bytes = 4096});
    auto c = server.client();
    const auto res = c.Post("/api/v1/dataset/validate", std::string(5000, 'x'), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 413);
    const auto j = json::parse(res->body);
    EXPECT_EQ(j["error"], "request body exceeds the limit of 4096 bytes (E-USAGE)");
    const auto health = server.client().Get("/api/v1/health");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
}

TEST(ApiStatic, ServesTheDashboardFolder) {
    const auto dir = std::filesystem::path(LODE_BINARY_DIR) / "tests/api/static_fixture";
    std::filesystem::create_directories(dir / "assets");
    std::ofstream(dir / "index.html") << "<!doctype html><title>dash</title>";
    std::ofstream(dir / "assets/app-1234.js") << "console.log(1)";
    LiveServer server({.static_dir = dir});
    auto c = server.client();
    auto res = c.Get("/");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, "<!doctype html><title>dash</title>");
    res = c.Get("/assets/app-1234.js");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
    res = c.Get("/assets/../../CMakeCache.txt");
    ASSERT_TRUE(res);
    EXPECT_NE(res->status, 200);
    res = c.Get("/api/v1/health");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << "the API still answers under /api/v1";
}

TEST(ApiStatic, ServesOnlyRegularFilesInsideTheFolder) {
    const auto base = std::filesystem::path(LODE_BINARY_DIR) / "tests/api/static_symlinks";
    std::filesystem::remove_all(base);
    const auto dir = base / "dist";
    std::filesystem::create_directories(dir / "assets");
    std::ofstream(dir / "index.html") << "<!doctype html><title>dash</title>";
    std::ofstream(base / "secret.txt") << "outside the dashboard";
    std::filesystem::create_symlink(base / "secret.txt", dir / "assets" / "leak.txt");
    std::filesystem::create_directory_symlink(base, dir / "up");
    std::ofstream(dir / "assets" / "inside.txt") << "inside";
    std::filesystem::create_symlink(dir / "assets" / "inside.txt", dir / "alias.txt");
    LiveServer server({.static_dir = dir});
    auto c = server.client();
    for (const char* path :
         {"/assets/leak.txt", "/up/secret.txt", "/up/dist/index.html/../../secret.txt"}) {
        const auto res = c.Get(path);
        ASSERT_TRUE(res) << path;
        EXPECT_EQ(res->status, 404) << path << " follows a symlink out of the folder";
        EXPECT_THAT(res->body, ::testing::Not(HasSubstr("outside the dashboard"))) << path;
    }
    const auto alias = c.Get("/alias.txt");
    ASSERT_TRUE(alias);
    EXPECT_EQ(alias->status, 200) << "a link that stays inside the folder is served";
    EXPECT_EQ(alias->body, "inside");
}

TEST(ApiLoopback, DecidedOnTheResolvedAddress) {
    EXPECT_TRUE(is_loopback("127.0.0.1"));
    EXPECT_TRUE(is_loopback("127.1.2.3"));
    EXPECT_TRUE(is_loopback("::1"));
    EXPECT_TRUE(is_loopback("[::1]"));
    EXPECT_TRUE(is_loopback("localhost"));
    // A name that merely starts with "127." is not an address (.invalid never resolves, RFC 6761).
    EXPECT_FALSE(is_loopback("127.example.invalid"));
    EXPECT_FALSE(is_loopback("0.0.0.0"));
    EXPECT_FALSE(is_loopback("10.1.2.3"));
    EXPECT_FALSE(is_loopback("::"));
}

TEST(ApiLimits, ChunkedBodiesCountTowardsTheLimit) {
    LiveServer server({.max_body_bytes = 4096});
    std::string chunked;
    for (int i = 0; i < 4; ++i) {
        chunked += "800\r\n" + std::string(2048, 'x') + "\r\n";
    }
    chunked += "0\r\n\r\n";
    EXPECT_EQ(raw_exchange(server.port(),
                           "POST /api/v1/dataset/validate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                               chunked),
              "HTTP/1.1 413 Payload Too Large");
    EXPECT_EQ(raw_exchange(server.port(),
                           "POST /api/v1/dataset/validate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Content-Type: application/json\r\n\r\n"),
              "HTTP/1.1 400 Bad Request")
        << "no Content-Length and no chunking: an empty body, answered at once";
    EXPECT_EQ(raw_exchange(server.port(),
                           "GET /api/v1/health HTTP/1.1\r\nHost: rebind.example:80\r\n\r\n"),
              "HTTP/1.1 403 Forbidden");
}

// ---- on the embedded dataset: the same JSON as the CLI's library builders -------------------

class EmbeddedApi : public ::testing::Test {
protected:
    static void SetUpTestSuite() { live_server = new LiveServer({}, {}, true); }
    static void TearDownTestSuite() {
        delete live_server;
        live_server = nullptr;
    }
    static Reply get(const std::string& path) { return reply_of(live_server->client().Get(path)); }
    static std::string read(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), {}};
    }
    static LiveServer* live_server;
};
LiveServer* EmbeddedApi::live_server = nullptr;

TEST_F(EmbeddedApi, LookthroughOfACountryIsTheCliJson) {
    const auto r = get("/api/v1/lookthrough?material=gallium&country=USA&as_of=2026-11-28");
    ASSERT_EQ(r.status, 200) << r.raw;
    const auto& w = live_server->world();
    EXPECT_EQ(r.body, report::country_lookthrough_report(w, "gallium", "USA", "",
                                                         *Date::parse("2026-11-28"), 0.001)
                          .to_json());
    EXPECT_EQ(r.body["mode"], "country");
    EXPECT_EQ(r.body["supplies"][0]["origins"][0]["countries"][0]["country"], "CHN");
}

TEST_F(EmbeddedApi, SharesInALaterYearAddTheProjectsRampedCapacity) {
    // projects.csv: four rare-earth separation projects (AUS 2537.3, CHN 7370, MYS 6476, USA
    // 6169.2 t) from 2025-01-01, a 60-month ramp (1826.25 days), probability 1; the output data are
    // of 2024. Over 2025 the mean ramp is 365 / 2 / 1826.25.
    const auto base = get("/api/v1/shares?material=rare_earths&stage=separation");
    ASSERT_EQ(base.status, 200) << base.raw;
    EXPECT_EQ(base.body["year"], 2024);
    EXPECT_EQ(base.body["data_year"], 2024);
    EXPECT_EQ(base.body["years"], (json{{"first", 2024}, {"last", 2030}}));
    EXPECT_EQ(base.body["project_tonnes"], 0.0);
    EXPECT_EQ(get("/api/v1/shares?material=rare_earths&stage=separation&year=2024").body,
              base.body);

    const auto later = get("/api/v1/shares?material=rare_earths&stage=separation&year=2025");
    ASSERT_EQ(later.status, 200) << later.raw;
    EXPECT_EQ(later.body["year"], 2025);
    EXPECT_EQ(later.body["data_year"], 2024);
    const double f = 365.0 / 2.0 / 1826.25;
    EXPECT_NEAR(later.body["project_tonnes"].get<double>(), (2537.3 + 7370 + 6476 + 6169.2) * f,
                1e-6);
    EXPECT_NEAR(later.body["world_tonnes"].get<double>() - base.body["world_tonnes"].get<double>(),
                (2537.3 + 7370 + 6476 + 6169.2) * f, 1e-6);
    auto tonnes_of = [](const json& doc, const std::string& country) {
        for (const auto& row : doc["shares"]) {
            if (row["country"] == country) {
                return std::pair{row["tonnes"].get<double>(), row["project_tonnes"].get<double>()};
            }
        }
        return std::pair{-1.0, -1.0};
    };
    EXPECT_NEAR(tonnes_of(later.body, "CHN").first - tonnes_of(base.body, "CHN").first, 7370 * f,
                1e-6);
    EXPECT_NEAR(tonnes_of(later.body, "CHN").second, 7370 * f, 1e-6);
    double sum = 0.0;
    for (const auto& row : later.body["shares"]) {
        sum += row["share"].get<double>();
    }
    EXPECT_NEAR(sum, 1.0, 1e-12);

    auto bad = get("/api/v1/shares?material=rare_earths&stage=separation&year=2031");
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.body["diagnostics"][0]["code"], "E-RANGE");
    EXPECT_EQ(bad.body["diagnostics"][0]["field"], "year");
    EXPECT_EQ(bad.body["error"],
              "year: 2031 is outside the years of rare_earths/separation (2024-2030: production "
              "data of 2024, "
              "projects to 2030) (E-RANGE)");
    EXPECT_EQ(get("/api/v1/shares?material=rare_earths&stage=separation&year=2023").status, 422);
    EXPECT_EQ(get("/api/v1/shares?material=rare_earths&stage=separation&year=twenty").status, 400);
}

TEST_F(EmbeddedApi, LookthroughErrors) {
    auto r = get("/api/v1/lookthrough?material=gallium");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["error"], "country: required query parameter is missing (E-USAGE)");
    r = get("/api/v1/lookthrough?material=gallium&country=USA&stage=mine");
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.body["diagnostics"][0]["code"], "E-UNKNOWN-STAGE");
    r = get("/api/v1/lookthrough?material=gallium&country=USA&min_share=2");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["diagnostics"][0]["message"],
              "min_share: expected a number in [0,1], got '2'");
}

TEST_F(EmbeddedApi, LookthroughOfAnUploadedBomIsTheCliJson) {
    const std::string path = std::string(LODE_SOURCE_DIR) + "/data/examples/gan_radar_module.csv";
    const auto csv = read(path);
    const auto r = reply_of(
        live_server->client().Post("/api/v1/lookthrough?as_of=2026-11-28", csv, "text/csv"));
    ASSERT_EQ(r.status, 200) << r.raw;
    const auto& w = live_server->world();
    const auto bom = io::parse_bom(csv, "bom.csv", "", "", w);
    auto expected =
        report::bom_lookthrough_report(w, bom, "bom.csv", *Date::parse("2026-11-28"), "", 0.001)
            .to_json();
    if (!bom.warnings.empty()) {
        expected["warnings"] = report::diagnostics_json(bom.warnings);
    }
    EXPECT_EQ(r.body, expected);
    EXPECT_EQ(r.body["mode"], "bom");
    EXPECT_GE(r.body["products"].size(), 1u);
}

TEST_F(EmbeddedApi, LookthroughOfABomWithProductsAsMultipart) {
    const std::string dir = std::string(LODE_SOURCE_DIR) + "/data/examples/";
    httplib::MultipartFormDataItems items{
        {"bom", read(dir + "li_ion_pack.csv"), "li_ion_pack.csv", "text/csv"},
        {"products", read(dir + "li_ion_pack_products.csv"), "li_ion_pack_products.csv",
         "text/csv"}};
    const auto r = reply_of(live_server->client().Post("/api/v1/lookthrough", items));
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["bom"], "li_ion_pack.csv");
    EXPECT_FALSE(r.body["products"][0]["tonnes_per_year"].is_null())
        << "units_per_year came from the products part";
}

TEST_F(EmbeddedApi, ABadBomIs422WithEveryLine) {
    const std::string csv =
        "product,part,material,stage,kg_per_unit,supplier,supplier_country,tier\n"
        "radar,chip,unobtainium,refined,0.1,Acme,USA,1\n"
        "radar,wafer,gallium,refined,-2,Acme,USA,1\n";
    const auto r = reply_of(live_server->client().Post("/api/v1/lookthrough", csv, "text/csv"));
    EXPECT_EQ(r.status, 422);
    ASSERT_GE(r.body["diagnostics"].size(), 2u);
    EXPECT_EQ(r.body["diagnostics"][0]["file"], "bom.csv");
    EXPECT_EQ(r.body["diagnostics"][0]["line"], 2);
    EXPECT_EQ(r.body["diagnostics"][0]["code"], "E-UNKNOWN-MATERIAL");
    EXPECT_EQ(r.body["diagnostics"][1]["line"], 3);
    const auto form = reply_of(live_server->client().Post(
        "/api/v1/lookthrough",
        httplib::MultipartFormDataItems{{"file", csv, "bom.csv", "text/csv"}}));
    EXPECT_EQ(form.status, 400);
    EXPECT_EQ(form.body["error"],
              "unknown form field 'file'; expected 'bom' and optionally 'products' (E-USAGE)");
    EXPECT_EQ(reply_of(live_server->client().Post("/api/v1/lookthrough?buyer=XXX", csv, "text/csv"))
                  .status,
              422);
}

TEST_F(EmbeddedApi, AssessIsTheCliJson) {
    const auto r =
        get("/api/v1/"
            "assess?as_of=2026-11-28&perspective=USA&material=gallium,germanium&ev=gallium=0.5");
    ASSERT_EQ(r.status, 200) << r.raw;
    const auto& w = live_server->world();
    report::AssessQuery q;
    q.as_of = *Date::parse("2026-11-28");
    q.perspective = "USA";
    q.materials = {"gallium", "germanium"};
    q.ev = {{"gallium", 0.5}};
    EXPECT_EQ(r.body, report::assess_views(w, w.methods, q).json);
    EXPECT_EQ(r.body["rows"].size(), 2u);
    EXPECT_EQ(r.body["perspective"], "USA");
    const auto by_stage = get("/api/v1/assess?material=rare_earths&by_stage=true&method=hhi");
    ASSERT_EQ(by_stage.status, 200) << by_stage.raw;
    EXPECT_EQ(by_stage.body["by_stage"], true);
    EXPECT_EQ(by_stage.body["ranked_by"], "hhi");
}

TEST_F(EmbeddedApi, AssessErrors) {
    auto r = get("/api/v1/assess?method=vibes&ev=gallium&by_stage=perhaps");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["diagnostics"].size(), 2u) << "method and by_stage checked before the handler";
    r = get("/api/v1/assess?ev=gallium");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["diagnostics"][0]["message"], "ev: expected MATERIAL=NUMBER, got 'gallium'");
    // The CLI's --ev reader: range, duplicates and unknown materials alike.
    r = get("/api/v1/assess?ev=gallium=1e308&ev=Gallium=0.2&ev=gallium=0.3");
    EXPECT_EQ(r.status, 400);
    ASSERT_EQ(r.body["diagnostics"].size(), 2u) << r.raw;
    EXPECT_EQ(r.body["diagnostics"][0]["message"],
              "ev: expected a number in [0, 1] for gallium, got 'gallium=1e308'");
    EXPECT_EQ(r.body["diagnostics"][1]["message"],
              "ev: gallium given twice ('Gallium=0.2' and 'gallium=0.3')");
    r = get("/api/v1/assess?ev=galium=0.5");
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.body["diagnostics"][0]["code"], "E-UNKNOWN-MATERIAL");
    EXPECT_THAT(r.raw, ::testing::HasSubstr("did you mean gallium?"));
    r = get("/api/v1/assess?perspective=ATLANTIS");
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.body["diagnostics"][0]["code"], "E-UNKNOWN-PERSPECTIVE");
    r = get("/api/v1/assess?material=unobtainium");
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.body["diagnostics"][0]["code"], "E-UNKNOWN-MATERIAL");
}

// Every query default the OpenAPI document states is the one the handler applies: a GET that
// omits the parameter answers exactly as one that gives the documented default. The base queries
// fill the required parameters; brief runs no scenario (its run counts are then moot, and 200 runs
// under the sanitizers would be slow), so its scenario_runs and sensitivity_runs are left out.
TEST_F(EmbeddedApi, DocumentedQueryDefaultsAreTheHandlersDefaults) {
    const auto doc = get("/api/v1/openapi.json");
    ASSERT_EQ(doc.status, 200);
    const std::map<std::string, std::string> base{
        {"/api/v1/leverage", "target=USA"},
        {"/api/v1/lookthrough", "material=gallium&country=USA"},
        {"/api/v1/brief", "scenario_runs=0"},
        {"/api/v1/brief.html", "scenario_runs=0"},
        {"/api/v1/shares", "material=gallium&stage=refined"}};
    std::size_t compared = 0;
    for (const auto& [path, ops] : doc.body["paths"].items()) {
        if (!ops.contains("get") || path.find('{') != std::string::npos) {
            continue;
        }
        const auto params = ops["get"].value("parameters", json::array());
        const bool dated = std::any_of(params.begin(), params.end(),
                                       [](const json& q) { return q["name"] == "as_of"; });
        const auto it = base.find(path);
        std::string query = dated ? "as_of=2026-11-28" : "";
        if (it != base.end()) {
            query += (query.empty() ? "" : "&") + it->second;
        }
        for (const auto& param : params) {
            const auto& schema = param["schema"];
            if (!schema.contains("default") ||
                query.find(param["name"].get<std::string>() + "=") != std::string::npos) {
                continue;
            }
            const auto& d = schema["default"];
            const std::string shown = d.is_string() ? d.get<std::string>() : d.dump();
            SCOPED_TRACE(path + "?" + query + " with and without " +
                         param["name"].get<std::string>() + "=" + shown);
            const auto implicit = get(path + "?" + query);
            const auto given = get(path + "?" + query + (query.empty() ? "" : "&") +
                                   param["name"].get<std::string>() + "=" + shown);
            ASSERT_EQ(given.status, implicit.status) << given.raw.substr(0, 500);
            EXPECT_EQ(given.raw, implicit.raw);
            ++compared;
        }
    }
    EXPECT_GE(compared, 8u) << "assess (3), leverage top, lookthrough min_share, brief (2), "
                               "upcoming within, events origin";
}

// A huge finite number (1e308) in a query or body is a 400 that names the parameter and its range.
TEST_F(EmbeddedApi, HugeNumbersAreRefusedWithTheirRange) {
    auto r = get("/api/v1/lookthrough?material=gallium&country=USA&min_share=1e308");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["diagnostics"][0]["message"],
              "min_share: expected a number in [0,1], got '1e308'");
    r = get("/api/v1/leverage?target=USA&top=1e308");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body["diagnostics"][0]["message"],
              "top: expected an integer in [1,1000], got '1e308'");
    auto c = live_server->client();
    r = reply_of(
        c.Post("/api/v1/simulate?scenario=cn_gagesb_us_ban_lapse&runs=1e308", "", "text/plain"));
    EXPECT_EQ(r.status, 400) << r.raw;
    EXPECT_THAT(r.raw,
                ::testing::HasSubstr("runs: expected an integer in [1,100000], got '1e308'"));
    r = reply_of(
        c.Post("/api/v1/stockpile",
               R"({"holder": "USA", "budget_usd": 1e308, "scenarios": ["cn_gagesb_us_ban_lapse"]})",
               "application/json"));
    EXPECT_EQ(r.status, 400) << r.raw;
    EXPECT_THAT(r.raw, ::testing::HasSubstr("budget_usd: expected a number in"));
}

TEST_F(EmbeddedApi, LeverageIsTheCliJson) {
    const auto& w = live_server->world();
    const Date d = *Date::parse("2026-11-28");
    auto r = get("/api/v1/leverage?supplier=CHN&target=USA&as_of=2026-11-28");
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body, report::leverage_pair_views(w, "CHN", "USA", d, {}).json);
    r = get("/api/v1/leverage?target=USA&top=3&as_of=2026-11-28");
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body, report::leverage_ranking_views(w, "USA", d, {}, 3).json);
    EXPECT_EQ(r.body.size(), 3u);
    r = get("/api/v1/leverage?supplier=CHN&target=USA&top=3");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(get("/api/v1/leverage?supplier=CHN").status, 400) << "target is required";
}

TEST_F(EmbeddedApi, CuratedScenariosAreListed) {
    const auto r = get("/api/v1/scenarios");
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_GE(r.body.size(), 5u);
    std::vector<std::string> ids;
    for (const auto& s : r.body) {
        EXPECT_FALSE(s.contains("error")) << s.dump();
        ids.push_back(s["id"]);
    }
    EXPECT_THAT(ids, ::testing::Contains("cn_gagesb_us_ban_lapse"));
    const auto one = get("/api/v1/scenarios/cn_gagesb_us_ban_lapse");
    EXPECT_EQ(one.body["start"], "2026-11-02");
    EXPECT_THAT(one.body["toml"].get<std::string>(), HasSubstr("[scenario]"));
    EXPECT_EQ(get("/api/v1/scenarios/nope").status, 404);
}

namespace {
Reply wait_for_job(LiveServer& server, const std::string& id, int seconds) {
    Reply s;
    for (int i = 0; i < seconds * 20; ++i) {
        s = reply_of(server.client().Get("/api/v1/jobs/" + id));
        const auto state = s.body.value("state", "");
        if (state == "succeeded" || state == "failed" || state == "cancelled") {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return s;
}
}  // namespace

TEST_F(EmbeddedApi, SimulateACuratedScenarioAsAJob) {
    auto c = live_server->client();
    const auto created = reply_of(c.Post(
        "/api/v1/simulate?scenario=cn_gagesb_us_ban_lapse&runs=4&seed=7&horizon=20&threads=1", "",
        "text/plain"));
    ASSERT_EQ(created.status, 202) << created.raw;
    EXPECT_EQ(created.body["kind"], "simulate");
    EXPECT_EQ(created.body["params"]["runs"], 4);
    const std::string id = created.body["id"];
    const auto done = wait_for_job(*live_server, id, 300);
    ASSERT_EQ(done.body["state"], "succeeded") << done.raw.substr(0, 2000);
    EXPECT_EQ(done.body["progress"], 1.0);
    const auto& result = done.body["result"];
    // The same numbers as the library (and so as `lodestone simulate --format json`).
    const auto& w = live_server->world();
    const auto path = std::string(LODE_SOURCE_DIR) + "/data/scenarios/cn_gagesb_us_ban_lapse.toml";
    const auto spec = io::read_scenario_file(path, w);
    const auto simulation = sim::compile_simulation(w, spec, 20);
    sim::MonteCarloOptions opt;
    opt.runs = 4;
    opt.seed = 7;
    opt.threads = 2;
    const auto mc = sim::run_monte_carlo(simulation, opt);
    EXPECT_EQ(result["summary"], sim::summary_json(simulation, mc));
    EXPECT_EQ(result["series"], sim::series_json(simulation, mc));
    EXPECT_EQ(result["run"]["seed"], 7);
}

// The stockpile job's result is `lodestone stockpile --format json`: the library's document.
TEST_F(EmbeddedApi, StockpileAsAJobIsTheCliJson) {
    auto c = live_server->client();
    const auto created = reply_of(c.Post(
        "/api/v1/stockpile",
        R"({"holder": "USA", "budget_usd": 2e8, "scenarios": ["cn_gagesb_us_ban_lapse"], "runs": 3})",
        "application/json"));
    ASSERT_EQ(created.status, 202) << created.raw;
    EXPECT_EQ(created.body["kind"], "stockpile");
    const auto done = wait_for_job(*live_server, created.body["id"], 300);
    ASSERT_EQ(done.body["state"], "succeeded") << done.raw.substr(0, 2000);
    EXPECT_EQ(done.body["params"]["holder"], "USA");
    const auto& w = live_server->world();
    optimize::StockpileRequest req;
    req.holder = "USA";
    req.budget_usd = 2e8;
    req.scenarios = {io::read_scenario_file(
        std::string(LODE_SOURCE_DIR) + "/data/scenarios/cn_gagesb_us_ban_lapse.toml", w)};
    req.runs = 3;
    const auto r = optimize::plan_stockpile(w, req, *optimize::make_clp_solver());
    const auto want = report::stockpile_views(r, "USA").json;
    EXPECT_EQ(done.body["result"]["plan"], want["plan"]);
    EXPECT_EQ(done.body["result"]["materials"], want["materials"]);
}

TEST_F(EmbeddedApi, DecisionBodiesAreCheckedAtOnce) {
    auto c = live_server->client();
    auto bad =
        reply_of(c.Post("/api/v1/stockpile", R"({"holder": 3, "scenarios": [], "colour": "red"})",
                        "application/json"));
    EXPECT_EQ(bad.status, 400) << bad.raw;
    EXPECT_THAT(bad.raw, ::testing::HasSubstr("colour: unknown key"));
    EXPECT_THAT(bad.raw, ::testing::HasSubstr("holder: expected a string"));
    EXPECT_THAT(bad.raw, ::testing::HasSubstr("budget_usd: required"));
    bad = reply_of(
        c.Post("/api/v1/stockpile",
               R"({"holder": "USA", "budget_usd": 1, "scenarios": ["cn_gagesb_us_ban_lapse"],
                              "value_of_lost_supply": {"gallium": 1e308}})",
               "application/json"));
    EXPECT_EQ(bad.status, 400) << bad.raw;
    EXPECT_EQ(
        bad.body["diagnostics"][0]["message"],
        "value_of_lost_supply: expected a number in [0, 1e+12] for gallium, got 'gallium=1e+308'");
    bad = reply_of(c.Post("/api/v1/portfolio",
                          R"({"holdings": "holding,weight\nA,1\n", "scenarios": ["nope"]})",
                          "application/json"));
    EXPECT_EQ(bad.status, 422) << bad.raw;
    EXPECT_THAT(bad.raw, ::testing::HasSubstr("give either sector or cost_shares"));
    bad = reply_of(c.Post("/api/v1/exposure",
                          R"({"bom": "product\n", "scenario": "cn_magnet_ban_us_eu"})",
                          "application/json"));
    EXPECT_EQ(bad.status, 422) << bad.raw;
    EXPECT_EQ(bad.body["diagnostics"][0]["file"], "bom.csv");
    // An upload's own name (never a folder of this server) locates its problems.
    bad = reply_of(c.Post("/api/v1/exposure",
                          json{{"bom", "product\n"},
                               {"filename", "../secret/my_line.csv"},
                               {"scenario", "cn_magnet_ban_us_eu"}}
                              .dump(),
                          "application/json"));
    EXPECT_EQ(bad.status, 422) << bad.raw;
    EXPECT_EQ(bad.body["diagnostics"][0]["file"], "my_line.csv");
    bad = reply_of(c.Post("/api/v1/portfolio",
                          json{{"holdings", "holding,weight\nA,1\n"},
                               {"filename", "fund.csv"},
                               {"scenarios", {"cn_magnet_ban_us_eu"}}}
                              .dump(),
                          "application/json"));
    EXPECT_EQ(bad.status, 422) << bad.raw;
    EXPECT_EQ(bad.body["diagnostics"][0]["file"], "fund.csv");
}

TEST_F(EmbeddedApi, SimulateAnUploadedScenarioAndItsErrors) {
    auto c = live_server->client();
    const std::string path =
        std::string(LODE_SOURCE_DIR) + "/data/scenarios/us_dla_tungsten_purchase.toml";
    auto created =
        reply_of(c.Post("/api/v1/simulate?runs=2&horizon=8", read(path), "application/toml"));
    ASSERT_EQ(created.status, 202) << created.raw;
    EXPECT_EQ(created.body["params"]["scenario"], "upload");
    EXPECT_EQ(wait_for_job(*live_server, created.body["id"], 300).body["state"], "succeeded");

    const auto bad =
        reply_of(c.Post("/api/v1/simulate", "[scenario]\nname = 3\n", "application/toml"));
    EXPECT_EQ(bad.status, 422) << bad.raw;
    EXPECT_EQ(bad.body["diagnostics"][0]["file"], "scenario.toml");
    const auto named =
        reply_of(c.Post("/api/v1/simulate",
                        json{{"toml", "[scenario]\nname = 3\n"}, {"filename", "mine.toml"}}.dump(),
                        "application/json"));
    EXPECT_EQ(named.status, 422) << named.raw;
    EXPECT_EQ(named.body["diagnostics"][0]["file"], "mine.toml");
    EXPECT_EQ(
        reply_of(c.Post("/api/v1/simulate?scenario=cn_gagesb_us_ban_lapse", "x", "text/plain"))
            .status,
        400)
        << "scenario and body together";
    EXPECT_EQ(reply_of(c.Post("/api/v1/simulate", "", "text/plain")).status, 400) << "neither";
    EXPECT_EQ(reply_of(c.Post("/api/v1/simulate?scenario=nope", "", "text/plain")).status, 404);
    EXPECT_EQ(reply_of(c.Post("/api/v1/simulate?scenario=cn_gagesb_us_ban_lapse&runs=0", "",
                              "text/plain"))
                  .status,
              400);
    // The dashboard's JSON form.
    auto json_form = reply_of(c.Post(
        "/api/v1/simulate?runs=2",
        json{{"scenario", "cn_gagesb_us_ban_lapse"}, {"runs", 3}, {"seed", -1}, {"x", 1}}.dump(),
        "application/json"));
    EXPECT_EQ(json_form.status, 400);
    std::vector<std::string> messages;
    for (const auto& d : json_form.body["diagnostics"]) {
        messages.push_back(d["message"]);
    }
    EXPECT_THAT(
        messages,
        ::testing::ElementsAre(
            "x: unknown key; expected scenario, toml, filename, runs, seed, horizon, threads, "
            "sensitivity, trajectories",
            "runs: given both as a query parameter and in the body",
            "seed: expected an integer in [0,9007199254740991], got -1"));
    json_form =
        reply_of(c.Post("/api/v1/simulate",
                        json{{"toml", read(path)}, {"runs", 2}, {"seed", 5}, {"horizon", 6}}.dump(),
                        "application/json"));
    ASSERT_EQ(json_form.status, 202) << json_form.raw;
    EXPECT_EQ(json_form.body["params"]["seed"], 5);
    EXPECT_EQ(wait_for_job(*live_server, json_form.body["id"], 300).body["state"], "succeeded");
}

TEST_F(EmbeddedApi, CancelALongSimulation) {
    auto c = live_server->client();
    const auto created = reply_of(
        // 9,000 runs x 104 weeks x 106 series: just under a job's limit of 1e8 values, and long
        // enough.
        c.Post("/api/v1/simulate?scenario=cn_magnet_ban_us_eu&runs=9000&threads=1", "",
               "text/plain"));
    ASSERT_EQ(created.status, 202) << created.raw;
    const std::string id = created.body["id"];
    for (int i = 0; i < 6000; ++i) {  // until it runs
        if (get("/api/v1/jobs/" + id).body["state"] == "running") {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(reply_of(c.Delete("/api/v1/jobs/" + id)).status, 200);
    const auto done = wait_for_job(*live_server, id, 300);
    EXPECT_EQ(done.body["state"], "cancelled");
    EXPECT_FALSE(done.body.contains("result"));
}

// ---- the workspace: events, watch rules, alerts (serve --workspace PATH) ------------------------

namespace {

class WorkspaceApi : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::path(testing::TempDir()) /
               ("lode_ws_api_" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        server_ = std::make_unique<LiveServer>(ServerOptions{}, AccessPolicy{.token = "sesame"},
                                               true, dir_ / "ws.sqlite");
    }
    void TearDown() override {
        server_.reset();
        std::filesystem::remove_all(dir_);
    }
    Reply get(const std::string& path) const { return reply_of(server_->client().Get(path)); }
    Reply post(const std::string& path,
               const std::string& body,
               const std::string& type,
               bool with_token = true) const {
        auto c = server_->client();
        httplib::Headers h;
        if (with_token) {
            h.emplace("Authorization", "Bearer sesame");
        }
        return reply_of(c.Post(path, h, body, type));
    }
    static std::string fixture(const std::string& name) {
        std::ifstream in(std::string(LODE_SOURCE_DIR) + "/tests/cli/data/" + name,
                         std::ios::binary);
        return {std::istreambuf_iterator<char>(in), {}};
    }
    /// The values of one column of a table document {"<title>": [rows]} or {rows}.
    static std::vector<std::string> column(const json& doc, const std::string& key) {
        std::vector<std::string> out;
        const json* rows = &doc;
        if (doc.is_object()) {
            for (const auto& [k, v] : doc.items()) {
                if (v.is_array()) {
                    rows = &v;
                }
            }
        }
        for (const auto& r : *rows) {
            if (r.contains(key) && r[key].is_string()) {
                out.push_back(r[key].get<std::string>());
            }
        }
        return out;
    }
    std::filesystem::path dir_;
    std::unique_ptr<LiveServer> server_;
};

}  // namespace

TEST_F(WorkspaceApi, EventsAreStoredOnceRevisedAndSeenByPolicies) {
    const auto events = fixture("events_a.csv");
    EXPECT_EQ(post("/api/v1/events?file=events_a.csv", events, "text/csv", false).status, 401);

    const auto first = post("/api/v1/events?file=events_a.csv", events, "text/csv");
    ASSERT_EQ(first.status, 200) << first.raw;
    EXPECT_EQ(first.body["new"], 2);
    const auto again = post("/api/v1/events?file=events_a.csv", events, "text/csv");
    EXPECT_EQ(again.body["unchanged"], 2) << again.raw;
    EXPECT_EQ(again.body["new"], 0);

    const auto listed = get("/api/v1/events?origin=workspace&as_of=2026-12-20");
    ASSERT_EQ(listed.status, 200) << listed.raw;
    EXPECT_THAT(column(listed.body, "id"),
                testing::UnorderedElementsAre("WS-GA-QUOTA", "WS-SB-TAX"));

    const auto history = get("/api/v1/events/WS-GA-QUOTA/history");
    ASSERT_EQ(history.status, 200) << history.raw;
    EXPECT_EQ(column(history.body, "origin"), std::vector<std::string>{"workspace"});
    EXPECT_EQ(get("/api/v1/events/NOPE/history").status, 404);

    // The policy endpoints read the dataset plus the workspace, as `lodestone policies` does.
    const auto in_force = get("/api/v1/policies?as_of=2026-12-20&material=gallium");
    ASSERT_EQ(in_force.status, 200) << in_force.raw;
    EXPECT_THAT(in_force.raw, HasSubstr("WS-GA-QUOTA"));
    EXPECT_THAT(get("/api/v1/policies?as_of=2026-12-01&material=gallium").raw,
                testing::Not(HasSubstr("WS-GA-QUOTA")));

    // An extension of the suspension, as JSON lines: the ban on the USA no longer binds again on
    // 2026-11-28.
    const auto before = get("/api/v1/policies/upcoming?as_of=2026-11-27&within=30d");
    EXPECT_THAT(before.raw, HasSubstr("CN-2024-046-2"));
    const auto ext = post("/api/v1/events", fixture("extension.jsonl"), "application/json");
    ASSERT_EQ(ext.status, 200) << ext.raw;
    EXPECT_EQ(ext.body["format"], "jsonl");
    const auto after = get("/api/v1/policies/upcoming?as_of=2026-11-27&within=30d");
    ASSERT_EQ(after.status, 200) << after.raw;
    for (const auto& row : after.body) {
        EXPECT_FALSE(row["id"] == "CN-2024-046-2" && row["change"] == "resumed") << row.dump();
    }
}

TEST_F(WorkspaceApi, ABadEventFileIsRefusedWholeWithEveryLine) {
    const auto r =
        post("/api/v1/events?file=events_bad.csv", fixture("events_bad.csv"), "text/csv");
    ASSERT_EQ(r.status, 422) << r.raw;
    std::vector<int> lines;
    for (const auto& d : r.body["diagnostics"]) {
        EXPECT_EQ(d["file"], "events_bad.csv");
        lines.push_back(d["line"].get<int>());
    }
    EXPECT_EQ(lines, (std::vector<int>{2, 3}));
    EXPECT_THAT(r.raw, HasSubstr("unknown material 'unobtainium'"));
    EXPECT_THAT(r.raw, HasSubstr("expected a date YYYY-MM-DD, got '2026-12-32'"));
    // Nothing of it was stored, not even the good line.
    EXPECT_TRUE(column(get("/api/v1/events?origin=workspace").body, "id").empty());
}

TEST_F(WorkspaceApi, WatchRulesRaiseEachAlertOnce) {
    const json rule{{"name", "ga-us"},
                    {"materials", {"gallium", "germanium"}},
                    {"destination", "USA"},
                    {"min_severity", "low"}};
    EXPECT_EQ(post("/api/v1/watch/rules", rule.dump(), "application/json", false).status, 401);
    const auto added = post("/api/v1/watch/rules", rule.dump(), "application/json");
    ASSERT_EQ(added.status, 201) << added.raw;
    EXPECT_EQ(column(added.body, "name"), std::vector<std::string>{"ga-us"});
    EXPECT_EQ(post("/api/v1/watch/rules", rule.dump(), "application/json").status,
              422);  // duplicate name

    const auto run = post("/api/v1/watch/run?as_of=2026-11-27", "", "application/json");
    ASSERT_EQ(run.status, 200) << run.raw;
    EXPECT_GT(run.body["new"].get<int>(), 0);
    EXPECT_THAT(run.raw, HasSubstr("CN-2024-046-2"));  // binds again on 2026-11-28
    const auto rerun = post("/api/v1/watch/run?as_of=2026-11-27", "", "application/json");
    EXPECT_EQ(rerun.body["new"], 0) << rerun.raw;
    EXPECT_EQ(rerun.body["already_raised"], run.body["new"]);

    const auto alerts = get("/api/v1/watch/alerts?rule=ga-us");
    ASSERT_EQ(alerts.status, 200);
    EXPECT_EQ(column(alerts.body, "rule").size(), run.body["new"].get<std::size_t>());
    EXPECT_EQ(get("/api/v1/watch/alerts?rule=nope").status, 404);

    auto c = server_->client();
    EXPECT_EQ(reply_of(c.Delete("/api/v1/watch/rules/ga-us", {{"Authorization", "Bearer sesame"}}))
                  .status,
              200);
    EXPECT_EQ(reply_of(c.Delete("/api/v1/watch/rules/ga-us", {{"Authorization", "Bearer sesame"}}))
                  .status,
              404);
    EXPECT_TRUE(column(get("/api/v1/watch/rules").body, "name").empty());
}

TEST_F(WorkspaceApi, ABadRuleGetsEveryProblemAtOnce) {
    const json rule{{"name", ""}, {"materials", {"unobtainium"}}, {"destination", "XYZ"}};
    const auto r = post("/api/v1/watch/rules", rule.dump(), "application/json");
    ASSERT_EQ(r.status, 400) << r.raw;  // a usage error among them makes it a 400
    EXPECT_THAT(r.raw, HasSubstr("name: a rule needs a name"));
    EXPECT_THAT(r.raw, HasSubstr("destination: unknown country 'XYZ'"));
    EXPECT_THAT(r.raw, HasSubstr("materials: unknown material 'unobtainium'"));
    const auto unknown_key =
        post("/api/v1/watch/rules", R"({"name":"x","materials":["gallium"],"colour":1})",
             "application/json");
    EXPECT_EQ(unknown_key.status, 400);
    EXPECT_THAT(unknown_key.raw, HasSubstr("colour: unknown key"));
}

TEST_F(WorkspaceApi, BriefHeadlinesTheMostRelevantScenario) {
    const auto r = get("/api/v1/brief?as_of=2026-11-27&perspective=USA&scenario_runs=0");
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.body["scenario"]["candidates"][0]["id"], "cn_gagesb_us_ban_lapse");
    EXPECT_EQ(get("/api/v1/brief?scenario=nope&scenario_runs=0").status, 400);
}
