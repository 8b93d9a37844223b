// Shares of a stage in a later year: the data year's output plus the capacity projects bring
// online (metrics/concentration.hpp), on a hand-built world with hand-computed values.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "error_text.hpp"
#include "lodestone/metrics/concentration.hpp"
#include "synthetic_world.hpp"

using namespace lodestone;
using namespace lodestone::metrics;
using lodestone::testing::day;
using lodestone::testing::error_text;

namespace {

model::Project project(std::string country,
                       double tonnes,
                       const char* start,
                       double ramp_months,
                       double probability = 1.0) {
    model::Project p;
    p.id = "P-" + country;
    p.country = std::move(country);
    p.material = "ga";
    p.stage = "refined";
    p.capacity_tonnes = tonnes;
    p.status = model::ProjectStatus::Announced;
    p.start = day(start);
    p.ramp_months = ramp_months;
    p.probability = probability;
    return p;
}

}  // namespace

TEST(ProjectOnlineFraction, LinearRampIntegratedOverEachYear) {
    // 60 months of 30.4375 days = 1826.25 days from 2025-01-01.
    const auto p = project("AAA", 100.0, "2025-01-01", 60.0);
    EXPECT_EQ(project_online_fraction(p, 2024), 0.0);
    // Over 2025 (365 days from the start) the mean of t/1826.25 is 365/2/1826.25.
    EXPECT_NEAR(project_online_fraction(p, 2025), 365.0 / 2.0 / 1826.25, 1e-12);
    // 2026: (730^2 - 365^2) / (2 * 1826.25) / 365.
    EXPECT_NEAR(project_online_fraction(p, 2026),
                (730.0 * 730.0 - 365.0 * 365.0) / (2.0 * 1826.25) / 365.0, 1e-12);
    EXPECT_EQ(project_online_fraction(p, 2031), 1.0);
}

TEST(ProjectOnlineFraction, StepAtTheStartTimesProbability) {
    // No ramp, starting on 2025-07-02 (day 182 of 2025): online 183 of 365 days, probability 0.5.
    const auto p = project("AAA", 100.0, "2025-07-02", 0.0, 0.5);
    EXPECT_NEAR(project_online_fraction(p, 2025), 0.5 * 183.0 / 365.0, 1e-12);
    EXPECT_EQ(project_online_fraction(p, 2026), 0.5);
    model::Project undated = p;
    undated.start.reset();
    EXPECT_EQ(project_online_fraction(undated, 2030), 0.0);
}

TEST(StageSharesInYear, AddsProjectCapacityAfterTheDataYear) {
    auto w = lodestone::testing::two_producer_world();  // AAA 60 t, BBB 40 t in 2024
    // CCC has no output yet: 100 t from 2025-01-01 at probability 0.5. AAA's 10 t plant started
    // in 2024, so the 2024 output already holds it and nothing is added.
    w.projects = {project("CCC", 100.0, "2025-01-01", 0.0, 0.5),
                  project("AAA", 10.0, "2024-01-01", 0.0)};
    const auto range = stage_years(w, "ga", "refined");
    EXPECT_EQ(range.first, 2024);
    EXPECT_EQ(range.last, 2025);

    const auto base = stage_shares_in_year(w, "ga", "refined", 2024);
    EXPECT_EQ(base.year, 2024);
    EXPECT_EQ(base.data_year, 2024);
    EXPECT_EQ(base.world_tonnes, 100.0);
    EXPECT_EQ(base.project_tonnes, 0.0);
    ASSERT_EQ(base.countries.size(), 2u);

    const auto later = stage_shares_in_year(w, "ga", "refined", 2025);
    EXPECT_EQ(later.year, 2025);
    EXPECT_EQ(later.data_year, 2024);
    EXPECT_EQ(later.world_tonnes, 150.0);
    EXPECT_EQ(later.project_tonnes, 50.0);
    ASSERT_EQ(later.countries.size(), 3u);
    EXPECT_EQ(later.countries[0].country, "AAA");
    EXPECT_DOUBLE_EQ(later.countries[0].share, 60.0 / 150.0);
    EXPECT_EQ(later.countries[0].project_tonnes, 0.0);
    EXPECT_EQ(later.countries[1].country, "CCC");
    EXPECT_EQ(later.countries[1].tonnes, 50.0);
    EXPECT_EQ(later.countries[1].project_tonnes, 50.0);
    EXPECT_DOUBLE_EQ(later.countries[1].share, 50.0 / 150.0);
    EXPECT_EQ(later.countries[2].country, "BBB");
    // HHI over the new shares: (60^2 + 50^2 + 40^2) / 150^2.
    EXPECT_NEAR(hhi(share_values(later)), (3600.0 + 2500.0 + 1600.0) / 22500.0, 1e-12);
}

TEST(StageSharesInYear, RefusesYearsWithoutData) {
    auto w = lodestone::testing::two_producer_world();
    w.projects = {project("CCC", 100.0, "2025-01-01", 0.0, 0.5)};
    EXPECT_EQ(error_text([&] { (void)stage_shares_in_year(w, "ga", "refined", 2023); }),
              "year: 2023 is outside the years of ga/refined (2024-2025: production data of 2024, "
              "projects to "
              "2025) (E-RANGE)\n");
    EXPECT_THAT(error_text([&] { (void)stage_shares_in_year(w, "ga", "refined", 2026); }),
                ::testing::HasSubstr("year: 2026 is outside"));
    // Without projects the data year is the only one.
    w.projects.clear();
    EXPECT_EQ(stage_years(w, "ga", "refined").last, 2024);
}
