// lodestone/optimize/clp_solver.cpp: the Solver backed by COIN-OR Clp (Debian coinor-libclp-dev).
// Clp prints nothing (log level 0); its status becomes a SolveStatus, never an exception.
#include <cmath>

#include <ClpConfig.h>
#include <ClpSimplex.hpp>
#include <ClpSolve.hpp>
#include <CoinPackedMatrix.hpp>

#include "lodestone/optimize/lp.hpp"

namespace lodestone::optimize {

namespace {

double clp_bound(double v) {
    if (v == kInf) {
        return COIN_DBL_MAX;
    }
    if (v == -kInf) {
        return -COIN_DBL_MAX;
    }
    return v;
}

class ClpSolver final : public Solver {
public:
    explicit ClpSolver(SolverOptions options) : options_(options) {}

    [[nodiscard]] SolveResult solve(const LpModel& m) const override {
        SolveResult out;
        if (m.cols() == 0) {
            out.status = SolveStatus::Empty;
            out.objective = m.objective_constant;
            out.message = "no decision variables";
            return out;
        }
        const auto n = static_cast<int>(m.cols());
        const auto r = static_cast<int>(m.rows());
        const CoinPackedMatrix matrix(true, m.entry_row.data(), m.entry_col.data(),
                                      m.entry_value.data(),
                                      static_cast<CoinBigIndex>(m.entry_value.size()));
        std::vector<double> cl(m.cols()), cu(m.cols()), rl(m.rows()), ru(m.rows());
        for (std::size_t j = 0; j < m.cols(); ++j) {
            cl[j] = clp_bound(m.col_lower[j]);
            cu[j] = clp_bound(m.col_upper[j]);
        }
        for (std::size_t i = 0; i < m.rows(); ++i) {
            rl[i] = clp_bound(m.row_lower[i]);
            ru[i] = clp_bound(m.row_upper[i]);
        }
        ClpSimplex clp;
        clp.setLogLevel(0);
        clp.messageHandler()->setLogLevel(0);
        // The matrix may have fewer rows than the model when trailing rows are empty.
        CoinPackedMatrix full(matrix);
        full.setDimensions(r, n);
        clp.loadProblem(full, cl.data(), cu.data(), m.objective.data(), rl.data(), ru.data());
        if (options_.time_limit_seconds > 0) {
            clp.setMaximumSeconds(options_.time_limit_seconds);
        }
        ClpSolve how;
        how.setSolveType(ClpSolve::useDual);
        how.setPresolveType(options_.presolve ? ClpSolve::presolveOn : ClpSolve::presolveOff);
        clp.initialSolve(how);
        out.iterations = clp.numberIterations();
        switch (clp.status()) {
            case 0:
                out.status = SolveStatus::Optimal;
                break;
            case 1:
                out.status = SolveStatus::Infeasible;
                out.message = "Clp: primal infeasible";
                break;
            case 2:
                out.status = SolveStatus::Unbounded;
                out.message = "Clp: dual infeasible (unbounded)";
                break;
            case 3:
                out.status = SolveStatus::Failed;
                out.message = "Clp: stopped on an iteration or time limit";
                break;
            default:
                out.status = SolveStatus::Failed;
                out.message = "Clp: stopped on numerical difficulties";
                break;
        }
        if (out.status != SolveStatus::Optimal) {
            return out;
        }
        out.objective = clp.objectiveValue() + m.objective_constant;
        const double* x = clp.primalColumnSolution();
        const double* dual = clp.dualRowSolution();
        const double* act = clp.primalRowSolution();
        out.x.assign(x, x + n);
        out.row_dual.assign(dual, dual + r);
        out.row_activity.assign(act, act + r);
        return out;
    }

    [[nodiscard]] std::string name() const override { return std::string("Clp ") + CLP_VERSION; }

private:
    SolverOptions options_;
};

}  // namespace

std::unique_ptr<Solver> make_clp_solver(SolverOptions options) {
    return std::make_unique<ClpSolver>(options);
}

}  // namespace lodestone::optimize
