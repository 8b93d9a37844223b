// lodestone/optimize/lp.hpp: a linear program as plain data (minimise c'x subject to row and column
// bounds), the one Solver interface every backend implements, and the LP-format text of a model.
// Models are built by the stockpile code and solved by a backend (Clp); the text form is for
// `--write-lp` and for golden tests, so that a changed constraint shows as a readable diff.
// Example: LpModel lp; auto x = lp.add_col("x", 0, kInf, 1); auto r = lp.add_row("r", 1, kInf);
//          lp.add(r, x, 2); auto res = make_clp_solver()->solve(lp);  // x = 0.5
#pragma once

#include <cstddef>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lodestone::optimize {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

/// min objective'x + objective_constant  s.t.  row_lower <= A x <= row_upper, col_lower <= x <=
/// col_upper.
struct LpModel {
    std::string title;  ///< first comment line of the LP text
    std::vector<std::string> col_names;
    std::vector<double> col_lower, col_upper, objective;
    std::vector<std::string> row_names;
    std::vector<double> row_lower, row_upper;
    std::vector<int> entry_row, entry_col;  ///< A in triplets; (row, col) pairs are unique
    std::vector<double> entry_value;
    double objective_constant = 0.0;  ///< added to the optimum; written as a comment in LP text

    /// Appends a column; returns its index.
    int add_col(std::string name, double lower, double upper, double cost);
    /// Appends a row; returns its index.
    int add_row(std::string name, double lower, double upper);
    /// A(row, col) = value (skipped when value == 0).
    void add(int row, int col, double value);
    [[nodiscard]] std::size_t cols() const { return col_names.size(); }
    [[nodiscard]] std::size_t rows() const { return row_names.size(); }
};

enum class SolveStatus {
    Optimal,     ///< an optimum was found
    Infeasible,  ///< no point satisfies the constraints
    Unbounded,   ///< the objective decreases without limit
    Empty,       ///< the model has no columns: nothing to decide
    Failed,      ///< the solver stopped (iteration limit, numerical trouble); see message
};
[[nodiscard]] std::string_view to_string(SolveStatus status);

struct SolveResult {
    SolveStatus status = SolveStatus::Failed;
    double objective = 0.0;        ///< including objective_constant; valid when Optimal
    std::vector<double> x;         ///< column values
    std::vector<double> row_dual;  ///< d(objective)/d(row bound) of the binding side, per row
    std::vector<double> row_activity;
    std::string message;  ///< what the solver said, for the user
    int iterations = 0;
};

struct SolverOptions {
    bool presolve = true;
    double time_limit_seconds = 0.0;  ///< 0 = none
};

/// The one interface of LP backends. Solving an infeasible or empty model is a result, not an
/// error.
class Solver {
public:
    virtual ~Solver() = default;
    [[nodiscard]] virtual SolveResult solve(const LpModel& model) const = 0;
    /// "Clp 1.17.6" etc., for provenance.
    [[nodiscard]] virtual std::string name() const = 0;
};

/// COIN-OR Clp (dual simplex, with or without presolve).
[[nodiscard]] std::unique_ptr<Solver> make_clp_solver(SolverOptions options = {});

/// The model in CPLEX LP format: "Minimize", "Subject To", "Bounds", "End"; numbers as %.12g,
/// rows in model order, at most 6 terms per line. Ranged rows are written as two rows NAME_lo,
/// NAME_hi.
[[nodiscard]] std::string write_lp(const LpModel& model);

}  // namespace lodestone::optimize
