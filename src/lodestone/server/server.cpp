#include "lodestone/server/server.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <httplib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

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
                             eq == std::string::npos
                                 ? std::string()
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
    return r;
}

/// The JSON error body for statuses httplib sets itself (malformed request, body too large, ...).
std::string transport_error(int status, std::size_t max_body) {
    std::string message;
    switch (status) {
        case 400:
            message = "malformed HTTP request";
            break;
        case 404:
            message = "not found; the API is under /api/v1/ (see /api/v1/openapi.json)";
            break;
        case 413:
            message = "request body exceeds the limit of " + std::to_string(max_body) + " bytes";
            break;
        case 414:
            message = "request URI too long";
            break;
        case 416:
            message = "requested range not satisfiable";
            break;
        default:
            message = std::string(reason_phrase(status));
            break;
    }
    const std::vector<Diagnostic> d{{Severity::Error,
                                     status == 404 ? ErrorCode::NotFound : ErrorCode::Usage,
                                     {},
                                     0,
                                     0,
                                     {},
                                     message}};
    return error_json(d).dump();
}

constexpr const char* kNoDashboard =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>Lodestone</title></head><body>"
    "<h1>Lodestone</h1><p>The dashboard is not built or not found (build web/, or start the server "
    "with "
    "<code>--static DIR</code>). The JSON API is at <a href=\"/api/v1\">/api/v1</a>, described by "
    "<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p></body></html>\n";

bool is_loopback_address(const sockaddr* a) {
    if (a->sa_family == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(a);
        return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
    }
    if (a->sa_family == AF_INET6) {
        const auto* v6 = reinterpret_cast<const sockaddr_in6*>(a);
        if (IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr)) {
            return true;
        }
        return IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr) && v6->sin6_addr.s6_addr[12] == 127;
    }
    return false;
}

std::string unbracket(const std::string& host) {
    return host.size() > 2 && host.front() == '[' && host.back() == ']'
               ? host.substr(1, host.size() - 2)
               : host;
}

/// Why binding host:port fails, from a plain bind() of our own (httplib reports only false).
std::string bind_failure(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 ||
        found == nullptr) {
        return "cannot resolve the address";
    }
    std::string why = "not permitted";
    const int fd = ::socket(found->ai_family, found->ai_socktype, found->ai_protocol);
    if (fd >= 0) {
        const int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0) {
            why = errno == EADDRINUSE      ? "port in use"
                  : errno == EADDRNOTAVAIL ? "not an address of this machine"
                  : errno == EACCES        ? "permission denied (ports below 1024 need privileges)"
                                           : std::string(std::strerror(errno));
        }
        ::close(fd);
    }
    ::freeaddrinfo(found);
    return why;
}

// ---- connections: a budget that idle or slow clients cannot exhaust -----------------------------
//
// cpp-httplib gives each connection a worker thread for its whole life and bounds only each single
// read, so clients that send one header line every few seconds hold their threads forever
// (slowloris). Here (1) the worker pool grows on demand up to the connection budget, so clients
// that wait never queue a fresh one behind them; (2) a request head must arrive whole within
// kHeadTime and its body within kBodyTime, whatever the pace of single reads; (3) when the budget
// is full, a new connection evicts the one that has waited longest for a request (idle between
// requests, or still sending a head); a connection whose request is being read or answered is
// never evicted.

using Clock = std::chrono::steady_clock;
constexpr auto kHeadTime = std::chrono::seconds(10);
constexpr auto kBodyTime = std::chrono::seconds(60);

enum class Phase { Idle, Head, Busy };

/// Set by a handler that answers without reading the request's body: the connection loop then
/// closes the connection instead of parsing the unread body as the next request.
thread_local bool t_close_after_response = false;

void close_after(httplib::Response& out) {
    out.set_header("Connection", "close");
    t_close_after_response = true;
}

class ConnectionTable {
    struct Entry {
        int fd;
        Phase phase;
        Clock::time_point since;
        bool evicted;
    };

public:
    using Handle = std::list<Entry>::iterator;
    explicit ConnectionTable(std::size_t budget) : budget_(budget) {}

