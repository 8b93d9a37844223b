// lodestone/server/router.hpp: the routing table of the HTTP API. Each route declares its method,
// path pattern ("/api/v1/measures/{id}"), access level and typed query parameters; the Router
// matches requests, checks the token, validates every parameter (all problems reported at once,
// E-USAGE, 400), calls the handler and turns every exception into a JSON error. The same table
// generates the OpenAPI document, so the two cannot drift apart.
// Example: router.add({.method = "GET", .path = "/api/v1/health", .summary = "Liveness"},
//                     [](const Params&) { return Response::json({{"status", "ok"}}); });
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "lodestone/core/date.hpp"
#include "lodestone/server/http.hpp"

namespace lodestone::server {

enum class Access {
    Read,   ///< no token needed when the server is bound to loopback
    Write,  ///< changes stored state: always needs the token
};

enum class ParamType {
    String,    ///< any text
    Date,      ///< YYYY-MM-DD or "today"
    Integer,   ///< decimal integer in [min, max]
    Number,    ///< finite decimal number in [min, max]
    Duration,  ///< "30d", "6w", "3m" or a bare day count (parse_duration_days)
    Enum,      ///< one of `choices`
    Boolean,   ///< true|false|1|0
};

struct ParamSpec {
    std::string name;  ///< snake_case, e.g. "as_of"
    ParamType type = ParamType::String;
    std::string description;
    bool required = false;
    std::vector<std::string> choices;  ///< for Enum
    double min = -1e300;               ///< for Integer and Number
    double max = 1e300;
    /// The value the handler takes when the parameter is absent, in the parameter's own syntax; the
    /// OpenAPI document shows it as the schema's default and `*_or_default` returns it, so the two
    /// cannot differ. Router::add refuses a default that its own validation would refuse.
    std::string default_text;
    /// A default that is not one literal value (today's date, a name chosen by content type):
    /// documentation only; the handler computes it.
    std::string default_note;
    bool repeated = false;  ///< may appear several times / as a comma list
};

/// What a route accepts as a request body; empty content_types = no body.
struct BodySpec {
    std::vector<std::string> content_types;  ///< e.g. {"text/csv"}
    std::string description;
    bool required = true;
};

struct RouteSpec {
    std::string method;  ///< GET, POST, PUT, DELETE
    std::string path;    ///< literal segments and {name} captures
    std::string summary;
    std::string description;
    std::string tag;  ///< OpenAPI group, e.g. "policies"
    Access access = Access::Read;
    std::vector<ParamSpec> path_params;  ///< one per {name}, for the documentation
    std::vector<ParamSpec> query;
    BodySpec body;
    int success_status = 200;
    std::string response_description = "OK";
    nlohmann::json response_schema;   ///< JSON Schema of the success body; null = any JSON
    std::vector<int> error_statuses;  ///< documented besides the common ones (400, 401, 500)
};

/// Typed access to a matched request. Query values were validated against the route's specs
/// before the handler runs, so the accessors do not fail on well-declared parameters.
class Params {
public:
    Params(const Request& request,
           const RouteSpec& spec,
           std::map<std::string, std::string> path_values);

    [[nodiscard]] const Request& request() const { return request_; }
    /// A {name} segment of the path.
    [[nodiscard]] const std::string& path(const std::string& name) const;
    [[nodiscard]] bool has(std::string_view name) const;
    /// The value, or "" when absent.
    [[nodiscard]] std::string text(std::string_view name) const;
    /// Every value of a repeated parameter; comma lists split, empty items dropped.
    [[nodiscard]] std::vector<std::string> list(std::string_view name) const;
    [[nodiscard]] std::optional<Date> date(std::string_view name) const;
    /// An as_of-style date: absent -> `fallback` -> today.
    [[nodiscard]] Date date_or(std::string_view name, std::optional<Date> fallback) const;
    [[nodiscard]] std::optional<std::int64_t> integer(std::string_view name) const;
    [[nodiscard]] std::optional<double> number(std::string_view name) const;
    [[nodiscard]] std::optional<int> duration_days(std::string_view name) const;
    [[nodiscard]] std::optional<bool> boolean(std::string_view name) const;

    /// The declaration of a query parameter of this route (its range, its default).
    [[nodiscard]] const ParamSpec& spec(std::string_view name) const;
    /// The value given, else the declared default_text (a std::logic_error if none is declared).
    [[nodiscard]] std::string text_or_default(std::string_view name) const;
    [[nodiscard]] std::int64_t integer_or_default(std::string_view name) const;
    [[nodiscard]] double number_or_default(std::string_view name) const;
    [[nodiscard]] int duration_days_or_default(std::string_view name) const;
    [[nodiscard]] bool boolean_or_default(std::string_view name) const;

private:
    const Request& request_;
    const RouteSpec& spec_;
    std::map<std::string, std::string> path_values_;
};

using Handler = std::function<Response(const Params&)>;

/// Who may call what. Reads need the token too when the server is reachable beyond loopback.
struct AccessPolicy {
    std::string token;  ///< empty = write endpoints are disabled (403)
    bool reads_need_token = false;
};

class Router {
public:
    struct Route {
        RouteSpec spec;
        Handler handler;
        std::vector<std::string> segments;  ///< the split path; "{x}" for captures
    };

    explicit Router(AccessPolicy policy = {});

    /// Adds a route. Pre: no route with the same method and path. Throws std::logic_error when a
    /// parameter's default_text fails its own validation (a bug in the declaration).
    void add(RouteSpec spec, Handler handler);

    /// Matches, authorises, validates, runs the handler; never throws. Unknown path -> 404,
    /// known path with another method -> 405 with Allow, bad token -> 401, bad parameter -> 400,
    /// InputError -> status_for, anything else -> 500 (E-INTERNAL, reported to the error log).
    [[nodiscard]] Response handle(const Request& request) const;

    /// Called with a one-line description of every 5xx answer.
    void set_error_log(std::function<void(const std::string&)> log) { error_log_ = std::move(log); }

    [[nodiscard]] const std::vector<Route>& routes() const { return routes_; }
    [[nodiscard]] const AccessPolicy& policy() const { return policy_; }

private:
    [[nodiscard]] Response dispatch(const Request& request) const;

    AccessPolicy policy_;
    std::vector<Route> routes_;
    std::function<void(const std::string&)> error_log_;
};

/// Validates the query of a request against the specs: unknown names, repeats of a single-valued
/// parameter, missing required ones and values of the wrong type, every problem at once.
[[nodiscard]] std::vector<Diagnostic> check_query(const Request& request, const RouteSpec& spec);

/// Constant-time comparison of "Bearer <token>" against the expected token.
[[nodiscard]] bool bearer_matches(std::string_view authorization, std::string_view token);

}  // namespace lodestone::server
