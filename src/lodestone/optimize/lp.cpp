// lodestone/optimize/lp.cpp: LpModel building and its LP-format text.
#include "lodestone/optimize/lp.hpp"

#include <cmath>

#include "lodestone/core/assert.hpp"
#include "lodestone/core/number_text.hpp"

namespace lodestone::optimize {

int LpModel::add_col(std::string name, double lower, double upper, double cost) {
    col_names.push_back(std::move(name));
    col_lower.push_back(lower);
    col_upper.push_back(upper);
    objective.push_back(cost);
    return static_cast<int>(col_names.size() - 1);
}

int LpModel::add_row(std::string name, double lower, double upper) {
    row_names.push_back(std::move(name));
    row_lower.push_back(lower);
    row_upper.push_back(upper);
    return static_cast<int>(row_names.size() - 1);
}

void LpModel::add(int row, int col, double value) {
    LODE_ASSERT(row >= 0 && static_cast<std::size_t>(row) < rows());
    LODE_ASSERT(col >= 0 && static_cast<std::size_t>(col) < cols());
    if (value == 0.0) {
        return;
    }
    entry_row.push_back(row);
    entry_col.push_back(col);
    entry_value.push_back(value);
}

std::string_view to_string(SolveStatus status) {
    switch (status) {
        case SolveStatus::Optimal:
            return "optimal";
        case SolveStatus::Infeasible:
            return "infeasible";
        case SolveStatus::Unbounded:
            return "unbounded";
        case SolveStatus::Empty:
            return "empty";
        case SolveStatus::Failed:
            return "failed";
    }
    return "failed";
}

namespace {

/// " + 2 x - 3 y" terms, wrapped every 6 terms onto a new indented line.
void append_terms(std::string& out,
                  const std::vector<std::pair<int, double>>& terms,
                  const std::vector<std::string>& names) {
    int on_line = 0;
    for (std::size_t i = 0; i < terms.size(); ++i) {
        const auto [col, v] = terms[i];
        if (on_line == 6) {
            out += "\n   ";
            on_line = 0;
        }
        out += v < 0 ? " - " : (i == 0 ? " " : " + ");
        const double a = std::fabs(v);
        if (a != 1.0) {
            out += significant(a, 12) + " ";
        }
        out += names[static_cast<std::size_t>(col)];
        ++on_line;
    }
    if (terms.empty()) {
        out += " 0 " + (names.empty() ? std::string("x") : names.front());
    }
}

}  // namespace

std::string write_lp(const LpModel& m) {
    std::vector<std::vector<std::pair<int, double>>> row_terms(m.rows());
    for (std::size_t e = 0; e < m.entry_value.size(); ++e) {
        row_terms[static_cast<std::size_t>(m.entry_row[e])].emplace_back(m.entry_col[e],
                                                                         m.entry_value[e]);
    }
    std::string out = "\\ " + m.title + "\n";
    out += "\\ " + std::to_string(m.cols()) + " columns, " + std::to_string(m.rows()) + " rows, " +
           std::to_string(m.entry_value.size()) + " nonzeros\n";
    if (m.objective_constant != 0.0) {
        out +=
            "\\ objective constant (not part of the LP): " + significant(m.objective_constant, 12) +
            "\n";
    }
    out += "Minimize\n obj:";
    std::vector<std::pair<int, double>> obj;
    for (std::size_t j = 0; j < m.cols(); ++j) {
        if (m.objective[j] != 0.0) {
            obj.emplace_back(static_cast<int>(j), m.objective[j]);
        }
    }
    append_terms(out, obj, m.col_names);
    out += "\nSubject To\n";
    auto row = [&](const std::string& name, std::size_t i, const char* sense, double rhs) {
        out += " " + name + ":";
        append_terms(out, row_terms[i], m.col_names);
        out += std::string(" ") + sense + " " + significant(rhs, 12) + "\n";
    };
    for (std::size_t i = 0; i < m.rows(); ++i) {
        const double lo = m.row_lower[i];
        const double hi = m.row_upper[i];
        if (lo == hi) {
            row(m.row_names[i], i, "=", lo);
        } else if (std::isfinite(lo) && std::isfinite(hi)) {
            row(m.row_names[i] + "_lo", i, ">=", lo);
            row(m.row_names[i] + "_hi", i, "<=", hi);
        } else if (std::isfinite(hi)) {
            row(m.row_names[i], i, "<=", hi);
        } else if (std::isfinite(lo)) {
            row(m.row_names[i], i, ">=", lo);
        }  // a free row constrains nothing
    }
    out += "Bounds\n";
    for (std::size_t j = 0; j < m.cols(); ++j) {
        const double lo = m.col_lower[j];
        const double hi = m.col_upper[j];
        const auto& n = m.col_names[j];
        if (!std::isfinite(lo) && !std::isfinite(hi)) {
            out += " " + n + " free\n";
        } else if (lo == hi) {
            out += " " + n + " = " + significant(lo, 12) + "\n";
        } else if (!std::isfinite(hi)) {
            if (lo != 0.0) {
                out += " " + n + " >= " + significant(lo, 12) + "\n";
            }
        } else if (!std::isfinite(lo)) {
            out += " -inf <= " + n + " <= " + significant(hi, 12) + "\n";
        } else {
            out += " " + significant(lo, 12) + " <= " + n + " <= " + significant(hi, 12) + "\n";
        }
    }
    out += "End\n";
    return out;
}

}  // namespace lodestone::optimize