    /// Registers a new connection; nullopt when the budget is full of busy connections.
    std::optional<Handle> enter(int fd) {
        std::lock_guard lock(mutex_);
        if (live_ >= budget_) {
            auto victim = entries_.end();
            for (auto it = entries_.begin(); it != entries_.end(); ++it) {
                if (it->phase != Phase::Busy && !it->evicted &&
                    (victim == entries_.end() || it->since < victim->since)) {
                    victim = it;
                }
            }
            if (victim == entries_.end()) {
                return std::nullopt;
            }
            ::shutdown(victim->fd, SHUT_RDWR);  // its thread sees the end of the stream and leaves
            victim->evicted = true;
            --live_;
        }
        entries_.push_front({fd, Phase::Idle, Clock::now(), false});
        ++live_;
        return entries_.begin();
    }
    void set(Handle h, Phase phase) {
        std::lock_guard lock(mutex_);
        h->phase = phase;
        h->since = Clock::now();
    }
    void leave(Handle h) {
        std::lock_guard lock(mutex_);
        if (!h->evicted) {
            --live_;
        }
        entries_.erase(h);  // before the fd is closed: an evictor never shuts down a reused fd
    }

private:
    std::mutex mutex_;
    std::size_t budget_;
    std::size_t live_ = 0;
    std::list<Entry> entries_;
};

/// A worker pool that starts a thread whenever a job would otherwise wait, up to `max`, keeps its
/// threads for reuse and joins them on shutdown.
class ElasticPool : public httplib::TaskQueue {
public:
    explicit ElasticPool(std::size_t max) : max_(max) {}
    void enqueue(std::function<void()> fn) override {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(fn));
        if (jobs_.size() > idle_ && threads_.size() < max_) {
            threads_.emplace_back([this] { work(); });
        } else {
            cond_.notify_one();
        }
    }
    void shutdown() override {
        {
            std::lock_guard lock(mutex_);
            down_ = true;
        }
        cond_.notify_all();
        for (auto& t : threads_) {
            t.join();
        }
    }

private:
    void work() {
        for (;;) {
            std::function<void()> fn;
            {
                std::unique_lock lock(mutex_);
                ++idle_;
                cond_.wait(lock, [this] { return down_ || !jobs_.empty(); });
                --idle_;
                if (jobs_.empty()) {
                    return;
                }
                fn = std::move(jobs_.front());
                jobs_.pop_front();
            }
            fn();
        }
    }
    std::size_t max_;
    std::mutex mutex_;
    std::condition_variable cond_;
    std::deque<std::function<void()>> jobs_;
    std::vector<std::thread> threads_;
    std::size_t idle_ = 0;
    bool down_ = false;
};

/// The socket of one connection, read under a deadline for the whole request head and another
/// for the body (cpp-httplib's own stream bounds only each read).
class GuardedStream : public httplib::Stream {
public:
    GuardedStream(int fd, int read_timeout_ms, int write_timeout_ms)
        : fd_(fd), read_timeout_ms_(read_timeout_ms), write_timeout_ms_(write_timeout_ms) {}

    /// A new request starts: its head must be complete within kHeadTime from now.
    void start_request() {
        deadline_ = Clock::now() + kHeadTime;
        in_head_ = true;
        line_empty_ = true;
    }
    [[nodiscard]] bool in_head() const { return in_head_; }

