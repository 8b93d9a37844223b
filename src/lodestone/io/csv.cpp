#include "lodestone/io/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "lodestone/core/date.hpp"
#include "lodestone/core/limits.hpp"
#include "lodestone/core/number_text.hpp"

namespace lodestone::io {

namespace {

/// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
        return 1;
    }
    std::size_t len = 0;
    unsigned min_cp = 0;
    unsigned cp = 0;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        cp = c & 0x1Fu;
        min_cp = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0Fu;
        min_cp = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        cp = c & 0x07u;
        min_cp = 0x10000;
    } else {
        return 0;
    }
    if (i + len > s.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < len; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (cp < min_cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return len;
}

std::string show(std::string_view text) {
    constexpr std::size_t kMax = 40;
    std::string out(text.substr(0, kMax));
    if (text.size() > kMax) {
        out += "...";
    }
    return "'" + out + "'";
}

/// Parses the records of a CSV document: one pass, tracking line and column.
class Parser {
public:
    Parser(std::string_view bytes, const std::string& file, Diagnostics& diags)
        : s_(bytes), file_(file), diags_(diags) {
        if (s_.substr(0, 3) == "\xEF\xBB\xBF") {
            s_.remove_prefix(3);
            bom_ = 3;
        }
    }

    /// Next record, or false at end. ok=false when the record was malformed (already reported).
    bool next(CsvRow& row, bool& ok) {
        while (pos_ < s_.size()) {
            const std::size_t line_end = find_line_end(pos_);
            const std::string_view line = s_.substr(pos_, line_end - pos_);
            if (line.size() > kMaxLineBytes) {
                diags_.error(ErrorCode::LineTooLong, file_, line_, 0,
                             "line of " + std::to_string(line.size()) +
                                 " bytes exceeds the limit of " + std::to_string(kMaxLineBytes));
                advance_line(line_end);
                ok = false;
                row = CsvRow{};
                return true;
            }
            const std::string_view trimmed = trim(strip_cr(line));
            if (trimmed.empty() || trimmed.front() == '#') {
                advance_line(line_end);
                continue;
            }
            ok = parse_record(row);
            return true;
        }
        return false;
    }

private:
    std::size_t find_line_end(std::size_t from) const {
        const auto nl = s_.find('\n', from);
        return nl == std::string_view::npos ? s_.size() : nl;
    }
    static std::string_view strip_cr(std::string_view line) {
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        return line;
    }
    void advance_line(std::size_t line_end) {
        pos_ = line_end + 1;
        line_start_ = pos_;
        ++line_;
    }
    int column() const { return static_cast<int>(pos_ - line_start_) + 1; }

    /// Skips to the end of the current physical line after an error.
    void resync() { advance_line(find_line_end(pos_)); }

    bool parse_record(CsvRow& row) {
        row = CsvRow{};
        row.line = line_;
        const int first_line = line_;
        while (true) {
            const int field_col = column() + (line_ == 1 ? bom_ : 0);
            std::string field;
            if (pos_ < s_.size() && s_[pos_] == '"') {
                ++pos_;
                bool closed = false;
                while (pos_ < s_.size()) {
                    const char c = s_[pos_];
                    if (c == '"') {
                        if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '"') {
                            field += '"';
                            pos_ += 2;
                            continue;
                        }
                        ++pos_;
                        closed = true;
                        break;
                    }
                    if (c == '\n') {
                        if (pos_ - line_start_ > kMaxLineBytes) {
                            break;
                        }
                        field += c;
                        ++pos_;
                        line_start_ = pos_;
                        ++line_;
                        continue;
                    }
                    if (!check_utf8(field)) {
                        return false;
                    }
                }
                if (!closed) {
                    diags_.error(ErrorCode::Quote, file_, first_line, field_col,
                                 "unterminated quoted field: the quote opened here runs to the end "
                                 "of the file");
                    pos_ = s_.size();
                    return false;
                }
                if (!field.empty() && field.back() == '\r') {
                    // keep embedded CR only if not line-final; rare, leave as is
                }
                if (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != '\n' && s_[pos_] != '\r') {
                    diags_.error(ErrorCode::Quote, file_, line_, column(),
                                 "unexpected character after closing quote");
                    resync();
                    return false;
                }
            } else {
                while (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != '\n') {
                    if (s_[pos_] == '"') {
                        diags_.error(ErrorCode::Quote, file_, line_, column(),
                                     "quote inside an unquoted field (quote the whole field and "
                                     "double the inner quotes)");
                        resync();
                        return false;
                    }
                    if (!check_utf8(field)) {
                        return false;
                    }
                }
                field = std::string(trim(strip_cr(field)));
            }
            row.fields.push_back(std::move(field));
            row.columns.push_back(field_col);
            if (pos_ >= s_.size()) {
                return true;
            }
            if (s_[pos_] == '\r' && (pos_ + 1 >= s_.size() || s_[pos_ + 1] == '\n')) {
                ++pos_;
            }
            if (pos_ >= s_.size()) {
                return true;
            }
            if (s_[pos_] == '\n') {
                advance_line(pos_);
                return true;
            }
            ++pos_;  // the comma
        }
    }

    /// Appends the UTF-8 sequence at pos_ to field; on invalid bytes reports and resyncs.
    bool check_utf8(std::string& field) {
        const std::size_t len = utf8_sequence_length(s_, pos_);
        if (len == 0) {
            char hex[8];
            const auto byte = static_cast<unsigned char>(s_[pos_]);
            constexpr const char* kDigits = "0123456789ABCDEF";
            hex[0] = '0';
            hex[1] = 'x';
            hex[2] = kDigits[byte >> 4];
            hex[3] = kDigits[byte & 0xF];
            hex[4] = '\0';
            diags_.error(
                ErrorCode::Encoding, file_, line_, column() + (line_ == 1 ? bom_ : 0),
                std::string("byte ") + hex + " is not valid UTF-8 (save the file as UTF-8)");
            resync();
            return false;
        }
        field.append(s_.substr(pos_, len));
        pos_ += len;
        return true;
    }

    std::string_view s_;
    const std::string& file_;
    Diagnostics& diags_;
    std::size_t pos_ = 0;
    std::size_t line_start_ = 0;
    int line_ = 1;
    int bom_ = 0;
};

}  // namespace

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

