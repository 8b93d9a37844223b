// The routing table without sockets: matching, parameter validation (every problem at once),
// access control, error mapping; and the job manager.
#include "lodestone/server/router.hpp"

#include <atomic>
#include <chrono>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lodestone/server/jobs.hpp"
#include "lodestone/server/openapi.hpp"

using namespace lodestone;
using namespace lodestone::server;
using ::testing::HasSubstr;

namespace {

Request get(std::string path, std::vector<std::pair<std::string, std::string>> query = {}) {
    Request r;
    r.method = "GET";
    r.path = std::move(path);
    r.query = std::move(query);
    return r;
}

nlohmann::json body(const Response& r) {
    return nlohmann::json::parse(r.body);
}

Router demo_router(AccessPolicy policy = {}) {
    Router router(std::move(policy));
    router.add({.method = "GET",
                .path = "/api/v1/things",
                .summary = "things",
                .query = {{.name = "as_of", .type = ParamType::Date},
                          {.name = "n", .type = ParamType::Integer, .min = 1, .max = 10},
                          {.name = "x", .type = ParamType::Number, .min = 0, .max = 1},
                          {.name = "within", .type = ParamType::Duration},
                          {.name = "mode", .type = ParamType::Enum, .choices = {"a", "b"}},
                          {.name = "flag", .type = ParamType::Boolean},
                          {.name = "ids", .repeated = true},
                          {.name = "need", .required = true}}},
               [](const Params& p) {
                   return Response::json(
                       {{"as_of", p.date_or("as_of", Date::from_ymd(2026, 1, 2)).to_string()},
                        {"n", p.integer("n").value_or(0)},
                        {"ids", p.list("ids")},
                        {"within", p.duration_days("within").value_or(-1)}});
               });
    router.add({.method = "GET", .path = "/api/v1/things/{id}", .summary = "one thing"},
               [](const Params& p) {
                   return Response::json({{"id", p.path("id")}});
               });
    router.add(
        {.method = "GET", .path = "/api/v1/things/special", .summary = "literal beats capture"},
        [](const Params&) {
            return Response::json({{"special", true}});
        });
    router.add({.method = "POST",
                .path = "/api/v1/things",
                .summary = "add a thing",
                .access = Access::Write,
                .body = {.content_types = {"text/csv"}}},
               [](const Params& p) {
                   return Response::json({{"bytes", p.request().body.size()}}, 201);
               });
    router.add({.method = "GET", .path = "/api/v1/boom", .summary = "fails"},
               [](const Params&) -> Response { throw std::runtime_error("kaput"); });
    router.add({.method = "GET", .path = "/api/v1/bad-data", .summary = "invalid data"},
               [](const Params&) -> Response {
                   throw InputError({{Severity::Error, ErrorCode::UnknownMaterial, "bom.csv", 3, 9,
                                      "material", "material: unknown material 'unobtainium'"}});
               });
    return router;
}

}  // namespace

