// The sourcing rule and the compiled supply network on hand-computable worlds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lodestone/network/sourcing.hpp"
#include "lodestone/network/supply_network.hpp"
#include "network_fixture.hpp"

using namespace lodestone;
using lodestone::testing::chain_files;
using lodestone::testing::tiny_world;
using ::testing::HasSubstr;

namespace {

constexpr double kTol = 1e-12;

/// AAA 100 t, BBB 20 t, ROW 40 t; demand AAA 0.2, BBB 0.5, CCC 0.1, ROW the remaining 0.2.
model::World two_exporters() {
    return tiny_world(
        {{"production.csv",
          "material,stage,country,year,tonnes\nore,mine,AAA,2024,100\n"
          "ore,mine,BBB,2024,20\nore,mine,ROW,2024,40\n"},
         {"demand.csv", "material,country,weight\n*,AAA,0.2\n*,BBB,0.5\n*,CCC,0.1\n"}});
}

const network::CountryBalance& row(const network::StageBalance& b, const std::string& code) {
    for (const auto& c : b.countries) {
        if (c.country == code) {
            return c;
        }
    }
    throw std::runtime_error("no row " + code);
}

/// Tonnes from `from` to `to`, observed and derived together.
double flow(const network::StageBalance& b, const std::string& from, const std::string& to) {
    double t = 0.0;
    for (const auto& f : b.flows) {
        if (f.exporter == from && f.importer == to) {
            t += f.tonnes;
        }
    }
    return t;
}

/// two_exporters() plus the given consumption.csv and trade.csv rows (without headers).
model::World observed_world(const std::string& consumption, const std::string& trade) {
    std::map<std::string, std::string> files{
        {"production.csv",
         "material,stage,country,year,tonnes\nore,mine,AAA,2024,100\nore,mine,BBB,2024,20\nore,"
         "mine,ROW,2024,40\n"},
        {"demand.csv", "material,country,weight\n*,AAA,0.2\n*,BBB,0.5\n*,CCC,0.1\n"}};
    if (!consumption.empty()) {
        files["consumption.csv"] = "material,stage,country,year,tonnes\n" + consumption;
    }
    if (!trade.empty()) {
        files["trade.csv"] = "material,stage,exporter,importer,year,tonnes\n" + trade;
    }
    return tiny_world(files);
}

/// Every country's stage material balances: output + imports = use + exports.
void expect_balanced(const network::StageBalance& b) {
    for (const auto& c : b.countries) {
        EXPECT_NEAR(c.output_tonnes + c.imports_tonnes, c.use_tonnes + c.exports_tonnes, 1e-9)
            << c.country;
    }
}

}  // namespace

TEST(Sourcing, FinalStageUseFollowsDemandWeightsWithRowRemainder) {
    const auto w = two_exporters();
    const auto weights = network::demand_weights(w, "ore");
    ASSERT_EQ(weights.size(), 4u);
    EXPECT_EQ(weights[3].first, "ROW");
    EXPECT_NEAR(weights[3].second, 0.2, kTol);
    const auto b = network::stage_balance(w, "ore", "mine");
    EXPECT_EQ(b.basis, network::Basis::Derived);
    EXPECT_NEAR(b.world_output_tonnes, 160, kTol);
    EXPECT_NEAR(b.world_use_tonnes, 160, kTol);  // the market clears
    EXPECT_NEAR(row(b, "AAA").use_tonnes, 32, kTol);
    EXPECT_NEAR(row(b, "BBB").use_tonnes, 80, kTol);
    EXPECT_NEAR(row(b, "CCC").use_tonnes, 16, kTol);
    EXPECT_NEAR(row(b, "ROW").use_tonnes, 32, kTol);
}

TEST(Sourcing, DeficitsImportInProportionToOthersSurplus) {
    const auto b = network::stage_balance(two_exporters(), "ore", "mine");
    // Surplus: AAA 68, ROW 8 (76); deficits: BBB 60, CCC 16 (76).
    EXPECT_NEAR(flow(b, "AAA", "BBB"), 60.0 * 68 / 76, kTol);
    EXPECT_NEAR(flow(b, "ROW", "BBB"), 60.0 * 8 / 76, kTol);
    EXPECT_NEAR(flow(b, "AAA", "CCC"), 16.0 * 68 / 76, kTol);
    EXPECT_NEAR(flow(b, "ROW", "CCC"), 16.0 * 8 / 76, kTol);
    EXPECT_EQ(b.flows.size(), 4u);
    EXPECT_NEAR(row(b, "AAA").exports_tonnes, 68, kTol);
    EXPECT_NEAR(row(b, "AAA").domestic_tonnes, 32, kTol);
    EXPECT_NEAR(row(b, "BBB").imports_tonnes, 60, kTol);
    EXPECT_NEAR(row(b, "BBB").domestic_tonnes, 20, kTol);
}

