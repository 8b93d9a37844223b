#include "lodestone/report/measure_columns.hpp"

#include <type_traits>
#include <variant>

#include <nlohmann/json.hpp>

#include "lodestone/core/text.hpp"

namespace lodestone::report {

using model::MeasureField;

Column measure_column(MeasureField field) {
    const std::string name(model::field_info(field).name);
    switch (field) {
        case MeasureField::ApprovalRate:
            return {name, 2};
        case MeasureField::LeadTimeDays:
            return {name, 0, "days"};
        case MeasureField::QuotaTonnes:
        case MeasureField::Tonnes:
            return {name, -1, "t"};
        case MeasureField::TaxRate:
            return {name, 3};
        default:
            return {name};
    }
}

Cell measure_cell(const model::Measure& measure, MeasureField field) {
    return std::visit(
        [](const auto& v) -> Cell {
            using V = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<V, std::optional<Date>>) {
                return v ? Cell{v->to_string()} : Cell{};
            } else if constexpr (std::is_same_v<V, std::optional<double>>) {
                return v ? Cell{*v} : Cell{};
            } else if constexpr (std::is_same_v<V, std::vector<std::string>>) {
                return join(v, ";");
            } else {
                return v;
            }
        },
        model::field_value(measure, field));
}

void append_columns(std::vector<Column>& out, std::span<const MeasureField> fields) {
    for (const auto f : fields) {
        out.push_back(measure_column(f));
    }
}

void append_cells(std::vector<Cell>& out,
                  const model::Measure& measure,
                  std::span<const MeasureField> fields) {
    for (const auto f : fields) {
        out.push_back(measure_cell(measure, f));
    }
}

nlohmann::json measure_fields_json(const model::Measure& measure) {
    auto j = nlohmann::json::object();
    for (const auto& f : model::measure_fields()) {
        j[std::string(f.name)] = std::visit(
            [](const auto& v) -> nlohmann::json {
                using V = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<V, std::optional<Date>>) {
                    return v ? nlohmann::json(v->to_string()) : nlohmann::json();
                } else if constexpr (std::is_same_v<V, std::optional<double>>) {
                    return v ? nlohmann::json(*v) : nlohmann::json();
                } else {
                    return v;
                }
            },
            model::field_value(measure, f.field));
    }
    return j;
}

}  // namespace lodestone::report
