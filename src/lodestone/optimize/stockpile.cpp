// lodestone/optimize/stockpile.cpp: the stockpile LP, monolithic and structured.
#include "lodestone/optimize/stockpile.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "lodestone/core/assert.hpp"

namespace lodestone::optimize {

namespace {

constexpr std::size_t kMonolithicMaxColumns = 200000;
constexpr int kMaxCuttingRounds = 500;

std::vector<double> probabilities(const StockpileProblem& p) {
    if (!p.probability.empty()) {
        LODE_ASSERT(p.probability.size() == p.runs);
        return p.probability;
    }
    return std::vector<double>(p.runs, p.runs > 0 ? 1.0 / static_cast<double>(p.runs) : 0.0);
}

std::span<const double> run_of(const StockpileMaterial& m, std::size_t weeks, std::size_t w) {
    return {m.shortfall.data() + w * weeks, weeks};
}

/// Σ_t d of one run.
double total(std::span<const double> d) {
    return std::accumulate(d.begin(), d.end(), 0.0);
}

/// Right derivative of best_release in the stock (t released per extra t held), in [0, 1].
double release_slope(std::span<const double> d, double stock_t, double release_weeks) {
    const double r = stock_t / release_weeks;
    double capped = 0.0;
    double above = 0.0;  // weeks where the rate cap binds at r (d_t > r): their right derivative
    for (const double v : d) {
        capped += std::min(v, r);
        above += v > r ? 1.0 : 0.0;
    }
    if (stock_t < capped) {
        return 1.0;  // the whole stock is released: one more tonne is one more tonne released
    }
    return std::min(release_weeks, above) / release_weeks;
}

/// Loss and per-run outcomes of a plan x (closed form of the second stage).
struct Outcome {
    std::vector<double> loss;                ///< per run, USD
    std::vector<std::vector<double>> unmet;  ///< [material][run], t
};

Outcome evaluate(const StockpileProblem& p, std::span<const double> x) {
    Outcome o;
    o.loss.assign(p.runs, 0.0);
    o.unmet.assign(p.materials.size(), std::vector<double>(p.runs, 0.0));
    for (std::size_t m = 0; m < p.materials.size(); ++m) {
        const auto& mat = p.materials[m];
        const double stock = mat.start_tonnes + x[m];
        for (std::size_t w = 0; w < p.runs; ++w) {
            const auto d = run_of(mat, p.weeks, w);
            const double u = std::max(0.0, total(d) - best_release(d, stock, mat.release_weeks));
            o.unmet[m][w] = u;
            o.loss[w] += mat.value_usd_t * u;
        }
    }
    return o;
}

bool covered(double unmet_t, double demand_t) {
    return unmet_t <= 1e-6 + 1e-9 * demand_t;
}

/// Fills every reported number of `plan` from the decision x.
void describe(const StockpileProblem& p, std::span<const double> x, StockpilePlan& plan) {
    const auto pi = probabilities(p);
    const std::vector<double> zero(p.materials.size(), 0.0);
    const auto before = evaluate(p, zero);
    const auto after = evaluate(p, x);
    plan.materials.clear();
    plan.cost_usd = 0;
    std::vector<bool> all_before(p.runs, true), all_after(p.runs, true);
    for (std::size_t m = 0; m < p.materials.size(); ++m) {
        const auto& mat = p.materials[m];
        MaterialPlan mp;
        mp.id = mat.id;
        mp.tonnes = x[m];
        mp.cost_usd = mat.cost_usd_t * x[m];
        for (std::size_t w = 0; w < p.runs; ++w) {
            const double demand = total(run_of(mat, p.weeks, w));
            mp.expected_unmet_before_t += pi[w] * before.unmet[m][w];
            mp.expected_unmet_after_t += pi[w] * after.unmet[m][w];
            const bool cb = covered(before.unmet[m][w], demand);
            const bool ca = covered(after.unmet[m][w], demand);
            mp.coverage_before += cb ? pi[w] : 0.0;
            mp.coverage_after += ca ? pi[w] : 0.0;
            all_before[w] = all_before[w] && cb;
            all_after[w] = all_after[w] && ca;
        }
        plan.cost_usd += mp.cost_usd;
        plan.materials.push_back(std::move(mp));
    }
    plan.expected_loss_before_usd =
        std::inner_product(pi.begin(), pi.end(), before.loss.begin(), 0.0);
    plan.expected_loss_after_usd =
        std::inner_product(pi.begin(), pi.end(), after.loss.begin(), 0.0);
    plan.cvar_before_usd = cvar(before.loss, pi, p.alpha);
    plan.cvar_after_usd = cvar(after.loss, pi, p.alpha);
    plan.coverage_before = plan.coverage_after = 0;
    for (std::size_t w = 0; w < p.runs; ++w) {
        plan.coverage_before += all_before[w] ? pi[w] : 0.0;
        plan.coverage_after += all_after[w] ? pi[w] : 0.0;
    }
    plan.objective_usd =
        p.objective == Objective::Expected ? plan.expected_loss_after_usd : plan.cvar_after_usd;
}

std::size_t release_columns(const StockpileProblem& p) {
    std::size_t n = 0;
    for (const auto& m : p.materials) {
        n += static_cast<std::size_t>(
            std::count_if(m.shortfall.begin(), m.shortfall.end(), [](double v) { return v > 0; }));
    }
    return n;
}

StockpilePlan solve_monolithic(const StockpileProblem& p, const Solver& solver) {
    const auto lp = build_stockpile_lp(p);
    const auto res = solver.solve(lp);
    StockpilePlan plan;
    plan.method = "monolithic LP (" + solver.name() + ")";
    plan.status = res.status;
    plan.message = res.message;
    plan.iterations = res.iterations;
    plan.lp_columns = lp.cols();
    plan.lp_rows = lp.rows();
    if (res.status != SolveStatus::Optimal) {
        return plan;
    }
    // When the budget does not bind, any larger holding is optimal too: keep the least one that
    // allows the LP's releases (Σ_t y <= x + s and R max_t y <= x + s in every run).
    std::vector<double> x(p.materials.size());
    std::size_t col = p.materials.size() + (p.objective == Objective::Cvar ? 1 + p.runs : 0);
    for (std::size_t m = 0; m < x.size(); ++m) {
        const auto& mat = p.materials[m];
        double need = 0;
        for (std::size_t w = 0; w < p.runs; ++w) {
            double sum = 0;
            double peak = 0;
            for (const double d : run_of(mat, p.weeks, w)) {
                if (d > 0) {
                    const double y = res.x[col++];
                    sum += y;
                    peak = std::max(peak, y);
                }
            }
            need = std::max(
                {need, sum - mat.start_tonnes, mat.release_weeks * peak - mat.start_tonnes});
        }
        x[m] = std::clamp(res.x[m], 0.0, std::max(0.0, need));
    }
    LODE_ASSERT(col == lp.cols());
    describe(p, x, plan);
    plan.budget_dual = std::max(0.0, -res.row_dual[0]);
    return plan;
}

/// A piece of one material's expected-release curve: holding `tonnes` more t avoids
/// `usd_per_usd` USD of expected loss per USD spent.
struct Piece {
    std::size_t material = 0;
    double tonnes = 0;
    double usd_per_usd = 0;
};

/// The concave pieces of v_m E_w[release_w(x)] over x >= 0, in order of x.
void pieces_of(const StockpileProblem& p,
               std::size_t m,
               std::span<const double> pi,
               std::vector<Piece>& out) {
    const auto& mat = p.materials[m];
    const double big_r = mat.release_weeks;
    // Events in r = stock/R: the expected slope of release in r drops by `drop` at r.
    std::vector<std::pair<double, double>> events;
    std::vector<double> d;
    double slope = 0;
    for (std::size_t w = 0; w < p.runs; ++w) {
        const auto run = run_of(mat, p.weeks, w);
        d.clear();
        for (const double v : run) {
            if (v > 0) {
                d.push_back(v);
            }
        }
        std::sort(d.begin(), d.end());
        // r*: where Σ_t min(d_t, r) = R r (the stock runs out exactly); below it release = R r.
        const auto n = static_cast<double>(d.size());
        double prefix = 0;
        double r_star = 0;
        for (std::size_t k = 0; k <= d.size(); ++k) {
            const double above = n - static_cast<double>(k);
            if (above < big_r) {
                const double r = prefix / (big_r - above);
                if (k == d.size() || r <= d[k]) {
                    r_star = r;
                    break;
                }
            }
            if (k < d.size()) {
                prefix += d[k];
            }
        }
        slope += pi[w] * big_r;
        double above_star = 0;
        for (const double v : d) {
            if (v > r_star) {
                events.emplace_back(v, pi[w]);
                above_star += 1;
            }
        }
        events.emplace_back(r_star, pi[w] * (big_r - std::min(big_r, above_star)));
    }
    std::sort(events.begin(), events.end());
    const double r0 = mat.start_tonnes / big_r;
    double cur = r0;
    std::size_t e = 0;
    for (; e < events.size() && events[e].first <= r0; ++e) {
        slope -= events[e].second;
    }
    const double scale = mat.value_usd_t / (big_r * mat.cost_usd_t);
    while (e < events.size()) {
        const double r = events[e].first;
        if (slope > 1e-15 && r > cur && mat.value_usd_t > 0) {
            out.push_back({m, big_r * (r - cur), scale * slope});
        }
        for (; e < events.size() && events[e].first == r; ++e) {
            slope -= events[e].second;
        }
        cur = r;
    }
}

StockpilePlan solve_greedy(const StockpileProblem& p) {
    StockpilePlan plan;
    plan.method = "structured (exact greedy knapsack over the concave expected-release pieces)";
    const auto pi = probabilities(p);
    std::vector<Piece> pieces;
    for (std::size_t m = 0; m < p.materials.size(); ++m) {
        pieces_of(p, m, pi, pieces);
    }
    std::stable_sort(pieces.begin(), pieces.end(),
                     [](const Piece& a, const Piece& b) { return a.usd_per_usd > b.usd_per_usd; });
    std::vector<double> x(p.materials.size(), 0.0);
    double left = p.budget_usd;
    plan.budget_dual = 0;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        const auto& pc = pieces[i];
        const double c = p.materials[pc.material].cost_usd_t;
        if (left <= 0) {
            plan.budget_dual = pc.usd_per_usd;  // the next dollar would buy this piece
            break;
        }
        const double t = std::min(pc.tonnes, left / c);
        x[pc.material] += t;
        left -= t * c;
        if (t < pc.tonnes) {
            plan.budget_dual = pc.usd_per_usd;
            left = 0;
            break;
        }
    }
    plan.status = SolveStatus::Optimal;
    plan.iterations = static_cast<int>(pieces.size());
    describe(p, x, plan);
    return plan;
}

StockpilePlan solve_cutting_planes(const StockpileProblem& p, const Solver& solver) {
    StockpilePlan plan;
    plan.method = "structured (multi-cut Benders on the closed-form second stage, " +
                  solver.name() + " master)";
    const auto pi = probabilities(p);
    const std::size_t nm = p.materials.size();
    const std::vector<double> zero(nm, 0.0);
    const auto at_zero = evaluate(p, zero);
    const double loss_max = *std::max_element(at_zero.loss.begin(), at_zero.loss.end());
    LpModel master;
    master.title = "stockpile CVaR master";
    for (const auto& m : p.materials) {
        master.add_col("x_" + m.id, 0.0, p.budget_usd / m.cost_usd_t, 0.0);
    }
    const int eta = master.add_col("eta", 0.0, loss_max, 1.0);
    std::vector<int> z(p.runs);
    for (std::size_t w = 0; w < p.runs; ++w) {
        z[w] = master.add_col("z_" + std::to_string(w), 0.0, kInf, pi[w] / (1.0 - p.alpha));
    }
    const int budget = master.add_row("budget", -kInf, p.budget_usd);
    for (std::size_t m = 0; m < nm; ++m) {
        master.add(budget, static_cast<int>(m), p.materials[m].cost_usd_t);
    }
    std::vector<double> x = zero;
    std::vector<double> best_x = zero;
    double eta_k = 0;
    std::vector<double> z_k(p.runs, 0.0);
    double best = kInf;
    double lower = -kInf;
    SolveResult res;
    int round = 0;
    for (; round < kMaxCuttingRounds; ++round) {
        const auto o = evaluate(p, x);
        const double upper = cvar(o.loss, pi, p.alpha);
        if (upper < best) {
            best = upper;
            best_x = x;
        }
        if (round > 0 && best - lower <= 1e-9 * std::max(1.0, std::fabs(best))) {
            break;
        }
        int added = 0;
        for (std::size_t w = 0; w < p.runs; ++w) {
            if (round > 0 && z_k[w] + eta_k >= o.loss[w] - 1e-9 * std::max(1.0, o.loss[w])) {
                continue;  // the cut model already holds this run's loss at x
            }
            const int row =
                master.add_row("cut_" + std::to_string(round) + "_" + std::to_string(w), 0.0, kInf);
            double rhs = o.loss[w];
            master.add(row, z[w], 1.0);
            master.add(row, eta, 1.0);
            for (std::size_t m = 0; m < nm; ++m) {
                const auto& mat = p.materials[m];
                const double g =
                    mat.value_usd_t * release_slope(run_of(mat, p.weeks, w),
                                                    mat.start_tonnes + x[m], mat.release_weeks);
                master.add(row, static_cast<int>(m), g);  // loss falls by g per t held
                rhs += g * x[m];
            }
            master.row_lower.back() = rhs;
            ++added;
        }
        if (added == 0) {
            break;
        }
        res = solver.solve(master);
        if (res.status != SolveStatus::Optimal) {
            plan.status = res.status;
            plan.message = "cutting-plane master: " + res.message;
            return plan;
        }
        lower = res.objective;
        for (std::size_t m = 0; m < nm; ++m) {
            x[m] = std::max(0.0, res.x[m]);
        }
        eta_k = res.x[static_cast<std::size_t>(eta)];
        for (std::size_t w = 0; w < p.runs; ++w) {
            z_k[w] = res.x[static_cast<std::size_t>(z[w])];
        }
    }
    plan.status = SolveStatus::Optimal;
    plan.iterations = round;
    plan.lp_columns = master.cols();
    plan.lp_rows = master.rows();
    if (round == kMaxCuttingRounds) {
        plan.message = "cutting planes stopped after " + std::to_string(round) + " rounds; gap " +
                       std::to_string(best - lower) + " USD";
    }
    describe(p, best_x, plan);
    plan.budget_dual =
        res.row_dual.empty() ? 0.0 : std::max(0.0, -res.row_dual[static_cast<std::size_t>(budget)]);
    return plan;
}

}  // namespace