TEST(Sourcing, MixOfACountryIsDomesticFirstThenImportsBySurplus) {
    const auto mix = network::sourcing_mix(two_exporters(), "ore", "mine", "BBB");
    EXPECT_EQ(mix.basis, network::Basis::Derived);
    EXPECT_NEAR(mix.use_tonnes, 80, kTol);
    EXPECT_NEAR(mix.domestic_tonnes, 20, kTol);
    EXPECT_NEAR(mix.import_tonnes, 60, kTol);
    EXPECT_NEAR(mix.import_reliance, 0.75, kTol);
    ASSERT_EQ(mix.origins.size(), 3u);
    EXPECT_EQ(mix.origins[0].country, "AAA");
    EXPECT_NEAR(mix.origins[0].share, 60.0 * 68 / 76 / 80, kTol);
    EXPECT_EQ(mix.origins[1].country, "BBB");
    EXPECT_NEAR(mix.origins[1].share, 0.25, kTol);
    EXPECT_EQ(mix.origins[2].country, "ROW");
    double sum = 0;
    for (const auto& o : mix.origins) {
        sum += o.share;
    }
    EXPECT_NEAR(sum, 1.0, kTol);
}

TEST(Sourcing, BlocMixCountsMembersAsDomestic) {
    const auto mix = network::sourcing_mix(two_exporters(), "ore", "mine", "XB");  // BBB + CCC
    EXPECT_NEAR(mix.use_tonnes, 96, kTol);
    EXPECT_NEAR(mix.domestic_tonnes, 20, kTol);
    EXPECT_NEAR(mix.import_reliance, 76.0 / 96, kTol);
    ASSERT_EQ(mix.origins.size(), 3u);
    EXPECT_EQ(mix.origins[0].country, "AAA");
    EXPECT_NEAR(mix.origins[0].tonnes, 68, kTol);
}

TEST(Sourcing, ExporterHasZeroImportReliance) {
    const auto mix = network::sourcing_mix(two_exporters(), "ore", "mine", "AAA");
    EXPECT_NEAR(mix.import_reliance, 0.0, kTol);
    ASSERT_EQ(mix.origins.size(), 1u);
    EXPECT_EQ(mix.origins[0].country, "AAA");
    EXPECT_NEAR(mix.origins[0].share, 1.0, kTol);
}

TEST(Sourcing, UnknownPerspectiveIsAnInputError) {
    try {
        (void)network::sourcing_mix(two_exporters(), "ore", "mine", "ZZZ");
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(),
                     "unknown perspective 'ZZZ': expected an ISO3 code of countries.csv or a bloc "
                     "(EU, G7, ...) (E-UNKNOWN-PERSPECTIVE)");
    }
    EXPECT_THROW((void)network::sourcing_mix(two_exporters(), "ore", "refined", "AAA"), InputError);
}

TEST(Sourcing, MaterialRowsOverrideTheDefaultWeights) {
    const auto w = tiny_world({{"demand.csv", "material,country,weight\n*,AAA,0.5\nore,CCC,1\n"}});
    const auto weights = network::demand_weights(w, "ore");
    ASSERT_EQ(weights.size(), 1u);
    EXPECT_EQ(weights[0].first, "CCC");
    const auto mix = network::sourcing_mix(w, "ore", "mine", "CCC");
    EXPECT_NEAR(mix.use_tonnes, 100, kTol);
    EXPECT_NEAR(mix.import_reliance, 1.0, kTol);
}

TEST(Sourcing, DemandWeightsAreValidatedWithEveryProblemAtOnce) {
    try {
        (void)tiny_world(
            {{"demand.csv",
              "material,country,weight\n*,AAA,0.7\n*,BBB,0.5\nzinc,AAA,0.1\n*,QQQ,0.1\n"
              "*,AAA,0.1\nore,CCC,-1\n"}});
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_STREQ(
            e.what(),
            "tiny/demand.csv:4:1: material: unknown material 'zinc' (E-UNKNOWN-MATERIAL)\n"
            "tiny/demand.csv:5:3: country: unknown country 'QQQ' (E-UNKNOWN-COUNTRY)\n"
            "tiny/demand.csv:6:3: country: duplicate key '*/AAA' (E-DUPLICATE)\n"
            "tiny/demand.csv:7:9: weight: expected a share in [0,1], got '-1' (E-SHARE-RANGE)\n"
            "tiny/demand.csv:2: demand weights of '*' sum to 1.2, more than 1 (the rest of "
            "the world takes 1 - sum) (E-SHARE-RANGE)");
    }
}