    bool is_readable() const override { return wait(POLLIN, read_budget_ms()) > 0; }
    bool is_writable() const override { return wait(POLLOUT, write_timeout_ms_) > 0; }
    ssize_t read(char* ptr, std::size_t size) override {
        if (wait(POLLIN, read_budget_ms()) <= 0) {
            return -1;
        }
        ssize_t n = 0;
        do {
            n = ::recv(fd_, ptr, size, 0);
        } while (n < 0 && errno == EINTR);
        if (n > 0 && in_head_) {
            watch_head(ptr, static_cast<std::size_t>(n));
        }
        return n;
    }
    ssize_t write(const char* ptr, std::size_t size) override {
        if (wait(POLLOUT, write_timeout_ms_) <= 0) {
            return -1;
        }
        ssize_t n = 0;
        do {
            n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
        } while (n < 0 && errno == EINTR);
        return n;
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        address(true, ip, port);
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        address(false, ip, port);
    }
    socket_t socket() const override { return fd_; }

private:
    [[nodiscard]] int read_budget_ms() const {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
        return static_cast<int>(std::clamp<long long>(left, 0, read_timeout_ms_));
    }
    [[nodiscard]] int wait(short events, int timeout_ms) const {
        pollfd p{fd_, events, 0};
        int r = 0;
        do {
            r = ::poll(&p, 1, timeout_ms);
        } while (r < 0 && errno == EINTR);
        return r;
    }
    /// The head ends at the first empty line; the body's deadline starts there.
    void watch_head(const char* p, std::size_t n) {
        for (std::size_t i = 0; i < n && in_head_; ++i) {
            if (p[i] == '\n') {
                if (line_empty_) {
                    in_head_ = false;
                    deadline_ = Clock::now() + kBodyTime;
                }
                line_empty_ = true;
            } else if (p[i] != '\r') {
                line_empty_ = false;
            }
        }
    }
    void address(bool remote, std::string& ip, int& port) const {
        sockaddr_storage a{};
        socklen_t len = sizeof a;
        auto* sa = reinterpret_cast<sockaddr*>(&a);
        if ((remote ? ::getpeername(fd_, sa, &len) : ::getsockname(fd_, sa, &len)) != 0) {
            return;
        }
        char host[NI_MAXHOST];
        char serv[NI_MAXSERV];
        if (::getnameinfo(sa, len, host, sizeof host, serv, sizeof serv,
                          NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
            ip = host;
            port = std::atoi(serv);
        }
    }

    int fd_;
    int read_timeout_ms_;
    int write_timeout_ms_;
    Clock::time_point deadline_ = Clock::now() + kHeadTime;
    bool in_head_ = true;
    bool line_empty_ = true;
};

/// cpp-httplib's server with the connection loop above in place of its own.
class GuardedServer : public httplib::Server {
public:
    explicit GuardedServer(std::size_t budget) : table_(budget) {}
    std::atomic<bool> stopping{false};

private:
    bool process_and_close_socket(socket_t sock) override {
        t_close_after_response = false;
        const auto handle = table_.enter(sock);
        if (handle) {
            serve(sock, *handle);
            table_.leave(*handle);
        }
        if (t_close_after_response) {
            linger(sock);
        }
        ::shutdown(sock, SHUT_RDWR);
        ::close(sock);
        return true;
    }

    /// After an answer that left the body unread: stop sending, then read and discard what the
    /// client still sends for a moment, so that closing does not reset the connection (and lose
    /// the answer) while the client is still writing its body.
    static void linger(int sock) {
        ::shutdown(sock, SHUT_WR);
        const auto until = Clock::now() + std::chrono::seconds(2);
        char buf[16384];
        while (Clock::now() < until) {
            pollfd p{sock, POLLIN, 0};
            if (::poll(&p, 1, 200) <= 0) {
                continue;
            }
            if (::recv(sock, buf, sizeof buf, 0) <= 0) {
                return;
            }
        }
    }

    void serve(int sock, ConnectionTable::Handle handle) {
        GuardedStream stream(
            sock, static_cast<int>(read_timeout_sec_ * 1000 + read_timeout_usec_ / 1000),
            static_cast<int>(write_timeout_sec_ * 1000 + write_timeout_usec_ / 1000));
        for (std::size_t count = keep_alive_max_count_; count > 0 && !stopping; --count) {
            if (!wait_for_request(sock)) {
                return;
            }
            table_.set(handle, Phase::Head);
            stream.start_request();
            bool closed = false;
            t_close_after_response = false;
            bool ok =
                process_request(stream, count == 1, closed, [this, handle](httplib::Request&) {
                    table_.set(handle,
                               Phase::Busy);  // the head is parsed: the request is under way
                });
            if (!ok || closed || t_close_after_response) {
                return;
            }
            table_.set(handle, Phase::Idle);
        }
    }

