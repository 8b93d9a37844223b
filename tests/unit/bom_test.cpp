// BOM validation (every error at once, exact texts) and the BOM / country look-through reports.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lodestone/exposure/lookthrough_report.hpp"
#include "lodestone/io/bom_reader.hpp"
#include "lodestone/metrics/perspective.hpp"
#include "network_fixture.hpp"

using namespace lodestone;
using lodestone::testing::chain_files;
using lodestone::testing::tiny_world;

namespace {

constexpr double kTol = 1e-12;
constexpr const char* kHeader =
    "product,part,parent,material,stage,kg_per_unit,supplier,supplier_country,tier\n";

model::World chain_world() {
    auto files = chain_files();
    // AAA licenses exports of separated... nothing; BBB licenses separation exports to all.
    files["measures.csv"] =
        "id,kind,country,materials,stages,destinations,effective,expires\n"
        "B-LIC,export_licensing,BBB,ore,separation,ALL,2024-01-01,\n"
        "A-BAN,export_ban,AAA,ore,mine,CCC,2024-01-01,2024-12-31\n"
        "A-TAX,export_tax,AAA,ore,,ALL,2024-06-01,\n";
    return tiny_world(files);
}

struct Env {
    model::World world = chain_world();
    network::SupplyNetwork net = network::compile(world, *Date::parse("2024-07-01"));
    network::LookThrough lt{net};
};

const exposure::StageOrigin& stage_of(const std::vector<exposure::StageOrigin>& v,
                                      const std::string& s) {
    for (const auto& o : v) {
        if (o.stage == s) {
            return o;
        }
    }
    throw std::runtime_error("no stage " + s);
}

double share_of(const exposure::StageOrigin& o, const std::string& c) {
    for (const auto& x : o.countries) {
        if (x.country == c) {
            return x.share;
        }
    }
    return 0.0;
}

}  // namespace

TEST(BomReader, ReadsLinesTreeAndProductColumns) {
    const auto w = chain_world();
    const auto bom =
        io::parse_bom(std::string("product,part,parent,material,stage,kg_per_unit,supplier,"
                                  "supplier_country,tier,units_per_year\n"
                                  "Motor,rotor,,,,,Assembler,AAA,1,1000\n"
                                  "Motor,magnet,rotor,ore,magnet,0.5,Magnets Inc,AAA,2,\n"),
                      "bom.csv", "", "", w);
    ASSERT_EQ(bom.lines.size(), 2u);
    EXPECT_EQ(bom.lines[1].parent, "rotor");
    EXPECT_EQ(bom.lines[1].tier, 2);
    EXPECT_DOUBLE_EQ(bom.lines[1].kg_per_unit, 0.5);
    ASSERT_EQ(bom.products.size(), 1u);
    EXPECT_DOUBLE_EQ(*bom.products[0].units_per_year, 1000);
}

TEST(BomReader, ListsEveryErrorAtOnceWithLineAndColumn) {
    const auto w = chain_world();
    const std::string csv = std::string(kHeader) +
                            "P,a,,zinc,mine,1,S,AAA,1\n"      // 2: unknown material
                            "P,b,,ore,refined,1,S,AAA,1\n"    // 3: unknown stage
                            "P,c,,ore,mine,-2,S,AAA,1\n"      // 4: negative mass
                            "P,d,,ore,mine,1,S,QQQ,1\n"       // 5: unknown country
                            "P,e,,ore,mine,1,S,AAA,1\n"       // 6
                            "P,e,,ore,mine,1,S,AAA,1\n"       // 7: duplicate of 6
                            "P,f,ghost,ore,mine,1,S,AAA,2\n"  // 8: missing parent
                            "P,g,e,ore,mine,1,S,AAA,3\n";     // 9: tier does not follow parent
    try {
        (void)io::parse_bom(csv, "bom.csv", "", "", w);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_STREQ(
            e.what(),
            "bom.csv:2:6: material: unknown material 'zinc' (E-UNKNOWN-MATERIAL)\n"
            "bom.csv:3:10: stage: unknown stage 'refined' of material 'ore' (stages: mine, "
            "separation, "
            "magnet) (E-UNKNOWN-STAGE)\n"
            "bom.csv:4:15: kg_per_unit: expected a number >= 0, got '-2' (E-NEGATIVE)\n"
            "bom.csv:5:19: supplier_country: unknown country 'QQQ' (ISO3 of countries.csv) "
            "(E-UNKNOWN-COUNTRY)\n"
            "bom.csv:7:3: part: duplicate line: product 'P', part 'e', material 'ore', supplier "
            "'S' "
            "already on line 6 (E-DUPLICATE)\n"
            "bom.csv:8:5: parent: parent part 'ghost' is not a part of product 'P' "
            "(E-MISSING-PARENT)\n"
            "bom.csv:9:24: tier: tier 3 does not follow parent 'e' (tier 1): expected 2 (E-RANGE)");
        EXPECT_EQ(e.diagnostics().size(), 7u);
    }
}

