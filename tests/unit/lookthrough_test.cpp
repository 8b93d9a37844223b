// Look-through on hand-computable networks: a chain through two countries, re-export cycles solved
// to the exact fixed point, shares summing to 1 at every stage.
#include "lodestone/network/lookthrough.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "network_fixture.hpp"

using namespace lodestone;
using lodestone::testing::chain_files;
using lodestone::testing::tiny_world;

namespace {

constexpr double kTol = 1e-12;

struct Fixture {
    model::World world;
    network::SupplyNetwork net;
    network::LookThrough lt;
    explicit Fixture(model::World w)
        : world(std::move(w)), net(network::compile(world, *Date::parse("2025-01-01"))), lt(net) {}

    double pool(const char* stage,
                const char* country,
                const char* origin_stage,
                const char* origin) const {
        const auto v = net.find("ore", stage, country);
        EXPECT_TRUE(v.has_value()) << stage << "/" << country;
        return lt.pool_origin(*v, *net.find_stage("ore", origin_stage))[*net.find_country(origin)];
    }
};

/// Mine AAA 60, BBB 40; separation BBB 50, AAA 25 (yield 0.5); magnet AAA 60 (yield 0.8).
model::World mixed_chain() {
    auto files = chain_files();
    files["production.csv"] =
        "material,stage,country,year,tonnes\nore,mine,AAA,2024,60\nore,mine,BBB,2024,40\n"
        "ore,separation,BBB,2024,50\nore,separation,AAA,2024,25\nore,magnet,AAA,2024,60\n";
    return tiny_world(files);
}

}  // namespace

TEST(LookThrough, ChainOfThreeStagesThroughTwoCountries) {
    // Mine in AAA -> separated in BBB -> magnet made in AAA -> half of it bought by BBB.
    const Fixture f(tiny_world(chain_files()));
    EXPECT_NEAR(f.pool("magnet", "BBB", "magnet", "AAA"), 1.0, kTol);
    EXPECT_NEAR(f.pool("magnet", "BBB", "separation", "BBB"), 1.0, kTol);
    EXPECT_NEAR(f.pool("magnet", "BBB", "mine", "AAA"), 1.0, kTol);
    EXPECT_NEAR(f.pool("separation", "AAA", "mine", "AAA"), 1.0, kTol);
    const auto mag_a = *f.net.find("ore", "magnet", "AAA");
    const auto sep = f.lt.production_origin(mag_a, *f.net.find_stage("ore", "separation"));
    EXPECT_NEAR(sep[*f.net.find_country("BBB")], 1.0, kTol);
}

TEST(LookThrough, MixedChainMatchesHandComputation) {
    const Fixture f(mixed_chain());
    // BBB's mine pool: own 40 + 26.67 from AAA -> AAA 0.4, BBB 0.6.
    EXPECT_NEAR(f.pool("mine", "BBB", "mine", "AAA"), 0.4, kTol);
    // AAA's separation pool: own 25 (from AAA ore) + 50 from BBB (ore 0.4 AAA / 0.6 BBB).
    EXPECT_NEAR(f.pool("separation", "AAA", "separation", "AAA"), 1.0 / 3, kTol);
    EXPECT_NEAR(f.pool("separation", "AAA", "separation", "BBB"), 2.0 / 3, kTol);
    EXPECT_NEAR(f.pool("separation", "AAA", "mine", "AAA"), 0.6, kTol);
    EXPECT_NEAR(f.pool("separation", "AAA", "mine", "BBB"), 0.4, kTol);
    // BBB's magnets all come from AAA and carry AAA's separation and mine origin.
    EXPECT_NEAR(f.pool("magnet", "BBB", "magnet", "AAA"), 1.0, kTol);
    EXPECT_NEAR(f.pool("magnet", "BBB", "separation", "BBB"), 2.0 / 3, kTol);
    EXPECT_NEAR(f.pool("magnet", "BBB", "mine", "AAA"), 0.6, kTol);
}

TEST(LookThrough, SharesSumToOneAtEveryStage) {
    for (const auto& world : {tiny_world(chain_files()), mixed_chain()}) {
        const Fixture f(world);
        for (network::NodeId v = 0; v < f.net.node_count(); ++v) {
            const auto& node = f.net.nodes[v];
            if (node.kind != network::NodeKind::Stage) {
                continue;
            }
            for (std::uint32_t s = f.net.materials[node.material].first_stage; s <= node.stage;
                 ++s) {
                const auto o = f.lt.pool_origin(v, s);
                double sum = 0;
                for (const double x : o) {
                    EXPECT_GE(x, 0.0);
                    sum += x;
                }
                EXPECT_NEAR(sum, 1.0, kTol) << "node " << v << " stage " << s;
                const auto p = f.lt.production_origin(v, s);
                double psum = 0;
                for (const double x : p) {
                    psum += x;
                }
                if (node.output_t_week > 0) {
                    EXPECT_NEAR(psum, 1.0, kTol);
                }
            }
        }
    }
}

TEST(LookThrough, TwoWayReExportsReachTheExactFixedPoint) {
    // Pools 150 each: q(A) = (100 A + 50 q(B)) / 150, q(B) = (100 B + 50 q(A)) / 150 -> 3/4, 1/4.
    const Fixture f(tiny_world(
        {{"production.csv",
          "material,stage,country,year,tonnes\nore,mine,AAA,2024,100\nore,mine,BBB,2024,100\n"},
         {"trade.csv",
          "material,stage,exporter,importer,year,tonnes\nore,mine,AAA,BBB,2024,50\n"
          "ore,mine,BBB,AAA,2024,50\n"}}));
    EXPECT_NEAR(f.pool("mine", "AAA", "mine", "AAA"), 0.75, kTol);
    EXPECT_NEAR(f.pool("mine", "AAA", "mine", "BBB"), 0.25, kTol);
    EXPECT_NEAR(f.pool("mine", "BBB", "mine", "AAA"), 0.25, kTol);
    EXPECT_TRUE(f.lt.stats()[0].converged);
    EXPECT_GT(f.lt.stats()[0].sweeps, 2);
}

