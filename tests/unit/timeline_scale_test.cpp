// The timeline at workspace scale: 100,000 measures (10,000 of them suspensions) answered in
// linear work. Not a timed assertion: the test's TIMEOUT (tests/unit/CMakeLists.txt) is the
// generous bound; the quadratic scan this replaced needed hours here under the sanitizers.
#include <gtest/gtest.h>

#include "lodestone/policy/timeline.hpp"
#include "policy_fixture.hpp"

using namespace lodestone;
using namespace lodestone::test;
using model::MeasureKind;

TEST(TimelineScale, AHundredThousandMeasures) {
    std::vector<model::Measure> all;
    all.reserve(100000);
    for (int i = 0; i < 90000; ++i) {
        all.push_back(measure("M" + std::to_string(i), MeasureKind::ExportTax,
                              i % 2 ? "2025-01-01" : "2026-01-01", i % 5 ? nullptr : "2026-12-31"));
    }
    for (int k = 0; k < 10000; ++k) {
        auto s =
            measure("S" + std::to_string(k), MeasureKind::Suspension, "2025-06-01", "2026-11-27");
        s.suspends = {"M" + std::to_string(k * 9), "M" + std::to_string(k * 9 + 1)};
        all.push_back(s);
    }
    const std::span<const model::Measure> span = all;
    const Date as_of = d("2026-11-27");
    const policy::MeasureIndexScope scope(span);
    std::size_t suspended = 0;
    std::size_t with_end = 0;
    for (const auto& m : all) {
        suspended += policy::status_on(m, span, as_of) == policy::Status::Suspended ? 1 : 0;
        with_end += policy::status_until(m, span, as_of) ? 1 : 0;
    }
    // Measures 0..89999 with k*9 or k*9+1 (k < 10000): 20,000 named; those effective by 2026-11-27
    // (all of them) and not expired are suspended: every named one (expiries are 2026-12-31).
    EXPECT_EQ(suspended, 20000u);
    EXPECT_GT(with_end, 20000u);
    const auto in_force = policy::in_force(span, as_of);
    EXPECT_EQ(in_force.size(), 90000u - 20000u);
    const auto upcoming = policy::upcoming(span, as_of, 30);
    std::size_t binds_again = 0;
    for (const auto& t : upcoming) {
        binds_again += t.binds_again.size();
    }
    EXPECT_EQ(binds_again, 20000u)
        << "every suspension ends on 2026-11-27: its two measures bind again";
}
