// Policy timeline at its boundaries: the last day is inclusive, suspensions overlap, measures
// without an end, destination sets with blocs and ALL_EXCEPT, and what comes up within N days.
#include "lodestone/policy/timeline.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy_fixture.hpp"

using namespace lodestone;
using namespace lodestone::test;
using model::MeasureKind;
using policy::ChangeKind;
using policy::Status;

namespace {

/// The US ban of Announcement 46 and its one-year suspension, as in the embedded data.
std::vector<model::Measure> ban_and_suspension() {
    auto ban = measure("BAN", MeasureKind::ExportBan, "2024-12-03");
    ban.destinations = listed({"USA"});
    return {ban, suspension("SUSP", {"BAN"}, "2025-11-09", "2026-11-27")};
}

std::vector<std::string> ids(const std::vector<const model::Measure*>& ms) {
    std::vector<std::string> out;
    for (const auto* m : ms) {
        out.push_back(m->id);
    }
    return out;
}

}  // namespace

TEST(Timeline, TheLastDayOfAMeasureIsInclusive) {
    const std::vector all{measure("M", MeasureKind::ExportTax, "2026-01-01", "2026-01-31")};
    EXPECT_EQ(policy::status_on(all[0], all, d("2025-12-31")), Status::Inactive);
    EXPECT_EQ(policy::status_on(all[0], all, d("2026-01-01")), Status::InForce);
    EXPECT_EQ(policy::status_on(all[0], all, d("2026-01-31")), Status::InForce);
    EXPECT_EQ(policy::status_on(all[0], all, d("2026-02-01")), Status::Inactive);
    EXPECT_EQ(policy::status_until(all[0], all, d("2026-01-15")), d("2026-01-31"));
}

TEST(Timeline, ASuspensionCoversItsLastDayAndTheBanBindsAgainTheDayAfter) {
    const auto all = ban_and_suspension();
    const auto& ban = all[0];
    EXPECT_EQ(policy::status_on(ban, all, d("2025-11-08")), Status::InForce);
    EXPECT_EQ(policy::status_on(ban, all, d("2025-11-09")), Status::Suspended);
    EXPECT_EQ(policy::status_on(ban, all, d("2026-11-27")), Status::Suspended);
    EXPECT_EQ(policy::status_on(ban, all, d("2026-11-28")), Status::InForce);
    EXPECT_THAT(ids(policy::in_force(all, d("2026-11-27"))), testing::IsEmpty());
    EXPECT_THAT(ids(policy::in_force(all, d("2026-11-28"))), testing::ElementsAre("BAN"));
    EXPECT_EQ(policy::status_until(ban, all, d("2026-01-01")), d("2026-11-27"));
    EXPECT_EQ(policy::status_until(ban, all, d("2026-11-28")), std::nullopt);
}

TEST(Timeline, UpcomingOnTheLastDaySaysTheBanBindsAgainTomorrow) {
    const auto all = ban_and_suspension();
    const auto up = policy::upcoming(all, d("2026-11-27"), 30);
    ASSERT_EQ(up.size(), 2u);
    EXPECT_EQ(up[0].change.measure->id, "BAN");
    EXPECT_EQ(up[0].change.kind, ChangeKind::Resumed);
    EXPECT_EQ(up[0].change.date, d("2026-11-28"));
    EXPECT_EQ(up[0].last_day, d("2026-11-27"));
    ASSERT_NE(up[0].change.cause, nullptr);
    EXPECT_EQ(up[0].change.cause->id, "SUSP");
    EXPECT_EQ(up[1].change.measure->id, "SUSP");
    EXPECT_EQ(up[1].change.kind, ChangeKind::Ended);
    EXPECT_EQ(up[1].last_day, d("2026-11-27"));
    EXPECT_THAT(ids(up[1].binds_again), testing::ElementsAre("BAN"));
    EXPECT_TRUE(policy::has_bound_before(all[0], all, d("2026-11-28")));
}

