#include "lodestone/server/openapi.hpp"

#include <set>

namespace lodestone::server {

namespace {

nlohmann::json param_schema(const ParamSpec& p) {
    nlohmann::json s;
    switch (p.type) {
        case ParamType::String:
            s = {{"type", "string"}};
            break;
        case ParamType::Date:
            s = {{"type", "string"},
                 {"pattern", "^(\\d{4}-\\d{2}-\\d{2}|today)$"},
                 {"example", "2026-11-28"}};
            break;
        case ParamType::Integer:
            s = {{"type", "integer"}};
            break;
        case ParamType::Number:
            s = {{"type", "number"}};
            break;
        case ParamType::Duration:
            s = {{"type", "string"}, {"pattern", "^\\d+[dwm]?$"}, {"example", "30d"}};
            break;
        case ParamType::Enum:
            s = {{"type", "string"}, {"enum", p.choices}};
            break;
        case ParamType::Boolean:
            s = {{"type", "boolean"}};
            break;
    }
    if (p.type == ParamType::Integer || p.type == ParamType::Number) {
        if (p.min > -1e300) {
            s["minimum"] = p.min;
        }
        if (p.max < 1e300) {
            s["maximum"] = p.max;
        }
    }
    if (p.repeated) {
        return {{"type", "array"}, {"items", s}};
    }
    if (!p.default_text.empty()) {
        // Typed defaults: a number parameter's default must be a JSON number, not its text.
        if (p.type == ParamType::Integer) {
            s["default"] = std::stoll(p.default_text);
        } else if (p.type == ParamType::Number) {
            s["default"] = std::stod(p.default_text);
        } else if (p.type == ParamType::Boolean) {
            s["default"] = p.default_text == "true" || p.default_text == "1";
        } else {
            s["default"] = p.default_text;
        }
    }
    return s;
}

nlohmann::json parameter(const ParamSpec& p, const char* in) {
    std::string description = p.description;
    if (const auto& d = p.default_text.empty() ? p.default_note : p.default_text; !d.empty()) {
        description += (description.empty() ? "" : " ") + std::string("Default: ") + d + ".";
    }
    nlohmann::json j{{"name", p.name},
                     {"in", in},
                     {"required", std::string_view(in) == "path" || p.required},
                     {"description", description},
                     {"schema", param_schema(p)}};
    if (p.repeated) {
        j["style"] = "form";
        j["explode"] = false;
    }
    return j;
}

nlohmann::json error_response_doc(const std::string& description) {
    return {{"description", description},
            {"content", {{"application/json", {{"schema", schema_ref("Error")}}}}}};
}

std::string lower(std::string s) {
    for (auto& c : s) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return s;
}

std::string operation_id(const RouteSpec& r) {
    std::string id = lower(r.method);
    bool upper = true;
    for (const char c : r.path.substr(std::string("/api/v1").size())) {
        if (c == '/' || c == '{' || c == '}' || c == '.' || c == '_' || c == '-') {
            upper = true;
            continue;
        }
        id += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
        upper = false;
    }
    return id;
}

nlohmann::json components() {
    const nlohmann::json nullable_string{{"type", "string"}, {"nullable", true}};
    const nlohmann::json nullable_number{{"type", "number"}, {"nullable", true}};
    nlohmann::json schemas;
    schemas["Diagnostic"] = {
        {"type", "object"},
        {"description", "One problem, as the CLI prints it: file:line:column: message (code)."},
        {"required", {"severity", "code", "file", "line", "column", "field", "message"}},
        {"properties",
         {{"severity", {{"type", "string"}, {"enum", {"error", "warning"}}}},
          {"code", {{"type", "string"}, {"example", "E-UNKNOWN-MATERIAL"}}},
          {"file", {{"type", "string"}, {"description", "empty for request parameters"}}},
          {"line", {{"type", "integer"}, {"description", "1-based; 0 = the whole file"}}},
          {"column", {{"type", "integer"}, {"description", "1-based; 0 = the whole line"}}},
          {"field",
           {{"type", "string"}, {"description", "column name, key path or query parameter"}}},
          {"message", {{"type", "string"}}}}}};
    schemas["Error"] = {
        {"type", "object"},
        {"required", {"error", "diagnostics"}},
        {"properties",
         {{"error", {{"type", "string"}, {"description", "the first diagnostic, compiler style"}}},
          {"diagnostics", {{"type", "array"}, {"items", schema_ref("Diagnostic")}}}}}};
    schemas["Share"] = {
        {"type", "object"},
        {"properties",
         {{"country", {{"type", "string"}, {"description", "ISO3, or ROW for other countries"}}},
          {"tonnes", {{"type", "number"}, {"description", "t/yr, contained element"}}},
          {"share", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
          {"project_tonnes",
           {{"type", "number"},
            {"description", "only in /shares: of tonnes, added by projects"}}}}}};
    schemas["Stage"] = {
        {"type", "object"},
        {"properties",
         {{"material", {{"type", "string"}, {"description", "only in /shares"}}},
          {
              "stage",
              {{"type", "string"}},
          },
          {"order", {{"type", "integer"}}},
          {"yield", {{"type", "number"}}},
          {"description", {{"type", "string"}}},
          {"year", {{"type", "integer"}}},
          {"data_year",
           {{"type", "integer"}, {"description", "only in /shares: the production data's year"}}},
          {"years",
           {{"type", "object"},
            {"description", "only in /shares: the years `year` may be"},
            {"properties", {{"first", {{"type", "integer"}}}, {"last", {{"type", "integer"}}}}}}},
          {"project_tonnes",
           {{"type", "number"},
            {"description", "only in /shares: of world_tonnes, added by projects"}}},
          {"world_tonnes", {{"type", "number"}, {"description", "t/yr, listed countries + ROW"}}},
          {"hhi", {{"type", "number"}, {"description", "0-1, ROW not counted as one producer"}}},
          {"residual_share", {{"type", "number"}}},
          {"top_country", {{"type", "string"}}},
          {"top_share", {{"type", "number"}}},
          {"shares", {{"type", "array"}, {"items", schema_ref("Share")}}}}}};
    schemas["Material"] = {{"type", "object"},
                           {"properties",
                            {{"id", {{"type", "string"}}},
                             {"name", {{"type", "string"}}},
                             {"family", {{"type", "string"}}},
                             {"price_usd_t", nullable_number},
                             {"price_year", {{"type", "integer"}, {"nullable", true}}},
                             {"eol_rir", nullable_number},
                             {"stages", {{"type", "array"}, {"items", schema_ref("Stage")}}}}}};
    schemas["Country"] = {
        {"type", "object"},
        {"properties",
         {{"iso3", {{"type", "string"}}},
          {"name", {{"type", "string"}}},
          {"region", {{"type", "string"}}},
          {"wgi", {{"type", "number"}, {"description", "governance 0-10, 10 = worst"}}},
          {"blocs", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}};
    const nlohmann::json string_list{{"type", "array"}, {"items", {{"type", "string"}}}};
    // The fields of a measure (model/measure_fields.hpp), as report::measure_fields_json writes
    // them, then what GET /measures adds.
    nlohmann::json measure = nlohmann::json::object();
    for (const auto& f : model::measure_fields()) {
        nlohmann::json& s = measure[std::string(f.name)];
        switch (f.type) {
            case model::FieldType::Text:
                s = {{"type", "string"}};
                break;
            case model::FieldType::List:
                s = string_list;
                break;
            case model::FieldType::Date:
                s = nullable_string;
                s["format"] = "date";
                break;
            case model::FieldType::Number:
                s = nullable_number;
                break;
        }
    }
    measure["destinations"]["description"] = "ALL, USA;EU or ALL_EXCEPT:G7";
    measure["expires"]["description"] = "last day in force; null = open-ended";
    measure["state"] = {{"type", "string"}, {"enum", {"in_force", "suspended", "inactive"}}};
    measure["suspended_by"] = string_list;
    schemas["Measure"] = {{"type", "object"}, {"properties", std::move(measure)}};
    schemas["Job"] = {
        {"type", "object"},
        {"properties",
         {{"id", {{"type", "string"}}},
          {"kind", {{"type", "string"}, {"description", "simulate or sensitivity"}}},
          {"state",
           {{"type", "string"},
            {"enum", {"queued", "running", "succeeded", "failed", "cancelled"}}}},
          {"progress", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
          {"message", {{"type", "string"}}},
          {"params", {{"type", "object"}}},
          {"submitted", {{"type", "string"}, {"format", "date-time"}}},
          {"started", {{"type", "string"}, {"format", "date-time"}, {"nullable", true}}},
          {"finished", {{"type", "string"}, {"format", "date-time"}, {"nullable", true}}},
          {"seconds", nullable_number},
          {"result",
           {{"description",
             "when succeeded: the same JSON as the CLI command; a sensitivity job's is "
             "{sensitivity: Sensitivity}"}}},
          {"error", schema_ref("Error")}}}};
    // sim::sensitivity_json: `lodestone simulate --sensitivity --format json`.
    schemas["Sensitivity"] = {
        {"type", "object"},
        {"properties",
         {{"method", {{"type", "string"}, {"enum", {"oat", "morris"}}}},
          {"scenario", {{"type", "string"}}},
          {"seed", {{"type", "integer"}}},
          {"runs", {{"type", "integer"}, {"description", "oat: Monte Carlo runs per variant"}}},
          {"trajectories", {{"type", "integer"}, {"description", "morris: r"}}},
          {"model_runs", {{"type", "integer"}}},
          {"quantiles",
           {{"type", "array"}, {"items", {{"type", "number"}}}, {"description", "[0.05, 0.95]"}}},
          {"parameters",
           {{"type", "array"},
            {"items",
             {{"type", "object"},
              {"properties",
               {{"path", {{"type", "string"}}},
                {"distribution", {{"type", "object"}}},
                {"low", nullable_number},
                {"high", nullable_number}}}}}}},
          {"tornados",
           {{"type", "array"},
            {"items",
             {{"type", "object"},
              {"properties",
               {{"region", {{"type", "string"}}},
                {"material", {{"type", "string"}}},
                {"metric",
                 {{"type", "string"},
                  {"enum",
                   {"peak_shortfall_share", "peak_price_multiple", "cumulative_cost_usd"}}}},
                {"unit", {{"type", "string"}}},
                {"median_base", nullable_number},
                {"bars",
                 {{"type", "array"},
                  {"description", "largest swing first"},
                  {"items",
                   {{"type", "object"},
                    {"properties",
                     {{"parameter", {{"type", "string"}}},
                      {"low_value", nullable_number},
                      {"high_value", nullable_number},
                      {"median_low", nullable_number},
                      {"median_high", nullable_number},
                      {"mu_star", nullable_number},
                      {"sigma", nullable_number},
                      {"swing", nullable_number}}}}}}}}}}}}},
          {"notes", string_list}}}};
    schemas["Validation"] = {
        {"type", "object"},
        {"properties",
         {{"dataset", {{"type", "string"}}},
          {"valid", {{"type", "boolean"}}},
          {"errors", {{"type", "array"}, {"items", schema_ref("Diagnostic")}}},
          {"warnings", {{"type", "array"}, {"items", schema_ref("Diagnostic")}}}}}};
    return {{"schemas", schemas},
            {"securitySchemes",
             {{"bearer",
               {{"type", "http"},
                {"scheme", "bearer"},
                {"description", "The server's token (--token or LODESTONE_TOKEN)."}}}}}};
}

}  // namespace

nlohmann::json schema_ref(const std::string& name) {
    return {{"$ref", "#/components/schemas/" + name}};
}

std::vector<std::pair<std::string, std::string>> measure_row_columns(
    std::span<const model::MeasureField> fields) {
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(fields.size());
    for (const auto field : fields) {
        const auto& f = model::field_info(field);
        out.emplace_back(std::string(f.name),
                         f.type == model::FieldType::Number ? "number" : "string");
    }
    return out;
}

nlohmann::json rows_schema(const std::vector<std::pair<std::string, std::string>>& columns) {
    nlohmann::json props = nlohmann::json::object();
    for (const auto& [name, type] : columns) {
        props[name] = {{"type", type}, {"nullable", true}};
    }
    return {{"type", "array"}, {"items", {{"type", "object"}, {"properties", props}}}};
}

nlohmann::json openapi_document(const Router& router, const std::string& version) {
    nlohmann::json paths = nlohmann::json::object();
    std::set<std::string> tags;
    for (const auto& route : router.routes()) {
        const auto& r = route.spec;
        nlohmann::json op{{"operationId", operation_id(r)}, {"summary", r.summary}};
        if (!r.description.empty()) {
            op["description"] = r.description;
        }
        if (!r.tag.empty()) {
            op["tags"] = {r.tag};
            tags.insert(r.tag);
        }
        auto params = nlohmann::json::array();
        for (const auto& p : r.path_params) {
            params.push_back(parameter(p, "path"));
        }
        for (const auto& p : r.query) {
            params.push_back(parameter(p, "query"));
        }
        if (!params.empty()) {
            op["parameters"] = params;
        }
        if (!r.body.content_types.empty()) {
            nlohmann::json content = nlohmann::json::object();
            for (const auto& type : r.body.content_types) {
                content[type] = {{"schema", type == "application/json"
                                                ? nlohmann::json{{"type", "object"}}
                                                : nlohmann::json{{"type", "string"}}}};
            }
            op["requestBody"] = {{"required", r.body.required},
                                 {"description", r.body.description},
                                 {"content", content}};
        }
        nlohmann::json responses;
        nlohmann::json ok{{"description", r.response_description}};
        ok["content"]["application/json"]["schema"] =
            r.response_schema.is_null() ? nlohmann::json::object() : r.response_schema;
        responses[std::to_string(r.success_status)] = ok;
        std::set<int> errors{400, 500};
        errors.insert(r.error_statuses.begin(), r.error_statuses.end());
        if (r.access == Access::Write) {
            errors.insert({401, 403});
            op["security"] = {{{"bearer", nlohmann::json::array()}}};
        } else {
            errors.insert(401);
            op["security"] = {nlohmann::json::object(), {{"bearer", nlohmann::json::array()}}};
        }
        if (!r.body.content_types.empty()) {
            errors.insert({413, 415});
        }
        for (const int s : errors) {
            std::string why(reason_phrase(s));
            if (s == 401) {
                why += r.access == Access::Write
                           ? ": missing or wrong token"
                           : ": missing or wrong token (only when the server is not on loopback)";
            } else if (s == 403) {
                why += ": the server was started without a token, write endpoints are disabled";
            } else if (s == 400) {
                why += ": a malformed request (unknown or invalid query parameter, bad body)";
            } else if (s == 422) {
                why += ": the request is well formed but its input data is invalid";
            } else if (s == 413) {
                why += ": the body exceeds the server's limit (--max-body)";
            }
            responses[std::to_string(s)] = error_response_doc(why);
        }
        op["responses"] = responses;
        paths[r.path][lower(r.method)] = op;
    }
    auto tag_list = nlohmann::json::array();
    for (const auto& t : tags) {
        tag_list.push_back({{"name", t}});
    }
    return {{"openapi", "3.0.3"},
            {"info",
             {{"title", "Lodestone API"},
              {"version", version},
              {"description",
               "Critical-minerals supply-chain risk engine. Every CLI capability as JSON under "
               "/api/v1/. "
               "Errors are {error, diagnostics} with the CLI's diagnostic codes: 400 malformed "
               "request, "
               "401/403 token, 404 unknown entity, 413 body too large, 422 invalid input data. "
               "Reads need "
               "no token when the server is bound to loopback; writes always need it."}}},
            {"servers", {{{"url", "/"}}}},
            {"tags", tag_list},
            {"paths", paths},
            {"components", components()}};
}

}  // namespace lodestone::server
