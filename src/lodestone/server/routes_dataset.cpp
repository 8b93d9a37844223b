// Endpoints about the loaded dataset: info, validation, countries, materials, production shares,
// and validation of an uploaded dataset.
#include <filesystem>

#include "lodestone/report/dataset_view.hpp"
#include "lodestone/server/internal/routes.hpp"
#include "lodestone/server/openapi.hpp"

namespace lodestone::server::internal {

namespace {

/// The files of an uploaded dataset: multipart parts named by file name, or JSON {"files": {...}}.
io::DatasetFiles uploaded_files(const Request& req, std::vector<Diagnostic>& warnings) {
    io::DatasetFiles files;
    files.root = "upload";
    const auto& known = io::dataset_file_names();
    auto add = [&](std::string name, std::string content) {
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            warnings.push_back({Severity::Warning,
                                ErrorCode::Usage,
                                "upload/" + name,
                                0,
                                0,
                                {},
                                "ignored: not a dataset file name"});
            return;
        }
        if (!files.files.emplace(name, std::move(content)).second) {
            throw ApiError(400, ErrorCode::Usage, "file '" + name + "' sent twice", name);
        }
    };
    if (req.content_type == "multipart/form-data") {
        for (const auto& part : req.files) {
            const auto& given = part.filename.empty() ? part.name : part.filename;
            add(std::filesystem::path(given).filename().string(), part.content);
        }
        return files;
    }
    const auto doc = json_object_body(req, "{\"files\": {...}}");
    if (!doc.contains("files") || !doc["files"].is_object()) {
        throw ApiError(400, ErrorCode::Json,
                       "expected {\"files\": {\"<name>.csv\": \"<content>\", ...}}", "files");
    }
    for (const auto& [name, content] : doc["files"].items()) {
        if (!content.is_string()) {
            throw ApiError(400, ErrorCode::Json,
                           "files." + name + ": expected the file's text as a string",
                           "files." + name);
        }
        add(name, content.get<std::string>());
    }
    return files;
}

}  // namespace

