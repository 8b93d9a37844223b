#include "lodestone/report/policies_report.hpp"

#include <algorithm>
#include <functional>
#include <span>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/core/text.hpp"
#include "lodestone/policy/describe.hpp"
#include "lodestone/policy/timeline.hpp"
#include "lodestone/store/measure_json.hpp"

namespace lodestone::report {

namespace {

using model::Measure;

Cell opt(const std::optional<double>& v) {
    return v ? Cell{*v} : Cell{};
}

Cell opt(const std::optional<Date>& v) {
    return v ? Cell{v->to_string()} : Cell{};
}

Table transitions_table(const std::string& title,
                        const std::vector<policy::Transition>& ts,
                        std::span<const Measure> all,
                        Date as_of) {
    Table t{
        title,
        {{"date"},
         {"last_day"},
         {"change"},
         {"id"},
         {"kind"},
         {"country"},
         {"materials"},
         {"destinations"},
         {"cause"},
         {"what"}},
        {},
        {"date = first day of the new status; last_day = last day of the old one (inclusive)."}};
    for (const auto& tr : ts) {
        const auto& m = *tr.change.measure;
        t.add({tr.change.date.to_string(), tr.last_day.to_string(),
               std::string(policy::to_string(tr.change.kind)), m.id,
               std::string(model::to_string(m.kind)), m.country, join(m.materials, ";"),
               store::destinations_text(m.destinations),
               tr.change.cause != nullptr ? Cell{tr.change.cause->id} : Cell{},
               policy::describe(tr, all, as_of)});
    }
    return t;
}

// The two tables of the default view, each in a function of its own (clang-tidy's optional-access
// analysis runs for minutes on one function that builds them all).
using Keep = std::function<bool(const Measure&)>;

Table in_force_table(std::span<const Measure> all,
                     Date as_of,
                     const Keep& keep,
                     const store::MergedWorld& merged,
                     const model::World& dataset,
                     const std::string& filter_note) {
    Table t{"Measures in force on " + as_of.to_string(),
            {{"id"},
             {"kind"},
             {"country"},
             {"materials"},
             {"stages"},
             {"destinations"},
             {"end_users"},
             {"effective"},
             {"until"},
             {"approval_rate", 2},
             {"lead_time", 0, "days"},
             {"quota", -1, "t"},
             {"tax_rate", 3},
             {"origin"},
             {"title"},
             {"source"}},
            {},
            {merged.basis_note(),
             "until = the last day it binds as known on the as-of date (expiry or the eve of a "
             "suspension); empty = open-ended."}};
    for (const auto* m : policy::in_force(all, as_of)) {
        if (!keep(*m)) {
            continue;
        }
        t.add({m->id, std::string(model::to_string(m->kind)), m->country, join(m->materials, ";"),
               join(m->stages, ";"), store::destinations_text(m->destinations), m->end_users,
               opt(m->effective), opt(policy::status_until(*m, all, as_of)), opt(m->approval_rate),
               opt(m->lead_time_days), opt(m->quota_tonnes), opt(m->tax_rate),
               merged.origin_of(m->id, dataset), m->title, m->source});
    }
    if (!filter_note.empty()) {
        t.notes.push_back(filter_note);
    }
    return t;
}

Table suspended_table(std::span<const Measure> all, Date as_of, const Keep& keep) {
    Table s{"Suspended on " + as_of.to_string(),
            {{"id"},
             {"kind"},
             {"country"},
             {"materials"},
             {"destinations"},
             {"suspended_by"},
             {"last_suspended_day"},
             {"then"}},
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
                then = std::string(policy::has_bound_before(m, all, next)
                                       ? "binds again from "
                                       : "binds for the first time from ") +
                       next.to_string() + " unless a later event extends the suspension";
            } else {
                then = "expires";
            }
        }
        s.add({m.id, std::string(model::to_string(m.kind)), m.country, join(m.materials, ";"),
               store::destinations_text(m.destinations),
               policy::measure_ids(policy::suspensions_of(m, all, as_of)), opt(until), then});
    }
    return s;
}

}  // namespace

