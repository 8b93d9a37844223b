// lodestone/model/measure_fields.hpp: the fields of a policy measure, named once, in the column
// order of measures.csv. Storage (store/measure_json), the API's JSON and schema, and every table
// that lists measures go through this list, so a field has one name and one text form everywhere.
// Example: for (const auto& f : measure_fields()) json[f.name] = ...field_value(m, f.field)...
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "lodestone/core/date.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::model {

enum class MeasureField : std::uint8_t {
    Id,
    Kind,
    Country,
    Materials,
    Stages,
    Destinations,
    EndUsers,
    Announced,
    Effective,
    Expires,
    Suspends,
    ApprovalRate,
    LeadTimeDays,
    QuotaTonnes,
    TaxRate,
    Tonnes,
    Status,
    Title,
    Source,
    Verified,
    Notes,
};

/// How a field's value is held: text, a list of ids, an optional date or an optional number.
enum class FieldType : std::uint8_t { Text, List, Date, Number };

struct MeasureFieldInfo {
    MeasureField field;
    std::string_view name;  ///< the measures.csv column, JSON key and table column
    FieldType type;
    bool required;  ///< a required column of measures.csv
};

/// Every field, in measures.csv column order.
[[nodiscard]] std::span<const MeasureFieldInfo> measure_fields();
[[nodiscard]] const MeasureFieldInfo& field_info(MeasureField field);
/// The field of that measures.csv column; nullptr for another name.
[[nodiscard]] const MeasureFieldInfo* find_field(std::string_view name);

/// A field's value: Text (kind and destinations as their measures.csv text), List, Date, Number.
using FieldValue =
    std::variant<std::string, std::vector<std::string>, std::optional<Date>, std::optional<double>>;
[[nodiscard]] FieldValue field_value(const Measure& measure, MeasureField field);

/// "ALL", "USA;EU" or "ALL_EXCEPT:CHN;RUS", as in measures.csv.
[[nodiscard]] std::string to_string(const DestinationSet& destinations);

}  // namespace lodestone::model
