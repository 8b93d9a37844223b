// What a user types for countries and materials, resolved to the dataset's ids, and the nearest
// ids suggested for a typo.
#include "lodestone/model/lookup.hpp"

#include <gtest/gtest.h>

using namespace lodestone;

namespace {
model::World world() {
    model::World w;
    w.countries = {{"USA", "United States", "", 0, {"G7"}, ""},
                   {"DEU", "Germany", "", 0, {"EU", "G7"}, ""},
                   {"CHN", "China", "", 0, {}, ""}};
    w.materials.resize(3);
    w.materials[0].id = "gallium";
    w.materials[0].name = "Gallium";
    w.materials[1].id = "germanium";
    w.materials[2].id = "rare_earths";
    w.materials[2].name = "Rare earths";
    return w;
}
}  // namespace

TEST(Lookup, CountriesByCodeBlocOrNameInAnyCase) {
    const auto w = world();
    EXPECT_EQ(model::resolve_country(w, "usa"), "USA");
    EXPECT_EQ(model::resolve_country(w, "eu"), "EU");
    EXPECT_EQ(model::resolve_country(w, "Germany"), "DEU");
    EXPECT_EQ(model::resolve_country(w, "united states"), "USA");
    EXPECT_EQ(model::resolve_country(w, "Chna"), std::nullopt);
    EXPECT_EQ(model::resolve_country(w, ""), std::nullopt);
}

TEST(Lookup, MaterialsByIdOrNameInAnyCase) {
    const auto w = world();
    EXPECT_EQ(model::resolve_material(w, "GALLIUM"), "gallium");
    EXPECT_EQ(model::resolve_material(w, "Rare earths"), "rare_earths");
    EXPECT_EQ(model::resolve_material(w, "rare-earths"), "rare_earths");
    EXPECT_EQ(model::resolve_material(w, "galium"), std::nullopt);
}

TEST(Lookup, NearestSuggestsCloseIdsOnly) {
    EXPECT_EQ(model::edit_distance("galium", "gallium"), 1U);
    EXPECT_EQ(model::edit_distance("assesss", "assess"), 1U);
    EXPECT_EQ(model::nearest("galium", {"germanium", "gallium", "tin"}),
              std::vector<std::string>{"gallium"});
    EXPECT_EQ(model::nearest("assesss", {"assess", "brief", "serve"}),
              std::vector<std::string>{"assess"});
    EXPECT_TRUE(model::nearest("zzz", {"assess", "brief"}).empty());
    // A prefix of three letters or more counts as near.
    EXPECT_EQ(model::nearest("look", {"lookthrough", "leverage"}),
              std::vector<std::string>{"lookthrough"});
}