TEST(Sourcing, WithoutDemandWeightsEachCountryUsesItsOwnOutput) {
    const auto b = network::stage_balance(tiny_world({}), "ore", "mine");
    EXPECT_TRUE(b.flows.empty());
    EXPECT_NEAR(row(b, "AAA").use_tonnes, 100, kTol);
    ASSERT_EQ(b.notes.size(), 1u);
    EXPECT_THAT(b.notes[0], HasSubstr("no demand weights"));
}

TEST(Sourcing, ChainUseFollowsNextStageInputNeed) {
    const auto w = tiny_world(chain_files());
    const auto mine = network::stage_balance(w, "ore", "mine");
    // Separation needs 50 / 0.5 = 100 t of mine output, all in BBB.
    EXPECT_NEAR(row(mine, "BBB").use_tonnes, 100, kTol);
    EXPECT_NEAR(flow(mine, "AAA", "BBB"), 100, kTol);
    const auto sep = network::stage_balance(w, "ore", "separation");
    EXPECT_NEAR(row(sep, "AAA").use_tonnes, 50, kTol);  // magnet need 40 / 0.8
    EXPECT_NEAR(flow(sep, "BBB", "AAA"), 50, kTol);
    const auto mag = network::stage_balance(w, "ore", "magnet");
    EXPECT_NEAR(flow(mag, "AAA", "BBB"), 20, kTol);
    const auto mix = network::sourcing_mix(w, "ore", "separation", "AAA");
    EXPECT_NEAR(mix.import_reliance, 1.0, kTol);
}

TEST(Sourcing, TradeAndConsumptionRowsGiveTheObservedMix) {
    // Observed use (consumption.csv) and flows (trade.csv) that close every country's balance: no
    // flow is derived. (Trade rows alone no longer fix use: see ObservedFlowsFirstTheGapBySurplus.)
    auto files = chain_files();
    files["trade.csv"] =
        "material,stage,exporter,importer,year,tonnes\nore,magnet,AAA,BBB,2024,10\nore,magnet,AAA,"
        "CCC,2024,5\n";
    files["consumption.csv"] =
        "material,stage,country,year,tonnes\nore,magnet,AAA,2024,25\nore,magnet,BBB,2024,10\n"
        "ore,magnet,CCC,2024,5\n";
    const auto w = tiny_world(files);
    const auto b = network::stage_balance(w, "ore", "magnet");
    EXPECT_EQ(b.basis, network::Basis::Observed);
    EXPECT_NEAR(row(b, "AAA").use_tonnes, 25, kTol);  // 40 - 15 exported
    EXPECT_NEAR(row(b, "BBB").use_tonnes, 10, kTol);
    EXPECT_EQ(b.flows.size(), 2u);
    EXPECT_NEAR(b.observed_trade_tonnes, 15, kTol);
    const auto mix = network::sourcing_mix(w, "ore", "magnet", "XB");
    EXPECT_EQ(mix.basis, network::Basis::Observed);
    EXPECT_TRUE(mix.use_observed);
    EXPECT_NEAR(mix.observed_import_share, 1.0, kTol);
    EXPECT_NEAR(mix.use_tonnes, 15, kTol);
    EXPECT_NEAR(mix.import_reliance, 1.0, kTol);
    EXPECT_EQ(network::sourcing_mix(w, "ore", "mine", "XB").basis, network::Basis::Derived);
}

TEST(Sourcing, ObservedUseFirstTheRestByDemandWeights) {
    // CCC uses 40 of 160 t; the other 120 t go to AAA, BBB, ROW by 0.2 : 0.5 : 0.2.
    const auto b =
        network::stage_balance(observed_world("ore,mine,CCC,2024,40\n", ""), "ore", "mine");
    EXPECT_EQ(b.basis, network::Basis::Partial);
    EXPECT_NEAR(row(b, "CCC").use_tonnes, 40, kTol);
    EXPECT_TRUE(row(b, "CCC").use_observed);
    EXPECT_NEAR(row(b, "AAA").use_tonnes, 80.0 / 3, 1e-9);
    EXPECT_NEAR(row(b, "BBB").use_tonnes, 200.0 / 3, 1e-9);
    EXPECT_NEAR(row(b, "ROW").use_tonnes, 80.0 / 3, 1e-9);
    // Surpluses AAA 220/3, ROW 40/3: CCC's 40 t come from them pro rata.
    EXPECT_NEAR(flow(b, "AAA", "CCC"), 40.0 * 220 / 260, 1e-9);
    EXPECT_NEAR(b.observed_trade_tonnes, 0, kTol);
    expect_balanced(b);
}

