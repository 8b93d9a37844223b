// tests/unit/policy_fixture.hpp: a small synthetic World for timeline, store and watch tests.
// Countries CHN, USA, DEU (EU, G7), FRA (EU, G7), JPN (G7); gallium (refined), rare_earths
// (mine, separation, magnet), with production so that shares are hand-computable.
#pragma once

#include "lodestone/core/date.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::test {

inline Date d(const char* text) {
    return *Date::parse(text);
}

inline model::Measure measure(std::string id,
                              model::MeasureKind kind,
                              const char* effective,
                              const char* expires = nullptr) {
    model::Measure m;
    m.id = std::move(id);
    m.kind = kind;
    m.country = "CHN";
    m.materials = {"gallium"};
    m.effective = d(effective);
    if (expires != nullptr) {
        m.expires = d(expires);
    }
    return m;
}

inline model::Measure suspension(std::string id,
                                 std::vector<std::string> suspends,
                                 const char* effective,
                                 const char* expires) {
    auto m = measure(std::move(id), model::MeasureKind::Suspension, effective, expires);
    m.suspends = std::move(suspends);
    return m;
}

inline model::World small_world() {
    model::World w;
    w.info.name = "synthetic";
    w.info.version = "1";
    w.info.as_of = d("2026-11-27");
    w.countries = {{"CHN", "China", "Asia", 6.5, {}, ""},
                   {"DEU", "Germany", "Europe", 1.5, {"EU", "G7"}, ""},
                   {"FRA", "France", "Europe", 2.0, {"EU", "G7"}, ""},
                   {"JPN", "Japan", "Asia", 1.7, {"G7"}, ""},
                   {"USA", "United States", "Americas", 2.4, {"G7"}, ""}};
    w.materials = {
        {"gallium", "Gallium", "minor", 500000.0, 2024, 0.0, 1.0, 1.0, -0.1, -0.5, 0.3, 12, 24, ""},
        {"rare_earths", "Rare earths", "ree", 50000.0, 2024, 0.0, 1.0, 1.0, -0.1, -0.5, 0.3, 12, 24,
         ""}};
    w.stages = {{"gallium", "refined", 1, 1.0, ""},
                {"rare_earths", "mine", 1, 1.0, ""},
                {"rare_earths", "separation", 2, 1.0, ""},
                {"rare_earths", "magnet", 3, 1.0, ""}};
    // gallium refined: CHN 980, JPN 10, ROW 10 (t) -> CHN 0.98
    // rare earths: mine CHN 60, USA 40 -> 0.6; separation CHN 90, ROW 10 -> 0.9; magnet CHN 15, JPN
    // 85 -> 0.15
    w.production = {{"gallium", "refined", "CHN", 2024, 980, {}, ""},
                    {"gallium", "refined", "JPN", 2024, 10, {}, ""},
                    {"gallium", "refined", "ROW", 2024, 10, {}, ""},
                    {"rare_earths", "mine", "CHN", 2024, 60, {}, ""},
                    {"rare_earths", "mine", "USA", 2024, 40, {}, ""},
                    {"rare_earths", "separation", "CHN", 2024, 90, {}, ""},
                    {"rare_earths", "separation", "ROW", 2024, 10, {}, ""},
                    {"rare_earths", "magnet", "CHN", 2024, 15, {}, ""},
                    {"rare_earths", "magnet", "JPN", 2024, 85, {}, ""}};
    return w;
}

inline model::DestinationSet listed(std::vector<std::string> codes) {
    return {model::DestinationSet::Mode::Listed, std::move(codes)};
}

inline model::DestinationSet all_except(std::vector<std::string> codes) {
    return {model::DestinationSet::Mode::AllExcept, std::move(codes)};
}

}  // namespace lodestone::test
