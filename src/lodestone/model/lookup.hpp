// lodestone/model/lookup.hpp: what a user types for a country, bloc or material, resolved to the
// dataset's id. Users type "usa", "Germany", "eu" or "Gallium"; the library takes canonical ids
// ("USA", "DEU", "EU", "gallium"). Case-folded ids and names of countries.csv / materials.csv are
// accepted; anything else gets the nearest ids as suggestions (edit distance), so that an error
// can say "did you mean gallium?".
// Example: resolve_country(world, "germany") == "DEU"; nearest("galium", ids) == {"gallium"}
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lodestone/model/world.hpp"

namespace lodestone::model {

/// ISO3 code of a country, or a bloc name, for an ISO3 / bloc / country name in any letter case.
[[nodiscard]] std::optional<std::string> resolve_country(const World& world, std::string_view text);
/// Material id for an id or material name in any letter case ("Rare earths" -> rare_earths).
[[nodiscard]] std::optional<std::string> resolve_material(const World& world,
                                                          std::string_view text);

/// Levenshtein distance of the lower-cased texts.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);
/// Candidates within a small edit distance of `text` (at most a third of its length, at least 1,
/// or a case-folded prefix of length >= 3), nearest first, at most `max` of them.
[[nodiscard]] std::vector<std::string> nearest(std::string_view text,
                                               const std::vector<std::string>& candidates,
                                               std::size_t max = 3);

/// ISO3 codes then bloc names of the dataset (sorted), for messages and suggestions.
[[nodiscard]] std::vector<std::string> country_codes(const World& world);
/// Material ids in dataset order.
[[nodiscard]] std::vector<std::string> material_ids(const World& world);

}  // namespace lodestone::model
