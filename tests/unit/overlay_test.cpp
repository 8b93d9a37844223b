// Scenario overlays on the dataset's measures: add, lift, lift from a date, change.
#include "lodestone/policy/overlay.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/policy/timeline.hpp"
#include "sim_fixture.hpp"

namespace lodestone::policy {
namespace {

const model::Measure* by_id(const std::vector<model::Measure>& ms, const std::string& id) {
    for (const auto& m : ms) {
        if (m.id == id) {
            return &m;
        }
    }
    return nullptr;
}

TEST(Overlay, NoEditsGiveTheBase) {
    const auto w = lodestone::testing::tiny_world();
    const auto out = apply_overlay(w.measures, {});
    ASSERT_EQ(out.size(), w.measures.size());
    EXPECT_EQ(out[1].id, "CN-BAN-US");
}

TEST(Overlay, LiftingTheSuspensionMakesTheBanBindAtOnce) {
    const auto w = lodestone::testing::tiny_world();
    const auto d = *Date::parse("2026-06-01");
    ASSERT_EQ(status_on(*w.find_measure("CN-BAN-US"), w.measures, d), Status::Suspended);
    model::MeasureEdit lift;
    lift.action = model::MeasureEdit::Action::Lift;
    lift.id = "CN-SUSP";
    const auto out = apply_overlay(w.measures, std::vector{lift});
    EXPECT_EQ(by_id(out, "CN-SUSP"), nullptr);
    EXPECT_EQ(status_on(*by_id(out, "CN-BAN-US"), out, d), Status::InForce);
}

TEST(Overlay, LiftFromADateEndsTheMeasureTheDayBefore) {
    const auto w = lodestone::testing::tiny_world();
    model::MeasureEdit lift;
    lift.action = model::MeasureEdit::Action::Lift;
    lift.id = "CN-SUSP";
    lift.lift_from = Date::parse("2026-03-01");
    const auto out = apply_overlay(w.measures, std::vector{lift});
    EXPECT_EQ(by_id(out, "CN-SUSP")->expires->to_string(), "2026-02-28");
    EXPECT_EQ(status_on(*by_id(out, "CN-BAN-US"), out, *Date::parse("2026-02-28")),
              Status::Suspended);
    EXPECT_EQ(status_on(*by_id(out, "CN-BAN-US"), out, *Date::parse("2026-03-01")),
              Status::InForce);
    // A lift date after the measure already ends changes nothing.
    lift.lift_from = Date::parse("2030-01-01");
    EXPECT_EQ(apply_overlay(w.measures, std::vector{lift})[2].expires->to_string(), "2026-11-27");
}

TEST(Overlay, ChangeCopiesOnlyTheNamedFields) {
    const auto w = lodestone::testing::tiny_world();
    model::MeasureEdit change;
    change.action = model::MeasureEdit::Action::Change;
    change.id = "CN-LIC";
    change.measure.approval_rate = 0.2;
    change.measure.lead_time_days = 999;  // not named: ignored
    change.measure.expires = Date::parse("2027-01-31");
    change.changed = {"approval_rate", "expires"};
    const auto out = apply_overlay(w.measures, std::vector{change});
    const auto* m = by_id(out, "CN-LIC");
    EXPECT_EQ(*m->approval_rate, 0.2);
    EXPECT_EQ(*m->lead_time_days, 45.0);
    EXPECT_EQ(m->expires->to_string(), "2027-01-31");
    EXPECT_EQ(m->country, "CHN");
}

TEST(Overlay, AddAppendsAndRefusesDuplicatesAndUnknownIds) {
    const auto w = lodestone::testing::tiny_world();
    model::MeasureEdit add;
    add.action = model::MeasureEdit::Action::Add;
    add.id = "X";
    add.measure.kind = model::MeasureKind::ExportBan;
    const auto out = apply_overlay(w.measures, std::vector{add});
    EXPECT_EQ(out.back().id, "X");
    add.id = "CN-LIC";
    EXPECT_THROW((void)apply_overlay(w.measures, std::vector{add}), InputError);
    model::MeasureEdit lift;
    lift.action = model::MeasureEdit::Action::Lift;
    lift.id = "NOPE";
    try {
        (void)apply_overlay(w.measures, std::vector{lift});
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).find(
                      "scenario lifts measure 'NOPE', which does not exist") != std::string::npos,
                  true);
    }
}

}  // namespace
}  // namespace lodestone::policy
