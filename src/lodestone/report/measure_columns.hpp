// lodestone/report/measure_columns.hpp: the fields of a measure (model/measure_fields.hpp) as table
// columns, cells and JSON, so that every table and document that lists measures names, formats and
// fills a field the same way. Example: Table t{"in force", measure_columns(fields)};
// t.add(measure_cells(m, fields));
#pragma once

#include <array>
#include <span>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "lodestone/model/measure_fields.hpp"
#include "lodestone/report/table.hpp"

namespace lodestone::report {

/// Which measure and whom it hits, the leading columns of most measure tables.
inline constexpr std::array kMeasureIdentity{
    model::MeasureField::Id,        model::MeasureField::Kind,         model::MeasureField::Country,
    model::MeasureField::Materials, model::MeasureField::Destinations,
};

/// The field's column: its measures.csv name, with decimals and unit for numbers.
[[nodiscard]] Column measure_column(model::MeasureField field);
/// The field's cell: lists joined with ';', dates as YYYY-MM-DD, absent values empty.
[[nodiscard]] Cell measure_cell(const model::Measure& measure, model::MeasureField field);

/// Appends the fields' columns (cells) to `out`, in order.
void append_columns(std::vector<Column>& out, std::span<const model::MeasureField> fields);
void append_cells(std::vector<Cell>& out,
                  const model::Measure& measure,
                  std::span<const model::MeasureField> fields);

/// Every field as JSON: lists as arrays, absent dates and numbers as null.
[[nodiscard]] nlohmann::json measure_fields_json(const model::Measure& measure);

}  // namespace lodestone::report
