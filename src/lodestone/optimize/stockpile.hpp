// lodestone/optimize/stockpile.hpp: the two-stage stochastic stockpile LP. First stage: tonnes x_m
// of each material to hold, Σ_m c_m x_m <= budget. Second stage, per Monte Carlo run w (probability
// π_w) with the holder's weekly shortfall d_{m,w,t}: release y_{m,w,t} <= d_{m,w,t}, Σ_t y <= x_m +
// s_m, y <= (x_m + s_m)/R_m per week. Objective: Σ_w π_w Σ_{m,t} v_m (d - y) (expected loss), or
// the CVaR_α of the per-run loss (Rockafellar-Uryasev: η + 1/(1-α) Σ_w π_w (L_w - η)⁺). Two exact
// methods: the monolithic LP on a Solver, and a structured one that uses the closed form of the
// second stage (with x fixed, the best release of one stock is min(Σ_t min(d_t, r), R r), r =
// (x+s)/R): a greedy knapsack over the concave pieces for the expected loss, cutting planes
// (multi-cut Benders, one cut per run) for CVaR. Both report the same plan; the structured one
// scales to 20 materials x 1,000 runs x 104 weeks.
// Example: auto plan = solve_stockpile(problem, *make_clp_solver());
#pragma once

#include <span>
#include <string>
#include <vector>

#include "lodestone/optimize/lp.hpp"

namespace lodestone::optimize {

struct StockpileMaterial {
    std::string id;                 ///< used in column names: letters, digits, '_'
    double cost_usd_t = 0;          ///< c_m > 0: price plus holding cost over the horizon, USD/t
    double value_usd_t = 0;         ///< v_m >= 0: value of lost supply, USD per tonne short
    double start_tonnes = 0;        ///< s_m >= 0: stock already held, t
    double release_weeks = 26;      ///< R_m > 0: weeks to empty the stock at the maximum rate
    std::vector<double> shortfall;  ///< d[run * weeks + week] >= 0, t/week
};

enum class Objective { Expected, Cvar };
enum class Method { Auto, Monolithic, Structured };

struct StockpileProblem {
    std::vector<StockpileMaterial> materials;
    std::size_t runs = 0;
    std::size_t weeks = 0;
    std::vector<double> probability;  ///< per run, sums to 1; empty = 1/runs each
    double budget_usd = 0;
    Objective objective = Objective::Expected;
    double alpha = 0.95;  ///< CVaR level, in (0, 1)
};

struct MaterialPlan {
    std::string id;
    double tonnes = 0;    ///< x_m, t
    double cost_usd = 0;  ///< c_m x_m
    double expected_unmet_before_t =
        0;  ///< Σ_t (d - y) with the starting stock only, mean over runs
    double expected_unmet_after_t = 0;  ///< with the starting stock plus x_m
    double coverage_before = 0;         ///< share of runs (probability) with no unmet demand
    double coverage_after = 0;
};

struct StockpilePlan {
    SolveStatus status = SolveStatus::Failed;
    std::string message;  ///< why not optimal, or notes of the method
    std::string method;   ///< "monolithic LP (Clp 1.17.6)", "structured (greedy knapsack)", ...
    std::vector<MaterialPlan> materials;
    double cost_usd = 0;
    double objective_usd = 0;  ///< the optimised objective (expected loss or CVaR)
    double expected_loss_before_usd = 0,
           expected_loss_after_usd = 0;              ///< Σ v (d - y), mean over runs
    double cvar_before_usd = 0, cvar_after_usd = 0;  ///< CVaR_α of the loss
    double coverage_before = 0, coverage_after = 0;  ///< all materials covered in the run
    double budget_dual = 0;  ///< objective USD avoided per extra USD of budget (>= 0)
    int iterations = 0;      ///< simplex iterations, or cutting-plane rounds
    std::size_t lp_columns = 0, lp_rows = 0;  ///< of the largest LP solved
};

/// The monolithic LP (columns x_m, y_{m,w,t} for d > 0, and η, z_w for CVaR). Rows that cannot
/// bind are left out: a rate row when d <= s/R, a total row when Σ_t d <= s.
[[nodiscard]] LpModel build_stockpile_lp(const StockpileProblem& problem);

/// Solves with `method` (Auto: monolithic up to 200,000 release columns, else structured).
/// Infeasible (negative budget) and empty problems (no material or no run) come back as a status.
[[nodiscard]] StockpilePlan solve_stockpile(const StockpileProblem& problem,
                                            const Solver& solver,
                                            Method method = Method::Auto);

/// The best release over the weeks of one run from a stock of `stock_t` tonnes emptied at most at
/// stock_t / release_weeks per week: min(Σ_t min(d_t, stock/R), stock), in tonnes.
[[nodiscard]] double best_release(std::span<const double> shortfall,
                                  double stock_t,
                                  double release_weeks);

/// CVaR_α of a discrete loss distribution: mean of the worst (1-α) probability mass.
[[nodiscard]] double cvar(std::span<const double> loss,
                          std::span<const double> probability,
                          double alpha);

}  // namespace lodestone::optimize
