// Endpoints of the policy timeline: measures in force, changes between dates, upcoming changes,
// and the measures themselves with their state on a date.
#include "lodestone/report/policies_report.hpp"
#include "lodestone/report/policy_view.hpp"
#include "lodestone/server/internal/routes.hpp"
#include "lodestone/server/openapi.hpp"

namespace lodestone::server::internal {

namespace {

std::vector<ParamSpec> filter_params() {
    return {
        {.name = "material", .description = "only measures covering this material id"},
        {.name = "destination",
         .description = "only measures covering this destination (ISO3 or bloc)"},
        {.name = "country", .description = "only measures imposed by this country (ISO3 or bloc)"}};
}

report::PolicyFilter filter_of(const Params& p) {
    return {p.text("material"), p.text("destination"), p.text("country")};
}

std::vector<ParamSpec> with_filters(std::vector<ParamSpec> head) {
    for (auto& f : filter_params()) {
        head.push_back(std::move(f));
    }
    return head;
}

nlohmann::json changes_schema(bool with_days) {
    std::vector<std::pair<std::string, std::string>> cols{
        {"date", "string"},         {"change", "string"},  {"id", "string"},
        {"kind", "string"},         {"country", "string"}, {"materials", "string"},
        {"destinations", "string"}, {"cause", "string"},   {"title", "string"}};
    if (with_days) {
        cols.insert(cols.begin() + 1, {"in_days", "integer"});
    }
    return rows_schema(cols);
}

}  // namespace

void add_policy_routes(Router& router, const State& state) {
    router.add(
        {.method = "GET",
         .path = "/api/v1/policies/report",
         .summary =
             "What `lodestone policies` prints: in force, suspended, recent and upcoming changes",
         .description =
             "The JSON of `lodestone policies --format json` ({as_of, basis, in_force, "
             "suspended, changes, upcoming}), over the dataset's measures and the "
             "workspace's events. With changes_since and/or upcoming, only those sections.",
         .tag = "policies",
         .query = with_filters(
             {as_of_param(),
              {.name = "changes_since",
               .type = ParamType::Date,
               .description = "what started, ended, was suspended or resumed from this "
                              "date to as_of"},
              {.name = "upcoming",
               .type = ParamType::Duration,
               .description = "what changes within this long after as_of, e.g. 30d"}}),
         .response_schema = {{"type", "object"}},
         .error_statuses = {422}},
        [state](const Params& p) {
            const auto merged = merged_with_events(state);
            report::PoliciesQuery q;
            q.as_of = as_of(p, state->loaded->world);
            q.material = p.text("material");
            q.destination = p.text("destination");
            q.country = p.text("country");
            q.changes_since = p.date("changes_since");
            q.upcoming_days = p.duration_days("upcoming");
            q.flag_prefix = "";
            return Response::json(report::policies_report(*merged, state->loaded->world, q).json);
        });

    router.add({.method = "GET",
                .path = "/api/v1/policies",
                .summary = "Measures binding on a date, suspensions applied",
                .description =
                    "The expiry date is the last day in force. Suspension rows are not listed; a "
                    "suspended measure is absent while its suspension lasts.",
                .tag = "policies",
                .query = with_filters({as_of_param()}),
                .response_schema = rows_schema(measure_row_columns(report::kInForceFields)),
                .error_statuses = {422}},
               [state](const Params& p) {
                   const auto world = world_with_events(state);
                   const auto& w = *world;
                   return Response::json(
                       report::policies_in_force(w, as_of(p, w), filter_of(p)).to_json());
               });

    router.add(
        {.method = "GET",
         .path = "/api/v1/policies/changes",
         .summary = "What started, ended, was suspended or resumed after `since` up to `as_of`",
         .description = "`date` is the first day of the new status.",
         .tag = "policies",
         .query = with_filters({{.name = "since",
                                 .type = ParamType::Date,
                                 .description = "changes on days after this date",
                                 .required = true},
                                as_of_param()}),
         .response_schema = changes_schema(false),
         .error_statuses = {422}},
        [state](const Params& p) {
            const auto world = world_with_events(state);
            const auto& w = *world;
            const Date to = as_of(p, w);
            const Date from = *p.date("since");
            if (to < from) {
                throw ApiError(400, ErrorCode::Usage,
                               "since: must be on or before as_of (" + to.to_string() + "), got '" +
                                   from.to_string() + "'",
                               "since");
            }
            return Response::json(report::policy_changes(w, from, to, filter_of(p)).to_json());
        });

    router.add(
        {.method = "GET",
         .path = "/api/v1/policies/upcoming",
         .summary = "What starts, ends, is suspended or binds again within N days after as_of",
         .description =
             "A suspension whose last day is D shows as the suspended measure resuming on "
             "D+1, unless a later event extends the suspension.",
         .tag = "policies",
         .query = with_filters(
             {as_of_param(),
              {.name = "within",
               .type = ParamType::Duration,
               .description = "window after as_of: 30d, 6w, 3m (30-day months) or days",
               .default_text = "30d"}}),
         .response_schema = changes_schema(true),
         .error_statuses = {422}},
        [state](const Params& p) {
            const auto world = world_with_events(state);
            const auto& w = *world;
            const int days = p.duration_days_or_default("within");
            return Response::json(
                report::policies_upcoming(w, as_of(p, w), days, filter_of(p)).to_json());
        });

    router.add({.method = "GET",
                .path = "/api/v1/measures",
                .summary = "Every measure with its state on a date (the timeline)",
                .tag = "policies",
                .query = with_filters({as_of_param()}),
                .response_schema = {{"type", "object"},
                                    {"properties",
                                     {{"as_of", {{"type", "string"}}},
                                      {"measures",
                                       {{"type", "array"}, {"items", schema_ref("Measure")}}}}}},
                .error_statuses = {422}},
               [state](const Params& p) {
                   const auto world = world_with_events(state);
                   const auto& w = *world;
                   return Response::json(report::measures_on(w, as_of(p, w), filter_of(p)));
               });

    router.add({.method = "GET",
                .path = "/api/v1/measures/{id}",
                .summary = "One measure with its state on a date",
                .tag = "policies",
                .path_params = {{.name = "id", .description = "measure id, e.g. CN-2024-046-2"}},
                .query = {as_of_param()},
                .response_schema = schema_ref("Measure"),
                .error_statuses = {404}},
               [state](const Params& p) {
                   const auto world = world_with_events(state);
                   const auto& w = *world;
                   if (w.find_measure(p.path("id")) == nullptr) {
                       throw ApiError(404, ErrorCode::NotFound, "no measure '" + p.path("id") + "'",
                                      "id");
                   }
                   const auto all = report::measures_on(w, as_of(p, w), {});
                   for (const auto& m : all["measures"]) {
                       if (m["id"] == p.path("id")) {
                           return Response::json(m);
                       }
                   }
                   throw std::logic_error("measure listed but not found");
               });
}

}  // namespace lodestone::server::internal
