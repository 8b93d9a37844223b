// lodestone serve: the JSON API under /api/v1/ and the dashboard at /, on one port. Loads the
// dataset once; every request shares it. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>

#include <pthread.h>

#include "build_info.hpp"
#include "commands.hpp"
#include "lodestone/server/api.hpp"
#include "lodestone/server/server.hpp"
#include "workspace_support.hpp"

namespace lodestone::cli {

namespace {

struct ServeOptions {
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string token;
    std::string static_dir;
    std::string scenarios_dir;
    WorkspaceChoice workspace;
    std::size_t max_body = 8u << 20;
};

std::filesystem::path dashboard_dir(const ServeOptions& o) {
    if (!o.static_dir.empty()) {
        if (!std::filesystem::is_regular_file(std::filesystem::path(o.static_dir) / "index.html")) {
            throw InputError(ErrorCode::Usage, "--static: no index.html in '" + o.static_dir + "'");
        }
        return o.static_dir;
    }
    // Beside the binary, never a path compiled in (the build machine's source tree):
    // <prefix>/bin/lodestone -> <prefix>/share/lodestone/web (cmake --install), or <dir>/web next
    // to the binary (the build tree links it to web/dist; an unpacked archive holds a copy).
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) {
        return {};
    }
    const auto bin = exe.parent_path();
    for (const auto& dir : {bin / ".." / "share" / "lodestone" / "web", bin / "web"}) {
        if (std::filesystem::is_regular_file(dir / "index.html", ec)) {
            return std::filesystem::weakly_canonical(dir, ec);
        }
    }
    return {};
}

/// --scenarios DIR, else the curated scenarios compiled into the binary.
std::vector<io::ScenarioText> curated_scenarios(const ServeOptions& o) {
    return o.scenarios_dir.empty() ? io::scenario_texts(io::embedded_scenarios())
                                   : io::read_scenario_texts(o.scenarios_dir);
}

void run_serve(Context& ctx, const ServeOptions& o) {
    const bool loopback = server::is_loopback(o.host);
    if (!loopback && o.token.empty()) {
        throw InputError(ErrorCode::Usage,
                         "--host " + o.host +
                             " is reachable beyond this machine: every request then needs "
                             "the token; pass --token or set LODESTONE_TOKEN");
    }
    const auto static_dir = dashboard_dir(o);

    // SIGINT/SIGTERM go to one thread (sigwait) from here on, before any other thread starts.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    (void)ctx.world();  // load (and refuse a bad dataset) before listening
    auto state = std::make_shared<server::ApiState>();
    state->loaded = std::make_shared<const io::LoadedWorld>(std::move(*ctx.loaded));
    ctx.loaded.reset();
    state->dataset_source = ctx.data_dir.empty() ? "embedded data/world" : ctx.data_dir;
    state->version = std::string(kVersion);
    state->git_hash = std::string(kGitHash);
    state->scenarios = curated_scenarios(o);
    if (!o.workspace.path.empty()) {
        state->workspace = o.workspace.path;
        (void)store::Workspace::open(state->workspace,
                                     true);  // create and migrate it before listening
    } else if (!o.workspace.none) {
        try {  // the default location, created on the first write, as the CLI does
            state->workspace = store::default_workspace_path();
        } catch (const InputError&) {
            state->workspace.clear();  // neither XDG_DATA_HOME nor HOME: no workspace
        }
    }
    state->max_body_bytes = o.max_body;
    server::JobManager jobs({.workers = 1, .max_pending = 8, .max_kept = 32});
    state->jobs = &jobs;

    server::Router router({.token = o.token, .reads_need_token = !loopback});
    router.set_error_log([](const std::string& line) {
        std::fprintf(stderr, "lodestone serve: %s\n", line.c_str());
    });
    server::add_api_routes(router, state);

    server::HttpServer http(
        {.host = o.host, .port = o.port, .static_dir = static_dir, .max_body_bytes = o.max_body},
        router);
    const int port = http.bind();
    const std::string shown_host = o.host.find(':') != std::string::npos && o.host.front() != '['
                                       ? "[" + o.host + "]"
                                       : o.host;
    std::printf("lodestone serve: listening on http://%s:%d/\n", shown_host.c_str(), port);
    std::fflush(stdout);
    const auto& w = state->loaded->world;
    std::fprintf(stderr,
                 "  dataset:   %s %s (as of %s) from %s\n"
                 "  API:       http://%s:%d/api/v1/ (OpenAPI at /api/v1/openapi.json)\n"
                 "  dashboard: %s\n"
                 "  scenarios: %zu curated\n"
                 "  workspace: %s\n"
                 "  writes:    %s\n"
                 "  reads:     %s\n"
                 "  Ctrl-C stops the server.\n",
                 w.info.name.c_str(), w.info.version.c_str(),
                 w.info.as_of ? w.info.as_of->to_string().c_str() : "-",
                 state->dataset_source.c_str(), shown_host.c_str(), port,
                 static_dir.empty()
                     ? "not found (build web/, install with cmake --install, or pass --static DIR)"
                     : static_dir.c_str(),
                 state->scenarios.size(),
                 state->workspace.empty() ? "none" : state->workspace.string().c_str(),
                 o.token.empty() ? "disabled (no --token / LODESTONE_TOKEN)"
                                 : "need 'Authorization: Bearer <token>'",
                 loopback ? "open (bound to loopback)" : "need the token (not loopback)");

    std::thread waiter([&http, signals] {
        int sig = 0;
        sigwait(&signals, &sig);
        http.stop();
    });
    http.run();
    // run() returned without a signal only if the listener failed: wake the waiter to end it.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    std::fprintf(stderr, "lodestone serve: stopped\n");
}

}  // namespace

void add_serve_command(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("serve", "Serve the JSON API (/api/v1/) and the dashboard (/)");
    static ServeOptions o;
    cmd->add_option("--data", ctx.data_dir, "Dataset folder (default: the embedded data/world)")
        ->type_name("DIR");
    cmd->add_option("--host", o.host,
                    "Address to listen on (default 127.0.0.1; other addresses need a token)");
    cmd->add_option("--port", o.port,
                    "TCP port (default 8080; 0 = any free port, printed at start)")
        ->check(CLI::Range(0, 65535));
    cmd->add_option("--token", o.token,
                    "Token for write endpoints (default: $LODESTONE_TOKEN; none = writes off)")
        ->envname("LODESTONE_TOKEN");
    cmd->add_option("--static", o.static_dir,
                    "Dashboard folder with index.html (default: ../share/lodestone/web or web/ "
                    "beside the binary)")
        ->type_name("DIR");
    cmd->add_option("--scenarios", o.scenarios_dir,
                    "Folder of scenario TOMLs offered as curated scenarios (default: those "
                    "compiled in, data/scenarios)")
        ->type_name("DIR");
    add_workspace_option(*cmd, o.workspace, true);
    cmd->add_option("--max-body", o.max_body,
                    "Largest request body in bytes (default 8388608); larger gets 413")
        ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30));
    cmd->callback([&ctx] { run_serve(ctx, o); });
}

}  // namespace lodestone::cli
