// Endpoints of the decision commands as jobs (like /api/v1/simulate): POST /api/v1/exposure,
// /api/v1/portfolio and /api/v1/stockpile take a JSON body, check it at once (400/422 with every
// problem), then run the scenarios' Monte Carlo in a job whose result is the command's
// `--format json` document (docs/decisions.md).
#include <algorithm>
#include <cmath>
#include <thread>

#include "lodestone/core/limits.hpp"
#include "lodestone/exposure/bom_exposure.hpp"
#include "lodestone/exposure/portfolio.hpp"
#include "lodestone/io/bom_reader.hpp"
#include "lodestone/io/holdings_reader.hpp"
#include "lodestone/io/material_numbers.hpp"
#include "lodestone/io/scenario_reader.hpp"
#include "lodestone/optimize/stockpile_scenario.hpp"
#include "lodestone/report/decisions_view.hpp"
#include "lodestone/server/internal/routes.hpp"
#include "lodestone/server/openapi.hpp"

namespace lodestone::server::internal {

namespace {

constexpr std::int64_t kMaxRuns = 100000;

/// Typed, checked access to the keys of a JSON body; collects every problem, then throws 400.
class Body {
public:
    Body(const Params& p, const std::string& expected, std::vector<std::string> keys)
        : doc_(json_object_body(p.request(), expected)), keys_(std::move(keys)) {
        for (const auto& [key, value] : doc_.items()) {
            if (std::find(keys_.begin(), keys_.end(), key) == keys_.end()) {
                problem(key, "unknown key; expected " + expected);
            }
        }
    }
    std::optional<std::string> text(const std::string& key, bool required = false) {
        if (!present(key, required)) {
            return std::nullopt;
        }
        if (!doc_[key].is_string()) {
            problem(key, "expected a string");
            return std::nullopt;
        }
        return doc_[key].get<std::string>();
    }
    std::optional<double> number(const std::string& key,
                                 double lo,
                                 double hi,
                                 bool required = false) {
        if (!present(key, required)) {
            return std::nullopt;
        }
        const auto& v = doc_[key];
        if (!v.is_number() || !(v.get<double>() >= lo && v.get<double>() <= hi)) {
            problem(key, "expected a number in [" + std::to_string(lo) + "," + std::to_string(hi) +
                             "], got " + v.dump());
            return std::nullopt;
        }
        return v.get<double>();
    }
    std::vector<std::string> strings(const std::string& key, bool required = false) {
        std::vector<std::string> out;
        if (!present(key, required)) {
            return out;
        }
        const auto& v = doc_[key];
        if (!v.is_array() ||
            std::any_of(v.begin(), v.end(), [](const auto& x) { return !x.is_string(); }) ||
            (required && v.empty())) {
            problem(key, "expected a non-empty array of strings");
            return out;
        }
        for (const auto& x : v) {
            out.push_back(x.get<std::string>());
        }
        return out;
    }
    /// {material: number} as "material=number" items for io::parse_material_numbers, the one reader
    /// of such pairs (it checks the materials and the range once this body is done).
    std::vector<std::string> material_numbers(const std::string& key) {
        std::vector<std::string> out;
        if (!present(key, false)) {
            return out;
        }
        const auto& v = doc_[key];
        if (!v.is_object()) {
            problem(key, "expected an object {material: number}");
            return out;
        }
        for (const auto& [k, x] : v.items()) {
            if (!x.is_number()) {
                problem(key, k + ": expected a number, got " + x.dump());
            } else {
                out.push_back(k + "=" + x.dump());
            }
        }
        return out;
    }
    void done() {
        if (!bad_.empty()) {
            throw ApiError(400, std::move(bad_));
        }
    }

private:
    bool present(const std::string& key, bool required) {
        if (!doc_.contains(key) || doc_[key].is_null()) {
            if (required) {
                problem(key, "required");
            }
            return false;
        }
        return true;
    }
    void problem(const std::string& key, const std::string& message) {
        bad_.push_back({Severity::Error, ErrorCode::Usage, {}, 0, 0, key, key + ": " + message});
    }

