// Endpoints of the job manager: long runs are created by their own POST (e.g. /simulate), then
// observed and cancelled here.
#include "lodestone/server/internal/routes.hpp"
#include "lodestone/server/openapi.hpp"

namespace lodestone::server::internal {

void add_job_routes(Router& router, const State& state) {
    router.add({.method = "GET",
                .path = "/api/v1/jobs",
                .summary = "Every job known, newest first, without results",
                .tag = "jobs",
                .response_schema = {{"type", "array"}, {"items", schema_ref("Job")}}},
               [state](const Params&) { return Response::json(state->jobs->list()); });

    router.add({.method = "GET",
                .path = "/api/v1/jobs/{id}",
                .summary = "A job's state, progress (0-1) and, once succeeded, its result",
                .tag = "jobs",
                .path_params = {{.name = "id",
                                 .description = "job id returned by the POST that created it"}},
                .response_schema = schema_ref("Job"),
                .error_statuses = {404}},
               [state](const Params& p) {
                   auto status = state->jobs->status(p.path("id"));
                   if (!status) {
                       throw ApiError(404, ErrorCode::NotFound, "no job '" + p.path("id") + "'",
                                      "id");
                   }
                   return Response::json(*status);
               });

    router.add(
        {.method = "DELETE",
         .path = "/api/v1/jobs/{id}",
         .summary = "Cancel a job: at once when queued, at its next progress check when running",
         .tag = "jobs",
         .path_params = {{.name = "id", .description = "job id"}},
         .response_schema = schema_ref("Job"),
         .error_statuses = {404}},
        [state](const Params& p) {
            const auto status = state->jobs->cancel(p.path("id"))
                                    ? state->jobs->status(p.path("id"))
                                    : std::nullopt;
            if (!status) {
                throw ApiError(404, ErrorCode::NotFound, "no job '" + p.path("id") + "'", "id");
            }
            return Response::json(*status);
        });
}

}  // namespace lodestone::server::internal
