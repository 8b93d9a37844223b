// lodestone/report/dataset_view.hpp: what a dataset holds, as tables and JSON: the output of
// `lodestone info` and `lodestone validate`, and of GET /api/v1/dataset, /materials, /countries.
// Example: auto doc = dataset_info(world, "data/world"); doc.to_json()["materials"][0]["stages"]
#pragma once

#include <optional>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/model/world.hpp"
#include "lodestone/report/document.hpp"

namespace lodestone::report {

/// Tables "Dataset" (field/value), "Stages" (one row per material and stage: world output,
/// top producer, HHI) and "Sources"; JSON {dataset, counts, materials, sources}; CSV: the stages.
/// `source` names where the dataset came from (a folder, or "embedded data/world").
[[nodiscard]] Document dataset_info(const model::World& world, const std::string& source);

/// A material with its stages and their country shares, as in dataset_info's "materials".
[[nodiscard]] nlohmann::json material_json(const model::World& world,
                                           const model::Material& material);

/// A stage with world output (t/yr), HHI (0-1), top producer and every producer's tonnes and
/// share, ROW last. A stage without output has world_tonnes 0 and no shares (not an error).
[[nodiscard]] nlohmann::json stage_json(const model::World& world, const model::Stage& stage);

/// stage_json in a calendar year (GET /api/v1/shares?year=): the data year's output plus the
/// capacity projects bring online by then (metrics::stage_shares_in_year), with `year`,
/// `data_year`, `years` {first, last} (what `year` may be), `project_tonnes` of the world and of
/// each share. Without a year: the data year. A stage without output answers as stage_json unless
/// a year is asked (then InputError, as for a year outside `years`).
[[nodiscard]] nlohmann::json stage_year_json(const model::World& world,
                                             const model::Stage& stage,
                                             std::optional<int> year);

/// {iso3, name, region, wgi (0-10, 10 = worst), blocs}.
[[nodiscard]] nlohmann::json country_json(const model::Country& country);

/// `lodestone validate --format json`: {dataset, valid, errors, warnings}.
[[nodiscard]] nlohmann::json validation_json(const std::string& shown,
                                             std::span<const Diagnostic> errors,
                                             std::span<const Diagnostic> warnings);

/// `lodestone validate --format csv`: one row per diagnostic, errors first.
[[nodiscard]] Table diagnostics_table(std::span<const Diagnostic> errors,
                                      std::span<const Diagnostic> warnings);

}  // namespace lodestone::report
