#include "lodestone/report/document.hpp"

namespace lodestone::report {

nlohmann::json Document::to_json() const {
    return json.is_null() ? tables_to_json(tables) : json;
}

const std::vector<Table>& Document::csv_tables() const {
    return csv.empty() ? tables : csv;
}

std::string slug(const std::string& title) {
    std::string out;
    for (const char c : title) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            out += c;
        } else if (c >= 'A' && c <= 'Z') {
            out += static_cast<char>(c - 'A' + 'a');
        } else if (!out.empty() && out.back() != '_') {
            out += '_';
        }
    }
    while (!out.empty() && out.back() == '_') {
        out.pop_back();
    }
    return out;
}

nlohmann::json tables_to_json(std::span<const Table> tables) {
    if (tables.size() == 1) {
        return to_json(tables.front());
    }
    auto doc = nlohmann::json::object();
    for (const auto& t : tables) {
        doc[slug(t.title)] = to_json(t);
    }
    return doc;
}

nlohmann::json diagnostic_json(const Diagnostic& d) {
    return {{"severity", d.severity == Severity::Error ? "error" : "warning"},
            {"code", std::string(to_string(d.code))},
            {"file", d.file},
            {"line", d.line},
            {"column", d.column},
            {"field", d.field},
            {"message", d.message}};
}

nlohmann::json diagnostics_json(std::span<const Diagnostic> list) {
    auto out = nlohmann::json::array();
    for (const auto& d : list) {
        out.push_back(diagnostic_json(d));
    }
    return out;
}

}  // namespace lodestone::report
