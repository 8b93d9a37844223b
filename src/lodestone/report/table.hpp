// lodestone/report/table.hpp: one result table rendered as an aligned text table, CSV or JSON.
// Every CLI command builds Tables, so every command speaks the same three formats.
// Example: Table t{"materials", {{"material"}, {"hhi", 4}}}; t.add({"gallium", 0.96});
// render_text(t)
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace lodestone::report {

/// Empty (null), text, number, integer or flag.
using Cell = std::variant<std::monostate, std::string, double, std::int64_t, bool>;

struct Column {
    // Implicit on purpose: a table's columns are written as a braced list of names, {{"id"}, ...}.
    // NOLINTNEXTLINE(google-explicit-constructor)
    Column(std::string name_, int precision_ = -1, std::string unit_ = {})
        : name(std::move(name_)), precision(precision_), unit(std::move(unit_)) {}
    // NOLINTNEXTLINE(google-explicit-constructor)
    Column(const char* name_) : Column(std::string(name_)) {}

    std::string name;    ///< snake_case; the JSON key and CSV header
    int precision = -1;  ///< decimals in text output; -1 = shortest round-trip ("%.10g")
    std::string unit;    ///< shown in text headers, e.g. "t", "USD/t"
};

struct Table {
    std::string title;
    std::vector<Column> columns;
    std::vector<std::vector<Cell>> rows;
    std::vector<std::string> notes;  ///< printed under the text table (assumptions, basis)

    /// Appends a row. Pre: row.size() == columns.size().
    void add(std::vector<Cell> row);
};

enum class Format { Table, Json, Csv };

/// Aligned columns; numbers right-aligned; title and notes around it.
[[nodiscard]] std::string render_text(const Table& table);
/// RFC 4180 CSV with a header row; numbers with full precision; no title or notes.
[[nodiscard]] std::string render_csv(const Table& table);
/// An array of row objects keyed by column name.
[[nodiscard]] nlohmann::json to_json(const Table& table);
/// Full-precision text of a number ("%.10g"); "" for non-finite values.
[[nodiscard]] std::string format_number(double value, int precision = -1);

}  // namespace lodestone::report
