// lodestone/server/openapi.hpp: the OpenAPI 3.0 document of the API, generated from the routing
// table (paths, parameters, bodies, access, responses) plus the shared component schemas.
// Example: auto doc = openapi_document(router, "0.1.0"); doc["paths"]["/api/v1/dataset"]
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "lodestone/model/measure_fields.hpp"
#include "lodestone/server/router.hpp"

namespace lodestone::server {

/// The whole document for GET /api/v1/openapi.json.
[[nodiscard]] nlohmann::json openapi_document(const Router& router, const std::string& version);

/// {"$ref": "#/components/schemas/<name>"}
[[nodiscard]] nlohmann::json schema_ref(const std::string& name);

/// The (name, JSON type) columns of a table that lists these measure fields.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> measure_row_columns(
    std::span<const model::MeasureField> fields);

/// An array of row objects with the given (name, JSON type) columns: a report::Table as JSON.
[[nodiscard]] nlohmann::json rows_schema(
    const std::vector<std::pair<std::string, std::string>>& columns);

}  // namespace lodestone::server
