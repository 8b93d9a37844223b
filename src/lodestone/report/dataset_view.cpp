#include "lodestone/report/dataset_view.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "lodestone/metrics/concentration.hpp"
#include "lodestone/network/sourcing.hpp"

namespace lodestone::report {

namespace {

std::optional<metrics::StageShares> shares_of(const model::World& w, const model::Stage& s) {
    try {
        return metrics::stage_shares(w, s.material, s.stage);
    } catch (const InputError&) {
        return std::nullopt;  // an empty stage: shown with zero output, info is a summary
    }
}

nlohmann::json stage_json_of(const model::Stage& stage, const metrics::StageShares* shares) {
    nlohmann::json j{{"stage", stage.stage},
                     {"order", stage.order},
                     {"yield", stage.yield},
                     {"description", stage.description}};
    if (shares == nullptr) {
        j["world_tonnes"] = 0.0;
        j["shares"] = nlohmann::json::array();
        return j;
    }
    const auto values = metrics::share_values(*shares);
    j["year"] = shares->year;
    j["world_tonnes"] = shares->world_tonnes;
    j["hhi"] = metrics::hhi(values);
    j["residual_share"] = shares->residual_share;
    j["top_country"] = shares->countries.empty() ? "" : shares->countries.front().country;
    j["top_share"] = shares->countries.empty() ? 0.0 : shares->countries.front().share;
    auto list = nlohmann::json::array();
    for (const auto& c : shares->countries) {
        list.push_back({{"country", c.country}, {"tonnes", c.tonnes}, {"share", c.share}});
    }
    if (shares->residual_tonnes > 0) {
        list.push_back({{"country", model::kRestOfWorld},
                        {"tonnes", shares->residual_tonnes},
                        {"share", shares->residual_share}});
    }
    j["shares"] = std::move(list);
    return j;
}

template <class T>
nlohmann::json optional_json(const std::optional<T>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json stage_json(const model::World& world, const model::Stage& stage) {
    const auto shares = shares_of(world, stage);
    return stage_json_of(stage, shares ? &*shares : nullptr);
}

nlohmann::json stage_year_json(const model::World& world,
                               const model::Stage& stage,
                               std::optional<int> year) {
    if (!year) {
        const auto shares = shares_of(world, stage);
        if (!shares) {
            return stage_json_of(stage, nullptr);
        }
        year = shares->year;
    }
    const auto shares = metrics::stage_shares_in_year(world, stage.material, stage.stage, *year);
    const auto range = metrics::stage_years(world, stage.material, stage.stage);
    auto j = stage_json_of(stage, &shares);
    j["data_year"] = shares.data_year;
    j["years"] = {{"first", range.first}, {"last", range.last}};
    j["project_tonnes"] = shares.project_tonnes;
    for (auto& row : j["shares"]) {
        const auto country = row["country"].get<std::string>();
        const auto it = std::find_if(shares.countries.begin(), shares.countries.end(),
                                     [&](const auto& c) { return c.country == country; });
        row["project_tonnes"] = it == shares.countries.end() ? 0.0 : it->project_tonnes;
    }
    return j;
}

nlohmann::json material_json(const model::World& world, const model::Material& m) {
    nlohmann::json mj{{"id", m.id}, {"name", m.name}, {"family", m.family}};
    mj["price_usd_t"] = optional_json(m.price_usd_t);
    mj["price_year"] = optional_json(m.price_year);
    mj["eol_rir"] = optional_json(m.eol_rir);
    auto stage_list = nlohmann::json::array();
    for (const auto* s : world.stages_of(m.id)) {
        stage_list.push_back(stage_json(world, *s));
    }
    mj["stages"] = std::move(stage_list);
    return mj;
}

nlohmann::json country_json(const model::Country& c) {
    return {{"iso3", c.iso3},
            {"name", c.name},
            {"region", c.region},
            {"wgi", c.wgi},
            {"blocs", c.blocs}};
}

Document dataset_info(const model::World& w, const std::string& source) {
    Table summary{"Dataset", {{"field"}, {"value"}}, {}, {}};
    summary.add({"name", w.info.name});
    summary.add({"version", w.info.version});
    summary.add({"as_of", w.info.as_of ? w.info.as_of->to_string() : ""});
    summary.add({"source", source});
    summary.add({"content_hash", w.content_hash});
    const std::vector<std::pair<std::string, std::size_t>> counts{
        {"countries", w.countries.size()}, {"materials", w.materials.size()},
        {"stages", w.stages.size()},       {"production_rows", w.production.size()},
        {"trade_flows", w.trade.size()},   {"sectors", w.sectors.size()},
        {"measures", w.measures.size()},   {"stockpiles", w.stockpiles.size()},
        {"projects", w.projects.size()},   {"consumption_rows", w.consumption.size()}};
    for (const auto& [name, n] : counts) {
        summary.add({name, static_cast<std::int64_t>(n)});
    }

    Table stages{"Stages",
                 {{"material"},
                  {"stage"},
                  {"order"},
                  {"year"},
                  {"world_output", 0, "t"},
                  {"top_country"},
                  {"top_share", 3},
                  {"hhi", 3},
                  {"producers"},
                  {"description"}},
                 {},
                 {"shares are over the listed sum; ROW (other countries) counts in world output, "
                  "not in HHI"}};
    nlohmann::json materials = nlohmann::json::array();
    for (const auto& m : w.materials) {
        materials.push_back(material_json(w, m));
        for (const auto* s : w.stages_of(m.id)) {
            const auto shares = shares_of(w, *s);
            if (shares) {
                const auto values = metrics::share_values(*shares);
                const bool any = !shares->countries.empty();
                stages.add({m.id, s->stage, static_cast<std::int64_t>(s->order),
                            static_cast<std::int64_t>(shares->year), shares->world_tonnes,
                            any ? Cell{shares->countries.front().country} : Cell{},
                            any ? Cell{shares->countries.front().share} : Cell{},
                            metrics::hhi(values),
                            static_cast<std::int64_t>(shares->countries.size()), s->description});
            } else {
                stages.add({m.id,
                            s->stage,
                            static_cast<std::int64_t>(s->order),
                            {},
                            0.0,
                            {},
                            {},
                            {},
                            std::int64_t{0},
                            s->description});
            }
        }
    }

    // What share of each material's trade (all stages, t/yr) is observed rather than derived.
    Table trade{
        "Trade basis",
        {{"material"},
         {"stage"},
         {"trade", 1, "t/yr"},
         {"observed", 1, "t/yr"},
         {"observed_share", 3},
         {"basis"}},
        {},
        {"observed = trade.csv flows; the rest by the surplus rule. basis: observed, partial "
         "(some flows or uses observed) or derived."}};
    nlohmann::json trade_json = nlohmann::json::array();
    for (const auto& m : w.materials) {
        double total = 0;
        double observed = 0;
        nlohmann::json stages_json = nlohmann::json::array();
        for (const auto* s : w.stages_of(m.id)) {
            if (w.production_of(m.id, s->stage).empty()) {
                continue;  // an empty stage has no balance
            }
            const auto bal = network::stage_balance(w, m.id, s->stage);
            total += bal.trade_tonnes;
            observed += bal.observed_trade_tonnes;
            const double share =
                bal.trade_tonnes > 0 ? bal.observed_trade_tonnes / bal.trade_tonnes : 0.0;
            trade.add({m.id, s->stage, bal.trade_tonnes, bal.observed_trade_tonnes, share,
                       std::string(network::to_string(bal.basis))});
            stages_json.push_back({{"stage", s->stage},
                                   {"trade_tonnes", bal.trade_tonnes},
                                   {"observed_tonnes", bal.observed_trade_tonnes},
                                   {"observed_share", share},
                                   {"basis", network::to_string(bal.basis)}});
        }
        const double share = total > 0 ? observed / total : 0.0;
        trade.add({m.id, std::string("(all)"), total, observed, share, Cell{}});
        trade_json.push_back({{"material", m.id},
                              {"trade_tonnes", total},
                              {"observed_tonnes", observed},
                              {"observed_share", share},
                              {"stages", std::move(stages_json)}});
    }

    std::set<std::string> source_set;
    for (const auto& p : w.production) {
        source_set.insert(p.source.substr(0, p.source.find(';')));
    }
    Table sources{"Sources", {{"source"}}, {}, {}};
    for (const auto& s : source_set) {
        if (!s.empty()) {
            sources.add({s});
        }
    }

    nlohmann::json doc{{"dataset",
                        {{"name", w.info.name},
                         {"version", w.info.version},
                         {"as_of", w.info.as_of ? w.info.as_of->to_string() : ""},
                         {"description", w.info.description},
                         {"licence", w.info.licence},
                         {"content_hash", w.content_hash}}},
                       {"counts", nlohmann::json::object()},
                       {"materials", std::move(materials)},
                       {"trade_basis", std::move(trade_json)},
                       {"sources", nlohmann::json::array()}};
    for (const auto& [name, n] : counts) {
        doc["counts"][name] = n;
    }
    for (const auto& s : source_set) {
        if (!s.empty()) {
            doc["sources"].push_back(s);
        }
    }
    std::vector<Table> csv{stages};  // one loadable table: the stages
    return Document{{std::move(summary), std::move(stages), std::move(trade), std::move(sources)},
                    std::move(doc),
                    std::move(csv)};
}

nlohmann::json validation_json(const std::string& shown,
                               std::span<const Diagnostic> errors,
                               std::span<const Diagnostic> warnings) {
    return {{"dataset", shown},
            {"valid", errors.empty()},
            {"errors", diagnostics_json(errors)},
            {"warnings", diagnostics_json(warnings)}};
}

Table diagnostics_table(std::span<const Diagnostic> errors, std::span<const Diagnostic> warnings) {
    Table t{"Diagnostics",
            {{"severity"}, {"code"}, {"file"}, {"line"}, {"column"}, {"field"}, {"message"}},
            {},
            {}};
    auto add = [&](const Diagnostic& d) {
        t.add({d.severity == Severity::Error ? "error" : "warning", std::string(to_string(d.code)),
               d.file, static_cast<std::int64_t>(d.line), static_cast<std::int64_t>(d.column),
               d.field, d.message});
    };
    for (const auto& d : errors) {
        add(d);
    }
    for (const auto& d : warnings) {
        add(d);
    }
    return t;
}

}  // namespace lodestone::report
