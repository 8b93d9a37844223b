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

/// A command's result: its tables, and the JSON document when it is richer than the tables.
struct Document {
    std::vector<Table> tables;
    nlohmann::json json;  ///< null = derive the JSON from the tables (tables_to_json)

    /// The JSON document: `json` when set, else tables_to_json(tables).
    [[nodiscard]] nlohmann::json to_json() const;
};

/// A command's result in each output format: the tables a person reads on a terminal, the tables
/// written as CSV (usually the full, loadable one), and the JSON document.
struct Views {
    std::vector<Table> text;
    std::vector<Table> csv;
    nlohmann::json json;
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
