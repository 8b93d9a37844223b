// lodestone/server/server.hpp: the HTTP server: cpp-httplib on a thread pool, /api/v1/* to the
// Router, everything else (/, /assets/*) from the dashboard's static folder. Limits: request body
// size (413, counted after decoding chunked or compressed bodies), URI length (414), deadlines
// for a request's head and body, a connection budget, Host/Origin checks (403), static files only
// from inside the dashboard folder. Errors that httplib raises itself (bad request
// line, oversized body) get the same JSON error body as the API's own.
// Example: HttpServer s(opts, router); int port = s.bind(); std::thread t([&] { s.run(); });
// s.stop();
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "lodestone/server/router.hpp"

namespace lodestone::server {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;                        ///< 0 = any free port (see HttpServer::bind)
    std::filesystem::path static_dir;       ///< the dashboard (web/dist); empty = none
    std::size_t max_body_bytes = 8u << 20;  ///< larger bodies get 413
    /// Connections served at once; worker threads start on demand up to this. When it is full, a
    /// new connection evicts the one that has waited longest for a request (idle or slow clients).
    std::size_t max_connections = 128;
    /// When the host is a loopback address: only loopback names are accepted in the Host header
    /// (DNS rebinding). Set false to serve behind a proxy that rewrites Host.
    bool loopback_only = true;
};

/// True when every address `host` resolves to is a loopback one (127.0.0.0/8, ::1): decided on
/// the resolved addresses, so "127.example.net" is not loopback unless it resolves there.
[[nodiscard]] bool is_loopback(const std::string& host);

class HttpServer {
public:
    /// Pre: `router` outlives the server and is not changed while it runs.
    HttpServer(ServerOptions options, const Router& router);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds the listening socket; returns the port (the chosen one when options.port == 0).
    /// Throws InputError (E-USAGE) when the address cannot be bound.
    [[nodiscard]] int bind();
    /// Serves until stop(). Pre: bind() succeeded.
    void run();
    /// Stops serving; safe from any thread, also before run() starts.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace lodestone::server