double best_release(std::span<const double> d, double stock_t, double release_weeks) {
    const double r = stock_t / release_weeks;
    double capped = 0;
    for (const double v : d) {
        capped += std::min(v, r);
    }
    return std::min(capped, stock_t);
}

double cvar(std::span<const double> loss, std::span<const double> probability, double alpha) {
    std::vector<std::size_t> order(loss.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return loss[a] > loss[b]; });
    const double tail = 1.0 - alpha;
    double mass = 0;
    double sum = 0;
    for (const auto i : order) {
        const double take = std::min(probability[i], tail - mass);
        if (take <= 0) {
            break;
        }
        sum += take * loss[i];
        mass += take;
    }
    return mass > 0 ? sum / mass : 0.0;
}

LpModel build_stockpile_lp(const StockpileProblem& p) {
    const auto pi = probabilities(p);
    LpModel lp;
    lp.title = std::string("lodestone stockpile LP: ") +
               (p.objective == Objective::Expected ? "expected loss" : "CVaR") + ", " +
               std::to_string(p.materials.size()) + " materials x " + std::to_string(p.runs) +
               " runs x " + std::to_string(p.weeks) + " weeks";
    for (const auto& m : p.materials) {
        lp.add_col("x_" + m.id, 0.0, kInf, 0.0);
    }
    const int budget = lp.add_row("budget", -kInf, p.budget_usd);
    for (std::size_t m = 0; m < p.materials.size(); ++m) {
        lp.add(budget, static_cast<int>(m), p.materials[m].cost_usd_t);
    }
    const bool expected = p.objective == Objective::Expected;
    int eta = -1;
    std::vector<int> tail_rows;
    if (!expected) {
        eta = lp.add_col("eta", -kInf, kInf, 1.0);
        for (std::size_t w = 0; w < p.runs; ++w) {
            const int z = lp.add_col("z_" + std::to_string(w), 0.0, kInf, pi[w] / (1.0 - p.alpha));
            const int row = lp.add_row("tail_" + std::to_string(w), 0.0, kInf);
            lp.add(row, z, 1.0);
            lp.add(row, eta, 1.0);
            tail_rows.push_back(row);
        }
    }
    for (std::size_t m = 0; m < p.materials.size(); ++m) {
        const auto& mat = p.materials[m];
        const int xm = static_cast<int>(m);
        const double rate0 = mat.start_tonnes / mat.release_weeks;
        for (std::size_t w = 0; w < p.runs; ++w) {
            const auto d = run_of(mat, p.weeks, w);
            const double demand = total(d);
            if (expected) {
                lp.objective_constant += pi[w] * mat.value_usd_t * demand;
            } else {
                lp.row_lower[static_cast<std::size_t>(tail_rows[w])] += mat.value_usd_t * demand;
            }
            if (demand <= 0) {
                continue;
            }
            const std::string key = mat.id + "_" + std::to_string(w);
            int total_row = -1;
            if (demand > mat.start_tonnes) {
                total_row = lp.add_row("total_" + key, -kInf, mat.start_tonnes);
                lp.add(total_row, xm, -1.0);
            }
            for (std::size_t t = 0; t < p.weeks; ++t) {
                if (d[t] <= 0) {
                    continue;
                }
                const std::string name = key + "_" + std::to_string(t);
                const int y =
                    lp.add_col("y_" + name, 0.0, d[t], expected ? -pi[w] * mat.value_usd_t : 0.0);
                if (total_row >= 0) {
                    lp.add(total_row, y, 1.0);
                }
                if (d[t] > rate0) {
                    const int rate = lp.add_row("rate_" + name, -kInf, rate0);
                    lp.add(rate, y, 1.0);
                    lp.add(rate, xm, -1.0 / mat.release_weeks);
                }
                if (!expected) {
                    lp.add(tail_rows[w], y, mat.value_usd_t);
                }
            }
        }
    }
    return lp;
}