    /// Waits up to the keep-alive timeout for the first byte of the next request.
    bool wait_for_request(int sock) const {
        const auto until = Clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
        while (!stopping && Clock::now() < until) {
            pollfd p{sock, POLLIN, 0};
            const int r = ::poll(&p, 1, 100);
            if (r > 0) {
                char c = 0;
                return ::recv(sock, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
            }
            if (r < 0 && errno != EINTR) {
                return false;
            }
        }
        return false;
    }

    ConnectionTable table_;
};

/// The host part of a Host header ("127.0.0.1:8080" -> "127.0.0.1", "[::1]:80" -> "::1").
std::string host_name_of(const std::string& host_header) {
    if (!host_header.empty() && host_header.front() == '[') {
        const auto close = host_header.find(']');
        return close == std::string::npos ? host_header : host_header.substr(1, close - 1);
    }
    return host_header.substr(0, host_header.find(':'));
}

bool is_loopback_literal(const std::string& name) {
    if (name == "localhost") {
        return true;
    }
    in_addr v4{};
    in6_addr v6{};
    if (::inet_pton(AF_INET, name.c_str(), &v4) == 1) {
        return (ntohl(v4.s_addr) >> 24) == 127;
    }
    return ::inet_pton(AF_INET6, name.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

/// Static files: only regular files whose real path (symlinks resolved) is inside the folder.
std::optional<std::filesystem::path> static_file(const std::filesystem::path& root,
                                                 const std::string& path) {
    std::error_code ec;
    if (path.find('\0') != std::string::npos) {
        return std::nullopt;
    }
    std::filesystem::path rel = std::filesystem::path(path).relative_path();
    for (const auto& part : rel) {
        if (part == "..") {
            return std::nullopt;
        }
    }
    auto target = root / rel;
    if (std::filesystem::is_directory(target, ec)) {
        target /= "index.html";
    }
    const auto real = std::filesystem::canonical(target, ec);
    if (ec || !std::filesystem::is_regular_file(real, ec)) {
        return std::nullopt;
    }
    const auto [end, unused] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
    (void)unused;
    if (end != root.end()) {
        return std::nullopt;  // a symlink out of the folder
    }
    return real;
}

std::string mime_of(const std::filesystem::path& p) {
    static const std::map<std::string, std::string> types{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".map", "application/json"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"}};
    const auto it = types.find(p.extension().string());
    return it == types.end() ? "application/octet-stream" : it->second;
}

void set_error(httplib::Response& out, int status, ErrorCode code, const std::string& message) {
    out.status = status;
    const std::vector<Diagnostic> d{{Severity::Error, code, {}, 0, 0, {}, message}};
    out.set_content(error_json(d).dump(), "application/json");
}

}  // namespace

bool is_loopback(const std::string& host) {
    // The resolved addresses decide ("127.example.net" is a name, not 127.0.0.0/8): every address
    // the name resolves to must be a loopback one.
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(unbracket(host).c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
        return false;
    }
    bool all = true;
    for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
        all = all && is_loopback_address(a->ai_addr);
    }
    ::freeaddrinfo(found);
    return all;
}

struct HttpServer::Impl {
    ServerOptions options;
    const Router& router;
    GuardedServer http;
    std::atomic<bool> stop_requested{false};
    std::atomic<bool> in_run{false};
    std::atomic<bool> run_done{false};
    int bound_port = 0;

    Impl(ServerOptions o, const Router& r)
        : options(std::move(o)),
          router(r),
          http(std::max<std::size_t>(2, options.max_connections)) {}

    /// Host and Origin checks (DNS rebinding, cross-site requests), before any body is read.
    /// Returns true when the request was refused (the response is set).
    bool refuse_by_headers(const httplib::Request& in, httplib::Response& out) const {
        if (refused_by_headers(in, out)) {
            close_after(out);  // a body, if any, is not read
            return true;
        }
        return false;
    }
    bool refused_by_headers(const httplib::Request& in, httplib::Response& out) const {
        static const std::set<std::string> known_methods{"GET",   "HEAD",   "POST",   "PUT",
                                                         "PATCH", "DELETE", "OPTIONS"};
        if (known_methods.count(in.method) == 0) {
            set_error(out, 405, ErrorCode::Usage, "method " + in.method + " is not served");
            return true;  // httplib would read the body of e.g. PRI without a limit
        }
        const std::string host = in.get_header_value("Host");
        if (options.loopback_only) {
            // A page of another site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own
            // name as Host: only loopback names are accepted.
            if (!host.empty() && !is_loopback_literal(host_name_of(host))) {
                set_error(out, 403, ErrorCode::Auth,
                          "Host '" + host +
                              "' is not this server's loopback address; use http://127.0.0.1:" +
                              std::to_string(bound_port) + "/");
                return true;
            }
        }
        // Browsers send Origin with every cross-origin request and with same-origin POSTs; a
        // request from another origin may not use the API (no CORS). Non-browser clients send none.
        if (in.has_header("Origin")) {
            const std::string origin = in.get_header_value("Origin");
            if (origin != "http://" + host && origin != "https://" + host) {
                set_error(out, 403, ErrorCode::Auth,
                          "cross-origin request from '" + origin +
                              "' refused; the API serves only its own "
                              "dashboard (same origin) and non-browser clients");
                return true;
            }
        }
        if (in.get_header_value("Sec-Fetch-Site") == "cross-site") {
            set_error(out, 403, ErrorCode::Auth, "cross-site request refused");
            return true;
        }
        return false;
    }

    /// Reads the body through httplib's content reader, which undoes chunked transfer and
    /// gzip/deflate/br content encoding: the limit applies to the decoded bytes, whatever the
    /// encoding. Returns false (and sets 413 or 400) when it is exceeded or the body is broken.
    bool read_body(const httplib::Request& in,
                   const httplib::ContentReader& reader,
                   Request& r,
                   httplib::Response& out) const {
        const bool chunked =
            in.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
        if (!chunked && !in.has_header("Content-Length")) {
            return true;  // no body: RFC 9112 6.3, a request without length and without chunking
                          // has none
        }
        const std::size_t limit = options.max_body_bytes;
        std::size_t total = 0;
        bool over = false;
        const auto count = [&](std::size_t n) {
            total += n;
            over = over || total > limit;
            return !over;
        };
        bool ok = false;
        if (r.content_type == "multipart/form-data") {
            ok = reader(
                [&](const httplib::MultipartFormData& part) {
                    r.files.push_back({part.name, part.filename, part.content_type, {}});
                    return count(part.name.size() + part.filename.size());
                },
                [&](const char* data, std::size_t n) {
                    if (!count(n) || r.files.empty()) {
                        return false;
                    }
                    r.files.back().content.append(data, n);
                    return true;
                });
        } else {
            ok = reader([&](const char* data, std::size_t n) {
                if (!count(n)) {
                    return false;
                }
                r.body.append(data, n);
                return true;
            });
        }
        if (over ||
            out.status == 413) {  // decoded bytes past the limit, or a Content-Length past it
            r.body.clear();
            r.files.clear();
            close_after(out);
            set_error(out, 413, ErrorCode::Usage,
                      "request body exceeds the limit of " + std::to_string(limit) + " bytes");
            return false;
        }
        if (!ok) {
            close_after(out);
            set_error(out, out.status == 415 ? 415 : 400, ErrorCode::Usage,
                      out.status == 415 ? "unsupported Content-Encoding"
                                        : "malformed or incomplete request body");
            return false;
        }
        return true;
    }

    void answer(const Request& r, httplib::Response& out) const {
        const auto res = router.handle(r);
        out.status = res.status;
        for (const auto& [k, v] : res.headers) {
            out.set_header(k, v);
        }
        out.set_header("Cache-Control", "no-store");
        out.set_content(res.body, res.content_type.c_str());
    }
};

HttpServer::HttpServer(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {
    Impl* impl = impl_.get();
    auto& http = impl->http;
    const auto budget = std::max<std::size_t>(2, impl->options.max_connections);
    http.new_task_queue = [budget] { return new ElasticPool(budget); };
    http.set_payload_max_length(impl->options.max_body_bytes);
    http.set_keep_alive_max_count(1000);
    http.set_keep_alive_timeout(5);
    // Per read/write call; the whole head and body have deadlines of their own (GuardedStream).
    http.set_read_timeout(5, 0);
    http.set_write_timeout(5, 0);
    http.set_tcp_nodelay(true);
    // SO_REUSEADDR only (rebinding over TIME_WAIT); never SO_REUSEPORT, which would let a second
    // server share the port and take half of the connections.
    http.set_socket_options([](socket_t sock) {
        const int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    if (impl->options.loopback_only) {
        impl->options.loopback_only = is_loopback(impl->options.host);
    }

    http.set_pre_routing_handler([impl](const httplib::Request& in, httplib::Response& out) {
        return impl->refuse_by_headers(in, out) ? httplib::Server::HandlerResponse::Handled
                                                : httplib::Server::HandlerResponse::Unhandled;
    });
    const auto is_api = [](const std::string& path) {
        return path == "/api" || path.rfind("/api/", 0) == 0;
    };
    const auto api = [impl](const httplib::Request& in, httplib::Response& out) {
        impl->answer(to_request(in), out);
    };
    // Every method that may carry a body, on every path: the body is read here (bounded), never by
    // httplib's default reader (whose limit counts encoded bytes and skips chunked bodies).
    const auto with_body = [impl, is_api](const httplib::Request& in, httplib::Response& out,
                                          const httplib::ContentReader& reader) {
        Request r = to_request(in);
        if (!is_api(in.path)) {
            close_after(out);  // the body is not read
            set_error(out, 404, ErrorCode::NotFound,
                      "not found; the API is under /api/v1/ (see /api/v1/openapi.json)");
            return;
        }
        if (impl->read_body(in, reader, r, out)) {
            impl->answer(r, out);
        }
    };
    const char* pattern = R"(/api(/.*)?)";
    http.Get(pattern, api);
    http.Options(pattern, api);
    http.Post(".*", with_body);
    http.Put(".*", with_body);
    http.Patch(".*", with_body);
    http.Delete(".*", with_body);
    // Reached only if httplib decides a request carries no body (then it read none).
    http.Post(pattern, api);
    http.Put(pattern, api);
    http.Patch(pattern, api);
    http.Delete(pattern, api);

    const auto dir = impl->options.static_dir.empty()
                         ? std::filesystem::path()
                         : std::filesystem::weakly_canonical(impl->options.static_dir);
    const bool has_dashboard = !dir.empty() && std::filesystem::is_regular_file(dir / "index.html");
    if (has_dashboard) {
        http.Get(".*", [dir](const httplib::Request& in, httplib::Response& out) {
            const auto file = static_file(dir, in.path);
            if (!file) {
                set_error(out, 404, ErrorCode::NotFound,
                          "not found; the API is under /api/v1/ (see /api/v1/openapi.json)");
                return;
            }
            std::ifstream f(*file, std::ios::binary);
            std::ostringstream text;
            text << f.rdbuf();
            // Vite's hashed assets never change under one name; everything else is revalidated.
            out.set_header("Cache-Control", in.path.rfind("/assets/", 0) == 0
                                                ? "public, max-age=31536000, immutable"
                                                : "no-cache");
            out.set_content(text.str(), mime_of(*file).c_str());
        });
    } else {
        http.Get("/", [](const httplib::Request&, httplib::Response& out) {
            out.set_content(kNoDashboard, "text/html; charset=utf-8");
        });
    }
    const auto max_body = impl->options.max_body_bytes;
    http.set_error_handler(httplib::Server::HandlerWithResponse(
        [max_body](const httplib::Request&, httplib::Response& out) {
            if (!out.body.empty()) {
                return httplib::Server::HandlerResponse::Unhandled;  // the Router's own JSON error
            }
            out.set_content(transport_error(out.status, max_body), "application/json");
            return httplib::Server::HandlerResponse::Handled;
        }));
}

HttpServer::~HttpServer() {
    stop();
}

int HttpServer::bind() {
    auto& o = impl_->options;
    const std::string host = unbracket(o.host);
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
        throw InputError(ErrorCode::Usage, "cannot listen on " + o.host + ":" +
                                               std::to_string(o.port) + ": " +
                                               bind_failure(host, o.port));
    }
    impl_->bound_port = port;
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
    impl_->http.stopping = true;
    if (impl_->in_run) {
        while (!impl_->http.is_running() && !impl_->run_done) {
            std::this_thread::yield();
        }
        impl_->http.stop();
    }
}

}  // namespace lodestone::server
