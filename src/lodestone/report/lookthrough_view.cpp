#include "lodestone/report/lookthrough_view.hpp"

#include <array>
#include <map>
#include <set>

#include "lodestone/core/number_text.hpp"
#include "lodestone/core/text.hpp"
#include "lodestone/exposure/lookthrough_report.hpp"
#include "lodestone/network/lookthrough.hpp"
#include "lodestone/report/measure_columns.hpp"

namespace lodestone::report {

namespace {

/// Ids touching any share of a stage origin, sorted and unique.
std::vector<std::string> stage_measures(const exposure::StageOrigin& o) {
    std::set<std::string> ids;
    for (const auto& c : o.countries) {
        ids.insert(c.measures.begin(), c.measures.end());
    }
    return {ids.begin(), ids.end()};
}

std::string verb(const std::string& stage) {
    static const std::map<std::string, std::string> verbs{{"mine", "mined"},
                                                          {"separation", "separated"},
                                                          {"refined", "refined"},
                                                          {"magnet", "made into magnets"},
                                                          {"anode", "made into anode material"},
                                                          {"metal", "smelted"}};
    const auto it = verbs.find(stage);
    return it != verbs.end() ? it->second : "processed (stage " + stage + ")";
}

Cell top_country(const exposure::StageOrigin& o) {
    return o.countries.empty() ? Cell{} : Cell{o.countries.front().country};
}
Cell top_share(const exposure::StageOrigin& o) {
    return o.countries.empty() ? Cell{} : Cell{o.countries.front().share};
}

/// Share rows of one origin; shares below min_share are summed into one "other" row.
template <class Prefix>
void add_share_rows(Table& t,
                    const exposure::StageOrigin& o,
                    double min_share,
                    double kg,
                    bool with_kg,
                    const Prefix& prefix) {
    double other = 0;
    int other_n = 0;
    for (const auto& c : o.countries) {
        if (c.share < min_share) {
            other += c.share;
            ++other_n;
            continue;
        }
        auto row = prefix();
        row.push_back(o.stage);
        row.push_back(c.country);
        row.push_back(c.share);
        if (with_kg) {
            row.push_back(c.share * kg);
        }
        row.push_back(join(c.measures, ";"));
        t.add(std::move(row));
    }
    if (other_n > 0) {
        auto row = prefix();
        row.push_back(o.stage);
        row.push_back("other (" + std::to_string(other_n) +
                      (other_n == 1 ? " country < " : " countries < ") + percent(min_share) + ")");
        row.push_back(other);
        if (with_kg) {
            row.push_back(other * kg);
        }
        row.push_back(std::string{});
        t.add(std::move(row));
    }
    if (o.unattributed > 1e-9) {
        auto row = prefix();
        row.push_back(o.stage);
        row.push_back("unattributed (re-export loop)");
        row.push_back(o.unattributed);
        if (with_kg) {
            row.push_back(o.unattributed * kg);
        }
        row.push_back(std::string{});
        t.add(std::move(row));
    }
}

nlohmann::json origin_json(const exposure::StageOrigin& o, bool with_kg) {
    nlohmann::json j{{"stage", o.stage},
                     {"basis", network::to_string(o.basis)},
                     {"hhi", o.hhi},
                     {"unattributed", o.unattributed}};
    if (with_kg) {
        j["kg_per_unit"] = o.kg_per_unit;
    }
    auto list = nlohmann::json::array();
    for (const auto& c : o.countries) {
        list.push_back({{"country", c.country}, {"share", c.share}, {"measures", c.measures}});
    }
    j["countries"] = std::move(list);
    return j;
}

Table measures_table(const model::World& world, const std::set<std::string>& ids) {
    using F = model::MeasureField;
    static constexpr std::array kFields{F::Id,        F::Kind,    F::Country,
                                        F::Materials, F::Stages,  F::Destinations,
                                        F::Effective, F::Expires, F::Title};
    std::vector<Column> columns;
    append_columns(columns, kFields);
    Table t{"Measures in force touching these shares", std::move(columns), {}, {}};
    for (const auto& id : ids) {
        if (const auto* m = world.find_measure(id)) {
            std::vector<Cell> row;
            append_cells(row, *m, kFields);
            t.add(std::move(row));
        }
    }
    return t;
}

const std::vector<std::string> kBasisNotes{
    "basis: observed = trade.csv flows and consumption.csv use; derived = the surplus rule (use by "
    "demand weights, each country uses its own output first, deficits are imported in proportion "
    "to "
    "others' surplus); partial = some of each; published = the country's or bloc's published "
    "sourcing "
    "mix (sourcing_shares.csv), usgs = USGS net import reliance and import sources (USA), each in "
    "place "
    "of a derived mix; mixed = more than one of these along the chain.",
    "hhi: sum of squared origin shares (0-1), ROW ('Other countries') not counted as one "
    "producer."};

}  // namespace

Document country_lookthrough_report(const model::World& world,
                                    const std::string& material,
                                    const std::string& country,
                                    const std::string& stage,
                                    Date as_of,
                                    double min_share) {
    const auto net = network::compile(world, as_of);
    const network::LookThrough lt(net);
    const auto results = exposure::country_lookthrough(world, lt, material, country, stage, as_of);

    Table summary{
        "Origin of " + country + "'s supply of " + material + " (as of " + as_of.to_string() + ")",
        {{"supply_stage"},
         {"use", 1, "t/yr"},
         {"import_reliance", 3},
         {"origin_stage"},
         {"top_country"},
         {"top_share", 3},
         {"hhi", 3},
         {"basis"},
         {"measures"}},
        {},
        {}};
    Table sourcing{"Direct sourcing of " + country + " (own output and imports by exporter)",
                   {{"supply_stage"},
                    {"use", 1, "t/yr"},
                    {"use_basis"},
                    {"observed_imports", 3},
                    {"basis"},
                    {"supplier"},
                    {"share", 4}},
                   {},
                   {}};
    Table shares{"Origin shares",
                 {{"supply_stage"}, {"origin_stage"}, {"country"}, {"share", 4}, {"measures"}},
                 {},
                 {}};
    std::set<std::string> ids;
    nlohmann::json doc{{"mode", "country"},
                       {"material", material},
                       {"country", country},
                       {"as_of", as_of.to_string()},
                       {"dataset_hash", net.dataset_hash},
                       {"supplies", nlohmann::json::array()}};
    for (const auto& r : results) {
        const auto use_basis = r.use_observed ? network::Basis::Observed : network::Basis::Derived;
        nlohmann::json js{{"stage", r.stage},
                          {"use_tonnes", r.use_tonnes},
                          {"use_basis", network::to_string(use_basis)},
                          {"basis", network::to_string(r.basis)},
                          {"observed_import_share", r.observed_import_share},
                          {"import_reliance", r.import_reliance},
                          {"sourcing", nlohmann::json::array()},
                          {"origins", nlohmann::json::array()},
                          {"notes", r.notes}};
        for (const auto& c : r.sourcing) {
            js["sourcing"].push_back({{"country", c.country}, {"share", c.share}});
            sourcing.add({r.stage, r.use_tonnes, std::string(network::to_string(use_basis)),
                          r.observed_import_share, std::string(network::to_string(r.basis)),
                          c.country, c.share});
        }
        for (const auto& o : r.origins) {
            const auto m = stage_measures(o);
            ids.insert(m.begin(), m.end());
            summary.add({r.stage, r.use_tonnes, r.import_reliance, o.stage, top_country(o),
                         top_share(o), o.hhi, std::string(network::to_string(o.basis)),
                         join(m, ";")});
            add_share_rows(shares, o, min_share, 0, false,
                           [&] { return std::vector<Cell>{r.stage}; });
            js["origins"].push_back(origin_json(o, false));
            if (!o.countries.empty()) {
                const std::string whose =
                    r.market_mix ? "Of the " + material + " on the world market at stage '"
                                 : "Of the " + material + " " + country + " uses at stage '";
                summary.notes.push_back(whose + r.stage + "', " +
                                        percent(o.countries.front().share) + " was " +
                                        verb(o.stage) + " in " + o.countries.front().country + ".");
            }
        }
        for (const auto& n : r.notes) {
            summary.notes.push_back(n);
        }
        doc["supplies"].push_back(std::move(js));
    }
    summary.notes.insert(summary.notes.end(), kBasisNotes.begin(), kBasisNotes.end());
    sourcing.notes.emplace_back(
        "use_basis: observed = consumption.csv; observed_imports: share of the gross "
        "imports listed in trade.csv (the rest by the surplus rule).");
    std::vector<Table> tables{summary, sourcing, shares};
    if (!ids.empty()) {
        tables.push_back(measures_table(world, ids));
    }
    doc["measures"] = to_json(measures_table(world, ids));
    return Document{std::move(tables), std::move(doc), {}};
}

Document bom_lookthrough_report(const model::World& world,
                                const io::Bom& bom,
                                const std::string& bom_name,
                                Date as_of,
                                const std::string& buyer,
                                double min_share) {
    const auto net = network::compile(world, as_of);
    const network::LookThrough lt(net);
    const auto results = exposure::bom_lookthrough(world, lt, bom, as_of, buyer);

    Table products{"Look-through of " + bom_name + " (as of " + as_of.to_string() + ")",
                   {{"product"},
                    {"material"},
                    {"kg_per_unit", -1, "kg"},
                    {"per_year", 3, "t/yr"},
                    {"lines"},
                    {"bottleneck_stage"},
                    {"top_country"},
                    {"top_share", 3},
                    {"hhi", 3},
                    {"measures"},
                    {"note"}},
                   {},
                   {}};
    Table stages{"Origin by stage",
                 {{"product"},
                  {"material"},
                  {"origin_stage"},
                  {"kg_per_unit", -1, "kg"},
                  {"top_country"},
                  {"top_share", 3},
                  {"hhi", 3},
                  {"basis"},
                  {"measures"}},
                 {},
                 {}};
    Table shares{"Origin shares",
                 {{"product"},
                  {"material"},
                  {"origin_stage"},
                  {"country"},
                  {"share", 4},
                  {"kg_per_unit", 6, "kg"},
                  {"measures"}},
                 {},
                 {}};
    std::set<std::string> ids;
    nlohmann::json doc{{"mode", "bom"},
                       {"bom", bom_name},
                       {"as_of", as_of.to_string()},
                       {"dataset_hash", net.dataset_hash},
                       {"products", nlohmann::json::array()}};
    for (const auto& r : results) {
        // The bottleneck: the most concentrated stage of origin.
        const auto* worst = &r.origins.front();
        for (const auto& o : r.origins) {
            if (o.hhi > worst->hhi) {
                worst = &o;
            }
        }
        std::set<std::string> all;
        nlohmann::json jp{{"product", r.product},
                          {"material", r.material},
                          {"kg_per_unit", r.kg_per_unit},
                          {"lines", r.lines},
                          {"origins", nlohmann::json::array()},
                          {"notes", r.notes}};
        jp["tonnes_per_year"] =
            r.tonnes_per_year ? nlohmann::json(*r.tonnes_per_year) : nlohmann::json();
        for (const auto& o : r.origins) {
            const auto m = stage_measures(o);
            all.insert(m.begin(), m.end());
            stages.add({r.product, r.material, o.stage, o.kg_per_unit, top_country(o), top_share(o),
                        o.hhi, std::string(network::to_string(o.basis)), join(m, ";")});
            add_share_rows(shares, o, min_share, o.kg_per_unit, true, [&] {
                return std::vector<Cell>{r.product, r.material};
            });
            jp["origins"].push_back(origin_json(o, true));
        }
        ids.insert(all.begin(), all.end());
        products.add({r.product, r.material, r.kg_per_unit,
                      r.tonnes_per_year ? Cell{*r.tonnes_per_year} : Cell{}, std::int64_t{r.lines},
                      worst->stage, top_country(*worst), top_share(*worst), worst->hhi,
                      join({all.begin(), all.end()}, ";"), join(r.notes, "; ")});
        if (!worst->countries.empty()) {
            products.notes.push_back("Of the " + r.material + " in " + r.product + ", " +
                                     percent(worst->countries.front().share) + " was " +
                                     verb(worst->stage) + " in " +
                                     worst->countries.front().country + ".");
        }
        doc["products"].push_back(std::move(jp));
    }
    products.notes.insert(products.notes.end(), kBasisNotes.begin(), kBasisNotes.end());
    std::vector<Table> tables{products, stages, shares};
    if (!ids.empty()) {
        tables.push_back(measures_table(world, ids));
    }
    doc["measures"] = to_json(measures_table(world, ids));
    return Document{std::move(tables), std::move(doc), {}};
}

}  // namespace lodestone::report
