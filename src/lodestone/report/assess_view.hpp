// lodestone/report/assess_view.hpp: the criticality panel (docs/methods.md) as tables and JSON: the
// output of `lodestone assess` and of GET /api/v1/assess, built in one place.
// Example: auto v = assess_views(world, world.methods, {.as_of = d, .perspective = "USA"});
#pragma once

#include <map>
#include <string>
#include <vector>

#include "lodestone/core/date.hpp"
#include "lodestone/model/world.hpp"
#include "lodestone/report/document.hpp"

namespace lodestone::report {

struct AssessQuery {
    Date as_of;
    std::string perspective = "EU";      ///< ISO3 or bloc
    std::vector<std::string> materials;  ///< empty = every material
    std::string stage;                   ///< empty = every stage
    std::string method = "all";          ///< all (ranked by eu), eu, geopolrisk, usgs or hhi
    bool by_stage = false;               ///< one row per material and stage
    std::map<std::string, double> ev;    ///< USGS economic vulnerability by material, 0-1
    bool product_stages = false;  ///< EU perspective: also the product stages (magnet, anode)
};

/// text: the panel's reading columns and the method agreement; csv: the full panel; json:
/// {as_of, perspective, members, ranked_by, by_stage, methods, rows, agreement, notes}.
/// Throws InputError as metrics::assess does, and E-USAGE for an unknown method.
[[nodiscard]] Document assess_views(const model::World& world,
                                    const model::MethodParams& params,
                                    const AssessQuery& query);

}  // namespace lodestone::report
