// Endpoints of simulate: the curated scenarios, and Monte Carlo runs as jobs (POST creates the job,
// /api/v1/jobs/{id} shows progress and the result, DELETE cancels). With sensitivity=oat|morris the
// job runs the scenario's sensitivity analysis instead (a tornado per region, material and output).
// /api/v1/jobs/{id} shows progress and the result, DELETE cancels).
#include <algorithm>
#include <memory>
#include <optional>
#include <thread>

#include "lodestone/core/number_text.hpp"
#include "lodestone/io/scenario_reader.hpp"
#include "lodestone/server/internal/routes.hpp"
#include "lodestone/server/openapi.hpp"
#include "lodestone/sim/market.hpp"
#include "lodestone/sim/monte_carlo.hpp"
#include "lodestone/sim/output.hpp"
#include "lodestone/sim/sensitivity.hpp"

namespace lodestone::server::internal {

namespace {

constexpr std::int64_t kMaxRuns = 100000;
constexpr std::int64_t kMaxTrajectories = 10000;
/// Work of one job: runs x weeks x series (each a simulated number folded into the bands). 1e8
/// takes minutes, not hours, on one core; more is refused with the numbers (422).
constexpr double kMaxCellsPerJob = 1e8;

nlohmann::json scenario_summary(const io::ScenarioText& c, const model::ScenarioSpec& s) {
    return {{"id", c.id},
            {"file", c.file},
            {"name", s.name},
            {"description", s.description},
            {"start", s.start.to_string()},
            {"horizon_weeks", s.horizon_weeks},
            {"runs", s.runs},
            {"seed", s.seed},
            {"materials", s.materials},
            {"regions", s.regions},
            {"sources", s.sources}};
}

/// What to simulate, from the query and/or a body: TOML text, or JSON {scenario, toml, runs, seed,
/// horizon, threads} (the dashboard's form). A key given twice (query and JSON) is a 400.
struct SimulateRequest {
    std::optional<std::string> scenario;
    std::optional<std::string> toml;
    std::optional<std::string> filename;  ///< names an uploaded TOML in diagnostics
    std::optional<std::int64_t> runs, seed, horizon, threads, trajectories;
    std::optional<std::string> sensitivity;  ///< "oat" or "morris"
};

SimulateRequest simulate_request(const Params& p) {
    SimulateRequest r;
    if (p.has("scenario")) {
        r.scenario = p.text("scenario");
    }
    if (p.has("filename")) {
        r.filename = p.text("filename");
    }
    r.runs = p.integer("runs");
    r.seed = p.integer("seed");
    r.horizon = p.integer("horizon");
    r.threads = p.integer("threads");
    r.trajectories = p.integer("trajectories");
    if (p.has("sensitivity")) {
        r.sensitivity = p.text("sensitivity");
    }
    const auto& req = p.request();
    if (req.body.empty()) {
        return r;
    }
    if (req.content_type != "application/json") {
        r.toml = req.body;
        return r;
    }
    const auto doc = json_object_body(
        req,
        "{scenario | toml, filename, runs, seed, horizon, threads, sensitivity, trajectories}");
    std::vector<Diagnostic> bad;
    auto problem = [&](const std::string& key, const std::string& message) {
        bad.push_back({Severity::Error, ErrorCode::Usage, {}, 0, 0, key, key + ": " + message});
    };
    auto text = [&](const std::string& key, std::optional<std::string>& out) {
        if (!doc.contains(key) || doc[key].is_null()) {
            return;
        }
        if (out) {
            problem(key, "given both as a query parameter and in the body");
        } else if (!doc[key].is_string()) {
            problem(key, "expected a string");
        } else {
            out = doc[key].get<std::string>();
        }
    };
    // The body's numbers obey the query parameters' declared ranges: one declaration for both.
    auto integer = [&](const std::string& key, std::optional<std::int64_t>& out) {
        const auto lo = static_cast<std::int64_t>(p.spec(key).min);
        const auto hi = static_cast<std::int64_t>(p.spec(key).max);
        if (!doc.contains(key) || doc[key].is_null()) {
            return;
        }
        const auto& v = doc[key];
        if (out) {
            problem(key, "given both as a query parameter and in the body");
        } else if (!v.is_number_integer() || v.get<std::int64_t>() < lo ||
                   v.get<std::int64_t>() > hi) {
            problem(key, "expected an integer in [" + std::to_string(lo) + "," +
                             std::to_string(hi) + "], got " + v.dump());
        } else {
            out = v.get<std::int64_t>();
        }
    };
    for (const auto& [key, value] : doc.items()) {
        if (key != "scenario" && key != "toml" && key != "filename" && key != "runs" &&
            key != "seed" && key != "horizon" && key != "threads" && key != "sensitivity" &&
            key != "trajectories") {
            problem(key,
                    "unknown key; expected scenario, toml, filename, runs, seed, horizon, threads, "
                    "sensitivity, "
                    "trajectories");
        }
    }
    text("scenario", r.scenario);
    text("toml", r.toml);
    text("filename", r.filename);
    integer("runs", r.runs);
    integer("seed", r.seed);
    integer("horizon", r.horizon);
    integer("threads", r.threads);
    integer("trajectories", r.trajectories);
    text("sensitivity", r.sensitivity);
    if (r.sensitivity && *r.sensitivity != "oat" && *r.sensitivity != "morris") {
        problem("sensitivity", "expected oat or morris, got '" + *r.sensitivity + "'");
    }
    if (!bad.empty()) {
        throw ApiError(400, std::move(bad));
    }
    return r;
}

/// 202 with the queued job, or 429 when the queue is full (id empty).
Response job_response(const ApiState& state, const std::optional<std::string>& id) {
    if (!id) {
        throw ApiError(429, ErrorCode::Usage,
                       "too many jobs queued or running; wait for one to finish or cancel one "
                       "(DELETE /api/v1/jobs/{id})");
    }
    auto r = Response::json(*state.jobs->status(*id), 202);
    r.headers.emplace_back("Location", "/api/v1/jobs/" + *id);
    return r;
}

const io::ScenarioText* find_curated(const ApiState& state, const std::string& id) {
    const auto it = std::find_if(state.scenarios.begin(), state.scenarios.end(),
                                 [&](const io::ScenarioText& c) { return c.id == id; });
    return it == state.scenarios.end() ? nullptr : &*it;
}

}  // namespace

void add_simulate_routes(Router& router, const State& state) {
    // The dataset and the curated scenarios are fixed for the server's lifetime: read each once.
    auto listing = std::make_shared<nlohmann::json>(nlohmann::json::array());
    auto problems =
        std::make_shared<std::vector<std::vector<Diagnostic>>>();  // per scenario; empty = reads
    for (const auto& c : state->scenarios) {
        try {
            listing->push_back(
                scenario_summary(c, io::read_scenario(c.toml, c.file, state->loaded->world)));
            problems->emplace_back();
        } catch (const InputError& e) {  // listed with its problems, not hidden
            listing->push_back(
                {{"id", c.id}, {"file", c.file}, {"error", error_json(e.diagnostics())}});
            problems->push_back(e.diagnostics());
        }
    }
    const auto scenario_schema = nlohmann::json{
        {"type", "object"},
        {"properties",
         {{"id", {{"type", "string"}}},
          {"name", {{"type", "string"}}},
          {"description", {{"type", "string"}}},
          {"start", {{"type", "string"}}},
          {"horizon_weeks", {{"type", "integer"}}},
          {"runs", {{"type", "integer"}}},
          {"seed", {{"type", "integer"}}},
          {"toml", {{"type", "string"}, {"description", "only in /scenarios/{id}"}}}}}};
    router.add(
        {.method = "GET",
         .path = "/api/v1/scenarios",
         .summary = "The curated scenarios (data/scenarios) that POST /simulate?scenario=ID runs",
         .tag = "simulate",
         .response_schema = {{"type", "array"}, {"items", scenario_schema}}},
        [listing](const Params&) { return Response::json(*listing); });

    router.add({.method = "GET",
                .path = "/api/v1/scenarios/{id}",
                .summary = "One curated scenario with its TOML text",
                .tag = "simulate",
                .path_params = {{.name = "id", .description = "file name without .toml"}},
                .response_schema = scenario_schema,
                .error_statuses = {404}},
               [state, listing, problems](const Params& p) {
                   const auto* c = find_curated(*state, p.path("id"));
                   if (c == nullptr) {
                       throw ApiError(404, ErrorCode::NotFound,
                                      "no curated scenario '" + p.path("id") + "'", "id");
                   }
                   const auto i = static_cast<std::size_t>(c - state->scenarios.data());
                   if (!(*problems)[i].empty()) {  // it does not read on this dataset
                       throw InputError((*problems)[i]);
                   }
                   auto j = (*listing)[i];
                   j["toml"] = c->toml;
                   return Response::json(j);
               });

    const int max_threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    router.add(
        {.method = "POST",
         .path = "/api/v1/simulate",
         .summary =
             "Start a Monte Carlo run of a scenario as a job (202); follow it at /api/v1/jobs/{id}",
         .description =
             "Either `scenario=ID` (a curated scenario) or the scenario's TOML as the body "
             "(docs/scenarios.md); the same keys may come as a JSON body {scenario | toml, runs, "
             "seed, horizon, threads}. The scenario is checked at once (422 with every problem, "
             "key paths included); the runs go on in a job whose result, once succeeded, is "
             "{run, summary, series}: `lodestone simulate --format json` ({run, summary}) plus the "
             "weekly P5/P50/P95 bands of series.json for fan charts. With sensitivity=oat|morris "
             "the "
             "result is {sensitivity}: `lodestone simulate --sensitivity --format json` (tornados "
             "of "
             "peak shortfall share, peak price multiple and cumulative cost per region and "
             "material, "
             "bars by swing; docs/scenarios.md).",
         .tag = "simulate",
         .query =
             {{.name = "scenario", .description = "curated scenario id (instead of a body)"},
              {.name = "filename",
               .description = "name of an uploaded TOML, used in its diagnostics",
               .default_text = "scenario.toml"},
              {.name = "runs",
               .type = ParamType::Integer,
               .description = "Monte Carlo runs (default: the scenario's)",
               .min = 1,
               .max = static_cast<double>(kMaxRuns)},
              {.name = "seed",
               .type = ParamType::Integer,
               .description =
                   "seed; run i uses a stream derived from (seed, i) (default: the scenario's)",
               .min = 0,
               .max = 9007199254740991.0},
              {.name = "horizon",
               .type = ParamType::Integer,
               .description = "weeks to simulate (default: the scenario's horizon_weeks)",
               .min = 1,
               .max = 1040},
              {.name = "threads",
               .type = ParamType::Integer,
               .description = "worker threads of the job; results do not depend on it",
               .min = 1,
               .max = static_cast<double>(max_threads),
               .default_text = std::to_string(max_threads)},
              {.name = "sensitivity",
               .type = ParamType::Enum,
               .description =
                   "run the sensitivity analysis instead: oat (each uncertain parameter pinned "
                   "at its P5 and P95, `runs` runs per variant, same seed) or morris (elementary "
                   "effects); the job's result is then {sensitivity}",
               .choices = {"oat", "morris"}},
              {.name = "trajectories",
               .type = ParamType::Integer,
               .description = "Morris trajectories r (sensitivity=morris only)",
               .min = 1,
               .max = static_cast<double>(kMaxTrajectories),
               .default_text = "20"}},
         .body = {.content_types = {"application/toml", "text/plain", "application/json"},
                  .description =
                      "a scenario TOML (when no scenario=ID), or JSON {scenario | toml, filename, "
                      "runs, seed, horizon, threads, sensitivity, trajectories}",
                  .required = false},
         .success_status = 202,
         .response_description = "the job, queued",
         .response_schema = schema_ref("Job"),
         .error_statuses = {404, 422, 429}},
        [state](const Params& p) {
            const auto& w = state->loaded->world;
            const auto req = simulate_request(p);
            std::string toml;
            std::string file;
            if (req.scenario.has_value() == req.toml.has_value()) {
                throw ApiError(400, ErrorCode::Usage,
                               "give either a curated scenario (scenario=ID, see "
                               "/api/v1/scenarios) or the scenario "
                               "TOML (as the body, or \"toml\" in a JSON body)");
            }
            if (req.scenario) {
                const auto* c = find_curated(*state, *req.scenario);
                if (c == nullptr) {
                    throw ApiError(404, ErrorCode::NotFound,
                                   "no curated scenario '" + *req.scenario + "'", "scenario");
                }
                toml = c->toml;
                file = c->file;
            } else {
                toml = *req.toml;
                file = req.filename.value_or(p.text_or_default("filename"));
            }
            if (req.trajectories && req.sensitivity.value_or("") != "morris") {
                throw ApiError(400, ErrorCode::Usage, "trajectories needs sensitivity=morris",
                               "trajectories");
            }
            auto spec = io::read_scenario(toml, file, w);  // every problem now, as 422
            const int horizon = static_cast<int>(req.horizon.value_or(0));
            if (req.runs.value_or(spec.runs) > kMaxRuns) {
                throw ApiError(422, ErrorCode::Range,
                               "the scenario asks for " + std::to_string(spec.runs) +
                                   " runs; the API runs at most " + std::to_string(kMaxRuns) +
                                   " (pass runs=N)",
                               "runs");
            }
            auto compiled = std::make_shared<const sim::Simulation>(
                sim::compile_simulation(state->loaded->world, spec, horizon));
            const auto runs = static_cast<double>(req.runs.value_or(spec.runs));
            const auto weeks = static_cast<double>(compiled->horizon_weeks);
            const auto series = static_cast<double>(compiled->series.size());
            if (runs * weeks * series > kMaxCellsPerJob) {
                throw ApiError(
                    422, ErrorCode::Range,
                    significant(runs) + " runs x " + significant(weeks) + " weeks x " +
                        significant(series) + " series = " + significant(runs * weeks * series, 3) +
                        " simulated values; a job may compute at most " +
                        significant(kMaxCellsPerJob, 1) +
                        ": pass fewer runs or a shorter horizon, or use `lodestone simulate`",
                    "runs");
            }
            sim::MonteCarloOptions opt;
            opt.runs = static_cast<std::size_t>(req.runs.value_or(0));
            if (req.seed) {
                opt.seed = static_cast<std::uint64_t>(*req.seed);
            }
            opt.threads = static_cast<int>(req.threads.value_or(p.integer_or_default("threads")));
            const nlohmann::json params{
                {"scenario", req.scenario.value_or("upload")},
                {"name", spec.name},
                {"runs", opt.runs > 0 ? opt.runs : static_cast<std::size_t>(spec.runs)},
                {"seed", opt.seed ? *opt.seed : spec.seed},
                {"horizon_weeks", horizon > 0 ? horizon : spec.horizon_weeks},
                {"threads", opt.threads}};
            const sim::Provenance prov{
                state->version, state->git_hash, state->dataset_source,
                req.scenario ? *req.scenario : file};  // what `lodestone simulate` takes
            auto loaded = state->loaded;               // the job keeps the dataset alive
            if (req.sensitivity) {
                sim::SensitivityOptions so;
                so.method = *req.sensitivity == "morris" ? sim::SensitivityMethod::Morris
                                                         : sim::SensitivityMethod::Oat;
                so.runs = opt.runs;
                so.seed = opt.seed;
                so.threads = opt.threads;
                so.trajectories = static_cast<std::size_t>(
                    req.trajectories.value_or(p.integer_or_default("trajectories")));
                auto sparams = params;
                sparams["sensitivity"] = *req.sensitivity;
                if (so.method == sim::SensitivityMethod::Morris) {
                    sparams["trajectories"] = so.trajectories;
                }
                return job_response(
                    *state,
                    state->jobs->submit(
                        "sensitivity", sparams,
                        [loaded, spec = std::move(spec), horizon, so](JobContext& ctx) mutable {
                            ctx.progress(0.0, "compiling the scenario");
                            so.cancel = ctx.cancel_flag();
                            so.progress = [&ctx](std::size_t done, std::size_t total) {
                                ctx.progress(total > 0 ? static_cast<double>(done) /
                                                             static_cast<double>(total)
                                                       : 1.0,
                                             std::to_string(done) + "/" + std::to_string(total) +
                                                 " model runs");
                            };
                            const auto result =
                                sim::run_sensitivity(loaded->world, spec, horizon, so);
                            return nlohmann::json{
                                {"sensitivity", sim::sensitivity_json(result, spec.name)}};
                        }));
            }
            const auto id = state->jobs->submit(
                "simulate", params,
                [loaded, sim_ptr = compiled, opt, prov](JobContext& ctx) mutable {
                    const auto& simulation = *sim_ptr;
                    opt.cancel = ctx.cancel_flag();
                    opt.progress = [&ctx](std::size_t done, std::size_t total) {
                        ctx.progress(total > 0
                                         ? static_cast<double>(done) / static_cast<double>(total)
                                         : 1.0,
                                     std::to_string(done) + "/" + std::to_string(total) + " runs");
                    };
                    const auto mc = sim::run_monte_carlo(simulation, opt);
                    return nlohmann::json{{"run", sim::run_json(simulation, mc, prov)},
                                          {"summary", sim::summary_json(simulation, mc)},
                                          {"series", sim::series_json(simulation, mc)}};
                });
            return job_response(*state, id);
        });
}

}  // namespace lodestone::server::internal
