// Endpoints of the brief: the payload of `lodestone brief --format json`, and the same brief as
// the one self-contained HTML file the CLI writes (for the dashboard's "download" link).
#include "lodestone/report/brief.hpp"
#include "lodestone/report/brief_render.hpp"
#include "lodestone/server/internal/routes.hpp"

namespace lodestone::server::internal {

namespace {

std::vector<ParamSpec> brief_params() {
    return {
        as_of_param(),
        {.name = "perspective",
         .description = "point of view: an ISO3 country code or a bloc of the dataset",
         .default_text = "USA"},
        {.name = "horizon",
         .type = ParamType::Integer,
         .description = "days ahead that count as 'soon'",
         .min = 1,
         .max = 3650,
         .default_text = "180"},
        {.name = "scenario",
         .description =
             "curated scenario to headline (GET /api/v1/scenarios); default: the most relevant"},
        {.name = "scenario_runs",
         .type = ParamType::Integer,
         .description =
             "Monte Carlo runs of the headline scenario; 0 ranks the scenarios and runs none",
         .min = 0,
         .max = 2000,
         .default_text = "200"},
        {.name = "sensitivity_runs",
         .type = ParamType::Integer,
         .description =
             "runs per variant of the headline's tornado (each uncertain parameter pinned at its "
             "P5 and P95); 0 = no tornado",
         .min = 0,
         .max = 2000,
         .default_text = "40"}};
}

report::Brief brief_of(const Params& p, const ApiState& state) {
    const auto& w = state.loaded->world;
    report::BriefOptions o;
    o.as_of = as_of(p, w);
    o.perspective = p.text_or_default("perspective");
    o.horizon_days = static_cast<int>(p.integer_or_default("horizon"));
    o.scenarios = state.scenarios;
    o.scenario_id = p.text("scenario");
    o.scenario_runs = static_cast<std::size_t>(p.integer_or_default("scenario_runs"));
    o.sensitivity_runs = o.scenario_runs == 0
                             ? 0
                             : static_cast<std::size_t>(p.integer_or_default("sensitivity_runs"));
    auto b = report::assemble_brief(w, o);
    b.generator = "lodestone " + state.version + " (serve)";
    return b;
}

}  // namespace

void add_brief_routes(Router& router, const State& state) {
    router.add(
        {.method = "GET",
         .path = "/api/v1/brief",
         .summary = "The brief: what binds, what changes soon, the riskiest materials (JSON)",
         .description =
             "The payload of `lodestone brief --format json` (docs/brief.md); sections "
             "whose capability is not in this build carry availability.available = false "
             "and a reason.",
         .tag = "brief",
         .query = brief_params(),
         .response_schema = {{"type", "object"}},
         .error_statuses = {422}},
        [state](const Params& p) { return Response::json(report::to_json(brief_of(p, *state))); });

    router.add(
        {.method = "GET",
         .path = "/api/v1/brief.html",
         .summary = "The brief as one self-contained HTML file (inline SVG charts, no script)",
         .description = "The file `lodestone brief --out` writes; it opens offline.",
         .tag = "brief",
         .query = brief_params(),
         .response_description = "text/html",
         .error_statuses = {422}},
        [state](const Params& p) {
            Response r;
            r.content_type = "text/html; charset=utf-8";
            r.body = report::render_html(brief_of(p, *state));
            return r;
        });
}

}  // namespace lodestone::server::internal
