// The embedded dataset loads cleanly and carries the facts the issues rely on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lodestone/io/dataset_reader.hpp"
#include "lodestone/metrics/concentration.hpp"

using namespace lodestone;

namespace {
const model::World& world() {
    static const auto loaded = io::load_world(io::embedded_world());
    return loaded.world;
}
}  // namespace

TEST(EmbeddedWorld, LoadsWithoutErrors) {
    EXPECT_NO_THROW((void)world());
    EXPECT_EQ(world().info.name, "lodestone-world");
    ASSERT_TRUE(world().info.as_of.has_value());
}

TEST(EmbeddedWorld, HoldsTheEighteenMaterialsWithStages) {
    for (const char* id :
         {"rare_earths", "dysprosium", "terbium", "gallium", "germanium", "antimony", "tungsten",
          "graphite", "cobalt", "lithium", "nickel", "manganese", "magnesium", "tellurium",
          "bismuth", "indium", "molybdenum", "copper"}) {
        ASSERT_NE(world().find_material(id), nullptr) << id;
        EXPECT_FALSE(world().stages_of(id).empty()) << id;
    }
}

TEST(EmbeddedWorld, EveryStageHasSharesSummingToOne) {
    for (const auto& s : world().stages) {
        const auto shares = metrics::stage_shares(world(), s.material, s.stage);
        double sum = shares.residual_share;
        for (const auto& c : shares.countries) {
            sum += c.share;
        }
        EXPECT_NEAR(sum, 1.0, 1e-12) << s.material << "/" << s.stage;
    }
}

TEST(EmbeddedWorld, ChinaLeadsGalliumAndRareEarthSeparation) {
    const auto ga = metrics::stage_shares(world(), "gallium", "refined");
    EXPECT_EQ(ga.countries.front().country, "CHN");
    EXPECT_GT(ga.countries.front().share, 0.9);
    const auto sep = metrics::stage_shares(world(), "rare_earths", "separation");
    EXPECT_EQ(sep.countries.front().country, "CHN");
}

TEST(EmbeddedWorld, SuspensionsNameExistingMeasures) {
    const auto* susp = world().find_measure("CN-2025-SUSP46");
    ASSERT_NE(susp, nullptr);
    ASSERT_TRUE(susp->expires.has_value());
    EXPECT_EQ(susp->expires->to_string(), "2026-11-27");
    EXPECT_THAT(susp->suspends, ::testing::Contains("CN-2024-046-2"));
    ASSERT_NE(world().find_measure("CN-2025-070"), nullptr);
}