TEST(Router, MatchesPathsAndCaptures) {
    const auto router = demo_router();
    const auto r = router.handle(get("/api/v1/things/abc"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(body(r)["id"], "abc");
    EXPECT_EQ(body(router.handle(get("/api/v1/things/special")))["special"], true);
    EXPECT_EQ(router.handle(get("/api/v1/things/abc/")).status, 200)
        << "a trailing slash is the same path";
}

TEST(Router, UnknownPathIs404WithTheCliDiagnosticShape) {
    const auto r = demo_router().handle(get("/api/v1/nothing"));
    EXPECT_EQ(r.status, 404);
    const auto j = body(r);
    EXPECT_EQ(j["error"],
              "no endpoint GET /api/v1/nothing; the API is described at /api/v1/openapi.json "
              "(E-NOT-FOUND)");
    ASSERT_EQ(j["diagnostics"].size(), 1u);
    const auto& d = j["diagnostics"][0];
    EXPECT_EQ(d["code"], "E-NOT-FOUND");
    EXPECT_EQ(d["severity"], "error");
    for (const char* key : {"file", "line", "column", "field", "message"}) {
        EXPECT_TRUE(d.contains(key)) << key;
    }
}

TEST(Router, WrongMethodIs405WithAllow) {
    Request r = get("/api/v1/things/abc");
    r.method = "DELETE";
    const auto res = demo_router().handle(r);
    EXPECT_EQ(res.status, 405);
    EXPECT_THAT(res.headers,
                ::testing::Contains(std::pair<std::string, std::string>{"Allow", "GET"}));
}

TEST(Router, ValidParametersReachTheHandler) {
    const auto r = demo_router().handle(get("/api/v1/things", {{"need", "x"},
                                                               {"as_of", "2026-11-28"},
                                                               {"n", "3"},
                                                               {"ids", "a,b"},
                                                               {"ids", "c"},
                                                               {"within", "6w"}}));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto j = body(r);
    EXPECT_EQ(j["as_of"], "2026-11-28");
    EXPECT_EQ(j["n"], 3);
    EXPECT_EQ(j["ids"], nlohmann::json({"a", "b", "c"}));
    EXPECT_EQ(j["within"], 42);
    EXPECT_EQ(body(demo_router().handle(get("/api/v1/things", {{"need", "x"}})))["as_of"],
              "2026-01-02")
        << "absent as_of falls back to the given date";
}

TEST(Router, EveryBadParameterIsReportedAtOnceAs400) {
    const auto r = demo_router().handle(get("/api/v1/things", {{"as_of", "2026-13-01"},
                                                               {"n", "11"},
                                                               {"x", "nan"},
                                                               {"within", "soon"},
                                                               {"mode", "c"},
                                                               {"flag", "maybe"},
                                                               {"colour", "red"},
                                                               {"n", "2"}}));
    EXPECT_EQ(r.status, 400);
    std::vector<std::string> messages;
    const auto j = body(r);
    for (const auto& d : j["diagnostics"]) {
        EXPECT_EQ(d["code"], "E-USAGE");
        messages.push_back(d["message"]);
    }
    EXPECT_THAT(
        messages,
        ::testing::ElementsAre(
            "as_of: expected a date YYYY-MM-DD, got '2026-13-01'",
            "n: expected an integer in [1,10], got '11'",
            "x: expected a number in [0,1], got 'nan'",
            "within: expected a duration like 30d, 6w or 3m, got 'soon'",
            "mode: expected one of a, b, got 'c'", "flag: expected true or false, got 'maybe'",
            "unknown query parameter 'colour'; expected one of as_of, n, x, within, mode, flag, "
            "ids, need",
            "n: given more than once", "need: required query parameter is missing"));
}

TEST(Router, InputErrorsAre422WithFilePositions) {
    const auto r = demo_router().handle(get("/api/v1/bad-data"));
    EXPECT_EQ(r.status, 422);
    const auto j = body(r);
    EXPECT_EQ(j["error"],
              "bom.csv:3:9: material: unknown material 'unobtainium' (E-UNKNOWN-MATERIAL)");
    EXPECT_EQ(j["diagnostics"][0]["line"], 3);
    EXPECT_EQ(j["diagnostics"][0]["column"], 9);
    EXPECT_EQ(j["diagnostics"][0]["field"], "material");
}

TEST(Router, InternalErrorsAre500AndLogged) {
    auto router = demo_router();
    std::string logged;
    router.set_error_log([&](const std::string& line) { logged = line; });
    const auto r = router.handle(get("/api/v1/boom"));
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(body(r)["diagnostics"][0]["code"], "E-INTERNAL");
    EXPECT_EQ(logged, "500 GET /api/v1/boom: kaput");
}

TEST(Router, WritesNeedTheToken) {
    const auto router = demo_router({.token = "s3cret"});
    Request post;
    post.method = "POST";
    post.path = "/api/v1/things";
    post.content_type = "text/csv";
    post.body = "a,b\n";
    auto r = router.handle(post);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(body(r)["diagnostics"][0]["code"], "E-AUTH");
    EXPECT_THAT(r.headers, ::testing::Contains(std::pair<std::string, std::string>{
                               "WWW-Authenticate", "Bearer realm=\"lodestone\""}));
    post.authorization = "Bearer s3cre7";
    EXPECT_EQ(router.handle(post).status, 401);
    post.authorization = "Bearer s3cret";
    r = router.handle(post);
    EXPECT_EQ(r.status, 201);
    EXPECT_EQ(body(r)["bytes"], 4);
    EXPECT_EQ(router.handle(get("/api/v1/things/a")).status, 200)
        << "reads need no token on loopback";
}

TEST(Router, WritesAreDisabledWithoutAToken) {
    Request post;
    post.method = "POST";
    post.path = "/api/v1/things";
    post.content_type = "text/csv";
    post.body = "a\n";
    post.authorization = "Bearer ";
    const auto r = demo_router().handle(post);
    EXPECT_EQ(r.status, 403);
    EXPECT_THAT(body(r)["error"].get<std::string>(),
                HasSubstr("start the server with --token or LODESTONE_TOKEN"));
}

TEST(Router, ReadsNeedTheTokenBeyondLoopback) {
    const auto router = demo_router({.token = "t", .reads_need_token = true});
    auto req = get("/api/v1/things/a");
    EXPECT_EQ(router.handle(req).status, 401);
    req.authorization = "Bearer t";
    EXPECT_EQ(router.handle(req).status, 200);
}

TEST(Router, BodiesAreCheckedForTypeAndPresence) {
    const auto router = demo_router({.token = "t"});
    Request post;
    post.method = "POST";
    post.path = "/api/v1/things";
    post.authorization = "Bearer t";
    EXPECT_EQ(router.handle(post).status, 400) << "missing body";
    post.body = "{}";
    post.content_type = "application/json";
    const auto r = router.handle(post);
    EXPECT_EQ(r.status, 415);
    EXPECT_EQ(body(r)["diagnostics"][0]["message"],
              "unsupported Content-Type 'application/json'; expected text/csv");
}

TEST(BearerToken, ComparesExactly) {
    EXPECT_TRUE(bearer_matches("Bearer abc", "abc"));
    EXPECT_FALSE(bearer_matches("Bearer abcd", "abc"));
    EXPECT_FALSE(bearer_matches("bearer abc", "abc"));
    EXPECT_FALSE(bearer_matches("Bearer ", ""));
    EXPECT_FALSE(bearer_matches("", "abc"));
}

TEST(OpenApi, DescribesEveryRouteOfTheTable) {
    const auto router = demo_router();
    const auto doc = openapi_document(router, "9.9.9");
    EXPECT_EQ(doc["openapi"], "3.0.3");
    EXPECT_EQ(doc["info"]["version"], "9.9.9");
    std::size_t operations = 0;
    for (const auto& [path, ops] : doc["paths"].items()) {
        operations += ops.size();
    }
    EXPECT_EQ(operations, router.routes().size());
    const auto& post = doc["paths"]["/api/v1/things"]["post"];
    EXPECT_EQ(post["security"], nlohmann::json::parse(R"([{"bearer": []}])"));
    EXPECT_TRUE(post["responses"].contains("401"));
    EXPECT_TRUE(post["responses"].contains("413"));
    EXPECT_TRUE(post["requestBody"]["content"].contains("text/csv"));
    const auto& params = doc["paths"]["/api/v1/things"]["get"]["parameters"];
    EXPECT_EQ(params.size(), 8u);
    EXPECT_EQ(params[4]["schema"]["enum"], nlohmann::json({"a", "b"}));
    EXPECT_EQ(params[7]["required"], true);
}

// ---- jobs ---------------------------------------------------------------------------------

TEST(Jobs, RunToCompletionWithProgressAndResult) {
    JobManager jobs({.workers = 1, .max_pending = 4, .max_kept = 8});
    const auto id = jobs.submit("demo", {{"n", 3}}, [](JobContext& ctx) {
        ctx.progress(0.5, "half way");
        return nlohmann::json{{"answer", 42}};
    });
    ASSERT_TRUE(id.has_value());
    ASSERT_TRUE(jobs.wait(*id, std::chrono::seconds(10)));
    const auto s = jobs.status(*id);
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ((*s)["state"], "succeeded");
    EXPECT_EQ((*s)["progress"], 1.0);
    EXPECT_EQ((*s)["message"], "half way");
    EXPECT_EQ((*s)["result"]["answer"], 42);
    EXPECT_EQ((*s)["params"]["n"], 3);
    EXPECT_FALSE(jobs.list()[0].contains("result")) << "lists carry no results";
}

TEST(Jobs, InputErrorsFailTheJobWithDiagnostics) {
    JobManager jobs;
    const auto id = jobs.submit("demo", {}, [](JobContext&) -> nlohmann::json {
        throw InputError(ErrorCode::Toml, "scenario.horizon: expected an integer");
    });
    ASSERT_TRUE(jobs.wait(*id, std::chrono::seconds(10)));
    const auto s = *jobs.status(*id);
    EXPECT_EQ(s["state"], "failed");
    EXPECT_EQ(s["error"]["diagnostics"][0]["code"], "E-TOML");
}

TEST(Jobs, CancelStopsARunningJobAndAQueuedOneAtOnce) {
    JobManager jobs({.workers = 1, .max_pending = 4, .max_kept = 8});
    std::atomic<bool> started{false};
    const auto running = jobs.submit("spin", {}, [&](JobContext& ctx) {
        started = true;
        while (!ctx.cancelled()) {
            ctx.progress(0.1);
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return nlohmann::json{{"partial", true}};
    });
    const auto queued = jobs.submit("never", {}, [](JobContext&) { return nlohmann::json{}; });
    while (!started) {
        std::this_thread::yield();
    }
    EXPECT_EQ((*jobs.status(*queued))["state"], "queued");
    EXPECT_TRUE(jobs.cancel(*queued));
    EXPECT_EQ((*jobs.status(*queued))["state"], "cancelled");
    EXPECT_TRUE(jobs.cancel(*running));
    ASSERT_TRUE(jobs.wait(*running, std::chrono::seconds(10)));
    const auto s = *jobs.status(*running);
    EXPECT_EQ(s["state"], "cancelled");
    EXPECT_FALSE(s.contains("result")) << "a cancelled job's result is discarded";
    EXPECT_FALSE(jobs.cancel("999"));
    EXPECT_FALSE(jobs.status("abc").has_value());
}

TEST(Jobs, RefuseBeyondTheQueueLimitAndForgetTheOldest) {
    JobManager jobs({.workers = 1, .max_pending = 2, .max_kept = 2});
    std::atomic<bool> release{false};
    const auto a = jobs.submit("block", {}, [&](JobContext&) {
        while (!release) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return nlohmann::json{};
    });
    const auto b = jobs.submit("quick", {}, [](JobContext&) { return nlohmann::json{}; });
    EXPECT_FALSE(
        jobs.submit("one too many", {}, [](JobContext&) { return nlohmann::json{}; }).has_value());
    release = true;
    ASSERT_TRUE(jobs.wait(*b, std::chrono::seconds(10)));
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        const auto id = jobs.submit("quick", {}, [](JobContext&) { return nlohmann::json{}; });
        ASSERT_TRUE(id.has_value());
        ASSERT_TRUE(jobs.wait(*id, std::chrono::seconds(10)));
        ids.push_back(*id);
    }
    EXPECT_EQ(jobs.list().size(), 2u);
    EXPECT_FALSE(jobs.status(*a).has_value()) << "the oldest finished job is forgotten";
    EXPECT_TRUE(jobs.status(ids.back()).has_value());
}

TEST(Jobs, KeptResultsAreBoundedInBytes) {
    // Each result serialises to 1,002 bytes ("x" * 1000 in quotes, plus brackets); 2,500 bytes
    // kept.
    JobManager jobs({.workers = 1, .max_pending = 4, .max_kept = 100, .max_kept_bytes = 2500});
    const auto big = [](JobContext&) { return nlohmann::json::array({std::string(1000, 'x')}); };
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) {
        const auto id = jobs.submit("big", {}, big);
        ASSERT_TRUE(id.has_value());
        ASSERT_TRUE(jobs.wait(*id, std::chrono::seconds(10)));
        ids.push_back(*id);
    }
    EXPECT_FALSE(jobs.status(ids[0]).has_value()) << "the oldest results are forgotten first";
    EXPECT_FALSE(jobs.status(ids[1]).has_value());
    ASSERT_TRUE(jobs.status(ids[3]).has_value());
    EXPECT_EQ((*jobs.status(ids[3]))["result"][0], std::string(1000, 'x'));
    // A result larger than the whole budget is not kept: the job fails and says why.
    const auto huge =
        jobs.submit("huge", {}, [](JobContext&) { return nlohmann::json(std::string(5000, 'y')); });
    ASSERT_TRUE(huge.has_value());
    ASSERT_TRUE(jobs.wait(*huge, std::chrono::seconds(10)));
    const auto s = *jobs.status(*huge);
    EXPECT_EQ(s["state"], "failed");
    EXPECT_THAT(s["error"]["error"].get<std::string>(),
                ::testing::HasSubstr("exceeds the server's limit of 2500 bytes"));
    EXPECT_FALSE(s.contains("result"));
}
