// lodestone/store/measure_json.hpp: a measure as canonical JSON (sorted keys, the fields of
// model/measure_fields.hpp under their measures.csv names, lists as arrays, destinations as in the
// CSV, empty and absent values omitted), the form events are stored in.
// Example: auto body = measure_to_json(m).dump(); measure_from_json(nlohmann::json::parse(body))
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "lodestone/core/hash.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::store {

/// Canonical JSON of a measure; empty texts and absent values are omitted.
[[nodiscard]] nlohmann::json measure_to_json(const model::Measure& measure);
/// The inverse of measure_to_json. Throws InputError (E-STORE) if the document is not one.
[[nodiscard]] model::Measure measure_from_json(const nlohmann::json& doc);

}  // namespace lodestone::store
