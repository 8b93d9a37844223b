// lodestone/io/material_numbers.hpp: the one reader of "MATERIAL=NUMBER" items, shared by the CLI
// (--ev, --value-of-lost-supply) and the HTTP API (ev=...), so that both accept and refuse alike.
// Example: parse_material_numbers(world, {"Gallium=0.4"}, "--ev", {0, 1}) == {{"gallium", 0.4}}
#pragma once

#include <map>
#include <string>
#include <vector>

#include "lodestone/model/world.hpp"

namespace lodestone::io {

/// Closed interval a number must lie in; both ends finite.
struct NumberBounds {
    double min = 0;
    double max = 0;
};

/// Material id -> number for items "MATERIAL=NUMBER", a material given as id or name in any case.
/// Throws one InputError with every bad item: malformed or non-finite (E-USAGE), outside `bounds`
/// (E-USAGE), a material given twice (E-USAGE), unknown material with suggestions
/// (E-UNKNOWN-MATERIAL). `option` ("--ev" or "ev") starts each message and is the diagnostics'
/// field.
[[nodiscard]] std::map<std::string, double> parse_material_numbers(
    const model::World& world,
    const std::vector<std::string>& items,
    const std::string& option,
    NumberBounds bounds);

}  // namespace lodestone::io
