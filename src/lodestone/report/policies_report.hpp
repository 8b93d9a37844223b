// lodestone/report/policies_report.hpp: what `lodestone policies` prints, as tables and one JSON
// document: the measures in force on a date (suspensions applied), those suspended, what changed
// since a date and what comes up within N days; over the dataset's measures merged with the
// workspace's events. Shared by the CLI and GET /api/v1/policies/report.
// Example: auto r = policies_report(merged, dataset, {.as_of = day, .upcoming_days = 30});
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lodestone/core/date.hpp"
#include "lodestone/report/document.hpp"
#include "lodestone/report/table.hpp"
#include "lodestone/store/merged_world.hpp"

namespace lodestone::report {

struct PoliciesQuery {
    Date as_of;
    std::string material;     ///< only measures covering it; empty = all
    std::string destination;  ///< only measures covering it (ISO3 or bloc)
    std::string country;      ///< only measures imposed by it (ISO3 or bloc)
    /// Either given: only those sections; neither: in force, suspended, the last 30 days and the
    /// next 30.
    std::optional<Date> changes_since;
    std::optional<int> upcoming_days;
    std::string flag_prefix = "--";  ///< names the options in messages: "--" (CLI) or "" (API)
};

/// Throws InputError (E-UNKNOWN-MATERIAL, E-UNKNOWN-COUNTRY, E-USAGE) for a bad filter or date.
/// The JSON is {as_of, basis, in_force?, suspended?, changes?, upcoming?}.
[[nodiscard]] Document policies_report(const store::MergedWorld& merged,
                                       const model::World& dataset,
                                       const PoliciesQuery& query);

}  // namespace lodestone::report