TEST(BomReader, ConflictingProductDataIsAnError) {
    const auto w = chain_world();
    try {
        (void)io::parse_bom(
            "product,part,material,stage,kg_per_unit,supplier,supplier_country,tier,units_per_"
            "year\n"
            "P,a,ore,mine,1,S,AAA,1,100\nP,b,ore,mine,1,S,AAA,1,200\n",
            "bom.csv", "product,units_per_year,country\nP,,ZZZ\nQ,5,\n", "products.csv", w);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(),
                     "bom.csv:3:24: units_per_year: product 'P' has units_per_year 100 at "
                     "bom.csv:2; here 200 "
                     "(E-DUPLICATE)\n"
                     "products.csv:2:4: country: unknown country 'ZZZ' (ISO3 of countries.csv) "
                     "(E-UNKNOWN-COUNTRY)");
    }
}

TEST(BomReader, MissingFileIsAClearError) {
    const auto w = chain_world();
    EXPECT_THROW((void)io::load_bom("/nonexistent/bom.csv", std::nullopt, w), InputError);
    try {
        (void)io::parse_bom(kHeader, "bom.csv", "", "", w);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "bom.csv: the BOM has no lines (E-FILE-EMPTY)");
    }
}

TEST(BomLookthrough, ProducingSupplierMakesTheStageItself) {
    const Env env;
    const auto bom = io::parse_bom(std::string(kHeader) + "Motor,magnet,,ore,magnet,0.5,M,AAA,1\n",
                                   "bom.csv", "", "", env.world);
    const auto r = exposure::bom_lookthrough(env.world, env.lt, bom, *Date::parse("2024-07-01"));
    ASSERT_EQ(r.size(), 1u);
    // The one note says the supplier's own origin rests on its use by demand weight (no consumption
    // row).
    ASSERT_EQ(r[0].notes.size(), 1u);
    EXPECT_NE(r[0].notes[0].find("AAA covers its use of ore/magnet from its own output"),
              std::string::npos);
    EXPECT_NE(r[0].notes[0].find("ASSUMPTION: use by its share of manufacturing value added"),
              std::string::npos);
    ASSERT_EQ(r[0].origins.size(), 3u);
    EXPECT_EQ(r[0].origins[0].stage, "mine");  // upstream first
    EXPECT_NEAR(share_of(stage_of(r[0].origins, "magnet"), "AAA"), 1.0, kTol);
    EXPECT_NEAR(share_of(stage_of(r[0].origins, "separation"), "BBB"), 1.0, kTol);
    EXPECT_NEAR(share_of(stage_of(r[0].origins, "mine"), "AAA"), 1.0, kTol);
    EXPECT_NEAR(stage_of(r[0].origins, "separation").hhi, 1.0, kTol);
    // BBB's separation licence touches the BBB share (destination AAA); AAA's own measures don't.
    EXPECT_THAT(stage_of(r[0].origins, "separation").countries[0].measures,
                ::testing::ElementsAre("B-LIC"));
    EXPECT_TRUE(stage_of(r[0].origins, "mine").countries[0].measures.empty());
}