TEST(LookThrough, ThreeCountryCycleThroughAPureReExporter) {
    // AAA 100 t, CCC 50 t, BBB produces nothing and re-exports: AAA->BBB 60, BBB->CCC 40,
    // CCC->BBB 20, CCC->AAA 10. Solving by hand: AAA share a = 16/17, b = 27/34, c = 6/17.
    const Fixture f(tiny_world(
        {{"production.csv",
          "material,stage,country,year,tonnes\nore,mine,AAA,2024,100\nore,mine,CCC,2024,50\n"},
         {"trade.csv",
          "material,stage,exporter,importer,year,tonnes\nore,mine,AAA,BBB,2024,60\n"
          "ore,mine,BBB,CCC,2024,40\nore,mine,CCC,BBB,2024,20\nore,mine,CCC,AAA,2024,10\n"}}));
    EXPECT_NEAR(f.pool("mine", "AAA", "mine", "AAA"), 16.0 / 17, kTol);
    EXPECT_NEAR(f.pool("mine", "BBB", "mine", "AAA"), 27.0 / 34, kTol);
    EXPECT_NEAR(f.pool("mine", "CCC", "mine", "AAA"), 6.0 / 17, kTol);
    EXPECT_NEAR(f.pool("mine", "AAA", "mine", "CCC"), 1.0 / 17, kTol);
    EXPECT_NEAR(f.pool("mine", "BBB", "mine", "CCC"), 7.0 / 34, kTol);
    EXPECT_NEAR(f.pool("mine", "CCC", "mine", "CCC"), 11.0 / 17, kTol);
    EXPECT_TRUE(f.lt.stats()[0].converged);
}

TEST(LookThrough, ALoopWithoutProductionStaysUnattributed) {
    const Fixture f(
        tiny_world({{"trade.csv",
                     "material,stage,exporter,importer,year,tonnes\nore,mine,BBB,CCC,2024,10\n"
                     "ore,mine,CCC,BBB,2024,10\n"}}));
    EXPECT_NEAR(f.pool("mine", "AAA", "mine", "AAA"), 1.0, kTol);
    EXPECT_NEAR(f.pool("mine", "BBB", "mine", "AAA"), 0.0, kTol);
    EXPECT_NEAR(f.pool("mine", "BBB", "mine", "BBB"), 0.0, kTol);
}

TEST(LookThrough, MarketOriginIsTheExportersMix) {
    const Fixture f(mixed_chain());
    // Only BBB exports separated material (50 t to AAA): the market mix is BBB's pool.
    const auto sep = *f.net.find_stage("ore", "separation");
    const auto m = f.lt.market_origin(sep, *f.net.find_stage("ore", "mine"));
    EXPECT_NEAR(m[*f.net.find_country("AAA")], 0.4, kTol);
    EXPECT_NEAR(m[*f.net.find_country("BBB")], 0.6, kTol);
}

TEST(GaussSeidel, OnePassIsExactOnALayeredGraph) {
    // 0 -> 2 (0.5), 1 -> 2 (0.5), 2 -> 3 (1): x = b + W x with b = (1, 0, 0, 0.25).
    const std::vector<std::uint32_t> offsets{0, 0, 0, 2, 3};
    const std::vector<std::uint32_t> src{0, 1, 2};
    const std::vector<double> weight{0.5, 0.5, 1.0};
    const std::vector<double> b{1, 0, 0, 0.25};
    std::vector<double> x(4, 0.0);
    EXPECT_DOUBLE_EQ(network::gauss_seidel_sweep(offsets, src, weight, 0, 4, 1, b, x),
                     1.0);  // x[0] moved 0 -> 1
    EXPECT_DOUBLE_EQ(x[2], 0.5);
    EXPECT_DOUBLE_EQ(x[3], 0.75);
    // In topological order the second pass changes nothing, so the solve stops there.
    std::fill(x.begin(), x.end(), 0.0);
    const auto stats = network::solve_range(offsets, src, weight, 0, 4, 1, b, x);
    EXPECT_EQ(stats.sweeps, 2);
    EXPECT_TRUE(stats.converged);
    EXPECT_DOUBLE_EQ(stats.max_change, 0.0);
}

TEST(LookThrough, EmbeddedWorldIsConsistent) {
    const auto loaded = io::load_world(io::embedded_world());
    const auto net = network::compile(loaded.world, *loaded.world.info.as_of);
    EXPECT_THAT(net.notes, ::testing::IsEmpty());
    const network::LookThrough lt(net);
    for (const auto& st : net.stages) {
        double out = 0, use = 0;
        for (auto v = st.first; v < st.last; ++v) {
            out += net.nodes[v].output_t_week;
            use += net.nodes[v].use_t_week;
        }
        EXPECT_NEAR(use, out, 1e-9 * out) << st.material << "/" << st.stage;  // the market clears
    }
    for (const auto& s : lt.stats()) {
        EXPECT_TRUE(s.converged);
    }
    for (network::NodeId v = 0; v < net.node_count(); ++v) {
        const auto& node = net.nodes[v];
        if (node.kind != network::NodeKind::Stage) {
            continue;
        }
        for (auto s = net.materials[node.material].first_stage; s <= node.stage; ++s) {
            double sum = 0;
            for (const double x : lt.pool_origin(v, s)) {
                sum += x;
            }
            EXPECT_NEAR(sum, 1.0, 1e-9) << net.stages[node.stage].material << " node " << v;
        }
    }
}
