// Endpoints of the criticality panel (assess) and of two-sided leverage.
#include "lodestone/io/material_numbers.hpp"
#include "lodestone/report/assess_view.hpp"
#include "lodestone/report/leverage_view.hpp"
#include "lodestone/server/internal/routes.hpp"
#include "lodestone/server/openapi.hpp"

namespace lodestone::server::internal {

namespace {

nlohmann::json object_schema(std::initializer_list<const char*> keys) {
    nlohmann::json props = nlohmann::json::object();
    for (const char* k : keys) {
        props[k] = nlohmann::json::object();
    }
    return {{"type", "object"}, {"properties", props}};
}

}  // namespace

void add_analysis_routes(Router& router, const State& state) {
    router.add(
        {.method = "GET",
         .path = "/api/v1/assess",
         .summary =
             "Criticality panel: concentration, EU SR/EI, GeoPolRisk, USGS DP/TE, ranks by method",
         .description =
             "The JSON of `lodestone assess --format json` (docs/methods.md). The dataset's "
             "methods.toml applies (the CLI's --methods FILE has no API equivalent).",
         .tag = "analysis",
         .query = {as_of_param(),
                   {.name = "perspective",
                    .description = "country ISO3 or bloc whose sourcing is assessed",
                    .default_text = "EU"},
                   {.name = "material",
                    .description = "material ids (default: all)",
                    .repeated = true},
                   {.name = "stage", .description = "only this stage"},
                   {.name = "method",
                    .type = ParamType::Enum,
                    .description = "method to rank by and show (all = every method, ranked by eu)",
                    .choices = {"all", "eu", "geopolrisk", "usgs", "hhi"},
                    .default_text = "all"},
                   {.name = "by_stage",
                    .type = ParamType::Boolean,
                    .description = "one row per material and stage",
                    .default_text = "false"},
                   {.name = "ev",
                    .description = "USGS economic vulnerability, MATERIAL=0..1 (repeatable)",
                    .repeated = true}},
         .response_schema = object_schema({"as_of", "perspective", "members", "ranked_by",
                                           "by_stage", "methods", "rows", "agreement", "notes"}),
         .error_statuses = {422}},
        [state](const Params& p) {
            const auto& w = state->loaded->world;
            report::AssessQuery q;
            q.as_of = as_of(p, w);
            q.perspective = p.text_or_default("perspective");
            q.materials = p.list("material");
            q.stage = p.text("stage");
            q.method = p.text_or_default("method");
            q.by_stage = p.boolean_or_default("by_stage");
            q.ev = io::parse_material_numbers(w, p.list("ev"), "ev", {0, 1});
            return Response::json(report::assess_views(w, w.methods, q).json);
        });

    router.add(
        {.method = "GET",
         .path = "/api/v1/leverage",
         .summary =
             "Two-sided leverage of a supplier over a target per material; without supplier, "
             "every supplier of the target ranked",
         .description =
             "With `supplier`: the JSON of `lodestone leverage --supplier S --target T --format "
             "json`; without: the ranking of `lodestone leverage --target T --top N`.",
         .tag = "analysis",
         .query =
             {{.name = "target", .description = "target country ISO3 or bloc", .required = true},
              {.name = "supplier", .description = "supplier country ISO3 or bloc (omit to rank)"},
              as_of_param(),
              {.name = "material", .description = "material ids (default: all)", .repeated = true},
              {.name = "top",
               .type = ParamType::Integer,
               .description = "ranking: keep the first N suppliers (not with supplier)",
               .min = 1,
               .max = 1000,
               .default_text = "10"}},
         .response_schema = {{"oneOf",
                              {object_schema({"as_of", "supplier", "target", "share_basis",
                                              "forward", "reverse", "net", "notes"}),
                               {{"type", "array"}, {"items", {{"type", "object"}}}}}}},
         .error_statuses = {422}},
        [state](const Params& p) {
            const auto& w = state->loaded->world;
            const Date date = as_of(p, w);
            if (!p.has("supplier")) {
                const auto top = static_cast<std::size_t>(p.integer_or_default("top"));
                return Response::json(report::leverage_ranking_views(w, p.text("target"), date,
                                                                     p.list("material"), top)
                                          .json);
            }
            if (p.has("top")) {
                throw ApiError(400, ErrorCode::Usage,
                               "top ranks every supplier of target: drop supplier or top", "top");
            }
            return Response::json(report::leverage_pair_views(w, p.text("supplier"),
                                                              p.text("target"), date,
                                                              p.list("material"))
                                      .json);
        });
}

}  // namespace lodestone::server::internal
