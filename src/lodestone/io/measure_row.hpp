// lodestone/io/measure_row.hpp: one policy measure (docs/policies.md) read from a row of named
// fields, and the reference checks every loader shares. The dataset reader (measures.csv) and the
// event reader (event files in CSV or JSON lines) both call these, so a measure is validated the
// same way wherever it comes from. Example: FieldReader r(table, row, diags); if (auto m =
// read_measure_row(r, world)) ...
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "lodestone/io/csv.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::io {

/// The columns of measures.csv (required, then optional).
[[nodiscard]] const CsvSchema& measure_schema();

/// Reads and validates one measure against the world's countries, blocs, materials and stages.
/// Every problem is reported through the reader; nullopt if the row has any error. The ids a
/// suspension names are not checked here (see check_suspends).
[[nodiscard]] std::optional<model::Measure> read_measure_row(FieldReader& r,
                                                             const model::World& world);

/// Reports E-UNKNOWN-MEASURE on the row's `suspends` column for each id in `suspends` that names
/// the row's own id or for which `known(id)` is false. Returns true if all are fine.
bool check_suspends(FieldReader& r,
                    const std::string& own_id,
                    const std::vector<std::string>& suspends,
                    const std::function<bool(const std::string&)>& known);

/// E-UNKNOWN-MATERIAL unless `id` is a material of the world. Empty id: false, no diagnostic.
bool check_material(FieldReader& r,
                    const model::World& world,
                    std::string_view column,
                    const std::string& id);
/// E-UNKNOWN-STAGE unless `stage` is a stage of `material`. Empty stage: false, no diagnostic.
bool check_stage(FieldReader& r,
                 const model::World& world,
                 std::string_view column,
                 const std::string& material,
                 const std::string& stage);
/// E-UNKNOWN-COUNTRY unless `code` is an ISO3 of the world (or ROW when allow_row, or a bloc when
/// allow_bloc). Empty code: false, no diagnostic.
bool check_country(FieldReader& r,
                   const model::World& world,
                   std::string_view column,
                   const std::string& code,
                   bool allow_row,
                   bool allow_bloc = false);

}  // namespace lodestone::io
