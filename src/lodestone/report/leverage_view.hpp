// lodestone/report/leverage_view.hpp: two-sided leverage (docs/methods.md) as tables and JSON: the
// output of `lodestone leverage` and of GET /api/v1/leverage, built in one place. Example: auto v =
// leverage_pair_views(world, "CHN", "USA", as_of, {});
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "lodestone/core/date.hpp"
#include "lodestone/model/world.hpp"
#include "lodestone/report/document.hpp"

namespace lodestone::report {

/// Leverage of `supplier` over `target` per material and back. text: forward, reverse (without the
/// supplier/target columns) and totals; csv: both directions in one table; json: {as_of, supplier,
/// target, share_basis, forward, reverse, net, notes}. Throws InputError for unknown codes.
[[nodiscard]] Document leverage_pair_views(const model::World& world,
                                           const std::string& supplier,
                                           const std::string& target,
                                           Date as_of,
                                           const std::vector<std::string>& materials);

/// Every supplier of `target` ranked by leverage, the first `top`; json: the table's rows.
[[nodiscard]] Document leverage_ranking_views(const model::World& world,
                                              const std::string& target,
                                              Date as_of,
                                              const std::vector<std::string>& materials,
                                              std::size_t top);

}  // namespace lodestone::report
