#include "lodestone/io/event_reader.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "lodestone/io/csv.hpp"
#include "lodestone/io/measure_row.hpp"
#include "lodestone/model/measure_fields.hpp"

namespace lodestone::io {

namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxEventFileBytes = 256u << 20;

// The JSON type of each key follows the measure's fields; destinations, a text in measures.csv
// ("USA;EU"), may also be given as an array.
bool is_list_column(std::string_view name) {
    const auto* f = model::find_field(name);
    return name == "destinations" || (f != nullptr && f->type == model::FieldType::List);
}

bool is_number_column(std::string_view name) {
    const auto* f = model::find_field(name);
    return f != nullptr && f->type == model::FieldType::Number;
}

std::string expected_json_type(std::string_view name) {
    if (is_list_column(name)) {
        return "a string or an array of strings";
    }
    return is_number_column(name) ? "a number" : "a string";
}

/// Text of one JSON value as it would appear in a CSV field; false if the type is not allowed.
bool json_field_text(const nlohmann::json& v, std::string_view key, std::string& out) {
    if (v.is_null()) {
        out.clear();
        return true;
    }
    if (v.is_string()) {
        out = v.get<std::string>();
        return true;
    }
    if (v.is_number() && is_number_column(key)) {
        out = v.dump();
        return true;
    }
    if (v.is_array() && is_list_column(key)) {
        out.clear();
        for (const auto& item : v) {
            if (!item.is_string()) {
                return false;
            }
            out += (out.empty() ? "" : ";") + item.get<std::string>();
        }
        return true;
    }
    return false;
}

std::string json_type_name(const nlohmann::json& v) {
    return v.type_name();
}

/// Turns JSON lines into a CsvTable with the measures.csv columns, so that the same FieldReader
/// checks apply. Columns are 0 (JSON values have no reliable column).
CsvTable json_lines_table(std::string_view bytes, const std::string& file, Diagnostics& diags) {
    const CsvSchema& schema = measure_schema();
    CsvTable table{file, {}, {}, true};
    table.header = schema.required;
    table.header.insert(table.header.end(), schema.optional.begin(), schema.optional.end());
    std::map<std::string, std::size_t, std::less<>> index;
    for (std::size_t i = 0; i < table.header.size(); ++i) {
        index[table.header[i]] = i;
    }
    std::set<std::string> warned;
    int line = 0;
    std::size_t pos = 0;
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
        pos = 3;
    }
    while (pos < bytes.size()) {
        ++line;
        std::size_t end = bytes.find('\n', pos);
        if (end == std::string_view::npos) {
            end = bytes.size();
        }
        std::string_view text = bytes.substr(pos, end - pos);
        pos = end + 1;
        if (!text.empty() && text.back() == '\r') {
            text.remove_suffix(1);
        }
        if (trim(text).empty()) {
            continue;
        }
        if (text.size() > kMaxLineBytes) {
            diags.error(ErrorCode::LineTooLong, file, line, 0,
                        "line is longer than " + std::to_string(kMaxLineBytes) + " bytes");
            continue;
        }
        nlohmann::json obj;
        try {
            obj = nlohmann::json::parse(text);
        } catch (const nlohmann::json::parse_error& e) {
            // nlohmann: "[json.exception.parse_error.101] parse error at line 1, column 5: <why>"
            std::string what = e.what();
            const auto at = what.find("parse error");
            const auto colon = at == std::string::npos ? std::string::npos : what.find(": ", at);
            if (colon != std::string::npos) {
                what = what.substr(colon + 2);
            }
            diags.error(ErrorCode::Json, file, line, static_cast<int>(e.byte),
                        "not valid JSON: " + what);
            continue;
        } catch (const nlohmann::json::out_of_range& e) {
            // A number beyond the range of a double, e.g. 1e400 ("number overflow parsing
            // '1e400'").
            std::string what = e.what();
            const auto close = what.find("] ");
            diags.error(
                ErrorCode::Json, file, line, 0,
                "not valid JSON: " + (close == std::string::npos ? what : what.substr(close + 2)) +
                    " (beyond the range of a number)");
            continue;
        }
        if (!obj.is_object()) {
            diags.error(ErrorCode::Json, file, line, 0,
                        "expected one JSON object per line, got " + json_type_name(obj));
            continue;
        }
        CsvRow row{line, std::vector<std::string>(table.header.size()),
                   std::vector<int>(table.header.size(), 0)};
        bool ok = true;
        for (const auto& [key, value] : obj.items()) {
            const auto it = index.find(key);
            if (it == index.end()) {
                if (warned.insert(key).second) {
                    diags.warning(ErrorCode::Header, file, line, 0,
                                  "unknown field '" + key + "' is ignored");
                }
                continue;
            }
            if (!json_field_text(value, key, row.fields[it->second])) {
                Diagnostic d{Severity::Error,
                             ErrorCode::Json,
                             file,
                             line,
                             0,
                             key,
                             key + ": expected " + expected_json_type(key) + ", got " +
                                 json_type_name(value)};
                diags.add(std::move(d));
                ok = false;
            }
        }
        if (ok) {
            table.rows.push_back(std::move(row));
        }
    }
    if (line == 0) {
        diags.error(ErrorCode::FileEmpty, file, 0, 0, "no events: the file is empty");
    }
    return table;
}

}  // namespace