TEST(BomLookthrough, NonProducingSupplierCountryMeansAllImports) {
    const Env env;
    // BBB makes no magnets: its magnets are imported from AAA; CCC has no node at all.
    const auto bom = io::parse_bom(std::string(kHeader) +
                                       "Motor,magnet,,ore,magnet,0.3,M,BBB,1\n"
                                       "Motor,magnet,,ore,magnet,0.1,N,CCC,1\n",
                                   "bom.csv", "", "", env.world);
    const auto r = exposure::bom_lookthrough(env.world, env.lt, bom, *Date::parse("2024-07-01"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_DOUBLE_EQ(r[0].kg_per_unit, 0.4);
    EXPECT_THAT(r[0].notes,
                ::testing::ElementsAre(
                    "supplier country BBB does not produce ore/magnet: supply is all imports "
                    "(its import mix is shown)",
                    "supplier country CCC does not produce ore/magnet: supply is all imports "
                    "(it has no recorded use either: the world market mix is shown)"));
    const auto& magnet = stage_of(r[0].origins, "magnet");
    EXPECT_NEAR(share_of(magnet, "AAA"), 1.0, kTol);
    EXPECT_NEAR(magnet.kg_per_unit, 0.4, kTol);
    // AAA's tax (all destinations, all stages) touches its magnet share; its ban to CCC ended
    // 2024-12-31 but is in force on 2024-07-01 and covers the mine stage only.
    EXPECT_THAT(magnet.countries[0].measures, ::testing::ElementsAre("A-TAX"));
    EXPECT_THAT(stage_of(r[0].origins, "mine").countries[0].measures,
                ::testing::ElementsAre("A-BAN", "A-TAX"));
}

TEST(BomLookthrough, SharesAreMassWeightedAcrossSuppliers) {
    auto files = chain_files();
    files["production.csv"] =
        "material,stage,country,year,tonnes\nore,mine,AAA,2024,100\nore,separation,BBB,2024,50\n"
        "ore,magnet,AAA,2024,30\nore,magnet,BBB,2024,10\n";
    const auto w = tiny_world(files);
    const auto net = network::compile(w, *Date::parse("2025-01-01"));
    const network::LookThrough lt(net);
    const auto bom = io::parse_bom(
        std::string(kHeader) + "X,m1,,ore,magnet,3,S,AAA,1\nX,m2,,ore,magnet,1,T,BBB,1\n",
        "bom.csv", "", "", w);
    const auto r = exposure::bom_lookthrough(w, lt, bom, *Date::parse("2025-01-01"));
    // Each supplier gets its country's supply. Magnets: AAA makes 30, BBB 10; use by weight 20
    // each, so AAA keeps 20 of its own (mix 100 % AAA) and BBB uses its 10 plus 10 from AAA (50 % /
    // 50 %). 3 kg via AAA and 1 kg via BBB: AAA (3 + 0.5)/4 = 0.875, BBB 0.5/4 = 0.125.
    const auto& magnet = stage_of(r[0].origins, "magnet");
    EXPECT_NEAR(share_of(magnet, "AAA"), 0.875, kTol);
    EXPECT_NEAR(share_of(magnet, "BBB"), 0.125, kTol);
    EXPECT_NEAR(magnet.hhi, 0.875 * 0.875 + 0.125 * 0.125, kTol);
    double sum = 0;
    for (const auto& o : r[0].origins) {
        sum = 0;
        for (const auto& c : o.countries) {
            sum += c.share;
        }
        EXPECT_NEAR(sum, 1.0, kTol) << o.stage;
    }
}

TEST(CountryLookthrough, TracesEveryStageOfACountrysSupply) {
    const Env env;
    const auto r = exposure::country_lookthrough(env.world, env.lt, "ore", "BBB", "magnet",
                                                 *Date::parse("2024-07-01"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_NEAR(r[0].use_tonnes, 20, kTol);
    EXPECT_NEAR(r[0].import_reliance, 1.0, kTol);
    EXPECT_NEAR(share_of(stage_of(r[0].origins, "magnet"), "AAA"), 1.0, kTol);
    EXPECT_NEAR(share_of(stage_of(r[0].origins, "separation"), "BBB"), 1.0, kTol);
    // Separated material of BBB reaching BBB is not an export of BBB: its licence does not touch
    // it.
    EXPECT_TRUE(stage_of(r[0].origins, "separation").countries[0].measures.empty());
    const auto all = exposure::country_lookthrough(env.world, env.lt, "ore", "XB", "",
                                                   *Date::parse("2024-07-01"));
    EXPECT_EQ(all.size(), 3u);
    EXPECT_THROW((void)exposure::country_lookthrough(env.world, env.lt, "ore", "QQQ", "", Date{}),
                 InputError);
    EXPECT_THROW(
        (void)exposure::country_lookthrough(env.world, env.lt, "ore", "AAA", "smelt", Date{}),
        InputError);
}

TEST(CountryLookthrough, BlocSupplyFollowsTheNetSourcingMix) {
    // AAA 100 t, CCC 60 t; demand AAA 0.2, BBB 0.5, CCC 0.1, ROW 0.2 of 160 t. Bloc XB (BBB, CCC)
    // uses 96 t, makes 60 t (CCC): domestic 60, imports 36 from AAA -> CCC 0.625, AAA 0.375.
    const auto w =
        tiny_world({{"production.csv",
                     "material,stage,country,year,tonnes\nore,mine,AAA,2024,100\n"
                     "ore,mine,CCC,2024,60\n"},
                    {"demand.csv", "material,country,weight\n*,AAA,0.2\n*,BBB,0.5\n*,CCC,0.1\n"}});
    const auto net = network::compile(w, Date{});
    const network::LookThrough lt(net);
    const auto r = exposure::country_lookthrough(w, lt, "ore", "XB", "mine", Date{});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_NEAR(r[0].import_reliance, 36.0 / 96, kTol);
    EXPECT_NEAR(share_of(r[0].origins[0], "CCC"), 0.625, kTol);
    EXPECT_NEAR(share_of(r[0].origins[0], "AAA"), 0.375, kTol);
    // A single deficit country: the same as its node's pool.
    const auto b = exposure::country_lookthrough(w, lt, "ore", "BBB", "mine", Date{});
    const auto v = *net.find("ore", "mine", "BBB");
    EXPECT_NEAR(share_of(b[0].origins[0], "AAA"), lt.pool_origin(v, 0)[*net.find_country("AAA")],
                kTol);
}

TEST(CountryLookthrough, APublishedMixReplacesADerivedOneAsInAssess) {
    // The world of the test above, whose XB mix is derived, plus a published XB mix: AAA 0.5, CCC
    // 0.3 (member, producer), BBB 0.2 (member without output). IR = 1 - 0.3 - 0.2 = 0.5. BBB's
    // share carries its pool: its 80 t deficit is imported against the surpluses AAA 100-32 = 68
    // and CCC 60-16 = 44, so AAA 68/112, CCC 44/112; CCC's share is its own production.
    const std::string production =
        "material,stage,country,year,tonnes\nore,mine,AAA,2024,100\nore,mine,CCC,2024,60\n";
    const std::string demand = "material,country,weight\n*,AAA,0.2\n*,BBB,0.5\n*,CCC,0.1\n";
    const auto w = tiny_world({{"production.csv", production},
                               {"demand.csv", demand},
                               {"sourcing_shares.csv",
                                "perspective,material,stage,year,country,share,source\n"
                                "XB,ore,mine,2023,AAA,0.5,pub\nXB,ore,mine,2023,CCC,0.3,pub\n"
                                "XB,ore,mine,2023,BBB,0.2,pub\n"}});
    const auto net = network::compile(w, Date{});
    const network::LookThrough lt(net);
    const auto r = exposure::country_lookthrough(w, lt, "ore", "XB", "mine", Date{});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].basis, network::Basis::Published);
    EXPECT_NEAR(r[0].import_reliance, 0.5, kTol);
    ASSERT_EQ(r[0].sourcing.size(), 3u);
    EXPECT_EQ(r[0].sourcing[0].country, "AAA");
    EXPECT_NEAR(r[0].sourcing[0].share, 0.5, kTol);
    EXPECT_EQ(r[0].origins[0].basis, network::Basis::Published);
    EXPECT_NEAR(share_of(r[0].origins[0], "AAA"), 0.5 + 0.2 * 68 / 112, kTol);
    EXPECT_NEAR(share_of(r[0].origins[0], "CCC"), 0.3 + 0.2 * 44 / 112, kTol);
    // The same mix as assess uses.
    const auto p = metrics::perspective_supply(w, "ore", "mine", "XB");
    EXPECT_EQ(p.basis, network::Basis::Published);
    EXPECT_NEAR(p.import_reliance, r[0].import_reliance, kTol);
}