TEST(Sourcing, ObservedFlowsFirstTheGapBySurplus) {
    const auto w = observed_world("ore,mine,CCC,2024,40\n", "ore,mine,BBB,CCC,2024,10\n");
    const auto b = network::stage_balance(w, "ore", "mine");
    EXPECT_EQ(b.basis, network::Basis::Partial);
    // CCC: 10 t observed from BBB, its remaining 30 t from AAA (220/3) and ROW (40/3) pro rata;
    // BBB (use 200/3, output 20, exports 10) buys its 170/3 t deficit the same way.
    EXPECT_NEAR(flow(b, "BBB", "CCC"), 10, kTol);
    EXPECT_NEAR(flow(b, "AAA", "CCC"), 30.0 * 220 / 260, 1e-9);
    EXPECT_NEAR(flow(b, "ROW", "CCC"), 30.0 * 40 / 260, 1e-9);
    EXPECT_NEAR(flow(b, "AAA", "BBB"), 170.0 / 3 * 220 / 260, 1e-9);
    EXPECT_NEAR(b.observed_trade_tonnes, 10, kTol);
    EXPECT_NEAR(b.trade_tonnes, 10 + 30 + 170.0 / 3, 1e-9);
    expect_balanced(b);
    const auto mix = network::sourcing_mix(w, "ore", "mine", "CCC");
    EXPECT_EQ(mix.basis, network::Basis::Partial);
    EXPECT_TRUE(mix.use_observed);
    EXPECT_NEAR(mix.observed_import_share, 0.25, kTol);
    ASSERT_EQ(mix.origins.size(), 3u);
    EXPECT_EQ(mix.origins[0].country, "AAA");
    EXPECT_NEAR(mix.origins[0].share, 0.75 * 220 / 260, 1e-9);
    double sum = 0;
    for (const auto& o : mix.origins) {
        sum += o.share;
    }
    EXPECT_NEAR(sum, 1.0, 1e-12);
}

TEST(Sourcing, ObservedUseAndImportsGiveAnObservedMix) {
    const auto w = observed_world("ore,mine,CCC,2024,40\n",
                                  "ore,mine,AAA,CCC,2024,30\nore,mine,ROW,CCC,2024,10\n");
    const auto mix = network::sourcing_mix(w, "ore", "mine", "CCC");
    EXPECT_EQ(mix.basis, network::Basis::Observed);
    EXPECT_NEAR(mix.observed_import_share, 1.0, kTol);
    ASSERT_EQ(mix.origins.size(), 2u);
    EXPECT_NEAR(mix.origins[0].share, 0.75, kTol);
    EXPECT_EQ(mix.origins[1].country, "ROW");
    expect_balanced(network::stage_balance(w, "ore", "mine"));
}

TEST(Sourcing, BlocRowsSpreadOverTheMembers) {
    // XB = {BBB, CCC} uses 60 t, spread by demand weights 0.5 : 0.1 (BBB 50, CCC 10); its 30 t
    // imported from AAA spread by the members' use (BBB 25, CCC 5). AAA and ROW share the other
    // 100 t equally (0.2 : 0.2): AAA's surplus 100 - 50 - 30 = 20 covers BBB 5, CCC 5, ROW 10.
    const auto w = observed_world("ore,mine,XB,2024,60\n", "ore,mine,AAA,XB,2024,30\n");
    const auto b = network::stage_balance(w, "ore", "mine");
    EXPECT_NEAR(row(b, "BBB").use_tonnes, 50, 1e-9);
    EXPECT_NEAR(row(b, "CCC").use_tonnes, 10, 1e-9);
    EXPECT_NEAR(row(b, "AAA").use_tonnes, 50, 1e-9);
    EXPECT_NEAR(flow(b, "AAA", "BBB"), 25 + 5, 1e-9);
    EXPECT_NEAR(flow(b, "AAA", "CCC"), 5 + 5, 1e-9);
    EXPECT_NEAR(flow(b, "AAA", "ROW"), 10, 1e-9);
    expect_balanced(b);
    const auto mix = network::sourcing_mix(w, "ore", "mine", "XB");
    EXPECT_NEAR(mix.use_tonnes, 60, 1e-9);
    EXPECT_NEAR(mix.observed_import_share, 0.75, 1e-9);
}

