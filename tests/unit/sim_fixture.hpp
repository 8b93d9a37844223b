// A small synthetic World for scenario, overlay and simulation tests: hand-computable numbers.
#pragma once

#include "lodestone/model/world.hpp"

namespace lodestone::testing {

inline model::World tiny_world() {
    using namespace model;
    World w;
    w.info.name = "tiny";
    w.info.version = "1";
    w.info.as_of = Date::parse("2026-11-01");
    w.content_hash = "00000000000000aa";
    auto country = [&](const char* iso, std::vector<std::string> blocs) {
        Country c;
        c.iso3 = iso;
        c.name = iso;
        c.wgi = 5;
        c.blocs = std::move(blocs);
        w.countries.push_back(c);
    };
    country("CHN", {});
    country("USA", {"G7", "OECD"});
    country("JPN", {"G7", "OECD"});
    country("DEU", {"EU", "G7", "OECD"});
    country("FRA", {"EU", "G7", "OECD"});
    auto material = [&](const char* id, double price) {
        Material m;
        m.id = id;
        m.name = id;
        m.price_usd_t = price;
        m.elasticity_demand_short = -0.1;
        m.elasticity_demand_long = -0.5;
        m.elasticity_supply_long = 0.5;
        m.substitution_lag_months = 12;
        m.capacity_lag_months = 12;
        w.materials.push_back(m);
    };
    material("gallium", 500000);
    material("rare_earths", 60000);
    w.stages = {{"gallium", "refined", 1, 1.0, ""},
                {"rare_earths", "mine", 1, 1.0, ""},
                {"rare_earths", "separation", 2, 0.5, ""},
                {"rare_earths", "magnet", 3, 0.9, ""}};
    w.sectors = {{"defence", "Defence", "", 1e11, ""},
                 {"electronics", "Electronics", "", 1e12, ""},
                 {"automotive", "Automotive", "", 1e12, ""}};
    w.end_use = {{"gallium", "defence", 0.2, ""},
                 {"gallium", "electronics", 0.8, ""},
                 {"rare_earths", "defence", 0.1, ""},
                 {"rare_earths", "automotive", 0.9, ""}};
    w.intensity = {{"electronics", "gallium", "refined", 0.3, ""},
                   {"defence", "gallium", "refined", 1.0, ""},
                   {"automotive", "rare_earths", "magnet", 20.0, ""},
                   {"defence", "rare_earths", "magnet", 5.0, ""}};
    auto measure = [&](const char* id, MeasureKind kind, std::vector<std::string> materials,
                       const char* effective, const char* expires) {
        Measure m;
        m.id = id;
        m.kind = kind;
        m.country = "CHN";
        m.materials = std::move(materials);
        m.effective = Date::parse(effective);
        if (expires[0] != 0) {
            m.expires = Date::parse(expires);
        }
        w.measures.push_back(m);
        return &w.measures.back();
    };
    measure("CN-LIC", MeasureKind::ExportLicensing, {"gallium"}, "2023-08-01", "")->approval_rate =
        0.6;
    w.measures.back().lead_time_days = 45;
    auto* ban = measure("CN-BAN-US", MeasureKind::ExportBan, {"gallium"}, "2024-12-03", "");
    ban->destinations = {DestinationSet::Mode::Listed, {"USA"}};
    auto* susp =
        measure("CN-SUSP", MeasureKind::Suspension, {"gallium"}, "2025-11-09", "2026-11-27");
    susp->suspends = {"CN-BAN-US"};
    susp->destinations = {DestinationSet::Mode::Listed, {"USA"}};
    return w;
}

}  // namespace lodestone::testing
