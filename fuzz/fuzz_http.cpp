// fuzz/fuzz_http.cpp: HTTP requests through the API's Router (no sockets), on the embedded dataset
// and curated scenarios, with a workspace (a fresh SQLite file in a temporary folder per process)
// and a token that every request carries, so that the write endpoints (events, watch rules, runs)
// are reached as well as the reads. Authorisation itself is tested in tests/api.
// Input: a first line "METHOD PATH[?QUERY] CONTENT-TYPE", then the body. For multipart/form-data
// the body is cut into parts "@@ NAME" (contract.hpp, split_parts), each an uploaded file NAME.
// Inputs replay in name order against one workspace, so a seed can read what an earlier one wrote.
// Contract: never a 5xx (the Router's error log is never called), a JSON body that parses, and an
// error answer carries diagnostics, none of them E-INTERNAL. Accepted jobs (202) are cancelled
// while still queued behind a job that holds the one worker, so no simulation runs.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <thread>

#include <unistd.h>

#include "contract.hpp"
#include "lodestone/server/api.hpp"
#include "lodestone/server/jobs.hpp"
#include "lodestone/server/router.hpp"
#include "world_fixture.hpp"

using namespace lodestone;
using namespace lodestone::server;

namespace {

constexpr const char* kToken = "fuzz";

/// A temporary folder, removed with everything in it when the process exits normally.
struct TempDir {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("lodestone-fuzz-http-" + std::to_string(::getpid()));
    TempDir() {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

struct Api {
    TempDir dir;
    JobManager jobs{{.workers = 1, .max_pending = 2, .max_kept = 4}};
    Router router{AccessPolicy{.token = kToken}};

    Api() {
        // Holds the worker until the process exits, so that queued jobs never start.
        (void)jobs.submit("hold", {}, [](JobContext& ctx) {
            while (!ctx.cancelled()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            return nlohmann::json{};
        });
        auto state = std::make_shared<ApiState>();
        state->loaded = std::shared_ptr<const io::LoadedWorld>(&fuzz::default_world(),
                                                               [](const io::LoadedWorld*) {});
        state->dataset_source = "embedded data/world";
        state->scenarios = io::scenario_texts(io::embedded_scenarios());
        state->version = "fuzz";
        state->jobs = &jobs;
        state->workspace = dir.path / "workspace.sqlite";
        router.set_error_log(
            [](const std::string& line) { fuzz::violated("5xx answer: " + line); });
        add_api_routes(router, state);
    }
};

Request parse_request(std::string_view input) {
    Request r;
    r.authorization = std::string("Bearer ") + kToken;
    const auto eol = input.find('\n');
    const auto first = input.substr(0, eol);
    r.body = eol == std::string_view::npos ? std::string() : std::string(input.substr(eol + 1));
    const auto sp1 = first.find(' ');
    r.method = std::string(first.substr(0, sp1));
    if (sp1 != std::string_view::npos) {
        const auto rest = first.substr(sp1 + 1);
        const auto sp2 = rest.find(' ');
        const auto target = rest.substr(0, sp2);
        if (sp2 != std::string_view::npos) {
            r.content_type = std::string(rest.substr(sp2 + 1));
        }
        const auto q = target.find('?');
        r.path = std::string(target.substr(0, q));
        if (q != std::string_view::npos) {
            std::string_view query = target.substr(q + 1);
            while (!query.empty()) {
                const auto amp = query.find('&');
                const auto item = query.substr(0, amp);
                const auto eq = item.find('=');
                r.query.emplace_back(std::string(item.substr(0, eq)),
                                     eq == std::string_view::npos
                                         ? std::string()
                                         : std::string(item.substr(eq + 1)));
                query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
            }
        }
    }
    if (r.content_type == "multipart/form-data") {
        for (auto& [name, content] : fuzz::split_parts(r.body, "")) {
            if (!name.empty()) {
                r.files.push_back({.name = name,
                                   .filename = name,
                                   .content_type = "",
                                   .content = std::move(content)});
            }
        }
        r.body.clear();
    }
    return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Api api;
    const auto request = parse_request(std::string_view(reinterpret_cast<const char*>(data), size));
    const auto response = api.router.handle(request);
    if (response.status >= 500) {
        fuzz::violated("status " + std::to_string(response.status) + ": " + response.body);
    }
    if (response.content_type != "application/json") {
        return 0;
    }
    const auto doc = nlohmann::json::parse(response.body, nullptr, false);
    if (doc.is_discarded()) {
        fuzz::violated("a JSON answer that does not parse: " + response.body.substr(0, 200));
    }
    if (response.status >= 400) {
        if (!doc.contains("diagnostics") || !doc["diagnostics"].is_array() ||
            doc["diagnostics"].empty()) {
            fuzz::violated("an error answer without diagnostics: " + response.body.substr(0, 200));
        }
        for (const auto& d : doc["diagnostics"]) {
            if (d.value("code", "") == "E-INTERNAL") {
                fuzz::violated("E-INTERNAL answer: " + response.body.substr(0, 200));
            }
        }
    }
    if (response.status == 202 && doc.contains("id") && doc["id"].is_string()) {
        (void)api.jobs.cancel(doc["id"].get<std::string>());
    }
    return 0;
}