TEST(Sourcing, ObservedFiguresThatDoNotAddUpKeepEveryNodeBalanced) {
    // CCC's observed 200 t exceed the world's 160 t: the others use none, CCC gets all 160 t.
    const auto b =
        network::stage_balance(observed_world("ore,mine,CCC,2024,200\n", ""), "ore", "mine");
    EXPECT_NEAR(row(b, "CCC").use_tonnes, 160, 1e-9);
    EXPECT_NEAR(row(b, "AAA").use_tonnes, 0, 1e-9);
    expect_balanced(b);
    ASSERT_EQ(b.notes.size(), 2u);
    EXPECT_THAT(b.notes[0], HasSubstr("exceeds world output"));
    EXPECT_THAT(b.notes[1], HasSubstr("do not balance"));
}

TEST(SupplyNetwork, CompilesTheChainIntoConsistentCsr) {
    auto files = chain_files();
    files["sectors.csv"] = "id,name\ncars,Cars\nother,Other\n";
    files["end_use.csv"] = "material,sector,share\nore,cars,0.75\nore,other,0.25\n";
    const auto w = tiny_world(files);
    const auto net = network::compile(w, *Date::parse("2025-06-01"));
    ASSERT_EQ(net.stages.size(), 3u);
    EXPECT_EQ(net.countries.back(), "ROW");
    // mine: AAA (out), BBB (use); separation: AAA (use), BBB (out); magnet: AAA, BBB; 4 demand
    // nodes.
    EXPECT_EQ(net.node_count(), 10u);
    const auto mine_a = net.find("ore", "mine", "AAA");
    const auto sep_b = net.find("ore", "separation", "BBB");
    const auto mag_a = net.find("ore", "magnet", "AAA");
    ASSERT_TRUE(mine_a && sep_b && mag_a);
    EXPECT_FALSE(net.find("ore", "mine", "CCC"));
    EXPECT_NEAR(net.nodes[*mine_a].output_t_week, 100 / network::kWeeksPerYear, kTol);
    EXPECT_NEAR(net.nodes[*mag_a].use_t_week, 20 / network::kWeeksPerYear, kTol);
    EXPECT_NEAR(net.nodes[*mag_a].capacity_t_week, 40 / network::kWeeksPerYear, kTol);
    EXPECT_LT(*mine_a, *sep_b);  // topological order across stages
    EXPECT_LT(*sep_b, *mag_a);
    const auto cars_b = net.find_demand("ore", "BBB", "cars");
    ASSERT_TRUE(cars_b);
    EXPECT_NEAR(net.nodes[*cars_b].use_t_week, 15 / network::kWeeksPerYear, kTol);
    // CSR by buyer and by supplier list the same edges.
    ASSERT_EQ(net.in_offsets.size(), net.node_count() + 1);
    EXPECT_EQ(net.in_offsets.back(), net.edge_count());
    EXPECT_EQ(net.out_offsets.back(), net.edge_count());
    for (network::NodeId v = 0; v < net.node_count(); ++v) {
        for (auto e = net.in_offsets[v]; e < net.in_offsets[v + 1]; ++e) {
            EXPECT_EQ(net.edges[e].to, v);
        }
        for (auto k = net.out_offsets[v]; k < net.out_offsets[v + 1]; ++k) {
            EXPECT_EQ(net.edges[net.out_edges[k]].from, v);
        }
    }
    // Edges: 3 trade (one per stage), 2 transform (BBB mine->sep, AAA sep->magnet), 4 demand.
    int trade = 0, transform = 0, demand = 0;
    for (const auto& e : net.edges) {
        trade += e.kind == network::EdgeKind::Trade;
        transform += e.kind == network::EdgeKind::Transform;
        demand += e.kind == network::EdgeKind::Demand;
    }
    EXPECT_EQ(trade, 3);
    EXPECT_EQ(transform, 2);
    EXPECT_EQ(demand, 4);
    // The in-flow of every stage node equals its imports (trade) plus its input (transform).
    const auto sep_a = *net.find("ore", "separation", "AAA");
    EXPECT_NEAR(net.nodes[sep_a].imports_t_week, 50 / network::kWeeksPerYear, kTol);
}
