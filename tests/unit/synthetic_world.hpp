// tests/unit/synthetic_world.hpp: small hand-built Worlds for metric tests (no files).
#pragma once

#include <string>
#include <vector>

#include "lodestone/core/date.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::testing {

inline Date day(const char* text) {
    return *Date::parse(text);
}

inline model::Measure measure(std::string id,
                              model::MeasureKind kind,
                              std::string country,
                              std::vector<std::string> materials,
                              const char* effective,
                              const char* expires = nullptr) {
    model::Measure m;
    m.id = std::move(id);
    m.kind = kind;
    m.country = std::move(country);
    m.materials = std::move(materials);
    m.effective = day(effective);
    if (expires != nullptr) {
        m.expires = day(expires);
    }
    return m;
}

/// Two producers of "ga" (stage "refined"): AAA 60 t (WGI 6), BBB 40 t (WGI 2) = the synthetic
/// global supply of docs/methods.md. CCC (WGI 4) and DDD (WGI 3) form bloc "XB" and produce
/// nothing.
inline model::World two_producer_world() {
    model::World w;
    w.countries = {{"AAA", "Aland", "r", 6.0, {}, ""},
                   {"BBB", "Bland", "r", 2.0, {}, ""},
                   {"CCC", "Cland", "r", 4.0, {"XB"}, ""},
                   {"DDD", "Dland", "r", 3.0, {"XB"}, ""}};
    model::Material ga;
    ga.id = "ga";
    ga.name = "Ga";
    ga.price_usd_t = 1000.0;
    ga.eol_rir = 0.1;
    ga.si_sr = 0.95;
    ga.si_ei = 0.9;
    w.materials = {ga};
    w.stages = {{"ga", "refined", 1, 1.0, "refined"}};
    w.production = {{"ga", "refined", "AAA", 2024, 60.0, {}, ""},
                    {"ga", "refined", "BBB", 2024, 40.0, {}, ""}};
    return w;
}

}  // namespace lodestone::testing
