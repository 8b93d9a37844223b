// Endpoints of the look-through: the origin of a country's supply of a material (GET), and of every
// product and material of a bill of materials sent as the body (POST).
#include <filesystem>

#include "lodestone/report/dataset_view.hpp"
#include "lodestone/report/lookthrough_view.hpp"
#include "lodestone/server/internal/routes.hpp"
#include "lodestone/server/openapi.hpp"

namespace lodestone::server::internal {

namespace {

ParamSpec min_share_param() {
    return {
        .name = "min_share",
        .type = ParamType::Number,
        .description = "fold origin shares below this into one 'other' row (0 lists every country)",
        .min = 0,
        .max = 1,
        .default_text = "0.001"};
}

/// The BOM and optional products file of a request: a text/csv body, or multipart parts named
/// "bom" and "products". Returns {bom name, bom text, products name, products text}.
struct BomUpload {
    std::string bom_name = "bom.csv", bom;
    std::string products_name = "products.csv", products;
};

BomUpload bom_upload(const Request& req) {
    BomUpload up;
    if (req.content_type == "text/csv") {
        up.bom = req.body;
        return up;
    }
    bool have_bom = false;
    for (const auto& part : req.files) {
        const auto shown = std::filesystem::path(part.filename).filename().string();
        if (part.name == "bom") {
            up.bom = part.content;
            up.bom_name = shown.empty() ? up.bom_name : shown;
            have_bom = true;
        } else if (part.name == "products") {
            up.products = part.content;
            up.products_name = shown.empty() ? up.products_name : shown;
        } else {
            throw ApiError(
                400, ErrorCode::Usage,
                "unknown form field '" + part.name + "'; expected 'bom' and optionally 'products'",
                part.name);
        }
    }
    if (!have_bom) {
        throw ApiError(400, ErrorCode::Usage,
                       "the form has no field 'bom' with the bill of materials", "bom");
    }
    return up;
}

}  // namespace

void add_lookthrough_routes(Router& router, const State& state) {
    router.add(
        {.method = "GET",
         .path = "/api/v1/lookthrough",
         .summary = "Origin of a country's supply of a material at every upstream stage",
         .description =
             "The JSON of `lodestone lookthrough --material M --country C --format json`: per "
             "supply stage, the country shares of origin at every upstream stage, their HHI, "
             "basis (observed/derived/mixed) and the measures in force touching each share.",
         .tag = "lookthrough",
         .query = {{.name = "material", .description = "material id", .required = true},
                   {.name = "country",
                    .description = "ISO3 or bloc whose supply to trace",
                    .required = true},
                   {.name = "stage",
                    .description = "only this supply stage (default: every stage)"},
                   as_of_param(),
                   min_share_param()},
         .response_schema = {{"type", "object"},
                             {"properties",
                              {{"mode", {{"type", "string"}}},
                               {"supplies", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                               {"measures",
                                {{"type", "array"}, {"items", {{"type", "object"}}}}}}}},
         .error_statuses = {422}},
        [state](const Params& p) {
            const auto& w = state->loaded->world;
            return Response::json(report::country_lookthrough_report(
                                      w, p.text("material"), p.text("country"), p.text("stage"),
                                      as_of(p, w), p.number_or_default("min_share"))
                                      .to_json());
        });

    router.add(
        {.method = "POST",
         .path = "/api/v1/lookthrough",
         .summary = "Look-through of a bill of materials sent as the body",
         .description =
             "The body is the BOM as text/csv (docs/lookthrough.md), or multipart/form-data "
             "with a part 'bom' and optionally a part 'products'. Answers the JSON of "
             "`lodestone lookthrough --bom FILE --format json`, plus `warnings` when the BOM "
             "has any. A BOM with errors gets 422 with every problem (file:line:column).",
         .tag = "lookthrough",
         .query = {as_of_param(),
                   {.name = "buyer",
                    .description = "ISO3 where the products are made, when the BOM does not say"},
                   min_share_param()},
         .body = {.content_types = {"text/csv", "multipart/form-data"},
                  .description = "bom.csv (and products.csv)"},
         .response_schema = {{"type", "object"},
                             {"properties",
                              {{"mode", {{"type", "string"}}},
                               {"products", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                               {"measures", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                               {"warnings",
                                {{"type", "array"}, {"items", schema_ref("Diagnostic")}}}}}},
         .error_statuses = {422}},
        [state](const Params& p) {
            const auto& w = state->loaded->world;
            const auto buyer = p.text("buyer");
            if (!buyer.empty() && w.find_country(buyer) == nullptr) {
                throw InputError({{Severity::Error,
                                   ErrorCode::UnknownCountry,
                                   {},
                                   0,
                                   0,
                                   "buyer",
                                   "buyer: unknown country '" + buyer + "'"}});
            }
            const auto up = bom_upload(p.request());
            const auto bom = io::parse_bom(up.bom, up.bom_name, up.products,
                                           up.products.empty() ? "" : up.products_name, w);
            auto doc = report::bom_lookthrough_report(w, bom, up.bom_name, as_of(p, w), buyer,
                                                      p.number_or_default("min_share"))
                           .to_json();
            if (!bom.warnings.empty()) {
                doc["warnings"] = report::diagnostics_json(bom.warnings);
            }
            return Response::json(doc);
        });
}

}  // namespace lodestone::server::internal
