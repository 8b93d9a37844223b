#include "lodestone/server/router.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "lodestone/core/assert.hpp"
#include "lodestone/core/number_text.hpp"
#include "lodestone/core/text.hpp"

namespace lodestone::server {

namespace {

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        const auto end = slash == std::string_view::npos ? path.size() : slash;
        if (end > start) {
            out.emplace_back(path.substr(start, end - start));
        }
        if (slash == std::string_view::npos) {
            break;
        }
        start = slash + 1;
    }
    return out;
}

bool is_capture(const std::string& segment) {
    return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

std::optional<std::map<std::string, std::string>> match(const std::vector<std::string>& pattern,
                                                        const std::vector<std::string>& path) {
    if (pattern.size() != path.size()) {
        return std::nullopt;
    }
    std::map<std::string, std::string> values;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (is_capture(pattern[i])) {
            values[pattern[i].substr(1, pattern[i].size() - 2)] = path[i];
        } else if (pattern[i] != path[i]) {
            return std::nullopt;
        }
    }
    return values;
}

Diagnostic usage(std::string field, std::string message) {
    return Diagnostic{Severity::Error,  ErrorCode::Usage,  {}, 0, 0,
                      std::move(field), std::move(message)};
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
    std::int64_t v = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || ptr != end || text.empty()) {
        return std::nullopt;
    }
    return v;
}

std::optional<double> parse_number(std::string_view text) {
    double v = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || ptr != end || text.empty() || !std::isfinite(v)) {
        return std::nullopt;
    }
    return v;
}

std::optional<Date> parse_date(std::string_view text) {
    if (text == "today") {
        return Date::today();
    }
    return Date::parse(text);
}

std::optional<bool> parse_bool(std::string_view text) {
    if (text == "true" || text == "1") {
        return true;
    }
    if (text == "false" || text == "0") {
        return false;
    }
    return std::nullopt;
}

/// "" when the value fits the spec, else the reason.
std::string check_value(const ParamSpec& p, const std::string& v) {
    const std::string got = ", got '" + v + "'";
    switch (p.type) {
        case ParamType::String:
            return v.empty() && p.required ? "expected a value" : "";
        case ParamType::Date:
            return parse_date(v) ? "" : "expected a date YYYY-MM-DD" + got;
        case ParamType::Integer: {
            const auto n = parse_integer(v);
            if (!n || static_cast<double>(*n) < p.min || static_cast<double>(*n) > p.max) {
                return "expected an integer in [" + significant(p.min) + "," + significant(p.max) +
                       "]" + got;
            }
            return "";
        }
        case ParamType::Number: {
            const auto n = parse_number(v);
            if (!n || *n < p.min || *n > p.max) {
                return "expected a number in [" + significant(p.min) + "," + significant(p.max) +
                       "]" + got;
            }
            return "";
        }
        case ParamType::Duration:
            return parse_duration_days(v) ? "" : "expected a duration like 30d, 6w or 3m" + got;
        case ParamType::Enum:
            return std::find(p.choices.begin(), p.choices.end(), v) != p.choices.end()
                       ? ""
                       : "expected one of " + join(p.choices, ", ") + got;
        case ParamType::Boolean:
            return parse_bool(v) ? "" : "expected true or false" + got;
    }
    return "";
}

}  // namespace

// ---- Params -------------------------------------------------------------------------------

Params::Params(const Request& request,
               const RouteSpec& spec,
               std::map<std::string, std::string> path_values)
    : request_(request), spec_(spec), path_values_(std::move(path_values)) {}

const std::string& Params::path(const std::string& name) const {
    const auto it = path_values_.find(name);
    if (it == path_values_.end()) {
        throw std::logic_error("route " + spec_.path + " has no path parameter '" + name + "'");
    }
    return it->second;
}

bool Params::has(std::string_view name) const {
    return std::any_of(request_.query.begin(), request_.query.end(),
                       [&](const auto& kv) { return kv.first == name; });
}

std::string Params::text(std::string_view name) const {
    for (const auto& [k, v] : request_.query) {
        if (k == name) {
            return v;
        }
    }
    return {};
}

std::vector<std::string> Params::list(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : request_.query) {
        if (k != name) {
            continue;
        }
        std::size_t start = 0;
        while (start <= v.size()) {
            const auto comma = std::min(v.find(',', start), v.size());
            if (comma > start) {
                out.push_back(v.substr(start, comma - start));
            }
            start = comma + 1;
        }
    }
    return out;
}

