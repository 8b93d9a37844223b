// lodestone/core/diagnostic.hpp: the one error vocabulary of the library.
// Loaders collect Diagnostics for every problem they find, then throw one InputError that
// carries them all. Codes are stable: docs, tests and the HTTP API refer to them.
// Example: "production.csv:14:31: tonnes: expected a number >= 0, got '-5' (E-NEGATIVE)"
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lodestone {

/// Stable diagnostic codes. Append only; never renumber or rename.
enum class ErrorCode {
    FileMissing,         ///< E-FILE-MISSING: a required file does not exist
    NotADirectory,       ///< E-NOT-DIR: a dataset path is a file, not a folder
    NotAFile,            ///< E-NOT-FILE: a path that must be a file is a folder
    FileUnreadable,      ///< E-FILE-READ: the file exists but cannot be read
    FileEmpty,           ///< E-FILE-EMPTY: no header row
    Header,              ///< E-HEADER: missing, duplicate or unknown column in the header
    Encoding,            ///< E-UTF8: a byte sequence that is not UTF-8
    LineTooLong,         ///< E-LINE-LONG: a line longer than the reader's limit
    Quote,               ///< E-QUOTE: unterminated or misplaced quote
    FieldCount,          ///< E-FIELD-COUNT: a row with more or fewer fields than the header
    Required,            ///< E-REQUIRED: an empty field that must have a value
    Number,              ///< E-NUMBER: not a number
    Negative,            ///< E-NEGATIVE: a quantity below zero
    ShareRange,          ///< E-SHARE-RANGE: a share or rate outside [0,1]
    Range,               ///< E-RANGE: a value outside its documented range
    Date,                ///< E-DATE: not a YYYY-MM-DD date
    DateOrder,           ///< E-DATE-ORDER: an end before its start
    Enum,                ///< E-ENUM: a value not among the allowed words
    UnknownMaterial,     ///< E-UNKNOWN-MATERIAL
    UnknownStage,        ///< E-UNKNOWN-STAGE
    UnknownCountry,      ///< E-UNKNOWN-COUNTRY: an ISO3 code or bloc not in countries.csv
    UnknownSector,       ///< E-UNKNOWN-SECTOR
    UnknownMeasure,      ///< E-UNKNOWN-MEASURE: a suspension naming an id that does not exist
    Duplicate,           ///< E-DUPLICATE: a key that appears twice
    StageOrder,          ///< E-STAGE-ORDER: stage orders of a material not 1..n without gaps
    EndUseSum,           ///< E-END-USE-SUM: end-use shares of a material not summing to 1 +- 1e-6
    EmptyStage,          ///< E-EMPTY-STAGE: a stage with no production to compute shares from
    Toml,                ///< E-TOML: a TOML file that does not parse or has a wrong key
    Json,                ///< E-JSON: a JSON document that does not parse or has a wrong field
    UnknownPerspective,  ///< E-UNKNOWN-PERSPECTIVE: not an ISO3 code or bloc of the dataset
    Usage,               ///< E-USAGE: a command-line or request parameter that is wrong
    NotFound,            ///< E-NOT-FOUND: a requested entity (run, rule, event) does not exist
    Store,               ///< E-STORE: the workspace database refused an operation
    Internal,            ///< E-INTERNAL: a bug; never caused by input
    MissingParent,       ///< E-MISSING-PARENT: a BOM part whose parent part is not listed
    Auth,  ///< E-AUTH: an HTTP request without the right token (401) or to a disabled write
           ///< endpoint (403)
};

/// "E-SHARE-RANGE" etc.
[[nodiscard]] std::string_view to_string(ErrorCode code);

enum class Severity { Error, Warning };

/// One finding about an input. line/column are 1-based; 0 means "the whole file" / "whole line".
struct Diagnostic {
    Severity severity = Severity::Error;
    ErrorCode code = ErrorCode::Internal;
    std::string file;
    int line = 0;
    int column = 0;
    std::string field;  ///< column name or key path, when there is one
    std::string message;

    /// Compiler style: "file:line:column: message (CODE)"; "warning: " prefixed for warnings.
    [[nodiscard]] std::string to_string() const;
};

/// Collects diagnostics while a loader keeps going after a bad row.
class Diagnostics {
public:
    void error(ErrorCode code, std::string file, int line, int column, std::string message);
    void warning(ErrorCode code, std::string file, int line, int column, std::string message);
    void add(Diagnostic d) { items_.push_back(std::move(d)); }
    void append(const Diagnostics& other);

    [[nodiscard]] bool has_errors() const;
    [[nodiscard]] const std::vector<Diagnostic>& items() const { return items_; }
    [[nodiscard]] std::vector<Diagnostic> errors() const;
    [[nodiscard]] std::vector<Diagnostic> warnings() const;
    /// Throws InputError with every error collected so far, if there is any.
    void throw_if_errors() const;

private:
    std::vector<Diagnostic> items_;
};

/// The one exception type the library throws for bad input. what() lists every diagnostic.
class InputError : public std::runtime_error {
public:
    explicit InputError(std::vector<Diagnostic> diagnostics);
    /// Shorthand for a single diagnostic without a file position.
    InputError(ErrorCode code, std::string message);
    [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

private:
    std::vector<Diagnostic> diagnostics_;
};

}  // namespace lodestone
