// Stockpile LP golden cases. Every expected optimum below is derived by hand in the comment above
// it; both methods (monolithic LP on Clp and the structured solver) must reach it.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "lodestone/optimize/lp.hpp"
#include "lodestone/optimize/stockpile.hpp"

namespace lodestone::optimize {
namespace {

constexpr double kTol = 1e-6;

StockpileMaterial material(
    std::string id, double c, double v, double r, std::vector<double> d, double s = 0) {
    return {std::move(id), c, v, s, r, std::move(d)};
}

/// a: c 10, v 100, R 2; run 0 short [6, 2], run 1 none. Release(x) = x for x <= 4, x/2 + 2 up to
/// x = 12 (the 2 t/week of week 2 is covered, week 1 is rate-capped at x/2), 8 beyond.
/// b: c 20, v 120, R 1; run 1 short [3, 0]. Release(x) = min(x, 3).
/// With π = 0.5 each, loss avoided per USD: a 5 on [0,4] t, 2.5 on [4,12] t; b 3 on [0,3] t.
/// Loss before: 0.5*100*8 + 0.5*120*3 = 580 USD.
StockpileProblem two_materials(double budget) {
    StockpileProblem p;
    p.runs = 2;
    p.weeks = 2;
    p.budget_usd = budget;
    p.materials.push_back(material("a", 10, 100, 2, {6, 2, 0, 0}));
    p.materials.push_back(material("b", 20, 120, 1, {0, 0, 3, 0}));
    return p;
}

class BothMethods : public ::testing::TestWithParam<Method> {};

// One material, two runs: a c 10, v 100, R 2, run 0 short [4, 4], run 1 none; π = 0.5.
// Release(x) = min(x, 8): each USD avoids 0.5 * 100 / 10 = 5 USD of loss until x = 8 (cost 80).
TEST_P(BothMethods, OneMaterialTwoRunsBudgetBinds) {
    StockpileProblem p;
    p.runs = 2;
    p.weeks = 2;
    p.budget_usd = 50;  // binds: x = 5 t, loss 0.5 * 100 * (8 - 5) = 150
    p.materials.push_back(material("a", 10, 100, 2, {4, 4, 0, 0}));
    const auto plan = solve_stockpile(p, *make_clp_solver(), GetParam());
    ASSERT_EQ(plan.status, SolveStatus::Optimal) << plan.message;
    EXPECT_NEAR(plan.materials[0].tonnes, 5.0, kTol);
    EXPECT_NEAR(plan.cost_usd, 50.0, kTol);
    EXPECT_NEAR(plan.expected_loss_before_usd, 400.0, kTol);
    EXPECT_NEAR(plan.expected_loss_after_usd, 150.0, kTol);
    EXPECT_NEAR(plan.objective_usd, 150.0, kTol);
    EXPECT_NEAR(plan.budget_dual, 5.0, kTol);
    EXPECT_NEAR(plan.coverage_before, 0.5, kTol);  // run 1 has no shortfall
    EXPECT_NEAR(plan.coverage_after, 0.5, kTol);
    EXPECT_NEAR(plan.materials[0].expected_unmet_after_t, 1.5, kTol);
}

TEST_P(BothMethods, OneMaterialTwoRunsBudgetDoesNotBind) {
    StockpileProblem p;
    p.runs = 2;
    p.weeks = 2;
    p.budget_usd = 1000;  // x = 8 t (cost 80) covers run 0; more buys nothing: dual 0
    p.materials.push_back(material("a", 10, 100, 2, {4, 4, 0, 0}));
    const auto plan = solve_stockpile(p, *make_clp_solver(), GetParam());
    ASSERT_EQ(plan.status, SolveStatus::Optimal) << plan.message;
    EXPECT_NEAR(plan.materials[0].tonnes, 8.0, kTol);
    EXPECT_NEAR(plan.expected_loss_after_usd, 0.0, kTol);
    EXPECT_NEAR(plan.budget_dual, 0.0, kTol);
    EXPECT_NEAR(plan.coverage_after, 1.0, kTol);
}

// Budget 90: a's first piece (4 t, 40 USD, 5/USD), then b (3/USD) with the 50 USD left: 2.5 t.
// Loss after: 580 - 40*5 - 50*3 = 230. The next USD buys b at 3.
TEST_P(BothMethods, TwoMaterialsCompeteForBudget) {
    const auto plan = solve_stockpile(two_materials(90), *make_clp_solver(), GetParam());
    ASSERT_EQ(plan.status, SolveStatus::Optimal) << plan.message;
    EXPECT_NEAR(plan.materials[0].tonnes, 4.0, kTol);
    EXPECT_NEAR(plan.materials[1].tonnes, 2.5, kTol);
    EXPECT_NEAR(plan.expected_loss_before_usd, 580.0, kTol);
    EXPECT_NEAR(plan.expected_loss_after_usd, 230.0, kTol);
    EXPECT_NEAR(plan.budget_dual, 3.0, kTol);
    EXPECT_NEAR(plan.materials[0].expected_unmet_after_t, 2.0, kTol);   // 0.5 * (8 - 4)
    EXPECT_NEAR(plan.materials[1].expected_unmet_after_t, 0.25, kTol);  // 0.5 * (3 - 2.5)
}

// Budget 200 > 12*10 + 3*20 = 180: everything is covered; the rate cap makes a need 12 t for 8 t.
TEST_P(BothMethods, TwoMaterialsBudgetDoesNotBind) {
    const auto plan = solve_stockpile(two_materials(200), *make_clp_solver(), GetParam());
    ASSERT_EQ(plan.status, SolveStatus::Optimal) << plan.message;
    EXPECT_NEAR(plan.materials[0].tonnes, 12.0, kTol);
    EXPECT_NEAR(plan.materials[1].tonnes, 3.0, kTol);
    EXPECT_NEAR(plan.expected_loss_after_usd, 0.0, kTol);
    EXPECT_NEAR(plan.budget_dual, 0.0, kTol);
    EXPECT_NEAR(plan.coverage_after, 1.0, kTol);
}

// Starting stock counts: with 4 t of a already held, a's first piece is used up; budget 90 goes to
// b first (3/USD: 3 t, 60 USD), then a's second piece (2.5/USD: 30 USD = 3 t).
TEST_P(BothMethods, StartingStockShiftsThePieces) {
    auto p = two_materials(90);
    p.materials[0].start_tonnes = 4;
    const auto plan = solve_stockpile(p, *make_clp_solver(), GetParam());
    ASSERT_EQ(plan.status, SolveStatus::Optimal) << plan.message;
    EXPECT_NEAR(plan.materials[0].tonnes, 3.0, kTol);
    EXPECT_NEAR(plan.materials[1].tonnes, 3.0, kTol);
    EXPECT_NEAR(plan.expected_loss_before_usd, 580.0 - 200.0, kTol);
    EXPECT_NEAR(plan.budget_dual, 2.5, kTol);
}

// CVaR: 4 runs of 0.25; a short 8 t in run 0, b short 4 t in runs 1-3; c 10, v 100, R 1.
// Expected loss prefers b (7.5/USD vs 2.5/USD), but run 0 still loses 800.
// CVaR_0.75 (the worst run) minimises max(800 - 100 x_a, 400 - 100 x_b). Budget 40: x_a = 4,
// x_b = 0, every run loses 400 (a kink at x_b = 0: the budget's dual is anywhere in [5, 10]).
// Budget 60: x_a + x_b = 6 and equal losses give x_a = 5, x_b = 1, every run loses 300; with δ
// more USD x_a = 5 + δ/20, x_b = 1 + δ/20 and every run loses 300 - 5δ: the dual is 5.
StockpileProblem tail_case(Objective objective) {
    StockpileProblem p;
    p.runs = 4;
    p.weeks = 1;
    p.budget_usd = 40;
    p.objective = objective;
    p.alpha = 0.75;
    p.materials.push_back(material("a", 10, 100, 1, {8, 0, 0, 0}));
    p.materials.push_back(material("b", 10, 100, 1, {0, 4, 4, 4}));
    return p;
}

// With budget 30 the expected loss buys 3 t of b (7.5 USD avoided per USD): 500 - 225 = 275.
TEST_P(BothMethods, ExpectedLossIgnoresTheTail) {
    auto p = tail_case(Objective::Expected);
    p.budget_usd = 30;
    const auto plan = solve_stockpile(p, *make_clp_solver(), GetParam());
    ASSERT_EQ(plan.status, SolveStatus::Optimal) << plan.message;
    EXPECT_NEAR(plan.materials[0].tonnes, 0.0, kTol);
    EXPECT_NEAR(plan.materials[1].tonnes, 3.0, kTol);
    EXPECT_NEAR(plan.expected_loss_before_usd, 500.0, kTol);
    EXPECT_NEAR(plan.expected_loss_after_usd, 275.0, kTol);
    EXPECT_NEAR(plan.cvar_after_usd, 800.0, kTol);
    EXPECT_NEAR(plan.budget_dual, 7.5, kTol);
}

TEST_P(BothMethods, CvarHasTheKnownAnswer) {
    const auto plan = solve_stockpile(tail_case(Objective::Cvar), *make_clp_solver(), GetParam());
    ASSERT_EQ(plan.status, SolveStatus::Optimal) << plan.message;
    EXPECT_NEAR(plan.materials[0].tonnes, 4.0, kTol);
    EXPECT_NEAR(plan.materials[1].tonnes, 0.0, kTol);
    EXPECT_NEAR(plan.objective_usd, 400.0, kTol);
    EXPECT_NEAR(plan.cvar_before_usd, 800.0, kTol);
    EXPECT_NEAR(plan.expected_loss_after_usd, 400.0, kTol);
    EXPECT_GE(plan.budget_dual, 5.0 - kTol);
    EXPECT_LE(plan.budget_dual, 10.0 + kTol);
}

TEST_P(BothMethods, CvarDualAwayFromAKink) {
    auto p = tail_case(Objective::Cvar);
    p.budget_usd = 60;
    const auto plan = solve_stockpile(p, *make_clp_solver(), GetParam());
    ASSERT_EQ(plan.status, SolveStatus::Optimal) << plan.message;
    EXPECT_NEAR(plan.materials[0].tonnes, 5.0, kTol);
    EXPECT_NEAR(plan.materials[1].tonnes, 1.0, kTol);
    EXPECT_NEAR(plan.objective_usd, 300.0, kTol);
    EXPECT_NEAR(plan.cvar_after_usd, 300.0, kTol);
    EXPECT_NEAR(plan.budget_dual, 5.0, kTol);
}

TEST_P(BothMethods, NegativeBudgetIsInfeasibleNotAnError) {
    const auto plan = solve_stockpile(two_materials(-1), *make_clp_solver(), GetParam());
    EXPECT_EQ(plan.status, SolveStatus::Infeasible);
    EXPECT_NE(plan.message.find("budget is negative"), std::string::npos);
}

TEST_P(BothMethods, NoMaterialIsEmpty) {
    StockpileProblem p;
    p.runs = 3;
    p.weeks = 2;
    p.budget_usd = 10;
    const auto plan = solve_stockpile(p, *make_clp_solver(), GetParam());
    EXPECT_EQ(plan.status, SolveStatus::Empty);
    EXPECT_EQ(plan.message, "no material to stock");
}

INSTANTIATE_TEST_SUITE_P(Stockpile,
                         BothMethods,
                         ::testing::Values(Method::Monolithic, Method::Structured),
                         [](const auto& info) {
                             return info.param == Method::Monolithic ? "Monolithic" : "Structured";
                         });

// The two methods agree on random problems (4 materials x 30 runs x 12 weeks, sparse shortfalls).
TEST(Stockpile, StructuredEqualsMonolithicOnRandomProblems) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int trial = 0; trial < 6; ++trial) {
        StockpileProblem p;
        p.runs = 30;
        p.weeks = 12;
        p.budget_usd = 50 + 400 * u(rng);
        p.objective = trial % 2 == 0 ? Objective::Expected : Objective::Cvar;
        p.alpha = 0.9;
        for (int m = 0; m < 4; ++m) {
            std::vector<double> d(p.runs * p.weeks);
            for (auto& v : d) {
                v = u(rng) < 0.4 ? 5 * u(rng) : 0.0;
            }
            p.materials.push_back(material("m" + std::to_string(m), 5 + 20 * u(rng),
                                           50 + 100 * u(rng), 1 + 8 * u(rng), d,
                                           u(rng) < 0.5 ? 3 * u(rng) : 0.0));
        }
        const auto lp = solve_stockpile(p, *make_clp_solver(), Method::Monolithic);
        const auto st = solve_stockpile(p, *make_clp_solver(), Method::Structured);
        ASSERT_EQ(lp.status, SolveStatus::Optimal);
        ASSERT_EQ(st.status, SolveStatus::Optimal);
        EXPECT_NEAR(lp.objective_usd, st.objective_usd, 1e-6 * std::max(1.0, lp.objective_usd))
            << "trial " << trial;
        EXPECT_LE(st.cost_usd, p.budget_usd + 1e-6);
    }
}