TEST(Timeline, UpcomingWindowIsAsOfExclusiveAndHorizonInclusive) {
    const auto all = ban_and_suspension();
    EXPECT_TRUE(policy::upcoming(all, d("2026-11-26"), 1).empty());   // (11-26, 11-27]
    EXPECT_EQ(policy::upcoming(all, d("2026-11-26"), 2).size(), 2u);  // (11-26, 11-28]
    EXPECT_TRUE(policy::upcoming(all, d("2026-11-28"), 30).empty());  // already happened
    const auto past = policy::transitions_between(all, d("2026-11-27"), d("2026-11-28"));
    EXPECT_EQ(past.size(), 2u);
}

TEST(Timeline, ALaterEventThatExtendsTheSuspensionKeepsTheBanOff) {
    const auto base = ban_and_suspension();
    const std::vector extension{suspension("SUSP-EXT", {"BAN"}, "2026-11-28", "2027-11-10")};
    const auto all = policy::overlay_measures(base, extension);
    ASSERT_EQ(all.size(), 3u);
    const auto up = policy::upcoming(all, d("2026-11-27"), 30);
    // The old window ends and the new one starts, but the ban's own status does not change.
    for (const auto& t : up) {
        EXPECT_NE(t.change.measure->id, "BAN");
    }
    const auto ended = std::find_if(up.begin(), up.end(), [](const auto& t) {
        return t.change.measure->id == "SUSP" && t.change.kind == ChangeKind::Ended;
    });
    ASSERT_NE(ended, up.end());
    EXPECT_TRUE(ended->binds_again.empty());
    EXPECT_THAT(ids(ended->still_suspended), testing::ElementsAre("BAN"));
    EXPECT_EQ(policy::status_until(all[0], all, d("2026-11-27")), d("2027-11-10"));
}

TEST(Timeline, OverlappingSuspensionsGiveOneContinuousSuspension) {
    const std::vector all{measure("BAN", MeasureKind::ExportBan, "2025-01-01"),
                          suspension("S1", {"BAN"}, "2026-01-01", "2026-03-31"),
                          suspension("S2", {"BAN"}, "2026-03-01", "2026-06-30")};
    const auto& ban = all[0];
    EXPECT_EQ(policy::status_on(ban, all, d("2026-04-01")), Status::Suspended);
    EXPECT_EQ(policy::status_until(ban, all, d("2026-02-01")), d("2026-06-30"));
    EXPECT_THAT(ids(policy::suspensions_of(ban, all, d("2026-03-15"))),
                testing::ElementsAre("S1", "S2"));
    std::vector<std::pair<std::string, ChangeKind>> ban_changes;
    for (const auto& c : policy::changes_between(all, d("2025-12-31"), d("2026-12-31"))) {
        if (c.measure->id == "BAN") {
            ban_changes.emplace_back(c.date.to_string(), c.kind);
        }
    }
    EXPECT_THAT(ban_changes,
                testing::ElementsAre(std::pair{std::string("2026-01-01"), ChangeKind::Suspended},
                                     std::pair{std::string("2026-07-01"), ChangeKind::Resumed}));
    const auto ts = policy::transitions_between(all, d("2026-03-31"), d("2026-04-01"));
    ASSERT_EQ(ts.size(), 1u);
    EXPECT_EQ(ts[0].change.measure->id, "S1");
    EXPECT_TRUE(ts[0].binds_again.empty());
    EXPECT_THAT(ids(ts[0].still_suspended), testing::ElementsAre("BAN"));
    const auto end = policy::transitions_between(all, d("2026-06-30"), d("2026-07-01"));
    const auto s2 = std::find_if(end.begin(), end.end(),
                                 [](const auto& t) { return t.change.measure->id == "S2"; });
    ASSERT_NE(s2, end.end());
    EXPECT_THAT(ids(s2->binds_again), testing::ElementsAre("BAN"));
}