std::optional<Date> Params::date(std::string_view name) const {
    return has(name) ? parse_date(text(name)) : std::nullopt;
}

Date Params::date_or(std::string_view name, std::optional<Date> fallback) const {
    if (auto d = date(name)) {
        return *d;
    }
    return fallback.value_or(Date::today());
}

std::optional<std::int64_t> Params::integer(std::string_view name) const {
    return has(name) ? parse_integer(text(name)) : std::nullopt;
}

std::optional<double> Params::number(std::string_view name) const {
    return has(name) ? parse_number(text(name)) : std::nullopt;
}

std::optional<int> Params::duration_days(std::string_view name) const {
    return has(name) ? parse_duration_days(text(name)) : std::nullopt;
}

std::optional<bool> Params::boolean(std::string_view name) const {
    return has(name) ? parse_bool(text(name)) : std::nullopt;
}

const ParamSpec& Params::spec(std::string_view name) const {
    const auto it = std::find_if(spec_.query.begin(), spec_.query.end(),
                                 [&](const ParamSpec& p) { return p.name == name; });
    if (it == spec_.query.end()) {
        throw std::logic_error("route " + spec_.path + " declares no query parameter '" +
                               std::string(name) + "'");
    }
    return *it;
}

std::string Params::text_or_default(std::string_view name) const {
    if (has(name)) {
        return text(name);
    }
    const auto& p = spec(name);
    if (p.default_text.empty()) {
        throw std::logic_error("route " + spec_.path + ": query parameter '" + p.name +
                               "' declares no default");
    }
    return p.default_text;
}

// The values below were validated (a given one by check_query, a default by Router::add).
std::int64_t Params::integer_or_default(std::string_view name) const {
    return parse_integer(text_or_default(name)).value();
}

double Params::number_or_default(std::string_view name) const {
    return parse_number(text_or_default(name)).value();
}

int Params::duration_days_or_default(std::string_view name) const {
    return parse_duration_days(text_or_default(name)).value();
}

bool Params::boolean_or_default(std::string_view name) const {
    return parse_bool(text_or_default(name)).value();
}

// ---- checks ---------------------------------------------------------------------------------

std::vector<Diagnostic> check_query(const Request& request, const RouteSpec& spec) {
    std::vector<Diagnostic> out;
    std::set<std::string> seen;
    std::set<std::string> reported;
    for (const auto& [name, value] : request.query) {
        const auto it = std::find_if(spec.query.begin(), spec.query.end(),
                                     [&](const ParamSpec& p) { return p.name == name; });
        if (it == spec.query.end()) {
            if (!reported.insert(name).second) {
                continue;
            }
            std::vector<std::string> names;
            names.reserve(spec.query.size());
            for (const auto& p : spec.query) {
                names.push_back(p.name);
            }
            out.push_back(
                usage(name, names.empty()
                                ? "unknown query parameter '" + name + "': this endpoint takes none"
                                : "unknown query parameter '" + name + "'; expected one of " +
                                      join(names, ", ")));
            continue;
        }
        if (!seen.insert(name).second && !it->repeated) {
            if (reported.insert(name).second) {
                out.push_back(usage(name, name + ": given more than once"));
            }
            continue;
        }
        if (it->repeated && it->type == ParamType::String) {
            continue;  // a comma list of ids: checked against the dataset by the handler
        }
        if (const auto why = check_value(*it, value); !why.empty()) {
            out.push_back(usage(name, name + ": " + why));
        }
    }
    for (const auto& p : spec.query) {
        if (p.required && seen.count(p.name) == 0) {
            out.push_back(usage(p.name, p.name + ": required query parameter is missing"));
        }
    }
    return out;
}

bool bearer_matches(std::string_view authorization, std::string_view token) {
    constexpr std::string_view kPrefix = "Bearer ";
    if (token.empty() || authorization.size() != kPrefix.size() + token.size() ||
        authorization.substr(0, kPrefix.size()) != kPrefix) {
        return false;
    }
    const auto given = authorization.substr(kPrefix.size());
    unsigned diff = 0;
    for (std::size_t i = 0; i < token.size(); ++i) {
        diff |= static_cast<unsigned>(static_cast<unsigned char>(given[i]) ^
                                      static_cast<unsigned char>(token[i]));
    }
    return diff == 0;
}

// ---- Router ---------------------------------------------------------------------------------