std::vector<std::string> split_list(std::string_view text, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = text.find(sep, start);
        const auto item =
            trim(text.substr(start, end == std::string_view::npos ? text.npos : end - start));
        if (!item.empty()) {
            out.emplace_back(item);
        }
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    return out;
}

std::optional<double> parse_number(std::string_view text) {
    text = trim(text);
    if (text.empty()) {
        return std::nullopt;
    }
    if (text.front() == '+') {
        text.remove_prefix(1);
    }
    double value = 0.0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::size_t> CsvTable::index(std::string_view name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(it - header.begin());
}

CsvTable parse_csv(std::string_view bytes,
                   std::string file,
                   const CsvSchema& schema,
                   Diagnostics& diags) {
    CsvTable table;
    table.file = std::move(file);
    Parser parser(bytes, table.file, diags);
    CsvRow row;
    bool ok = true;
    bool have_header = false;
    while (parser.next(row, ok)) {
        if (!ok) {
            if (!have_header && row.line == 0) {
                continue;
            }
            continue;
        }
        if (!have_header) {
            have_header = true;
            table.header = row.fields;
            table.header_ok = true;
            for (std::size_t i = 0; i < row.fields.size(); ++i) {
                const auto& name = row.fields[i];
                const bool known = std::find(schema.required.begin(), schema.required.end(),
                                             name) != schema.required.end() ||
                                   std::find(schema.optional.begin(), schema.optional.end(),
                                             name) != schema.optional.end();
                if (std::find(row.fields.begin(), row.fields.begin() + static_cast<long>(i),
                              name) != row.fields.begin() + static_cast<long>(i)) {
                    diags.error(ErrorCode::Header, table.file, row.line, row.columns[i],
                                "duplicate column '" + name + "'");
                    table.header_ok = false;
                } else if (!known) {
                    diags.warning(ErrorCode::Header, table.file, row.line, row.columns[i],
                                  "unknown column '" + name + "' is ignored");
                }
            }
            std::string missing;
            for (const auto& name : schema.required) {
                if (std::find(row.fields.begin(), row.fields.end(), name) == row.fields.end()) {
                    missing += (missing.empty() ? "" : ", ") + name;
                }
            }
            if (!missing.empty()) {
                std::string expected;
                for (const auto& name : schema.required) {
                    expected += (expected.empty() ? "" : ",") + name;
                }
                diags.error(
                    ErrorCode::Header, table.file, row.line, 1,
                    "header lacks required column(s) " + missing + "; expected " + expected);
                table.header_ok = false;
            }
            continue;
        }
        if (row.fields.size() != table.header.size()) {
            diags.error(ErrorCode::FieldCount, table.file, row.line, 1,
                        "expected " + std::to_string(table.header.size()) + " fields, found " +
                            std::to_string(row.fields.size()));
            continue;
        }
        table.rows.push_back(std::move(row));
    }
    if (!have_header) {
        diags.error(ErrorCode::FileEmpty, table.file, 0, 0, "file is empty: expected a header row");
    }
    return table;
}

const std::string* FieldReader::raw(std::string_view column) const {
    const auto idx = table_.index(column);
    if (!idx || *idx >= row_.fields.size()) {
        return nullptr;
    }
    return &row_.fields[*idx];
}

int FieldReader::column_of(std::string_view column) const {
    const auto idx = table_.index(column);
    if (!idx || *idx >= row_.columns.size()) {
        return 0;
    }
    return row_.columns[*idx];
}

void FieldReader::error(ErrorCode code, std::string_view column, std::string message) {
    Diagnostic d{Severity::Error,
                 code,
                 table_.file,
                 row_.line,
                 column_of(column),
                 std::string(column),
                 std::string(column) + ": " + std::move(message)};
    diags_.add(std::move(d));
}

std::string FieldReader::text(std::string_view column, bool required) {
    const std::string* value = raw(column);
    if (value == nullptr || value->empty()) {
        if (required) {
            error(ErrorCode::Required, column, "a value is required");
        }
        return {};
    }
    return *value;
}

std::optional<double> FieldReader::number(std::string_view column, bool required) {
    const std::string value = text(column, required);
    if (value.empty()) {
        return std::nullopt;
    }
    auto parsed = parse_number(value);
    if (!parsed) {
        error(ErrorCode::Number, column, "expected a number, got " + show(value));
    }
    return parsed;
}

std::optional<double> FieldReader::non_negative(std::string_view column, bool required) {
    auto v = number(column, required);
    if (v && *v < 0) {
        error(ErrorCode::Negative, column, "expected a number >= 0, got " + show(text(column)));
        return std::nullopt;
    }
    if (v && *v > kMaxInputQuantity) {
        error(ErrorCode::Range, column,
              "expected a number in " + input_quantity_range() + ", got " + show(text(column)));
        return std::nullopt;
    }
    return v;
}

std::optional<double> FieldReader::share(std::string_view column, bool required) {
    auto v = number(column, required);
    if (v && (*v < 0 || *v > 1)) {
        error(ErrorCode::ShareRange, column,
              "expected a share in [0,1], got " + show(text(column)));
        return std::nullopt;
    }
    return v;
}

std::optional<double> FieldReader::in_range(std::string_view column,
                                            double lo,
                                            double hi,
                                            bool required) {
    auto v = number(column, required);
    if (v && (*v < lo || *v > hi)) {
        error(ErrorCode::Range, column,
              "expected a number in [" + significant(lo, 6) + "," + significant(hi, 6) + "], got " +
                  show(text(column)));
        return std::nullopt;
    }
    return v;
}

std::optional<int> FieldReader::integer(std::string_view column, bool required) {
    const std::string value = text(column, required);
    if (value.empty()) {
        return std::nullopt;
    }
    int out = 0;
    const auto* end = value.data() + value.size();
    const auto [ptr, ec] = std::from_chars(value.data(), end, out);
    if (ec != std::errc{} || ptr != end) {
        error(ErrorCode::Number, column, "expected an integer, got " + show(value));
        return std::nullopt;
    }
    return out;
}

std::optional<Date> FieldReader::date(std::string_view column, bool required) {
    const std::string value = text(column, required);
    if (value.empty()) {
        return std::nullopt;
    }
    auto d = Date::parse(value);
    if (!d) {
        error(ErrorCode::Date, column, "expected a date YYYY-MM-DD, got " + show(value));
    }
    return d;
}

std::vector<std::string> FieldReader::list(std::string_view column, bool required) {
    return split_list(text(column, required));
}

std::string read_input_file(const std::filesystem::path& path, const char* what) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
        throw InputError({{Severity::Error,
                           ErrorCode::FileMissing,
                           path.string(),
                           0,
                           0,
                           {},
                           std::string(what) + " file does not exist"}});
    }
    if (!fs::is_regular_file(st)) {
        throw InputError({{Severity::Error,
                           ErrorCode::NotAFile,
                           path.string(),
                           0,
                           0,
                           {},
                           "expected a regular file"}});
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    if (!in && !in.eof()) {
        throw InputError({{Severity::Error,
                           ErrorCode::FileUnreadable,
                           path.string(),
                           0,
                           0,
                           {},
                           "cannot read the file"}});
    }
    return std::move(buf).str();
}

}  // namespace lodestone::io
