#include "lodestone/report/policy_view.hpp"

#include <algorithm>
#include <vector>

#include "lodestone/core/text.hpp"
#include "lodestone/policy/timeline.hpp"
#include "lodestone/report/measure_columns.hpp"

namespace lodestone::report {

namespace {

bool matches(const model::World& w, const model::Measure& m, const PolicyFilter& f) {
    if (!f.material.empty() && !policy::covers_material(m, f.material)) {
        return false;
    }
    if (!f.country.empty()) {
        const auto who = w.members(f.country);
        if (m.country != f.country && std::find(who.begin(), who.end(), m.country) == who.end()) {
            return false;
        }
    }
    if (!f.destination.empty()) {
        const auto targets = w.members(f.destination);
        if (!std::any_of(targets.begin(), targets.end(), [&](const std::string& iso3) {
                return policy::covers_destination(w, m, iso3);
            })) {
            return false;
        }
    }
    return true;
}

Table changes_table(const std::string& title, bool with_days) {
    std::vector<Column> cols{{"date"}, {"change"}};
    append_columns(cols, kMeasureIdentity);
    cols.insert(cols.end(), {{"cause"}, {"title"}});
    if (with_days) {
        cols.insert(cols.begin() + 1, Column{"in_days"});
    }
    return Table{
        title,
        std::move(cols),
        {},
        {"date is the first day of the new status; the day before is the last day of the old one"}};
}

void add_changes(Table& t,
                 const model::World& w,
                 Date from,
                 Date to,
                 const PolicyFilter& f,
                 std::optional<Date> origin) {
    for (const auto& c : policy::changes_between(w.measures, from, to)) {
        const auto& m = *c.measure;
        if (m.kind == model::MeasureKind::Suspension || !matches(w, m, f)) {
            continue;  // a suspension shows up as the Suspended/Resumed change of what it suspends
        }
        std::vector<Cell> row{c.date.to_string(), std::string(policy::to_string(c.kind))};
        append_cells(row, m, kMeasureIdentity);
        row.insert(row.end(), {c.cause != nullptr ? Cell{c.cause->id} : Cell{}, m.title});
        if (origin) {
            row.insert(row.begin() + 1,
                       Cell{static_cast<std::int64_t>(days_between(*origin, c.date))});
        }
        t.add(std::move(row));
    }
}

}  // namespace

void check_filter(const model::World& w, const PolicyFilter& f) {
    std::vector<Diagnostic> errors;
    auto bad = [&](ErrorCode code, const char* field, std::string message) {
        errors.push_back({Severity::Error, code, {}, 0, 0, field, std::move(message)});
    };
    if (!f.material.empty() && w.find_material(f.material) == nullptr) {
        bad(ErrorCode::UnknownMaterial, "material",
            "material: unknown material '" + f.material + "'");
    }
    if (!f.destination.empty() && w.members(f.destination).empty()) {
        bad(ErrorCode::UnknownCountry, "destination",
            "destination: unknown country or bloc '" + f.destination + "'");
    }
    if (!f.country.empty() && w.members(f.country).empty()) {
        bad(ErrorCode::UnknownCountry, "country",
            "country: unknown country or bloc '" + f.country + "'");
    }
    if (!errors.empty()) {
        throw InputError(std::move(errors));
    }
}

Document policies_in_force(const model::World& w, Date date, const PolicyFilter& f) {
    check_filter(w, f);
    std::vector<Column> columns;
    append_columns(columns, kInForceFields);
    Table t{"Policies in force",
            std::move(columns),
            {},
            {"as of " + date.to_string() +
             "; suspensions applied; the expiry date is the last day in force"}};
    for (const auto* m : policy::in_force(w.measures, date)) {
        if (!matches(w, *m, f)) {
            continue;
        }
        std::vector<Cell> row;
        append_cells(row, *m, kInForceFields);
        t.add(std::move(row));
    }
    return Document{{std::move(t)}, nullptr, {}};
}

Document policy_changes(const model::World& w, Date from, Date to, const PolicyFilter& f) {
    check_filter(w, f);
    auto t = changes_table("Policy changes", false);
    add_changes(t, w, from, to, f, std::nullopt);
    t.notes.push_back("changes after " + from.to_string() + " up to and including " +
                      to.to_string());
    return Document{{std::move(t)}, nullptr, {}};
}

Document policies_upcoming(const model::World& w, Date as_of, int days, const PolicyFilter& f) {
    check_filter(w, f);
    auto t = changes_table("Upcoming", true);
    add_changes(t, w, as_of, as_of.plus_days(days), f, as_of);
    t.notes.push_back(
        "within " + std::to_string(days) + " days after " + as_of.to_string() +
        "; 'resumed' = a suspension ended and the measure binds again from that date, "
        "unless a later event extends the suspension");
    return Document{{std::move(t)}, nullptr, {}};
}

nlohmann::json measures_on(const model::World& w, Date date, const PolicyFilter& f) {
    check_filter(w, f);
    auto list = nlohmann::json::array();
    for (const auto& m : w.measures) {
        if (!matches(w, m, f)) {
            continue;
        }
        auto j = measure_fields_json(m);
        j["state"] = std::string(policy::to_string(policy::status_on(m, w.measures, date)));
        auto by = nlohmann::json::array();
        for (const auto* s : policy::suspensions_of(m, w.measures, date)) {
            by.push_back(s->id);
        }
        j["suspended_by"] = std::move(by);
        list.push_back(std::move(j));
    }
    return {{"as_of", date.to_string()}, {"measures", std::move(list)}};
}

}  // namespace lodestone::report
