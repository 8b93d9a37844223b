// lodestone policies: what binds on a date (suspensions applied), what changed between two dates,
// and what starts, ends or binds again within the next N days. Dataset measures plus the
// workspace's events (latest revision wins).
#include <algorithm>

#include "commands.hpp"
#include "lodestone/report/policies_report.hpp"
#include "workspace_support.hpp"

namespace lodestone::cli {

namespace {

struct PoliciesOptions {
    std::string as_of;
    std::string material;
    std::string destination;
    std::string country;
    std::string changes_since;
    std::string upcoming;
    WorkspaceChoice workspace;
};

void run_policies(Context& ctx, const PoliciesOptions& o) {
    const auto ws = open_for_read(o.workspace);
    const auto merged = merged_world(ctx, ws);
    report::PoliciesQuery q;
    q.as_of = resolve_as_of(o.as_of, ctx.world());
    q.material = material_option(ctx.world(), o.material, "--material");
    q.destination = country_option(ctx.world(), o.destination, "--destination");
    q.country = country_option(ctx.world(), o.country, "--country");
    if (!o.changes_since.empty()) {
        q.changes_since = Date::parse(o.changes_since);
        if (!q.changes_since) {
            throw InputError(
                ErrorCode::Usage,
                "--changes-since: expected a date YYYY-MM-DD, got '" + o.changes_since + "'");
        }
    }
    if (!o.upcoming.empty()) {
        q.upcoming_days = parse_duration_days(o.upcoming);
        if (!q.upcoming_days || *q.upcoming_days <= 0) {
            throw InputError(ErrorCode::Usage,
                             "--upcoming: expected a positive duration like 30d, 6w or 3m, got '" +
                                 o.upcoming + "'");
        }
    }
    const auto r = report::policies_report(merged, ctx.world(), q);
    print(ctx, r);
}

}  // namespace

void add_policies_command(CLI::App& app, Context& ctx) {
    static PoliciesOptions o;
    auto* cmd = app.add_subcommand(
        "policies",
        "Measures in force on a date, recent changes and what comes up (suspensions applied)");
    add_common_options(*cmd, ctx);
    add_as_of_option(*cmd, o.as_of);
    add_workspace_option(*cmd, o.workspace, true);
    cmd->add_option("--material", o.material, "Only measures covering this material")
        ->type_name("ID");
    cmd->add_option("--destination", o.destination,
                    "Only measures covering this destination (ISO3 or bloc)")
        ->type_name("ISO3|BLOC");
    cmd->add_option("--country", o.country, "Only measures imposed by this country (ISO3 or bloc)")
        ->type_name("ISO3");
    cmd->add_option(
           "--changes-since", o.changes_since,
           "Show what started, ended, was suspended or resumed from DATE to the as-of date")
        ->type_name("DATE");
    cmd->add_option("--upcoming", o.upcoming,
                    "Show what starts, ends or binds again within this many days after the as-of "
                    "date (e.g. 30d)")
        ->type_name("DURATION");
    cmd->callback([&ctx] { run_policies(ctx, o); });
}

}  // namespace lodestone::cli
