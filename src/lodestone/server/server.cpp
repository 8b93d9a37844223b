#include "lodestone/server/server.hpp"

#include <algorithm>
#include <atomic>
#include <httplib.h>
#include <thread>

namespace lodestone::server {

namespace {

std::string media_type(const std::string& header) {
    std::string out = header.substr(0, header.find(';'));
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    for (auto& c : out) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return out;
}

/// The query of a request target, in order, each item split at its first '=' (httplib 0.11 keeps
/// the text after the last one, so "ev=gallium=0.5" would lose "gallium=").
std::vector<std::pair<std::string, std::string>> query_of(const std::string& target) {
    std::vector<std::pair<std::string, std::string>> out;
    const auto q = target.find('?');
    if (q == std::string::npos) {
        return out;
    }
    const std::string query = target.substr(q + 1, target.find('#', q) - q - 1);
    std::size_t start = 0;
    while (start <= query.size()) {
        const auto end = std::min(query.find('&', start), query.size());
        const std::string item = query.substr(start, end - start);
        if (!item.empty()) {
            const auto eq = item.find('=');
            out.emplace_back(httplib::detail::decode_url(item.substr(0, eq), true),
                             eq == std::string::npos ? std::string()
                                                     : httplib::detail::decode_url(item.substr(eq + 1), true));
        }
        start = end + 1;
    }
    return out;
}

Request to_request(const httplib::Request& in) {
    Request r;
    r.method = in.method;
    r.path = in.path;
    r.query = query_of(in.target);
    r.content_type = media_type(in.get_header_value("Content-Type"));
    r.authorization = in.get_header_value("Authorization");
    r.body = in.body;
    for (const auto& [name, part] : in.files) {
        r.files.push_back({part.name, part.filename, part.content_type, part.content});
    }
    return r;
}

/// The JSON error body for statuses httplib sets itself (malformed request, body too large, ...).
std::string transport_error(int status, std::size_t max_body) {
    std::string message;
    switch (status) {
        case 400: message = "malformed HTTP request"; break;
        case 404: message = "not found; the API is under /api/v1/ (see /api/v1/openapi.json)"; break;
        case 413:
            message = "request body exceeds the limit of " + std::to_string(max_body) + " bytes";
            break;
        case 414: message = "request URI too long"; break;
        case 416: message = "requested range not satisfiable"; break;
        default: message = std::string(reason_phrase(status)); break;
    }
    const std::vector<Diagnostic> d{{Severity::Error, status == 404 ? ErrorCode::NotFound : ErrorCode::Usage,
                                     {}, 0, 0, {}, message}};
    return error_json(d).dump();
}

constexpr const char* kNoDashboard =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>Lodestone</title></head><body>"
    "<h1>Lodestone</h1><p>The dashboard is not built or not found (build web/, or start the server with "
    "<code>--static DIR</code>). The JSON API is at <a href=\"/api/v1\">/api/v1</a>, described by "
    "<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p></body></html>\n";

}  // namespace

bool is_loopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

struct HttpServer::Impl {
    ServerOptions options;
    const Router& router;
    httplib::Server http;
    std::atomic<bool> stop_requested{false};
    std::atomic<bool> in_run{false};
    std::atomic<bool> run_done{false};

    Impl(ServerOptions o, const Router& r) : options(std::move(o)), router(r) {}
};

HttpServer::HttpServer(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {
    auto& http = impl_->http;
    const auto threads = std::max<std::size_t>(2, impl_->options.threads);
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    http.set_payload_max_length(impl_->options.max_body_bytes);
    http.set_keep_alive_max_count(1000);
    http.set_keep_alive_timeout(5);
    // Per read/write call: a client that stops sending (e.g. declares a body it never sends) frees
    // its thread after this long.
    http.set_read_timeout(5, 0);
    http.set_write_timeout(5, 0);
    http.set_tcp_nodelay(true);

    const Router* r = &impl_->router;
    const auto api = [r](const httplib::Request& in, httplib::Response& out) {
        const auto res = r->handle(to_request(in));
        out.status = res.status;
        for (const auto& [k, v] : res.headers) {
            out.set_header(k, v);
        }
        out.set_header("Cache-Control", "no-store");
        out.set_content(res.body, res.content_type.c_str());
    };
    const char* pattern = R"(/api(/.*)?)";
    http.Get(pattern, api);
    http.Post(pattern, api);
    http.Put(pattern, api);
    http.Patch(pattern, api);
    http.Delete(pattern, api);
    http.Options(pattern, api);

    const auto& dir = impl_->options.static_dir;
    const bool has_dashboard = !dir.empty() && std::filesystem::is_regular_file(dir / "index.html");
    if (has_dashboard) {
        // Vite's hashed assets never change under one name; everything else is revalidated.
        if (std::filesystem::is_directory(dir / "assets")) {
            http.set_mount_point("/assets", (dir / "assets").string(),
                                 {{"Cache-Control", "public, max-age=31536000, immutable"}});
        }
        http.set_mount_point("/", dir.string(), {{"Cache-Control", "no-cache"}});
    } else {
        http.Get("/", [](const httplib::Request&, httplib::Response& out) {
            out.set_content(kNoDashboard, "text/html; charset=utf-8");
        });
    }
    const auto max_body = impl_->options.max_body_bytes;
    http.set_error_handler(httplib::Server::HandlerWithResponse(
        [max_body](const httplib::Request&, httplib::Response& out) {
            if (!out.body.empty()) {
                return httplib::Server::HandlerResponse::Unhandled;  // the Router's own JSON error
            }
            out.set_content(transport_error(out.status, max_body), "application/json");
            return httplib::Server::HandlerResponse::Handled;
        }));
}

HttpServer::~HttpServer() { stop(); }

int HttpServer::bind() {
    auto& o = impl_->options;
    const std::string host = o.host == "[::1]" ? "::1" : o.host;
    int port = o.port;
    if (port == 0) {
        port = impl_->http.bind_to_any_port(host);
        if (port < 0) {
            port = 0;
        }
    } else if (!impl_->http.bind_to_port(host, port)) {
        port = 0;
    }
    if (port <= 0) {
        throw InputError(ErrorCode::Usage, "cannot listen on " + o.host + ":" + std::to_string(o.port) +
                                               " (address in use, not local, or not permitted)");
    }
    return port;
}

void HttpServer::run() {
    impl_->in_run = true;
    if (!impl_->stop_requested) {
        impl_->http.listen_after_bind();
    }
    impl_->run_done = true;
}

void HttpServer::stop() {
    impl_->stop_requested = true;
    if (impl_->in_run) {
        while (!impl_->http.is_running() && !impl_->run_done) {
            std::this_thread::yield();
        }
        impl_->http.stop();
    }
}

}  // namespace lodestone::server
