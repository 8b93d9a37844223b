#include "lodestone/core/diagnostic.hpp"

#include <algorithm>

namespace lodestone {

std::string_view to_string(ErrorCode code) {
    switch (code) {
        case ErrorCode::FileMissing:
            return "E-FILE-MISSING";
        case ErrorCode::NotADirectory:
            return "E-NOT-DIR";
        case ErrorCode::NotAFile:
            return "E-NOT-FILE";
        case ErrorCode::FileUnreadable:
            return "E-FILE-READ";
        case ErrorCode::FileEmpty:
            return "E-FILE-EMPTY";
        case ErrorCode::Header:
            return "E-HEADER";
        case ErrorCode::Encoding:
            return "E-UTF8";
        case ErrorCode::LineTooLong:
            return "E-LINE-LONG";
        case ErrorCode::Quote:
            return "E-QUOTE";
        case ErrorCode::FieldCount:
            return "E-FIELD-COUNT";
        case ErrorCode::Required:
            return "E-REQUIRED";
        case ErrorCode::Number:
            return "E-NUMBER";
        case ErrorCode::Negative:
            return "E-NEGATIVE";
        case ErrorCode::ShareRange:
            return "E-SHARE-RANGE";
        case ErrorCode::Range:
            return "E-RANGE";
        case ErrorCode::Date:
            return "E-DATE";
        case ErrorCode::DateOrder:
            return "E-DATE-ORDER";
        case ErrorCode::Enum:
            return "E-ENUM";
        case ErrorCode::UnknownMaterial:
            return "E-UNKNOWN-MATERIAL";
        case ErrorCode::UnknownStage:
            return "E-UNKNOWN-STAGE";
        case ErrorCode::UnknownCountry:
            return "E-UNKNOWN-COUNTRY";
        case ErrorCode::UnknownSector:
            return "E-UNKNOWN-SECTOR";
        case ErrorCode::UnknownMeasure:
            return "E-UNKNOWN-MEASURE";
        case ErrorCode::Duplicate:
            return "E-DUPLICATE";
        case ErrorCode::StageOrder:
            return "E-STAGE-ORDER";
        case ErrorCode::EndUseSum:
            return "E-END-USE-SUM";
        case ErrorCode::EmptyStage:
            return "E-EMPTY-STAGE";
        case ErrorCode::Toml:
            return "E-TOML";
        case ErrorCode::Json:
            return "E-JSON";
        case ErrorCode::UnknownPerspective:
            return "E-UNKNOWN-PERSPECTIVE";
        case ErrorCode::Usage:
            return "E-USAGE";
        case ErrorCode::NotFound:
            return "E-NOT-FOUND";
        case ErrorCode::Store:
            return "E-STORE";
        case ErrorCode::Internal:
            return "E-INTERNAL";
        case ErrorCode::MissingParent:
            return "E-MISSING-PARENT";
        case ErrorCode::Auth:
            return "E-AUTH";
    }
    return {};  // not a code: an empty name, so a table test can find where the codes end
}

std::string Diagnostic::to_string() const {
    std::string out;
    if (!file.empty()) {
        out += file;
        if (line > 0) {
            out += ':' + std::to_string(line);
            if (column > 0) {
                out += ':' + std::to_string(column);
            }
        }
        out += ": ";
    }
    if (severity == Severity::Warning) {
        out += "warning: ";
    }
    out += message;
    out += " (";
    out += lodestone::to_string(code);
    out += ')';
    return out;
}

void Diagnostics::error(
    ErrorCode code, std::string file, int line, int column, std::string message) {
    items_.push_back(
        {Severity::Error, code, std::move(file), line, column, {}, std::move(message)});
}

void Diagnostics::warning(
    ErrorCode code, std::string file, int line, int column, std::string message) {
    items_.push_back(
        {Severity::Warning, code, std::move(file), line, column, {}, std::move(message)});
}

void Diagnostics::append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool Diagnostics::has_errors() const {
    return std::any_of(items_.begin(), items_.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

std::vector<Diagnostic> Diagnostics::errors() const {
    std::vector<Diagnostic> out;
    std::copy_if(items_.begin(), items_.end(), std::back_inserter(out),
                 [](const Diagnostic& d) { return d.severity == Severity::Error; });
    return out;
}

std::vector<Diagnostic> Diagnostics::warnings() const {
    std::vector<Diagnostic> out;
    std::copy_if(items_.begin(), items_.end(), std::back_inserter(out),
                 [](const Diagnostic& d) { return d.severity == Severity::Warning; });
    return out;
}

void Diagnostics::throw_if_errors() const {
    if (has_errors()) {
        throw InputError(errors());
    }
}

namespace {
std::string join_diagnostics(const std::vector<Diagnostic>& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) {
        if (!out.empty()) {
            out += '\n';
        }
        out += d.to_string();
    }
    return out;
}
}  // namespace

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_diagnostics(diagnostics)), diagnostics_(std::move(diagnostics)) {}

InputError::InputError(ErrorCode code, std::string message)
    : InputError(
          std::vector<Diagnostic>{{Severity::Error, code, {}, 0, 0, {}, std::move(message)}}) {}

}  // namespace lodestone