Router::Router(AccessPolicy policy) : policy_(std::move(policy)) {}

void Router::add(RouteSpec spec, Handler handler) {
    LODE_ASSERT(std::none_of(routes_.begin(), routes_.end(), [&](const Route& r) {
        return r.spec.method == spec.method && r.spec.path == spec.path;
    }));
    for (const auto& p : spec.query) {
        if (p.default_text.empty()) {
            continue;
        }
        if (const auto why = check_value(p, p.default_text); !why.empty()) {
            throw std::logic_error(spec.method + " " + spec.path + ": default of " + p.name + ": " +
                                   why);
        }
    }
    auto segments = split_path(spec.path);
    routes_.push_back(Route{std::move(spec), std::move(handler), std::move(segments)});
}

Response Router::handle(const Request& request) const {
    try {
        return dispatch(request);
    } catch (const ApiError& e) {
        auto r = error_response(e.status(), e.diagnostics());
        if (e.status() == 401) {
            r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"lodestone\"");
        }
        return r;
    } catch (const InputError& e) {
        return error_response(status_for(e.diagnostics()), e.diagnostics());
    } catch (const std::exception& e) {
        if (error_log_) {
            error_log_("500 " + request.method + " " + request.path + ": " + e.what());
        }
        const std::vector<Diagnostic> d{{Severity::Error,
                                         ErrorCode::Internal,
                                         {},
                                         0,
                                         0,
                                         {},
                                         std::string("internal error: ") + e.what()}};
        return error_response(500, d);
    }
}

Response Router::dispatch(const Request& request) const {
    const auto segments = split_path(request.path);
    const std::string method = request.method == "HEAD" ? "GET" : request.method;
    const Route* found = nullptr;
    std::map<std::string, std::string> values;
    std::vector<std::string> allowed;
    for (const auto& r : routes_) {
        auto m = match(r.segments, segments);
        if (!m) {
            continue;
        }
        if (r.spec.method == method) {
            // Literal segments beat captures: /jobs/list before /jobs/{id} if both exist.
            if (found == nullptr ||
                std::count_if(r.segments.begin(), r.segments.end(), is_capture) <
                    std::count_if(found->segments.begin(), found->segments.end(), is_capture)) {
                found = &r;
                values = std::move(*m);
            }
        } else {
            allowed.push_back(r.spec.method);
        }
    }
    if (found == nullptr) {
        if (!allowed.empty()) {
            std::sort(allowed.begin(), allowed.end());
            allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
            auto r = error_response(
                405, std::vector<Diagnostic>{usage({}, "method " + request.method +
                                                           " is not allowed on " + request.path +
                                                           "; allowed: " + join(allowed, ", "))});
            r.headers.emplace_back("Allow", join(allowed, ", "));
            return r;
        }
        throw ApiError(404, ErrorCode::NotFound,
                       "no endpoint " + request.method + " " + request.path +
                           "; the API is described at /api/v1/openapi.json");
    }
    const auto& spec = found->spec;
    if (spec.access == Access::Write && policy_.token.empty()) {
        throw ApiError(
            403, ErrorCode::Auth,
            "write endpoints are disabled: start the server with --token or LODESTONE_TOKEN");
    }
    if ((spec.access == Access::Write || policy_.reads_need_token) &&
        !bearer_matches(request.authorization, policy_.token)) {
        throw ApiError(
            401, ErrorCode::Auth,
            request.authorization.empty()
                ? "this endpoint needs the server's token: send 'Authorization: Bearer <token>'"
                : "the token does not match the server's token");
    }
    if (!spec.body.content_types.empty()) {
        if (spec.body.required && request.body.empty() && request.files.empty()) {
            throw ApiError(400, ErrorCode::Usage,
                           "this endpoint needs a request body of type " +
                               join(spec.body.content_types, " or "));
        }
        if (!request.body.empty() || !request.files.empty()) {
            const bool ok =
                std::find(spec.body.content_types.begin(), spec.body.content_types.end(),
                          request.content_type) != spec.body.content_types.end();
            if (!ok) {
                throw ApiError(415, ErrorCode::Usage,
                               "unsupported Content-Type '" + request.content_type +
                                   "'; expected " + join(spec.body.content_types, " or "));
            }
        }
    }
    if (auto problems = check_query(request, spec); !problems.empty()) {
        throw ApiError(400, std::move(problems));
    }
    const Params params(request, spec, std::move(values));
    return found->handler(params);
}

}  // namespace lodestone::server