StockpilePlan solve_stockpile(const StockpileProblem& p, const Solver& solver, Method method) {
    for ([[maybe_unused]] const auto& m :
         p.materials) {  // only read by the asserts (not in NDEBUG builds)
        LODE_ASSERT(m.cost_usd_t > 0 && m.value_usd_t >= 0 && m.start_tonnes >= 0 &&
                    m.release_weeks > 0);
        LODE_ASSERT(m.shortfall.size() == p.runs * p.weeks);
    }
    LODE_ASSERT(p.objective == Objective::Expected || (p.alpha > 0 && p.alpha < 1));
    StockpilePlan plan;
    if (p.materials.empty() || p.runs == 0) {
        plan.status = SolveStatus::Empty;
        plan.message = p.materials.empty() ? "no material to stock" : "no Monte Carlo run";
        return plan;
    }
    if (!(p.budget_usd >= 0)) {
        plan.status = SolveStatus::Infeasible;
        plan.message = "the budget is negative: no holding satisfies cost <= budget";
        return plan;
    }
    if (method == Method::Auto) {
        method =
            release_columns(p) <= kMonolithicMaxColumns ? Method::Monolithic : Method::Structured;
    }
    if (method == Method::Monolithic) {
        return solve_monolithic(p, solver);
    }
    return p.objective == Objective::Expected ? solve_greedy(p) : solve_cutting_planes(p, solver);
}

}  // namespace lodestone::optimize
