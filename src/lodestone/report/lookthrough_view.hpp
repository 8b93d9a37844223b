// lodestone/report/lookthrough_view.hpp: the look-through (docs/lookthrough.md) as tables and JSON:
// the output of `lodestone lookthrough` and of GET/POST /api/v1/lookthrough, built in one place so
// that the CLI and the API print the same JSON.
// Example: auto doc = country_lookthrough_report(world, "gallium", "USA", "", as_of, 0.001);
#pragma once

#include <string>

#include "lodestone/core/date.hpp"
#include "lodestone/io/bom_reader.hpp"
#include "lodestone/model/world.hpp"
#include "lodestone/report/document.hpp"

namespace lodestone::report {

/// Origin of a country's supply of a material at every upstream stage: tables "Origin of ...",
/// "Origin shares" (shares below `min_share` folded into one row) and the measures touching them;
/// JSON {mode: "country", material, country, as_of, dataset_hash, supplies, measures}.
/// Throws InputError for an unknown material, stage or country.
[[nodiscard]] Document country_lookthrough_report(const model::World& world,
                                                  const std::string& material,
                                                  const std::string& country,
                                                  const std::string& stage,
                                                  Date as_of,
                                                  double min_share);

/// Look-through of every product and material of a BOM: tables "Look-through of <bom_name>",
/// "Origin by stage", "Origin shares" and the measures; JSON {mode: "bom", bom, as_of,
/// dataset_hash, products, measures}. `buyer` (ISO3 or empty) is the default product country. Pre:
/// buyer is empty or a country of the world.
[[nodiscard]] Document bom_lookthrough_report(const model::World& world,
                                              const io::Bom& bom,
                                              const std::string& bom_name,
                                              Date as_of,
                                              const std::string& buyer,
                                              double min_share);

}  // namespace lodestone::report