void add_dataset_routes(Router& router, const State& state) {
    router.add(
        {.method = "GET",
         .path = "/api/v1/dataset",
         .summary = "The loaded dataset: counts, materials, stages, world output, shares, sources",
         .description = "The JSON of `lodestone info --format json`.",
         .tag = "dataset",
         .response_schema =
             {{"type", "object"},
              {"properties",
               {{"dataset", {{"type", "object"}}},
                {"counts", {{"type", "object"}}},
                {"materials", {{"type", "array"}, {"items", schema_ref("Material")}}},
                {"sources", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}}},
        [state](const Params&) {
            return Response::json(
                report::dataset_info(state->loaded->world, state->dataset_source).to_json());
        });

    router.add(
        {.method = "GET",
         .path = "/api/v1/dataset/validation",
         .summary = "Validation of the loaded dataset (it has no errors, or it would not load)",
         .description = "The JSON of `lodestone validate --format json` for the served dataset.",
         .tag = "dataset",
         .response_schema = schema_ref("Validation")},
        [state](const Params&) {
            return Response::json(
                report::validation_json(state->dataset_source, {}, state->loaded->warnings));
        });

    router.add(
        {.method = "POST",
         .path = "/api/v1/dataset/validate",
         .summary = "Validate an uploaded dataset and list every problem",
         .description =
             "Send the dataset's files as multipart/form-data (one part per file, named by "
             "its file name) or as JSON {\"files\": {\"countries.csv\": \"...\"}}. Answers "
             "`lodestone validate --format json`: 200 when valid, 422 when not (then the body "
             "also carries error and diagnostics). Nothing is stored.",
         .tag = "dataset",
         .body = {.content_types = {"multipart/form-data", "application/json"},
                  .description = "the files of a dataset folder"},
         .response_schema = schema_ref("Validation"),
         .error_statuses = {422}},
        [](const Params& p) {
            std::vector<Diagnostic> errors;
            std::vector<Diagnostic> warnings;
            const auto files = uploaded_files(p.request(), warnings);
            try {
                auto loaded = io::load_world(files);
                warnings.insert(warnings.end(), loaded.warnings.begin(), loaded.warnings.end());
            } catch (const InputError& e) {
                errors = e.diagnostics();
            }
            auto doc = report::validation_json("upload", errors, warnings);
            if (errors.empty()) {
                return Response::json(doc);
            }
            doc.update(error_json(errors));
            return Response::json(doc, 422);
        });

    router.add({.method = "GET",
                .path = "/api/v1/countries",
                .summary = "Countries with governance (WGI 0-10, 10 = worst) and blocs",
                .tag = "dataset",
                .response_schema = {{"type", "array"}, {"items", schema_ref("Country")}}},
               [state](const Params&) {
                   auto list = nlohmann::json::array();
                   for (const auto& c : state->loaded->world.countries) {
                       list.push_back(report::country_json(c));
                   }
                   return Response::json(list);
               });

    router.add({.method = "GET",
                .path = "/api/v1/materials",
                .summary = "Materials with their stages and country shares of each stage",
                .tag = "dataset",
                .response_schema = {{"type", "array"}, {"items", schema_ref("Material")}}},
               [state](const Params&) {
                   const auto& w = state->loaded->world;
                   auto list = nlohmann::json::array();
                   for (const auto& m : w.materials) {
                       list.push_back(report::material_json(w, m));
                   }
                   return Response::json(list);
               });

    router.add({.method = "GET",
                .path = "/api/v1/materials/{id}",
                .summary = "One material with its stages and country shares",
                .tag = "dataset",
                .path_params = {{.name = "id", .description = "material id, e.g. gallium"}},
                .response_schema = schema_ref("Material"),
                .error_statuses = {404}},
               [state](const Params& p) {
                   const auto& w = state->loaded->world;
                   const auto* m = w.find_material(p.path("id"));
                   if (m == nullptr) {
                       throw ApiError(404, ErrorCode::NotFound,
                                      "no material '" + p.path("id") + "'", "id");
                   }
                   return Response::json(report::material_json(w, *m));
               });

    router.add(
        {.method = "GET",
         .path = "/api/v1/shares",
         .summary = "Production shares by country of one stage of one material (the map)",
         .description =
             "Shares over world output (t/yr of contained element); ROW = other countries, "
             "counted in world output but not as one producer in HHI. With `year` after the "
             "data year: that year's output plus the capacity projects.csv brings online by "
             "then (mean of each project's linear ramp over the year, times its probability, "
             "at full use; project_tonnes says how much). `years` gives the years allowed.",
         .tag = "dataset",
         .query = {{.name = "material", .description = "material id", .required = true},
                   {.name = "stage", .description = "stage id of that material", .required = true},
                   {.name = "year",
                    .type = ParamType::Integer,
                    .description = "calendar year, from the stage's data year to the year the last "
                                   "project reaches full capacity (see `years`); default: the data "
                                   "year",
                    .min = 1900,
                    .max = 2200}},
         .response_schema = schema_ref("Stage"),
         .error_statuses = {422}},
        [state](const Params& p) {
            const auto& w = state->loaded->world;
            const auto material = p.text("material");
            const auto stage = p.text("stage");
            if (w.find_material(material) == nullptr) {
                throw InputError({{Severity::Error,
                                   ErrorCode::UnknownMaterial,
                                   {},
                                   0,
                                   0,
                                   "material",
                                   "material: unknown material '" + material + "'"}});
            }
            const auto* s = w.find_stage(material, stage);
            if (s == nullptr) {
                throw InputError(
                    {{Severity::Error,
                      ErrorCode::UnknownStage,
                      {},
                      0,
                      0,
                      "stage",
                      "stage: unknown stage '" + stage + "' of material '" + material + "'"}});
            }
            const auto year = p.integer("year");
            auto j = report::stage_year_json(
                w, *s, year ? std::optional<int>(static_cast<int>(*year)) : std::nullopt);
            j["material"] = material;
            return Response::json(j);
        });
}

}  // namespace lodestone::server::internal
