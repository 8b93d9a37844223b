// lodestone/report/policy_view.hpp: the policy timeline (docs/policies.md) as tables and JSON: what
// is in force on a date, what changed between two dates, what starts or ends within N days. Shared
// by the CLI and GET /api/v1/policies, /policies/changes, /policies/upcoming, /measures. Example:
// policies_in_force(world, *Date::parse("2026-11-28"), {.material = "gallium"})
#pragma once

#include <array>
#include <string>

#include <nlohmann/json.hpp>

#include "lodestone/core/date.hpp"
#include "lodestone/model/measure_fields.hpp"
#include "lodestone/model/world.hpp"
#include "lodestone/report/document.hpp"

namespace lodestone::report {

/// Which measures to show; an empty field matches every measure.
struct PolicyFilter {
    std::string material;     ///< a material id the measure covers
    std::string destination;  ///< ISO3 or bloc: the measure covers it (a bloc: any member)
    std::string country;      ///< ISO3 or bloc imposing the measure (a bloc: any member)
};

/// Throws InputError listing every unknown material (E-UNKNOWN-MATERIAL) or country/bloc
/// (E-UNKNOWN-COUNTRY) of the filter; `field` of each diagnostic names the filter key.
void check_filter(const model::World& world, const PolicyFilter& filter);

/// The measure fields of the "Policies in force" table, in column order.
inline constexpr std::array kInForceFields{
    model::MeasureField::Id,           model::MeasureField::Kind,
    model::MeasureField::Country,      model::MeasureField::Materials,
    model::MeasureField::Stages,       model::MeasureField::Destinations,
    model::MeasureField::EndUsers,     model::MeasureField::Effective,
    model::MeasureField::Expires,      model::MeasureField::ApprovalRate,
    model::MeasureField::LeadTimeDays, model::MeasureField::Title,
    model::MeasureField::Source,
};

/// Table "Policies in force": measures binding on `date` (suspensions applied, last day inclusive).
[[nodiscard]] Document policies_in_force(const model::World& world,
                                         Date date,
                                         const PolicyFilter& filter);

/// Table "Policy changes": transitions on days in (from, to]; `date` is the first day of the new
/// status. Pre: from <= to.
[[nodiscard]] Document policy_changes(const model::World& world,
                                      Date from,
                                      Date to,
                                      const PolicyFilter& filter);

/// Table "Upcoming": transitions on days in (as_of, as_of + days], with days until each; a
/// suspension ending is shown as the suspended measure resuming the day after its last day.
[[nodiscard]] Document policies_upcoming(const model::World& world,
                                         Date as_of,
                                         int days,
                                         const PolicyFilter& filter);

/// All measures matching the filter with their status on `date` ("in_force", "suspended",
/// "inactive") and the suspensions active on that date: {as_of, measures: [...]}.
[[nodiscard]] nlohmann::json measures_on(const model::World& world,
                                         Date date,
                                         const PolicyFilter& filter);

}  // namespace lodestone::report
