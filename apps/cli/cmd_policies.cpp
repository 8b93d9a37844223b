// lodestone policies: what binds on a date (suspensions applied), what changed between two dates,
// and what starts, ends or binds again within the next N days. Dataset measures plus the
// workspace's events (latest revision wins).
#include <algorithm>

#include "commands.hpp"
#include "lodestone/policy/describe.hpp"
#include "lodestone/policy/timeline.hpp"
#include "lodestone/store/measure_json.hpp"
#include "workspace_support.hpp"

namespace lodestone::cli {

namespace {

using model::Measure;
using policy::ChangeKind;

struct PoliciesOptions {
    std::string as_of;
    std::string material;
    std::string destination;
    std::string country;
    std::string changes_since;
    std::string upcoming;
    WorkspaceChoice workspace;
};

report::Cell opt(const std::optional<double>& v) {
    return v ? report::Cell{*v} : report::Cell{};
}

report::Cell opt(const std::optional<Date>& v) {
    return v ? report::Cell{v->to_string()} : report::Cell{};
}

std::string ids(const std::vector<const Measure*>& ms) {
    std::vector<std::string> out;
    out.reserve(ms.size());
    for (const auto* m : ms) {
        out.push_back(m->id);
    }
    return join(out, ", ");
}

report::Table transitions_table(const std::string& title, const std::vector<policy::Transition>& ts,
                                std::span<const Measure> all, Date as_of) {
    report::Table t{title,
                    {{"date"}, {"last_day"}, {"change"}, {"id"}, {"kind"}, {"country"}, {"materials"},
                     {"destinations"}, {"cause"}, {"what"}},
                    {},
                    {"date = first day of the new status; last_day = last day of the old one (inclusive)."}};
    for (const auto& tr : ts) {
        const auto& m = *tr.change.measure;
        t.add({tr.change.date.to_string(), tr.last_day.to_string(),
               std::string(policy::to_string(tr.change.kind)), m.id, std::string(model::to_string(m.kind)),
               m.country, join(m.materials), store::destinations_text(m.destinations),
               tr.change.cause != nullptr ? report::Cell{tr.change.cause->id} : report::Cell{},
               policy::describe(tr, all, as_of)});
    }
    return t;
}

void run_policies(Context& ctx, const PoliciesOptions& o) {
    const auto ws = open_for_read(o.workspace);
    const auto merged = merged_world(ctx, ws);
    const model::World& w = merged.world;
    const std::span<const Measure> all = w.measures;
    const Date as_of = resolve_as_of(o.as_of, ctx.world());

    if (!o.material.empty() && w.find_material(o.material) == nullptr) {
        throw InputError(ErrorCode::UnknownMaterial, "--material: unknown material '" + o.material + "'");
    }
    for (const auto* code : {&o.destination, &o.country}) {
        if (!code->empty() && w.find_country(*code) == nullptr && !w.is_bloc(*code)) {
            throw InputError(ErrorCode::UnknownCountry,
                             std::string(code == &o.country ? "--country" : "--destination") +
                                 ": unknown country or bloc '" + *code + "'");
        }
    }
    const auto country_members = o.country.empty() ? std::vector<std::string>{} : w.members(o.country);
    auto keep = [&](const Measure& m) {
        if (!o.material.empty() && !policy::covers_material(m, o.material)) {
            return false;
        }
        if (!o.destination.empty() && !policy::covers_any_destination(w, m, o.destination)) {
            return false;
        }
        return o.country.empty() || m.country == o.country ||
               std::find(country_members.begin(), country_members.end(), m.country) != country_members.end();
    };

    const bool sections_asked = !o.changes_since.empty() || !o.upcoming.empty();
    Date since = as_of.plus_days(-30);
    if (!o.changes_since.empty()) {
        const auto d = Date::parse(o.changes_since);
        if (!d) {
            throw InputError(ErrorCode::Usage,
                             "--changes-since: expected a date YYYY-MM-DD, got '" + o.changes_since + "'");
        }
        if (*d > as_of) {
            throw InputError(ErrorCode::Usage, "--changes-since " + d->to_string() + " is after the as-of date " +
                                                   as_of.to_string() + "; use --upcoming for what comes next");
        }
        since = *d;
    }
    int horizon = 30;
    if (!o.upcoming.empty()) {
        const auto days = parse_duration_days(o.upcoming);
        if (!days || *days <= 0) {
            throw InputError(ErrorCode::Usage,
                             "--upcoming: expected a positive duration like 30d, 6w or 3m, got '" + o.upcoming + "'");
        }
        horizon = *days;
    }

    std::vector<report::Table> tables;
    nlohmann::json doc{{"as_of", as_of.to_string()}, {"basis", merged.basis_note()}};
    std::vector<std::string> filters;
    for (const auto& [name, value] : {std::pair{"material", &o.material}, std::pair{"destination", &o.destination},
                                      std::pair{"country", &o.country}}) {
        if (!value->empty()) {
            filters.push_back(std::string(name) + " " + *value);
        }
    }
    const std::string filter_note = filters.empty() ? "" : "Filtered on " + join(filters, ", ") + ".";

    if (!sections_asked) {
        report::Table t{"Measures in force on " + as_of.to_string(),
                        {{"id"}, {"kind"}, {"country"}, {"materials"}, {"stages"}, {"destinations"},
                         {"end_users"}, {"effective"}, {"until"}, {"approval_rate", 2}, {"lead_time", 0, "days"},
                         {"quota", -1, "t"}, {"tax_rate", 3}, {"origin"}, {"title"}, {"source"}},
                        {},
                        {merged.basis_note(),
                         "until = the last day it binds as known on the as-of date (expiry or the eve of a "
                         "suspension); empty = open-ended."}};
        for (const auto* m : policy::in_force(all, as_of)) {
            if (!keep(*m)) {
                continue;
            }
            t.add({m->id, std::string(model::to_string(m->kind)), m->country, join(m->materials),
                   join(m->stages), store::destinations_text(m->destinations), m->end_users, opt(m->effective),
                   opt(policy::status_until(*m, all, as_of)), opt(m->approval_rate), opt(m->lead_time_days),
                   opt(m->quota_tonnes), opt(m->tax_rate), merged.origin_of(m->id, ctx.world()), m->title,
                   m->source});
        }
        if (!filter_note.empty()) {
            t.notes.push_back(filter_note);
        }
        doc["in_force"] = report::to_json(t);
        tables.push_back(std::move(t));

        report::Table s{"Suspended on " + as_of.to_string(),
                        {{"id"}, {"kind"}, {"country"}, {"materials"}, {"destinations"}, {"suspended_by"},
                         {"last_suspended_day"}, {"then"}},
                        {},
                        {}};
        for (const auto& m : all) {
            if (m.kind == model::MeasureKind::Suspension ||
                policy::status_on(m, all, as_of) != policy::Status::Suspended || !keep(m)) {
                continue;
            }
            const auto until = policy::status_until(m, all, as_of);
            std::string then = "stays suspended (no end date)";
            if (until) {
                const Date next = until->plus_days(1);
                const auto after = policy::status_on(m, all, next);
                if (after == policy::Status::InForce) {
                    then = std::string(policy::has_bound_before(m, all, next) ? "binds again from "
                                                                             : "binds for the first time from ") +
                           next.to_string() + " unless a later event extends the suspension";
                } else {
                    then = "expires";
                }
            }
            s.add({m.id, std::string(model::to_string(m.kind)), m.country, join(m.materials),
                   store::destinations_text(m.destinations), ids(policy::suspensions_of(m, all, as_of)),
                   opt(until), then});
        }
        doc["suspended"] = report::to_json(s);
        tables.push_back(std::move(s));
    }
    auto filtered = [&](std::vector<policy::Transition> ts) {
        ts.erase(std::remove_if(ts.begin(), ts.end(),
                                [&](const policy::Transition& t) { return !keep(*t.change.measure); }),
                 ts.end());
        return ts;
    };
    if (!sections_asked || !o.changes_since.empty()) {
        // Inclusive of `since`: a change dated that day (its first day) counts.
        auto t = transitions_table("Changes from " + since.to_string() + " to " + as_of.to_string(),
                                   filtered(policy::transitions_between(all, since.plus_days(-1), as_of)), all,
                                   as_of);
        doc["changes"] = {{"from", since.to_string()}, {"to", as_of.to_string()}, {"rows", report::to_json(t)}};
        tables.push_back(std::move(t));
    }
    if (!sections_asked || !o.upcoming.empty()) {
        const Date end = as_of.plus_days(horizon);
        auto t = transitions_table("Upcoming from " + as_of.plus_days(1).to_string() + " to " + end.to_string() +
                                       " (next " + std::to_string(horizon) + " days)",
                                   filtered(policy::upcoming(all, as_of, horizon)), all, as_of);
        doc["upcoming"] = {{"from", as_of.plus_days(1).to_string()}, {"to", end.to_string()}, {"rows", report::to_json(t)}};
        tables.push_back(std::move(t));
    }
    if (sections_asked) {
        tables.front().notes.push_back(merged.basis_note());
        if (!filter_note.empty()) {
            tables.front().notes.push_back(filter_note);
        }
    }
    print(ctx, tables, &doc);
}

}  // namespace

void add_policies_command(CLI::App& app, Context& ctx) {
    static PoliciesOptions o;
    auto* cmd = app.add_subcommand(
        "policies", "Measures in force on a date, recent changes and what comes up (suspensions applied)");
    add_common_options(*cmd, ctx);
    add_as_of_option(*cmd, o.as_of);
    add_workspace_option(*cmd, o.workspace, true);
    cmd->add_option("--material", o.material, "Only measures covering this material")->type_name("ID");
    cmd->add_option("--destination", o.destination, "Only measures covering this destination (ISO3 or bloc)")
        ->type_name("ISO3|BLOC");
    cmd->add_option("--country", o.country, "Only measures imposed by this country (ISO3 or bloc)")
        ->type_name("ISO3");
    cmd->add_option("--changes-since", o.changes_since,
                    "Show what started, ended, was suspended or resumed from DATE to the as-of date")
        ->type_name("DATE");
    cmd->add_option("--upcoming", o.upcoming,
                    "Show what starts, ends or binds again within this many days after the as-of date (e.g. 30d)")
        ->type_name("DURATION");
    cmd->callback([&ctx] { run_policies(ctx, o); });
}

}  // namespace lodestone::cli
