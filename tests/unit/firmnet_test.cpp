// Firm-network propagation: small networks computed by hand, conservation of deliveries, both
// rationing rules, thread independence, and the readers' diagnostics.
#include <cmath>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "error_text.hpp"
#include "lodestone/firmnet/generate.hpp"
#include "lodestone/firmnet/internal/rationing.hpp"
#include "lodestone/firmnet/propagate.hpp"
#include "lodestone/firmnet/propagate_set.hpp"
#include "lodestone/firmnet/reader.hpp"
#include "lodestone/firmnet/summary.hpp"
#include "thread_ranks.hpp"

namespace lodestone::firmnet {
namespace {

using testing::error_text;
using ::testing::HasSubstr;

LoadedFirmNet load(const std::string& firms,
                   const std::string& links,
                   const std::string& shocks = {}) {
    return read_csv({"firms.csv", firms}, {"links.csv", links},
                    {shocks.empty() ? "" : "shocks.csv", shocks});
}

/// P_i on day `day` (from a snapshot).
double firm_on(const LoadedFirmNet& net, const PropagateResult& r, const std::string& id, int day) {
    for (const auto& s : r.snapshots) {
        if (s.day == day) {
            for (std::size_t i = 0; i < net.network.firms(); ++i) {
                if (net.network.ids[i] == id) {
                    return s.production[i];
                }
            }
        }
    }
    ADD_FAILURE() << "no snapshot of " << id << " on day " << day;
    return std::nan("");
}

// Chain A -> B -> C -> consumers: c_C = 10, A_BA = 4, A_CB = 6, so P^ini = 4, 6, 10 and
// va = 1, 1/3, 0.4. A loses half its capacity from day 1: it makes 2 a day. B's stock of A's good
// (15 x 4 = 60) gets yesterday's delivery and loses one day of use (4): 60 + 4 - 4 on day 1 (the
// initial delivery is 4), then 2 less each day: 62 - 2t. On day 29 it is 4 (one day of use, B
// makes 6), on day 30 it is 2 and B makes 3, as on day 31 (2 + 2 - 0.5 x 4). C has 15 days of B's
// good and is untouched.
TEST(FirmnetHand, ChainOfThreeRunsDownTheMiddleStockByHand) {
    const auto net =
        load("id,country,sector,final_demand\nA,X,mine,0\nB,X,refine,0\nC,Y,magnet,10\n",
             "supplier,client,daily_amount\nA,B,4\nB,C,6\n", "firm,capacity_loss\nA,0.5\n");
    PropagateOptions opt;
    opt.days = 31;
    opt.snapshot_days = {1, 29, 30, 31};
    const auto r = propagate(net.network, net.shocks, opt);
    EXPECT_DOUBLE_EQ(r.production[0], 20.0);
    EXPECT_DOUBLE_EQ(r.value_added[0], 4.0 + 2.0 + 4.0);
    EXPECT_NEAR(r.production[1], 18.0, 1e-12);
    EXPECT_NEAR(r.value_added[1], 2.0 + 2.0 + 4.0, 1e-12);
    EXPECT_NEAR(firm_on(net, r, "B", 29), 6.0, 1e-9);
    EXPECT_NEAR(firm_on(net, r, "B", 30), 3.0, 1e-9);
    EXPECT_NEAR(firm_on(net, r, "B", 31), 3.0, 1e-9);
    EXPECT_NEAR(r.production[29], 18.0, 1e-9);
    EXPECT_NEAR(r.production[30], 15.0, 1e-9);
    EXPECT_NEAR(r.value_added[30], 2.0 + 1.0 + 4.0, 1e-9);
    EXPECT_NEAR(firm_on(net, r, "C", 31), 10.0, 1e-12);
    EXPECT_NEAR(r.final_consumption[31], 10.0, 1e-12);
    // Hardest hit: A lost 2 a day for 31 days; B 3 a day on days 30 and 31.
    const auto top = hardest_hit(net.network, r, 2);
    ASSERT_EQ(top.size(), 2U);
    EXPECT_EQ(net.network.ids[top[0].firm], "A");
    EXPECT_NEAR(top[0].production_loss, 62.0, 1e-9);
    EXPECT_NEAR(top[1].production_loss, 6.0, 1e-9);
    EXPECT_EQ(top[1].min_day, 30);
}

// X buys 3 from S1 and 1 from S2, both of sector m, and sells 4 to consumers. S1 stops (delta 1).
// X draws on its stock of the sector (60 = 15 days x 4), which falls by 3 a day from day 2 (day 1
// still gets the initial deliveries) since S2 keeps delivering 1: 60 - 3(t - 1) is 6 on day 19
// (X makes 4) and 3 on day 20 (X makes 3).
TEST(FirmnetHand, TwoSuppliersOfOneSectorPoolTheirStock) {
    const auto net =
        load("id,country,sector,final_demand\nX,Z,assembly,4\nS1,Z,m,0\nS2,Z,m,0\n",
             "supplier,client,daily_amount\nS1,X,3\nS2,X,1\n", "firm,capacity_loss\nS1,1\n");
    PropagateOptions opt;
    opt.days = 20;
    opt.snapshot_days = {19, 20};
    const auto r = propagate(net.network, net.shocks, opt);
    EXPECT_NEAR(firm_on(net, r, "X", 19), 4.0, 1e-9);
    EXPECT_NEAR(firm_on(net, r, "X", 20), 3.0, 1e-9);
    EXPECT_NEAR(firm_on(net, r, "S2", 20), 1.0, 1e-12);
    EXPECT_NEAR(firm_on(net, r, "S1", 20), 0.0, 1e-12);
    EXPECT_LT(r.max_delivery_residual, 1e-12);
}

// S (A = 2) -> X -> consumers (c = 5). X loses half its capacity: on day 1 it still orders 2 from
// S (its production the day before was full). On day 2 its stock is 30 + 2 - (0.5 x 2 / 30) x 30
// = 31 and its order 0.5 x 2 + (15 x 2 x 0.5 - 31) / 6 < 0, so it orders nothing and S, which has
// no other customer, makes 0.
TEST(FirmnetHand, AFirmWithTooMuchStockOrdersZero) {
    for (const auto rule : {Rationing::Proportional, Rationing::LowestFirst}) {
        const auto net =
            load("id,country,sector,final_demand\nS,A,raw,0\nX,A,goods,5\n",
                 "supplier,client,daily_amount\nS,X,2\n", "firm,capacity_loss\nX,0.5\n");
        PropagateOptions opt;
        opt.days = 3;
        opt.rationing = rule;
        opt.snapshot_days = {1, 2};
        const auto r = propagate(net.network, net.shocks, opt);
        EXPECT_NEAR(firm_on(net, r, "S", 1), 2.0, 1e-12);
        EXPECT_NEAR(firm_on(net, r, "X", 1), 2.5, 1e-12);
        EXPECT_DOUBLE_EQ(firm_on(net, r, "S", 2), 0.0);
        EXPECT_NEAR(r.production[2], 2.5, 1e-12);
        EXPECT_NEAR(r.final_consumption[2], 2.5, 1e-12);
    }
}

// Total loss on day 3, back linearly over 10 days: 1 - (t - 3)/10.
TEST(FirmnetHand, TotalLossAndLinearRecovery) {
    const Shock s{0, 1.0, 3, -1, {}};
    EXPECT_DOUBLE_EQ(shock_delta(s, 2, 10), 0.0);
    EXPECT_DOUBLE_EQ(shock_delta(s, 3, 10), 1.0);
    EXPECT_DOUBLE_EQ(shock_delta(s, 8, 10), 0.5);
    EXPECT_DOUBLE_EQ(shock_delta(s, 13, 10), 0.0);
    EXPECT_DOUBLE_EQ(shock_delta(s, 40, 0), 1.0);  // no recovery
    const auto net =
        load("id,country,sector,final_demand\nF,A,x,10\n", "supplier,client,daily_amount\n",
             "firm,capacity_loss,start_day,recovery_days\nF,1,3,10\n");
    PropagateOptions opt;
    opt.days = 14;
    const auto r = propagate(net.network, net.shocks, opt);
    EXPECT_DOUBLE_EQ(r.production[2], 10.0);
    EXPECT_DOUBLE_EQ(r.production[3], 0.0);
    EXPECT_NEAR(r.production[4], 1.0, 1e-12);
    EXPECT_NEAR(r.production[8], 5.0, 1e-12);
    EXPECT_NEAR(r.production[13], 10.0, 1e-12);
    EXPECT_NEAR(r.production[14], 10.0, 1e-12);
}

// Water-filling by hand: rho/weight (0.2,10) (0.5,4) (1,10) (2,3), orders 2, 2, 10, 6.
// P = 10: the first is served (2), 8 left for weight 17: lambda = 8/17 < 0.5.
// P = 15: the first two are served (4), 11 left for weight 13: lambda = 11/13 < 1.
TEST(FirmnetRationing, LowestFirstWaterLevelByHand) {
    using internal::RationItem;
    std::vector<RationItem> items{{1.0, 10, 9}, {2.0, 3, 3}, {0.2, 10, 1}, {0.5, 4, 2}};
    EXPECT_DOUBLE_EQ(internal::water_level(items, 10.0), 8.0 / 17.0);
    EXPECT_DOUBLE_EQ(internal::water_level(items, 15.0), 11.0 / 13.0);
    EXPECT_DOUBLE_EQ(internal::water_level(items, 0.0), 0.0);
    double sum = 0.0;
    const double lambda = internal::water_level(items, 15.0);
    for (const auto& it : items) {
        sum += std::min(it.rho, lambda) * it.weight;
    }
    EXPECT_NEAR(sum, 15.0, 1e-12);
}

// One supplier (P^ini = 20: c = 10, K1 buys 4, K2 buys 6) at half capacity on day 1. All
// relative orders are 1, so both rules give everyone half: K1 gets 2, K2 3, consumers 5.
TEST(FirmnetRationing, EqualRelativeOrdersGiveTheSameShareUnderBothRules) {
    for (const auto rule : {Rationing::Proportional, Rationing::LowestFirst}) {
        const auto net =
            load("id,country,sector,final_demand\nS,A,m,10\nK1,A,x,4\nK2,A,y,6\n",
                 "supplier,client,daily_amount\nS,K1,4\nS,K2,6\n", "firm,capacity_loss\nS,0.5\n");
        PropagateOptions opt;
        opt.days = 1;
        opt.rationing = rule;
        const auto r = propagate(net.network, net.shocks, opt);
        EXPECT_NEAR(r.final_consumption[1], 5.0 + 4.0 + 6.0, 1e-12);
        EXPECT_NEAR(r.production[1], 10.0 + 4.0 + 6.0, 1e-12);
    }
}

GeneratedNetwork small_generated(std::size_t firms, std::uint64_t seed) {
    GenerateOptions g;
    g.firms = firms;
    g.seed = seed;
    g.shocked_share = 0.05;
    return generate_network(g);
}

// Deliveries add up to production for every firm and day, under both rules.
TEST(FirmnetInvariants, DeliveriesAddUpToProduction) {
    for (const auto rule : {Rationing::Proportional, Rationing::LowestFirst}) {
        auto g = small_generated(2000, 11);
        Diagnostics diags;
        const auto net = build_network(std::move(g.input), diags);
        ASSERT_FALSE(diags.has_errors());
        PropagateOptions opt;
        opt.days = 30;
        opt.rationing = rule;
        const auto r = propagate(net, g.shocks, opt);
        EXPECT_LT(r.max_delivery_residual, 1e-12) << to_string(rule);
        EXPECT_LT(r.production[30], r.production[0]) << "the shocks must bite";
    }
}

// No shock: the steady state stays where it is.
TEST(FirmnetInvariants, NoShockKeepsTheInitialState) {
    auto g = small_generated(2000, 5);
    Diagnostics diags;
    const auto net = build_network(std::move(g.input), diags);
    PropagateOptions opt;
    opt.days = 20;
    const auto r = propagate(net, {}, opt);
    for (std::size_t t = 1; t <= 20; ++t) {
        EXPECT_NEAR(r.production[t] / r.production[0], 1.0, 1e-12);
    }
}

// The output bits do not depend on the thread count.
TEST(FirmnetInvariants, OneAndTwoThreadsGiveIdenticalBits) {
    for (const auto rule : {Rationing::Proportional, Rationing::LowestFirst}) {
        auto g = small_generated(5000, 3);  // three reduction blocks of 2048 firms
        Diagnostics diags;
        const auto net = build_network(std::move(g.input), diags);
        PropagateOptions opt;
        opt.days = 12;
        opt.rationing = rule;
        opt.snapshot_days = {12};
        opt.threads = 1;
        const auto one = propagate(net, g.shocks, opt);
        opt.threads = 2;
        const auto two = propagate(net, g.shocks, opt);
        EXPECT_EQ(one.production, two.production);
        EXPECT_EQ(one.value_added, two.value_added);
        EXPECT_EQ(one.firm_loss, two.firm_loss);
        EXPECT_EQ(one.snapshots.at(0).production, two.snapshots.at(0).production);
    }
}

// A set of shocks: each scenario's run is the one propagate() gives alone, with 1 or 2 ranks
// (simulated by threads, thread_ranks.hpp).
TEST(FirmnetInvariants, ASetOfShocksGivesEachRunBitForBitOnAnyRankCount) {
    auto g = small_generated(3000, 4);
    Diagnostics diags;
    const auto net = build_network(std::move(g.input), diags);
    const std::vector<std::vector<Shock>> sets{g.shocks, {g.shocks.front()}, {}};
    PropagateOptions opt;
    opt.days = 10;
    opt.rationing = Rationing::LowestFirst;
    opt.snapshot_days = {10};
    const auto alone = propagate_set(net, sets, opt);
    ASSERT_EQ(alone.size(), 3u);
    EXPECT_EQ(alone[1].production, propagate(net, sets[1], opt).production);
    for (const int k : {2, 3}) {
        std::vector<PropagateResult> at_root;
        lodestone::testing::run_ranks(k, [&](parallel::Ranks& ranks) {
            auto r = propagate_set(net, sets, opt, &ranks);
            if (ranks.root()) {
                at_root = std::move(r);
            }
        });
        ASSERT_EQ(at_root.size(), 3u);
        for (std::size_t s = 0; s < 3; ++s) {
            EXPECT_EQ(alone[s].production, at_root[s].production) << k << " " << s;
            EXPECT_EQ(alone[s].value_added, at_root[s].value_added);
            EXPECT_EQ(alone[s].final_consumption, at_root[s].final_consumption);
            EXPECT_EQ(alone[s].firm_loss, at_root[s].firm_loss);
            EXPECT_EQ(alone[s].firm_min_ratio, at_root[s].firm_min_ratio);
            EXPECT_EQ(alone[s].firm_min_day, at_root[s].firm_min_day);
            EXPECT_EQ(alone[s].snapshots.at(0).production, at_root[s].snapshots.at(0).production);
            EXPECT_EQ(alone[s].max_delivery_residual, at_root[s].max_delivery_residual);
        }
    }
}

TEST(FirmnetReader, EveryShockFileIsOneSetOfTheSet) {
    const auto net = read_csv({"firms.csv", "id,country,sector,final_demand\nA,X,m,1\nB,X,n,1\n"},
                              {"links.csv", "supplier,client,daily_amount\nA,B,1\n"},
                              {"a.csv", "firm,capacity_loss\nA,0.5\n"},
                              {{"b.csv", "firm,capacity_loss\nB,0.2\nA,0.1\n"}});
    ASSERT_EQ(net.shock_sets.size(), 2u);
    EXPECT_EQ(net.shock_sets[0].size(), 1u);
    EXPECT_EQ(net.shock_sets[1].size(), 2u);
    EXPECT_EQ(net.shocks.size(), 1u);
    EXPECT_EQ(net.shock_sets[1][0].firm, 1);
    const auto text = error_text([] {
        (void)read_csv({"firms.csv", "id,country,sector,final_demand\nA,X,m,1\n"},
                       {"links.csv", "supplier,client,daily_amount\n"},
                       {"a.csv", "firm,capacity_loss\nA,0.5\n"},
                       {{"b.csv", "firm,capacity_loss\nZ,0.2\n"}});
    });
    EXPECT_THAT(text, ::testing::HasSubstr("b.csv:2:1: firm: unknown firm"));
}

TEST(FirmnetReader, ReportsEveryProblemWithItsPosition) {
    const auto text = error_text([] {
        (void)load(
            "id,country,sector,final_demand\nA,X,m,1\nA,X,m,2\nB,X,,-1\n",
            "supplier,client,daily_amount\nA,Q,1\nA,A,0\nA,A,1\nA,A,2\n",
            "firm,capacity_loss,start_day\nA,1.5,0\n\"country=X,sector=zz\",0.1,1\nnobody,0.2,1\n");
    });
    EXPECT_EQ(
        text,
        "firms.csv:3:1: id: firm 'A' already defined on line 2 (E-DUPLICATE)\n"
        "firms.csv:4:5: sector: a value is required (E-REQUIRED)\n"
        "firms.csv:4:6: final_demand: expected a number >= 0, got '-1' (E-NEGATIVE)\n"
        "links.csv:2:3: client: unknown firm 'Q' (not in firms.csv) (E-NOT-FOUND)\n"
        "links.csv:3:5: daily_amount: expected a number > 0, got '0' (E-RANGE)\n"
        "shocks.csv:2:3: capacity_loss: expected a share in [0,1], got '1.5' (E-SHARE-RANGE)\n"
        "shocks.csv:2:7: start_day: expected a whole number in [1,1000000], got '0' (E-RANGE)\n"
        "shocks.csv:3:1: firm: no firm has sector 'zz' (E-UNKNOWN-SECTOR)\n"
        "shocks.csv:4:1: firm: unknown firm 'nobody' (not in firms.csv) (E-NOT-FOUND)\n"
        "links.csv:5:1: link A -> A already given on line 4 (E-DUPLICATE)\n");
}

TEST(FirmnetReader, DuplicateLinkIsReportedAtTheSecondLine) {
    const auto text = error_text([] {
        (void)load("id,country,sector,final_demand\nA,X,m,1\nB,X,m,1\n",
                   "supplier,client,daily_amount\nA,B,1\nB,A,1\nA,B,2\n");
    });
    EXPECT_EQ(text, "links.csv:4:1: link A -> B already given on line 2 (E-DUPLICATE)\n");
}

TEST(FirmnetReader, SelectorExpandsToTheMatchingFirms) {
    const auto net = load("id,country,sector,final_demand\nA,CHN,m,1\nB,CHN,n,1\nC,JPN,m,1\n",
                          "supplier,client,daily_amount\n",
                          "firm,capacity_loss\n\"country=CHN,sector=m\",0.3\ncountry=JPN,0.1\n");
    ASSERT_EQ(net.shocks.size(), 2U);
    EXPECT_EQ(net.shocks[0].firm, 0);
    EXPECT_DOUBLE_EQ(net.shocks[0].delta, 0.3);
    EXPECT_EQ(net.shocks[1].firm, 2);
}

TEST(FirmnetReader, InoueFilesGiveTheSameRunAsCsv) {
    const auto csv = load("id,country,sector,final_demand\n1,n/a,1001,10\n2,n/a,1002,0\n",
                          "supplier,client,daily_amount\n2,1,4\n", "firm,capacity_loss\n2,0.5\n");
    const auto inoue = read_inoue({{"a.txt", "2 1 4\n"},
                                   {"c.txt", "1 10\n"},
                                   {"p.txt", "1 10\n2 4\n"},
                                   {"f.txt", "1 1001\n2 1002\n"},
                                   {"d.txt", "2 0.5\n"},
                                   {}});
    PropagateOptions opt;
    opt.days = 40;
    const auto a = propagate(csv.network, csv.shocks, opt);
    const auto b = propagate(inoue.network, inoue.shocks, opt);
    EXPECT_EQ(a.production, b.production);
    EXPECT_LT(a.production[40], a.production[0]);
}

TEST(FirmnetReader, InoueReportsEveryProblem) {
    const auto text = error_text([] {
        (void)read_inoue({{"a.txt", "2 1\n2 9 3\n"},
                          {"c.txt", "1 x\n"},
                          {"p.txt", "1 10\n"},
                          {"f.txt", "1 1001\n2 1002\n2 1003\n"},
                          {"d.txt", "2 2\n"},
                          {}});
    });
    EXPECT_EQ(text,
              "f.txt:3:1: firm '2' already defined on line 2 (E-DUPLICATE)\n"
              "c.txt:1:3: value: expected a number, got 'x' (E-NUMBER)\n"
              "p.txt: firm '2' (f.txt:2) has no value (E-REQUIRED)\n"
              "a.txt:1: expected 3 values, got 2 (E-FIELD-COUNT)\n"
              "a.txt:2:3: client: unknown firm '9' (not in f.txt) (E-NOT-FOUND)\n"
              "d.txt:1:3: delta: expected a share in [0,1], got '2' (E-SHARE-RANGE)\n");
}

}  // namespace
}  // namespace lodestone::firmnet