TEST(Timeline, AnOpenEndedMeasureNeverEnds) {
    const std::vector all{measure("LIC", MeasureKind::ExportLicensing, "2023-08-01")};
    EXPECT_EQ(policy::status_on(all[0], all, d("2099-12-31")), Status::InForce);
    EXPECT_EQ(policy::status_until(all[0], all, d("2024-01-01")), std::nullopt);
    const auto changes = policy::changes_between(all, d("2023-01-01"), d("2099-12-31"));
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].kind, ChangeKind::Started);
    EXPECT_EQ(changes[0].date, d("2023-08-01"));
    const auto last = policy::last_change(all[0], all, d("2026-11-27"));
    ASSERT_TRUE(last.has_value());
    EXPECT_EQ(last->date, d("2023-08-01"));
    EXPECT_FALSE(policy::last_change(all[0], all, d("2023-07-31")).has_value());
}

TEST(Timeline, AnOpenEndedSuspensionKeepsTheMeasureSuspended) {
    const std::vector all{measure("BAN", MeasureKind::ExportBan, "2024-01-01"),
                          suspension("S", {"BAN"}, "2025-01-01", nullptr)};
    EXPECT_EQ(policy::status_on(all[0], all, d("2090-01-01")), Status::Suspended);
    EXPECT_EQ(policy::status_until(all[0], all, d("2025-06-01")), std::nullopt);
}

TEST(Timeline, AMeasureSuspendedBeforeItStartsBindsForTheFirstTimeWhenTheSuspensionEnds) {
    const std::vector all{measure("PKG", MeasureKind::ExportLicensing, "2025-11-08"),
                          suspension("S70", {"PKG"}, "2025-11-07", "2026-11-10")};
    EXPECT_EQ(policy::status_on(all[0], all, d("2025-11-08")), Status::Suspended);
    const auto ts = policy::transitions_between(all, d("2026-11-10"), d("2026-11-11"));
    ASSERT_EQ(ts.size(), 2u);
    EXPECT_EQ(ts[0].change.kind, ChangeKind::Resumed);
    EXPECT_FALSE(policy::has_bound_before(all[0], all, d("2026-11-11")));
    EXPECT_THAT(ids(ts[1].binds_again), testing::ElementsAre("PKG"));
    EXPECT_EQ(ts[1].last_day, d("2026-11-10"));
}

TEST(Timeline, LastChangeIsTheStartOfTheCurrentStatus) {
    const auto all = ban_and_suspension();
    const auto c = policy::last_change(all[0], all, d("2026-06-01"));
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->kind, ChangeKind::Suspended);
    EXPECT_EQ(c->date, d("2025-11-09"));
    EXPECT_EQ(c->cause->id, "SUSP");
    const auto later = policy::last_change(all[0], all, d("2026-11-28"));
    EXPECT_EQ(later->kind, ChangeKind::Resumed);
}

TEST(Timeline, DestinationsWithBlocsAndAllExcept) {
    const auto w = small_world();
    auto to_eu = measure("EU", MeasureKind::ExportBan, "2026-01-01");
    to_eu.destinations = listed({"EU"});
    EXPECT_TRUE(policy::covers_destination(w, to_eu, "DEU"));
    EXPECT_TRUE(policy::covers_destination(w, to_eu, "FRA"));
    EXPECT_FALSE(policy::covers_destination(w, to_eu, "USA"));
    EXPECT_FALSE(policy::covers_destination(w, to_eu, "JPN"));

    auto except = measure("EX", MeasureKind::ExportLicensing, "2026-01-01");
    except.destinations = all_except({"EU", "USA"});
    EXPECT_FALSE(policy::covers_destination(w, except, "DEU"));
    EXPECT_FALSE(policy::covers_destination(w, except, "USA"));
    EXPECT_TRUE(policy::covers_destination(w, except, "JPN"));
    EXPECT_TRUE(
        policy::covers_destination(w, except, "ZZZ"));  // unknown: not in any bloc, not excepted

    auto all = measure("ALL", MeasureKind::ExportLicensing, "2026-01-01");
    EXPECT_TRUE(policy::covers_destination(w, all, "USA"));

    auto to_usa = measure("US", MeasureKind::ExportBan, "2026-01-01");
    to_usa.destinations = listed({"USA"});
    EXPECT_TRUE(policy::covers_any_destination(w, to_usa, "G7"));
    EXPECT_FALSE(policy::covers_any_destination(w, to_usa, "EU"));
    EXPECT_TRUE(policy::covers_any_destination(w, to_eu, "EU"));
    EXPECT_TRUE(policy::covers_any_destination(w, to_eu, "G7"));    // DEU and FRA are in the G7
    EXPECT_FALSE(policy::covers_any_destination(w, except, "EU"));  // every EU member excepted
    EXPECT_TRUE(policy::covers_any_destination(w, except, "G7"));   // JPN is not excepted
}