std::string_view to_string(EventFormat format) {
    return format == EventFormat::Csv ? "csv" : "jsonl";
}

EventFormat detect_event_format(std::string_view file_name, std::string_view bytes) {
    auto ends_with = [&](std::string_view suffix) {
        if (file_name.size() < suffix.size()) {
            return false;
        }
        std::string tail(file_name.substr(file_name.size() - suffix.size()));
        std::transform(tail.begin(), tail.end(), tail.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return tail == suffix;
    };
    if (ends_with(".csv")) {
        return EventFormat::Csv;
    }
    if (ends_with(".jsonl") || ends_with(".ndjson") || ends_with(".json")) {
        return EventFormat::JsonLines;
    }
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
        bytes.remove_prefix(3);
    }
    const auto first = bytes.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && bytes[first] == '{' ? EventFormat::JsonLines
                                                                  : EventFormat::Csv;
}

EventBatch parse_events(std::string_view bytes,
                        const std::string& file,
                        const model::World& world,
                        const KnownId& known_id) {
    EventBatch batch;
    batch.file = file;
    batch.format = detect_event_format(file, bytes);
    Diagnostics diags;
    CsvTable table = batch.format == EventFormat::Csv
                         ? parse_csv(bytes, file, measure_schema(), diags)
                         : json_lines_table(bytes, file, diags);
    if (!table.header_ok) {
        table.rows.clear();  // without a usable header, row checks would only repeat the problem
    }
    if (batch.format == EventFormat::Csv && table.header_ok && table.rows.empty() &&
        !diags.has_errors()) {
        diags.error(ErrorCode::FileEmpty, file, 0, 0,
                    "no events: the file has a header but no rows");
    }
    std::map<std::string, int> first_line;  // every id seen, even on a refused line
    std::vector<std::pair<std::string, const CsvRow*>> suspensions;
    for (const auto& row : table.rows) {
        FieldReader r(table, row, diags);
        auto m = read_measure_row(r, world);
        const std::string id = r.text("id");
        if (!r.text("suspends").empty()) {
            suspensions.emplace_back(id, &row);  // checked even when the row has other errors
        }
        if (id.empty()) {
            continue;
        }
        if (const auto [it, fresh] = first_line.emplace(id, row.line); !fresh) {
            r.error(ErrorCode::Duplicate, "id",
                    "duplicate id '" + id + "' (first on line " + std::to_string(it->second) + ")");
            continue;
        }
        if (m) {
            batch.events.push_back(std::move(*m));
            batch.lines.push_back(row.line);
        }
    }
    for (const auto& [own_id, row] : suspensions) {
        FieldReader r(table, *row, diags);
        check_suspends(r, own_id, r.list("suspends"), [&](const std::string& id) {
            return first_line.count(id) != 0 || world.find_measure(id) != nullptr ||
                   (known_id && known_id(id));
        });
    }
    diags.throw_if_errors();
    batch.warnings = diags.warnings();
    return batch;
}

EventBatch read_event_file(const fs::path& path,
                           const model::World& world,
                           const KnownId& known_id) {
    const std::string shown = path.string();
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
        throw InputError({{Severity::Error,
                           ErrorCode::FileMissing,
                           shown,
                           0,
                           0,
                           {},
                           "event file does not exist"}});
    }
    if (!fs::is_regular_file(status)) {
        throw InputError({{Severity::Error,
                           ErrorCode::NotAFile,
                           shown,
                           0,
                           0,
                           {},
                           "expected an event file (CSV or JSON lines), not a folder"}});
    }
    const auto size = fs::file_size(path, ec);
    if (ec || size > kMaxEventFileBytes) {
        throw InputError({{Severity::Error,
                           ErrorCode::FileUnreadable,
                           shown,
                           0,
                           0,
                           {},
                           ec ? "cannot read the file size" : "file is larger than 256 MiB"}});
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    if (!in && !in.eof()) {
        throw InputError({{Severity::Error,
                           ErrorCode::FileUnreadable,
                           shown,
                           0,
                           0,
                           {},
                           "cannot read the file"}});
    }
    return parse_events(buf.str(), shown, world, known_id);
}

}  // namespace lodestone::io
