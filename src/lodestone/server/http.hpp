// lodestone/server/http.hpp: the transport-neutral request, response and error of the HTTP API.
// Routes see only these types, so they are tested without sockets; server.cpp maps them to
// cpp-httplib. Errors are JSON {error, diagnostics: [{severity, code, file, line, column, field,
// message}]}, the same diagnostics the CLI prints.
// Example: throw ApiError(404, ErrorCode::NotFound, "no measure 'X'");
#pragma once

#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "lodestone/core/diagnostic.hpp"

namespace lodestone::server {

/// One part of a multipart/form-data body.
struct UploadedFile {
    std::string name;      ///< the form field name
    std::string filename;  ///< the file name the client sent, may be empty
    std::string content_type;
    std::string content;
};

struct Request {
    std::string method;  ///< "GET", "POST", ...
    std::string path;    ///< URL-decoded, without the query, e.g. "/api/v1/dataset"
    std::vector<std::pair<std::string, std::string>> query;  ///< decoded, in request order
    std::string content_type;   ///< without parameters, lower case, e.g. "text/csv"
    std::string authorization;  ///< the Authorization header, verbatim
    std::string body;
    std::vector<UploadedFile> files;  ///< multipart/form-data parts, in order
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    /// A JSON response; the document is serialised compactly.
    [[nodiscard]] static Response json(const nlohmann::json& doc, int status = 200);
};

/// An error with its HTTP status, thrown by routes and caught by the Router (the one catch site).
class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::vector<Diagnostic> diagnostics);
    ApiError(int status, ErrorCode code, std::string message, std::string field = {});
    [[nodiscard]] int status() const { return status_; }
    [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

private:
    int status_;
    std::vector<Diagnostic> diagnostics_;
};

/// Status for an InputError: 400 if any diagnostic is E-USAGE (a malformed request), else 404 if
/// any is E-NOT-FOUND, else 422 (well-formed request, invalid input data).
[[nodiscard]] int status_for(std::span<const Diagnostic> diagnostics);

/// {error, diagnostics}: `error` is the first diagnostic in compiler style, "+N more" appended.
[[nodiscard]] nlohmann::json error_json(std::span<const Diagnostic> diagnostics);

/// An error response with error_json as its body.
[[nodiscard]] Response error_response(int status, std::span<const Diagnostic> diagnostics);

/// The standard reason phrase of a status ("Not Found"); "Error" for unknown codes.
[[nodiscard]] std::string_view reason_phrase(int status);

}  // namespace lodestone::server
