// lodestone/report/document.hpp: the JSON documents shared by the CLI (--format json) and the
// HTTP API, so that both print byte-identical JSON for the same question.
// Example: tables_to_json({summary, stages}) == {"dataset": [...], "stages": [...]}
#pragma once

#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/report/table.hpp"

namespace lodestone::report {

/// A command's result, the one type every report returns, in each output format: the tables a
/// person reads on a terminal, the JSON document when it is richer than the tables, and the tables
/// for --format csv when they differ from the text ones (usually one full, loadable table).
struct Document {
    std::vector<Table> tables;
    nlohmann::json json;     ///< null = derive the JSON from the tables (tables_to_json)
    std::vector<Table> csv;  ///< empty = the same as `tables`

    /// The JSON document: `json` when set, else tables_to_json(tables).
    [[nodiscard]] nlohmann::json to_json() const;
    /// The tables for --format csv: `csv` when set, else `tables`.
    [[nodiscard]] const std::vector<Table>& csv_tables() const;
};

/// One table -> its array of rows; several -> an object keyed by slug(title).
[[nodiscard]] nlohmann::json tables_to_json(std::span<const Table> tables);

/// "Policies in force" -> "policies_in_force": lower case, runs of other characters -> '_'.
[[nodiscard]] std::string slug(const std::string& title);

/// {severity, code, file, line, column, field, message}: one diagnostic as the CLI and API show it.
[[nodiscard]] nlohmann::json diagnostic_json(const Diagnostic& d);
/// An array of diagnostic_json.
[[nodiscard]] nlohmann::json diagnostics_json(std::span<const Diagnostic> list);

}  // namespace lodestone::report
