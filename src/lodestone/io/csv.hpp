// lodestone/io/csv.hpp: a strict, never-crashing CSV reader that reports problems as Diagnostics.
// RFC 4180 quoting, '#' comment lines, UTF-8 only (a leading BOM and CRLF endings are accepted).
// Rows with a structural problem (bad quote, wrong field count, bad UTF-8, huge line) are reported
// and dropped; the caller keeps validating the rest.
// Example: auto t = parse_csv(bytes, "production.csv", {{"material","stage"}, {"source"}}, diags);
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lodestone/core/date.hpp"
#include "lodestone/core/diagnostic.hpp"

namespace lodestone::io {

/// Lines longer than this are rejected with E-LINE-LONG (bytes).
inline constexpr std::size_t kMaxLineBytes = 1 << 20;

struct CsvSchema {
    std::vector<std::string> required;  ///< must be in the header
    std::vector<std::string> optional;  ///< may be in the header
};

struct CsvRow {
    int line = 0;  ///< 1-based line where the record starts
    std::vector<std::string> fields;
    std::vector<int> columns;  ///< 1-based character column where each field starts
};

struct CsvTable {
    std::string file;  ///< name used in diagnostics
    std::vector<std::string> header;
    std::vector<CsvRow> rows;
    bool header_ok = false;  ///< false if the header was missing or lacked required columns

    /// Index of a column in the header, or nullopt.
    [[nodiscard]] std::optional<std::size_t> index(std::string_view name) const;
};

/// The bytes of a user's input file (`what` names it in messages: "BOM", "holdings"). Throws
/// InputError: E-FILE-MISSING, E-NOT-FILE, E-FILE-READ.
[[nodiscard]] std::string read_input_file(const std::filesystem::path& path, const char* what);

/// Parses a whole CSV document. Never throws on bad bytes; adds diagnostics instead.
[[nodiscard]] CsvTable parse_csv(std::string_view bytes,
                                 std::string file,
                                 const CsvSchema& schema,
                                 Diagnostics& diags);

/// Reads typed fields of one row, adding a diagnostic (with line, column, field) for each problem.
class FieldReader {
public:
    FieldReader(const CsvTable& table, const CsvRow& row, Diagnostics& diags)
        : table_(table), row_(row), diags_(diags) {}

    /// Raw text; empty if the column is absent. Reports E-REQUIRED if required and empty.
    [[nodiscard]] std::string text(std::string_view column, bool required = false);
    /// A finite number; nullopt (and a diagnostic if required or malformed) otherwise.
    [[nodiscard]] std::optional<double> number(std::string_view column, bool required = false);
    /// A number >= 0 (E-NEGATIVE otherwise) and at most kMaxInputQuantity (E-RANGE otherwise).
    [[nodiscard]] std::optional<double> non_negative(std::string_view column,
                                                     bool required = false);
    /// A number in [0,1] (E-SHARE-RANGE otherwise).
    [[nodiscard]] std::optional<double> share(std::string_view column, bool required = false);
    /// A number in [lo,hi] (E-RANGE otherwise).
    [[nodiscard]] std::optional<double> in_range(std::string_view column,
                                                 double lo,
                                                 double hi,
                                                 bool required = false);
    /// An integer.
    [[nodiscard]] std::optional<int> integer(std::string_view column, bool required = false);
    /// A YYYY-MM-DD date.
    [[nodiscard]] std::optional<Date> date(std::string_view column, bool required = false);
    /// A ';'-separated list, items trimmed, empty items dropped.
    [[nodiscard]] std::vector<std::string> list(std::string_view column, bool required = false);

    /// Adds an error at this row and the given column's position.
    void error(ErrorCode code, std::string_view column, std::string message);
    [[nodiscard]] int line() const { return row_.line; }
    [[nodiscard]] int column_of(std::string_view column) const;

private:
    [[nodiscard]] const std::string* raw(std::string_view column) const;

    const CsvTable& table_;
    const CsvRow& row_;
    Diagnostics& diags_;
};

/// Splits "a;b; c" into {"a","b","c"}.
[[nodiscard]] std::vector<std::string> split_list(std::string_view text, char sep = ';');
/// Strict finite double parse of trimmed text.
[[nodiscard]] std::optional<double> parse_number(std::string_view text);
[[nodiscard]] std::string_view trim(std::string_view text);

}  // namespace lodestone::io