    nlohmann::json doc_;
    std::vector<std::string> keys_;
    std::vector<Diagnostic> bad_;
};

/// Curated scenarios by id (the ids of GET /api/v1/scenarios); every unknown id is a 404.
std::vector<model::ScenarioSpec> curated(const ApiState& state,
                                         const std::vector<std::string>& ids) {
    std::vector<model::ScenarioSpec> out;
    for (const auto& id : ids) {
        const auto it = std::find_if(state.scenarios.begin(), state.scenarios.end(),
                                     [&](const io::ScenarioText& c) { return c.id == id; });
        if (it == state.scenarios.end()) {
            throw ApiError(404, ErrorCode::NotFound,
                           "no curated scenario '" + id + "' (see /api/v1/scenarios)", "scenario");
        }
        out.push_back(io::read_scenario(it->toml, it->file, state.loaded->world));
    }
    return out;
}

/// Submits a job or answers 429; the response is the queued job (202) with its Location.
Response submit(const State& state,
                const std::string& kind,
                const nlohmann::json& params,
                std::function<nlohmann::json(JobContext&)> work) {
    const auto id = state->jobs->submit(kind, params, std::move(work));
    if (!id) {
        throw ApiError(429, ErrorCode::Usage,
                       "too many jobs queued or running; wait for one to finish or cancel one "
                       "(DELETE /api/v1/jobs/{id})");
    }
    auto r = Response::json(*state->jobs->status(*id), 202);
    r.headers.emplace_back("Location", "/api/v1/jobs/" + *id);
    return r;
}

/// The name an upload goes by in diagnostics: the client's file name without any folder (a name,
/// not a path on this server), else `fallback`.
std::string upload_name(const std::optional<std::string>& name, const std::string& fallback) {
    if (!name) {
        return fallback;
    }
    const auto slash = name->find_last_of("/\\");
    std::string base = slash == std::string::npos ? *name : name->substr(slash + 1);
    return base.empty() || base.size() > 255 ? fallback : base;
}

std::function<void(std::size_t, std::size_t)> progress_of(JobContext& ctx) {
    return [&ctx](std::size_t done, std::size_t total) {
        ctx.progress(total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0,
                     std::to_string(done) + "/" + std::to_string(total) + " runs");
    };
}

}  // namespace

void add_decision_routes(Router& router, const State& state) {
    const int threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    const BodySpec json_body{
        .content_types = {"application/json"}, .description = "", .required = true};

    auto exposure_body = json_body;
    exposure_body.description =
        "{bom: BOM CSV text (docs/lookthrough.md), filename: the BOM's name in diagnostics and the "
        "result (optional, "
        "default bom.csv), products: product CSV text (optional), scenario: curated id, runs, "
        "pass_through (0-1), "
        "default_cover (weeks)}";
    router.add(
        {.method = "POST",
         .path = "/api/v1/exposure",
         .summary = "Exposure of a BOM's products to a scenario as a job (202): stock-out week, "
                    "lost units, cost, margin",
         .description = "The result, once the job succeeded, is `lodestone exposure --format "
                        "json`: per product the "
                        "stock-out week, lost units and weeks, cost per unit before/after, margin "
                        "change (P5/P50/P95) "
                        "and the driving material and country.",
         .tag = "decisions",
         .body = exposure_body,
         .success_status = 202,
         .response_description = "the job, queued",
         .response_schema = schema_ref("Job"),
         .error_statuses = {404, 422, 429}},
        [state, threads](const Params& p) {
            Body b(p, "{bom, filename, products, scenario, runs, pass_through, default_cover}",
                   {"bom", "filename", "products", "scenario", "runs", "pass_through",
                    "default_cover"});
            const auto bom_text = b.text("bom", true);
            const auto filename = upload_name(b.text("filename"), "bom.csv");
            const auto products = b.text("products");
            const auto scenario = b.text("scenario", true);
            const auto runs = b.number("runs", 1, static_cast<double>(kMaxRuns));
            const auto pass = b.number("pass_through", 0, 1);
            const auto cover = b.number("default_cover", 0, 520);
            b.done();
            const auto& w = state->loaded->world;
            // No products key: the BOM holds its product data (an empty name skips the products
            // file).
            auto bom = io::parse_bom(*bom_text, filename, products.value_or(""),
                                     products ? "products.csv" : "", w);
            auto spec = curated(*state, {*scenario}).front();
            exposure::ExposureOptions opt;
            opt.runs = static_cast<std::size_t>(runs.value_or(0));
            opt.threads = threads;
            opt.pass_through = pass.value_or(0.0);
            opt.default_cover_weeks = cover.value_or(exposure::kDefaultCoverWeeks);
            auto loaded = state->loaded;
            return submit(
                state, "exposure",
                {{"scenario", *scenario}, {"runs", opt.runs}, {"pass_through", opt.pass_through}},
                [loaded, bom = std::move(bom), spec = std::move(spec), opt,
                 filename](JobContext& ctx) mutable {
                    opt.cancel = ctx.cancel_flag();
                    opt.progress = progress_of(ctx);
                    const auto r = exposure::bom_exposure(loaded->world, bom, spec, opt);
                    return report::exposure_views(r, filename).json;
                });
        });

    auto portfolio_body = json_body;
    portfolio_body.description =
        "{holdings: holdings CSV text (docs/decisions.md), filename: its name in diagnostics "
        "(optional, default holdings.csv), scenarios: [curated ids], runs, pass_through (0-1), "
        "cvar (level, default 0.95)}";
    router.add({.method = "POST",
                .path = "/api/v1/portfolio",
                .summary = "Scenario cost impact on a portfolio's holdings as a job (202): % of "
                           "COGS, EBIT margin, CVaR, rank",
                .description =
                    "The result, once the job succeeded, is `lodestone portfolio --format json`.",
                .tag = "decisions",
                .body = portfolio_body,
                .success_status = 202,
                .response_description = "the job, queued",
                .response_schema = schema_ref("Job"),
                .error_statuses = {404, 422, 429}},
               [state, threads](const Params& p) {
                   Body b(p, "{holdings, filename, scenarios, runs, pass_through, cvar}",
                          {"holdings", "filename", "scenarios", "runs", "pass_through", "cvar"});
                   const auto text = b.text("holdings", true);
                   const auto filename = upload_name(b.text("filename"), "holdings.csv");
                   const auto ids = b.strings("scenarios", true);
                   const auto runs = b.number("runs", 1, static_cast<double>(kMaxRuns));
                   const auto pass = b.number("pass_through", 0, 1);
                   const auto level = b.number("cvar", 0.5, 0.999);
                   b.done();
                   auto holdings = io::parse_holdings(*text, filename, state->loaded->world);
                   auto specs = curated(*state, ids);
                   exposure::PortfolioOptions opt;
                   opt.runs = static_cast<std::size_t>(runs.value_or(0));
                   opt.threads = threads;
                   opt.pass_through = pass.value_or(0.0);
                   opt.alpha = level.value_or(0.95);
                   auto loaded = state->loaded;
                   return submit(
                       state, "portfolio",
                       {{"scenarios", ids}, {"runs", opt.runs}, {"pass_through", opt.pass_through}},
                       [loaded, holdings = std::move(holdings), specs = std::move(specs),
                        opt](JobContext& ctx) mutable {
                           opt.cancel = ctx.cancel_flag();
                           opt.progress = progress_of(ctx);
                           return report::portfolio_views(exposure::portfolio_exposure(
                                                              loaded->world, holdings, specs, opt))
                               .json;
                       });
               });

    auto stockpile_body = json_body;
    stockpile_body.description =
        "{holder: ISO3 or bloc, budget_usd, scenarios: [curated ids], runs, objective: "
        "\"expected\" | \"cvar:0.95\", "
        "materials: [ids], value_of_lost_supply: {material: USD/t}, holding_cost (per year, 0-1), "
        "release_weeks, "
        "method: auto | lp | structured}";
    router.add(
        {.method = "POST",
         .path = "/api/v1/stockpile",
         .summary = "Stockpile sizing under a budget as a job (202): the two-stage stochastic LP "
                    "over scenario runs",
         .description = "The result, once the job succeeded, is `lodestone stockpile --format "
                        "json`: tonnes and cost "
                        "per material, coverage and unmet demand before/after, the expected loss "
                        "and its CVaR, and "
                        "the marginal value of one more dollar of budget. An infeasible or empty "
                        "problem is a result "
                        "with its status.",
         .tag = "decisions",
         .body = stockpile_body,
         .success_status = 202,
         .response_description = "the job, queued",
         .response_schema = schema_ref("Job"),
         .error_statuses = {404, 422, 429}},
        [state, threads](const Params& p) {
            Body b(p,
                   "{holder, budget_usd, scenarios, runs, objective, materials, "
                   "value_of_lost_supply, holding_cost, "
                   "release_weeks, method}",
                   {"holder", "budget_usd", "scenarios", "runs", "objective", "materials",
                    "value_of_lost_supply", "holding_cost", "release_weeks", "method"});
            optimize::StockpileRequest req;
            const auto holder = b.text("holder", true);
            const auto budget = b.number("budget_usd", -kMaxInputQuantity, kMaxInputQuantity, true);
            const auto ids = b.strings("scenarios", true);
            const auto runs = b.number("runs", 1, static_cast<double>(kMaxRuns));
            const auto objective = b.text("objective");
            req.materials = b.strings("materials");
            const auto values = b.material_numbers("value_of_lost_supply");
            const auto holding = b.number("holding_cost", 0, 1);
            const auto release = b.number("release_weeks", 1, 1040);
            const auto method = b.text("method");
            b.done();
            req.value_usd_t =
                io::parse_material_numbers(state->loaded->world, values, "value_of_lost_supply",
                                           {0, optimize::kMaxValueOfLostSupplyUsdPerTonne});
            std::vector<Diagnostic> bad;
            if (objective && *objective != "expected") {
                const std::string level =
                    objective->rfind("cvar:", 0) == 0 ? objective->substr(5) : "";
                char* end = nullptr;
                req.alpha = std::strtod(level.c_str(), &end);
                if (level.empty() || end != level.c_str() + level.size() ||
                    !(req.alpha > 0 && req.alpha < 1)) {
                    bad.push_back(
                        {Severity::Error,
                         ErrorCode::Usage,
                         {},
                         0,
                         0,
                         "objective",
                         "objective: expected \"expected\" or \"cvar:LEVEL\" with LEVEL in (0,1)"});
                }
                req.objective = optimize::Objective::Cvar;
            }
            if (method && *method != "auto" && *method != "lp" && *method != "structured") {
                bad.push_back({Severity::Error,
                               ErrorCode::Usage,
                               {},
                               0,
                               0,
                               "method",
                               "method: expected auto, lp or structured"});
            }
            if (!bad.empty()) {
                throw ApiError(400, std::move(bad));
            }
            req.method = !method || *method == "auto" ? optimize::Method::Auto
                         : *method == "lp"            ? optimize::Method::Monolithic
                                                      : optimize::Method::Structured;
            req.holder = *holder;
            req.budget_usd = *budget;
            req.scenarios = curated(*state, ids);
            req.runs = static_cast<std::size_t>(runs.value_or(0));
            req.threads = threads;
            req.holding_cost_per_year = holding.value_or(optimize::kDefaultHoldingCostPerYear);
            req.release_weeks = release.value_or(26.0);
            if (state->loaded->world.members(req.holder).empty()) {
                throw ApiError(
                    422, ErrorCode::UnknownCountry,
                    "holder: '" + req.holder + "' is not an ISO3 code or bloc of the dataset",
                    "holder");
            }
            auto loaded = state->loaded;
            // The parameters first: the job's lambda takes the request by move, and the order in
            // which a call's arguments are evaluated is unspecified (the holder was once recorded
            // as "").
            const nlohmann::json job_params{
                {"holder", req.holder}, {"budget_usd", req.budget_usd}, {"scenarios", ids}};
            return submit(state, "stockpile", job_params,
                          [loaded, req = std::move(req)](JobContext& ctx) mutable {
                              req.cancel = ctx.cancel_flag();
                              req.progress = progress_of(ctx);
                              const auto solver = optimize::make_clp_solver();
                              const auto r = optimize::plan_stockpile(loaded->world, req, *solver);
                              return report::stockpile_views(r, req.holder).json;
                          });
        });
}

}  // namespace lodestone::server::internal