TEST(Timeline, OverlayReplacesByIdAndAppendsNewIds) {
    const auto base = ban_and_suspension();
    auto revised = suspension("SUSP", {"BAN"}, "2025-11-09", "2027-05-27");
    const std::vector overlay{revised, measure("NEW", MeasureKind::ExportTax, "2027-01-01")};
    const auto all = policy::overlay_measures(base, overlay);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[1].id, "SUSP");
    EXPECT_EQ(all[1].expires, d("2027-05-27"));
    EXPECT_EQ(all[2].id, "NEW");
    EXPECT_EQ(policy::status_on(all[0], all, d("2026-11-28")), Status::Suspended);
}

// MeasureIndexScope answers from an index instead of scanning: the answers must be the same as
// without it, on a set large enough to have several suspensions per measure, overlaps and ids
// named by suspensions that do not exist.
TEST(Timeline, TheIndexGivesTheSameAnswersAsTheScan) {
    std::vector<model::Measure> all;
    for (int i = 0; i < 300; ++i) {
        all.push_back(measure("M" + std::to_string(i), MeasureKind::ExportBan,
                              i % 2 ? "2025-01-01" : "2025-06-01", i % 3 ? nullptr : "2026-06-30"));
    }
    for (int k = 0; k < 60; ++k) {
        auto s = measure("S" + std::to_string(k), MeasureKind::Suspension,
                         k % 2 ? "2025-03-01" : "2025-09-15", k % 4 ? "2025-12-31" : "2026-02-28");
        s.suspends = {"M" + std::to_string((k * 7) % 300), "M" + std::to_string((k * 13) % 300),
                      "GONE"};
        all.push_back(s);
    }
    const std::span<const model::Measure> span = all;
    std::vector<std::string> scanned;
    std::vector<std::string> indexed;
    auto answers = [&](std::vector<std::string>& out) {
        for (const auto& m : all) {
            for (const char* day : {"2025-02-01", "2025-10-01", "2026-01-15", "2026-03-01"}) {
                const Date date = d(day);
                const auto until = policy::status_until(m, span, date);
                out.push_back(m.id + " " +
                              std::string(policy::to_string(policy::status_on(m, span, date))) +
                              " " + (until ? until->to_string() : "-") + " " +
                              std::to_string(policy::suspensions_of(m, span, date).size()) + " " +
                              std::to_string(policy::has_bound_before(m, span, date)));
            }
        }
        for (const auto& t : policy::transitions_between(span, d("2025-01-01"), d("2026-12-31"))) {
            out.push_back(t.change.measure->id + " " + t.change.date.to_string() + " " +
                          std::to_string(t.binds_again.size()) + " " +
                          std::to_string(t.still_suspended.size()));
        }
    };
    answers(scanned);
    {
        const policy::MeasureIndexScope scope(span);
        answers(indexed);
    }
    EXPECT_EQ(indexed, scanned);
    EXPECT_GT(scanned.size(), 1500u);
}
