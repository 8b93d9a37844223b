#include "lodestone/server/api.hpp"

#include "lodestone/server/internal/routes.hpp"
#include "lodestone/server/openapi.hpp"

namespace lodestone::server {

namespace internal {

ParamSpec as_of_param() {
    return {.name = "as_of",
            .type = ParamType::Date,
            .description = "Date to evaluate at, YYYY-MM-DD or 'today'.",
            .default_note = "today (the server's date; LODESTONE_TODAY pins it)"};
}

Date as_of(const Params& params, const model::World& /*world*/) {
    return params.date_or("as_of", std::nullopt);
}

nlohmann::json json_object_body(const Request& request, const std::string& expected) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(request.body);
    } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e400
        throw ApiError(400, ErrorCode::Json, std::string("request body is not JSON: ") + e.what());
    }
    if (!doc.is_object()) {
        throw ApiError(400, ErrorCode::Json, "expected a JSON object " + expected);
    }
    return doc;
}

}  // namespace internal

void add_api_routes(Router& router, std::shared_ptr<const ApiState> state) {
    internal::add_dataset_routes(router, state);
    internal::add_policy_routes(router, state);
    internal::add_analysis_routes(router, state);
    internal::add_lookthrough_routes(router, state);
    internal::add_simulate_routes(router, state);
    internal::add_decision_routes(router, state);
    internal::add_workspace_routes(router, state);
    internal::add_job_routes(router, state);
    internal::add_brief_routes(router, state);

    router.add({.method = "GET",
                .path = "/api/v1/health",
                .summary = "Liveness: the server answers",
                .tag = "meta",
                .response_schema = {{"type", "object"},
                                    {"properties", {{"status", {{"type", "string"}}}}}}},
               [](const Params&) {
                   return Response::json({{"status", "ok"}});
               });

    // The index and the OpenAPI document describe the table, so they are built after it.
    auto index = std::make_shared<std::string>();
    auto openapi = std::make_shared<std::string>();
    router.add({.method = "GET",
                .path = "/api/v1",
                .summary = "What this server is: version, dataset, limits and every endpoint",
                .tag = "meta",
                .response_schema = {{"type", "object"}}},
               [index](const Params&) {
                   Response r;
                   r.body = *index;
                   return r;
               });
    router.add({.method = "GET",
                .path = "/api/v1/openapi.json",
                .summary = "This OpenAPI 3 document",
                .tag = "meta",
                .response_schema = {{"type", "object"}}},
               [openapi](const Params&) {
                   Response r;
                   r.body = *openapi;
                   return r;
               });
    const auto& w = state->loaded->world;
    nlohmann::json endpoints = nlohmann::json::array();
    for (const auto& route : router.routes()) {
        endpoints.push_back({{"method", route.spec.method},
                             {"path", route.spec.path},
                             {"summary", route.spec.summary},
                             {"access", route.spec.access == Access::Write ? "write" : "read"}});
    }
    *index = nlohmann::json{{"name", "lodestone"},
                            {"version", state->version},
                            {"dataset",
                             {{"name", w.info.name},
                              {"version", w.info.version},
                              {"as_of", w.info.as_of ? w.info.as_of->to_string() : ""},
                              {"source", state->dataset_source},
                              {"content_hash", w.content_hash}}},
                            {"limits", {{"max_body_bytes", state->max_body_bytes}}},
                            {"auth",
                             {{"writes_enabled", !router.policy().token.empty()},
                              {"reads_need_token", router.policy().reads_need_token}}},
                            {"endpoints", endpoints}}
                 .dump();
    *openapi = openapi_document(router, state->version).dump();
}

}  // namespace lodestone::server