TEST(Stockpile, BestReleaseIsTheGreedyClosedForm) {
    const std::vector<double> d{6, 2};
    EXPECT_DOUBLE_EQ(best_release(d, 4, 2), 4.0);   // 2 + 2, the stock runs out
    EXPECT_DOUBLE_EQ(best_release(d, 10, 2), 7.0);  // 5 (cap) + 2
    EXPECT_DOUBLE_EQ(best_release(d, 20, 2), 8.0);  // all demand
}

TEST(Stockpile, CvarOfADiscreteLoss) {
    const std::vector<double> loss{10, 40, 20, 30};
    const std::vector<double> pi(4, 0.25);
    EXPECT_DOUBLE_EQ(cvar(loss, pi, 0.75), 40.0);
    EXPECT_DOUBLE_EQ(cvar(loss, pi, 0.5), 35.0);
    EXPECT_DOUBLE_EQ(cvar(loss, pi, 0.625), (0.25 * 40 + 0.125 * 30) / 0.375);
}

// The generated LP text against the approved file. On a mismatch the new text is written beside
// the build as stockpile_two_materials.unapproved.lp: review the diff, then copy it over the file.
TEST(Stockpile, LpTextMatchesTheApprovedFile) {
    auto p = two_materials(90);
    p.materials[0].start_tonnes = 1;  // shows the rate row's right-hand side s/R
    const auto text =
        write_lp(build_stockpile_lp(p)) + write_lp(build_stockpile_lp(tail_case(Objective::Cvar)));
    const std::filesystem::path approved =
        std::filesystem::path(LODE_SOURCE_DIR) / "tests/data/optimize/stockpile_two_materials.lp";
    std::ifstream in(approved);
    std::stringstream want;
    want << in.rdbuf();
    if (text != want.str()) {
        std::ofstream(std::filesystem::path(LODE_BINARY_DIR) /
                      "stockpile_two_materials.unapproved.lp")
            << text;
    }
    EXPECT_EQ(text, want.str());
}

}  // namespace
}  // namespace lodestone::optimize
