#include "lodestone/server/http.hpp"

#include <algorithm>

#include "lodestone/report/document.hpp"

namespace lodestone::server {

Response Response::json(const nlohmann::json& doc, int status) {
    Response r;
    r.status = status;
    r.body = doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

ApiError::ApiError(int status, std::vector<Diagnostic> diagnostics)
    : std::runtime_error(diagnostics.empty() ? std::string(reason_phrase(status))
                                             : diagnostics.front().to_string()),
      status_(status),
      diagnostics_(std::move(diagnostics)) {}

ApiError::ApiError(int status, ErrorCode code, std::string message, std::string field)
    : ApiError(
          status,
          {Diagnostic{Severity::Error, code, {}, 0, 0, std::move(field), std::move(message)}}) {}

int status_for(std::span<const Diagnostic> diagnostics) {
    auto any = [&](ErrorCode code) {
        return std::any_of(diagnostics.begin(), diagnostics.end(),
                           [&](const Diagnostic& d) { return d.code == code; });
    };
    if (any(ErrorCode::Usage)) {
        return 400;
    }
    if (any(ErrorCode::NotFound)) {
        return 404;
    }
    return 422;
}

nlohmann::json error_json(std::span<const Diagnostic> diagnostics) {
    std::string summary =
        diagnostics.empty() ? std::string("error") : diagnostics.front().to_string();
    if (diagnostics.size() > 1) {
        summary += " (+" + std::to_string(diagnostics.size() - 1) + " more)";
    }
    return {{"error", summary}, {"diagnostics", report::diagnostics_json(diagnostics)}};
}

Response error_response(int status, std::span<const Diagnostic> diagnostics) {
    return Response::json(error_json(diagnostics), status);
}

std::string_view reason_phrase(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 202:
            return "Accepted";
        case 204:
            return "No Content";
        case 304:
            return "Not Modified";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 409:
            return "Conflict";
        case 413:
            return "Payload Too Large";
        case 414:
            return "URI Too Long";
        case 415:
            return "Unsupported Media Type";
        case 422:
            return "Unprocessable Entity";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return "Error";
    }
}

}  // namespace lodestone::server
