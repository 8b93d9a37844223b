#include "lodestone/report/policies_report.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <span>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/core/text.hpp"
#include "lodestone/policy/describe.hpp"
#include "lodestone/policy/timeline.hpp"
#include "lodestone/report/measure_columns.hpp"

namespace lodestone::report {

namespace {

using model::Measure;

Cell opt(const std::optional<Date>& v) {
    return v ? Cell{v->to_string()} : Cell{};
}

Table transitions_table(const std::string& title,
                        const std::vector<policy::Transition>& ts,
                        std::span<const Measure> all,
                        Date as_of) {
    std::vector<Column> columns{{"date"}, {"last_day"}, {"change"}};
    append_columns(columns, kMeasureIdentity);
    columns.insert(columns.end(), {{"cause"}, {"what"}});
    Table t{
        title,
        std::move(columns),
        {},
        {"date = first day of the new status; last_day = last day of the old one (inclusive)."}};
    for (const auto& tr : ts) {
        const auto& m = *tr.change.measure;
        std::vector<Cell> row{tr.change.date.to_string(), tr.last_day.to_string(),
                              std::string(policy::to_string(tr.change.kind))};
        append_cells(row, m, kMeasureIdentity);
        row.insert(row.end(), {tr.change.cause != nullptr ? Cell{tr.change.cause->id} : Cell{},
                               policy::describe(tr, all, as_of)});
        t.add(std::move(row));
    }
    return t;
}

// The two tables of the default view, each in a function of its own.
using Keep = std::function<bool(const Measure&)>;

Table in_force_table(std::span<const Measure> all,
                     Date as_of,
                     const Keep& keep,
                     const store::MergedWorld& merged,
                     const model::World& dataset,
                     const std::string& filter_note) {
    using F = model::MeasureField;
    static constexpr std::array kWhat{F::Id,     F::Kind,         F::Country,  F::Materials,
                                      F::Stages, F::Destinations, F::EndUsers, F::Effective};
    static constexpr std::array kTerms{F::ApprovalRate, F::LeadTimeDays, F::QuotaTonnes,
                                       F::TaxRate};
    static constexpr std::array kText{F::Title, F::Source};
    std::vector<Column> columns;
    append_columns(columns, kWhat);
    columns.emplace_back("until");
    append_columns(columns, kTerms);
    columns.emplace_back("origin");
    append_columns(columns, kText);
    Table t{"Measures in force on " + as_of.to_string(),
            std::move(columns),
            {},
            {merged.basis_note(),
             "until = the last day it binds as known on the as-of date (expiry or the eve of a "
             "suspension); empty = open-ended."}};
    for (const auto* m : policy::in_force(all, as_of)) {
        if (!keep(*m)) {
            continue;
        }
        std::vector<Cell> row;
        append_cells(row, *m, kWhat);
        row.push_back(opt(policy::status_until(*m, all, as_of)));
        append_cells(row, *m, kTerms);
        row.emplace_back(merged.origin_of(m->id, dataset));
        append_cells(row, *m, kText);
        t.add(std::move(row));
    }
    if (!filter_note.empty()) {
        t.notes.push_back(filter_note);
    }
    return t;
}

Table suspended_table(std::span<const Measure> all, Date as_of, const Keep& keep) {
    std::vector<Column> columns;
    append_columns(columns, kMeasureIdentity);
    columns.insert(columns.end(), {{"suspended_by"}, {"last_suspended_day"}, {"then"}});
    Table s{"Suspended on " + as_of.to_string(), std::move(columns), {}, {}};
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
        std::vector<Cell> row;
        append_cells(row, m, kMeasureIdentity);
        row.insert(row.end(),
                   {policy::measure_ids(policy::suspensions_of(m, all, as_of)), opt(until), then});
        s.add(std::move(row));
    }
    return s;
}

}  // namespace

Document policies_report(const store::MergedWorld& merged,
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
    return Document{std::move(tables), std::move(doc), {}};
}

}  // namespace lodestone::report
