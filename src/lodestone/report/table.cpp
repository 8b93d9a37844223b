#include "lodestone/report/table.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lodestone/core/number_text.hpp"
#include "lodestone/report/table_fit.hpp"

namespace lodestone::report {

namespace {

std::string cell_text(const Cell& cell, int precision) {
    struct Visitor {
        int precision;
        std::string operator()(std::monostate) const { return ""; }
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(double d) const { return format_number(d, precision); }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(bool b) const { return b ? "yes" : "no"; }
    };
    return std::visit(Visitor{precision}, cell);
}

bool is_numeric(const Cell& cell) {
    return std::holds_alternative<double>(cell) || std::holds_alternative<std::int64_t>(cell);
}

std::string csv_escape(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) {
        return s;
    }
    std::string out = "\"";
    for (const char c : s) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

/// Display width in code points (UTF-8 continuation bytes do not count).
std::size_t width(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/// The first `w` code points of s, the last replaced by "…" when s is longer.
std::string clip(const std::string& s, std::size_t w) {
    if (width(s) <= w) {
        return s;
    }
    std::string out;
    std::size_t points = 0;
    for (const char c : s) {
        const bool starts = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        if (starts && ++points > w - 1) {
            break;
        }
        out += c;
    }
    return w == 0 ? std::string() : out + "\u2026";
}

/// Narrows the widest text columns (never below kMinWidth, never a numeric one) until a row fits
/// in max_width; 0 = no limit.
void fit_widths(const Table& table, std::size_t max_width, std::vector<std::size_t>& widths) {
    constexpr std::size_t kMinWidth = 8;
    if (max_width == 0 || widths.empty()) {
        return;
    }
    std::vector<bool> text_column(widths.size(), true);
    for (const auto& row : table.rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (is_numeric(row[c])) {
                text_column[c] = false;
            }
        }
    }
    auto total = [&] {
        std::size_t t = 2 * (widths.size() - 1);
        for (const auto w : widths) {
            t += w;
        }
        return t;
    };
    for (std::size_t t = total(); t > max_width; --t) {
        std::size_t widest = widths.size();
        for (std::size_t c = 0; c < widths.size(); ++c) {
            if (text_column[c] && widths[c] > kMinWidth &&
                (widest == widths.size() || widths[c] > widths[widest])) {
                widest = c;
            }
        }
        if (widest == widths.size()) {
            return;  // only numbers and narrow columns left: the row stays wider
        }
        --widths[widest];
    }
}

}  // namespace

void Table::add(std::vector<Cell> row) {
    row.resize(columns.size());
    rows.push_back(std::move(row));
}

std::string format_number(double value, int precision) {
    if (!std::isfinite(value)) {
        return "";
    }
    return precision >= 0 ? fmt::format("{:.{}f}", value, precision) : significant(value, 10);
}

std::string render_text(const Table& table) {
    return render_text_fitted(table, 0);
}

std::string render_text_fitted(const Table& table, std::size_t max_width) {
    const std::size_t n = table.columns.size();
    std::vector<std::string> header(n);
    std::vector<std::size_t> widths(n);
    for (std::size_t c = 0; c < n; ++c) {
        const auto& col = table.columns[c];
        header[c] = col.unit.empty() ? col.name : col.name + " (" + col.unit + ")";
        widths[c] = width(header[c]);
    }
    std::vector<std::vector<std::string>> cells;
    cells.reserve(table.rows.size());
    for (const auto& row : table.rows) {
        auto& out = cells.emplace_back(n);
        for (std::size_t c = 0; c < n; ++c) {
            out[c] = cell_text(row[c], table.columns[c].precision);
            widths[c] = std::max(widths[c], width(out[c]));
        }
    }
    fit_widths(table, max_width, widths);
    std::string text;
    if (!table.title.empty()) {
        text += table.title + "\n";
    }
    auto pad = [&](const std::string& s, std::size_t w, bool right) {
        const std::string cut = clip(s, w);
        const std::string fill(w - std::min(w, width(cut)), ' ');
        return right ? fill + cut : cut + fill;
    };
    std::string head;
    for (std::size_t c = 0; c < n; ++c) {
        head += (c ? "  " : "") + pad(header[c], widths[c], false);
    }
    while (!head.empty() && head.back() == ' ') {
        head.pop_back();
    }
    text += head + "\n";
    for (std::size_t c = 0; c < n; ++c) {
        text += (c ? "  " : "") + std::string(widths[c], '-');
    }
    text += "\n";
    for (std::size_t r = 0; r < cells.size(); ++r) {
        std::string line;
        for (std::size_t c = 0; c < n; ++c) {
            line += (c ? "  " : "") + pad(cells[r][c], widths[c], is_numeric(table.rows[r][c]));
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        text += line + "\n";
    }
    for (const auto& note : table.notes) {
        text += "  note: " + note + "\n";
    }
    return text;
}

std::string render_csv(const Table& table) {
    std::string out;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        out += (c ? "," : "") + csv_escape(table.columns[c].name);
    }
    out += "\n";
    for (const auto& row : table.rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            std::string v;
            if (const auto* b = std::get_if<bool>(&row[c])) {
                v = *b ? "true" : "false";
            } else {
                v = cell_text(row[c], -1);
            }
            out += (c ? "," : "") + csv_escape(v);
        }
        out += "\n";
    }
    return out;
}

nlohmann::json to_json(const Table& table) {
    auto rows = nlohmann::json::array();
    for (const auto& row : table.rows) {
        nlohmann::json obj = nlohmann::json::object();
        for (std::size_t c = 0; c < row.size(); ++c) {
            const auto& key = table.columns[c].name;
            std::visit(
                [&](const auto& v) {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::monostate>) {
                        obj[key] = nullptr;
                    } else if constexpr (std::is_same_v<T, double>) {
                        obj[key] = std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
                    } else {
                        obj[key] = v;
                    }
                },
                row[c]);
        }
        rows.push_back(std::move(obj));
    }
    return rows;
}

}  // namespace lodestone::report
