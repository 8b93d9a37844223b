// The one reader of "MATERIAL=NUMBER" items (CLI --ev / --value-of-lost-supply, API ev=...): every
// bad item at once, finite numbers within bounds, each material once, known materials only.
#include "lodestone/io/material_numbers.hpp"

#include <gtest/gtest.h>

#include "error_text.hpp"

using namespace lodestone;
using lodestone::testing::error_text;

namespace {
model::World world() {
    model::World w;
    w.materials.resize(2);
    w.materials[0].id = "gallium";
    w.materials[0].name = "Gallium";
    w.materials[1].id = "rare_earths";
    w.materials[1].name = "Rare earths";
    return w;
}
}  // namespace

TEST(MaterialNumbers, IdsOrNamesInAnyCaseToIds) {
    const auto w = world();
    const auto out =
        io::parse_material_numbers(w, {"GALLIUM=0.25", "Rare earths=+1e-3"}, "--ev", {0, 1});
    EXPECT_EQ(out, (std::map<std::string, double>{{"gallium", 0.25}, {"rare_earths", 1e-3}}));
    EXPECT_TRUE(io::parse_material_numbers(w, {}, "--ev", {0, 1}).empty());
}

TEST(MaterialNumbers, EveryBadItemAtOnce) {
    const auto w = world();
    EXPECT_EQ(error_text([&] {
                  (void)io::parse_material_numbers(w,
                                                   {"gallium", "=1", "gallium=x", "gallium=0.5junk",
                                                    "gallium=nan", "gallium=inf", "gallium=1e400"},
                                                   "--ev", {0, 1});
              }),
              "--ev: expected MATERIAL=NUMBER, got 'gallium' (E-USAGE)\n"
              "--ev: expected MATERIAL=NUMBER, got '=1' (E-USAGE)\n"
              "--ev: expected MATERIAL=NUMBER, got 'gallium=x' (E-USAGE)\n"
              "--ev: expected MATERIAL=NUMBER, got 'gallium=0.5junk' (E-USAGE)\n"
              "--ev: expected MATERIAL=NUMBER, got 'gallium=nan' (E-USAGE)\n"
              "--ev: expected MATERIAL=NUMBER, got 'gallium=inf' (E-USAGE)\n"
              "--ev: expected MATERIAL=NUMBER, got 'gallium=1e400' (E-USAGE)\n");
}

TEST(MaterialNumbers, OutOfRangeIncludingHugeFinite) {
    const auto w = world();
    EXPECT_EQ(
        error_text([&] {
            (void)io::parse_material_numbers(w, {"gallium=1.5", "rare_earths=-0.1"}, "ev", {0, 1});
        }),
        "ev: expected a number in [0, 1] for gallium, got 'gallium=1.5' (E-USAGE)\n"
        "ev: expected a number in [0, 1] for rare_earths, got 'rare_earths=-0.1' (E-USAGE)\n");
    EXPECT_EQ(error_text([&] {
                  (void)io::parse_material_numbers(w, {"gallium=1e308"}, "--value-of-lost-supply",
                                                   {0, 1e12});
              }),
              "--value-of-lost-supply: expected a number in [0, 1e+12] for gallium, got "
              "'gallium=1e308' (E-USAGE)\n");
    EXPECT_EQ(io::parse_material_numbers(w, {"gallium=1e12", "rare_earths=0"}, "v", {0, 1e12})
                  .at("gallium"),
              1e12);
}

TEST(MaterialNumbers, DuplicateMaterialRefusedEvenUnderAnotherSpelling) {
    const auto w = world();
    EXPECT_EQ(
        error_text([&] {
            (void)io::parse_material_numbers(w, {"gallium=0.1", "Gallium=0.2"}, "--ev", {0, 1});
        }),
        "--ev: gallium given twice ('gallium=0.1' and 'Gallium=0.2') (E-USAGE)\n");
}

TEST(MaterialNumbers, UnknownMaterialWithSuggestion) {
    const auto w = world();
    EXPECT_EQ(error_text([&] {
                  (void)io::parse_material_numbers(w, {"galium=0.1", "tin=0.2"}, "--ev", {0, 1});
              }),
              "--ev: unknown material 'galium' in 'galium=0.1'; did you mean gallium? (materials: "
              "gallium, "
              "rare_earths) (E-UNKNOWN-MATERIAL)\n"
              "--ev: unknown material 'tin' in 'tin=0.2' (materials: gallium, rare_earths) "
              "(E-UNKNOWN-MATERIAL)\n");
}