PoliciesReport policies_report(const store::MergedWorld& merged,
                               const model::World& dataset,
                               const PoliciesQuery& o) {
    const model::World& w = *merged.world;
    const std::span<const Measure> all = w.measures;
    const policy::MeasureIndexScope index(all);  // every question below in O(1), not O(measures)
    const Date as_of = o.as_of;
    const std::string& flag = o.flag_prefix;

    if (!o.material.empty() && w.find_material(o.material) == nullptr) {
        throw InputError(ErrorCode::UnknownMaterial,
                         flag + "material: unknown material '" + o.material + "'");
    }
    for (const auto* code : {&o.destination, &o.country}) {
        if (!code->empty() && w.find_country(*code) == nullptr && !w.is_bloc(*code)) {
            throw InputError(ErrorCode::UnknownCountry,
                             flag + (code == &o.country ? "country" : "destination") +
                                 ": unknown country or bloc '" + *code + "'");
        }
    }
    const auto country_members =
        o.country.empty() ? std::vector<std::string>{} : w.members(o.country);
    auto keep = [&](const Measure& m) {
        if (!o.material.empty() && !policy::covers_material(m, o.material)) {
            return false;
        }
        if (!o.destination.empty() && !policy::covers_any_destination(w, m, o.destination)) {
            return false;
        }
        return o.country.empty() || m.country == o.country ||
               std::find(country_members.begin(), country_members.end(), m.country) !=
                   country_members.end();
    };

    const bool sections_asked = o.changes_since || o.upcoming_days;
    Date since = as_of.plus_days(-30);
    if (o.changes_since) {
        if (*o.changes_since > as_of) {
            throw InputError(ErrorCode::Usage,
                             flag + (flag.empty() ? "changes_since " : "changes-since ") +
                                 o.changes_since->to_string() + " is after the as-of date " +
                                 as_of.to_string() + "; use " + flag +
                                 "upcoming for what comes next");
        }
        since = *o.changes_since;
    }
    int horizon = 30;
    if (o.upcoming_days) {
        if (*o.upcoming_days <= 0) {
            throw InputError(ErrorCode::Usage,
                             flag +
                                 "upcoming: expected a positive duration like 30d, 6w or 3m, got " +
                                 std::to_string(*o.upcoming_days) + " days");
        }
        horizon = *o.upcoming_days;
    }

    std::vector<Table> tables;
    nlohmann::json doc{{"as_of", as_of.to_string()}, {"basis", merged.basis_note()}};
    std::vector<std::string> filters;
    for (const auto& [name, value] :
         {std::pair{"material", &o.material}, std::pair{"destination", &o.destination},
          std::pair{"country", &o.country}}) {
        if (!value->empty()) {
            filters.push_back(std::string(name) + " " + *value);
        }
    }
    const std::string filter_note =
        filters.empty() ? "" : "Filtered on " + join(filters, ", ") + ".";

    if (!sections_asked) {
        auto t = in_force_table(all, as_of, keep, merged, dataset, filter_note);
        doc["in_force"] = to_json(t);
        tables.push_back(std::move(t));

        auto s = suspended_table(all, as_of, keep);
        doc["suspended"] = to_json(s);
        tables.push_back(std::move(s));
    }
    auto filtered = [&](std::vector<policy::Transition> ts) {
        ts.erase(
            std::remove_if(ts.begin(), ts.end(),
                           [&](const policy::Transition& t) { return !keep(*t.change.measure); }),
            ts.end());
        return ts;
    };
    if (!sections_asked || o.changes_since) {
        // Inclusive of `since`: a change dated that day (its first day) counts.
        auto t = transitions_table(
            "Changes from " + since.to_string() + " to " + as_of.to_string(),
            filtered(policy::transitions_between(all, since.plus_days(-1), as_of)), all, as_of);
        doc["changes"] = {
            {"from", since.to_string()}, {"to", as_of.to_string()}, {"rows", to_json(t)}};
        tables.push_back(std::move(t));
    }
    if (!sections_asked || o.upcoming_days) {
        const Date end = as_of.plus_days(horizon);
        auto t =
            transitions_table("Upcoming from " + as_of.plus_days(1).to_string() + " to " +
                                  end.to_string() + " (next " + std::to_string(horizon) + " days)",
                              filtered(policy::upcoming(all, as_of, horizon)), all, as_of);
        doc["upcoming"] = {{"from", as_of.plus_days(1).to_string()},
                           {"to", end.to_string()},
                           {"rows", to_json(t)}};
        tables.push_back(std::move(t));
    }
    if (sections_asked) {
        tables.front().notes.push_back(merged.basis_note());
        if (!filter_note.empty()) {
            tables.front().notes.push_back(filter_note);
        }
    }
    return {std::move(tables), std::move(doc)};
}

}  // namespace lodestone::report
