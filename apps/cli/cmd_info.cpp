// lodestone info: what the loaded dataset holds, per material and stage.
#include <map>
#include <set>

#include "commands.hpp"
#include "lodestone/metrics/concentration.hpp"

namespace lodestone::cli {

namespace {

nlohmann::json stage_json(const model::Stage& stage, const metrics::StageShares* shares) {
    nlohmann::json j{{"stage", stage.stage}, {"order", stage.order}, {"yield", stage.yield},
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

void run_info(Context& ctx) {
    const auto& w = ctx.world();
    report::Table summary{"Dataset", {{"field"}, {"value"}}, {}, {}};
    summary.add({"name", w.info.name});
    summary.add({"version", w.info.version});
    summary.add({"as_of", w.info.as_of ? w.info.as_of->to_string() : ""});
    summary.add({"source", ctx.data_dir.empty() ? std::string("embedded data/world") : ctx.data_dir});
    summary.add({"content_hash", w.content_hash});
    const std::vector<std::pair<std::string, std::size_t>> counts{
        {"countries", w.countries.size()},   {"materials", w.materials.size()},
        {"stages", w.stages.size()},         {"production_rows", w.production.size()},
        {"trade_flows", w.trade.size()},     {"sectors", w.sectors.size()},
        {"measures", w.measures.size()},     {"stockpiles", w.stockpiles.size()},
        {"projects", w.projects.size()}};
    for (const auto& [name, n] : counts) {
        summary.add({name, static_cast<std::int64_t>(n)});
    }

    report::Table stages{"Stages",
                         {{"material"}, {"stage"}, {"order"}, {"year"}, {"world_output", 0, "t"},
                          {"top_country"}, {"top_share", 3}, {"hhi", 3}, {"producers"}, {"description"}},
                         {},
                         {"shares are over the listed sum; ROW (other countries) counts in world output, not in HHI"}};
    nlohmann::json materials = nlohmann::json::array();
    for (const auto& m : w.materials) {
        nlohmann::json mj{{"id", m.id}, {"name", m.name}, {"family", m.family}};
        mj["price_usd_t"] = m.price_usd_t ? nlohmann::json(*m.price_usd_t) : nlohmann::json(nullptr);
        mj["price_year"] = m.price_year ? nlohmann::json(*m.price_year) : nlohmann::json(nullptr);
        mj["eol_rir"] = m.eol_rir ? nlohmann::json(*m.eol_rir) : nlohmann::json(nullptr);
        auto stage_list = nlohmann::json::array();
        for (const auto* s : w.stages_of(m.id)) {
            std::optional<metrics::StageShares> shares;
            try {
                shares = metrics::stage_shares(w, m.id, s->stage);
            } catch (const InputError&) {
                // an empty stage: reported with zero output rather than refused, info is a summary
            }
            stage_list.push_back(stage_json(*s, shares ? &*shares : nullptr));
            if (shares) {
                const auto values = metrics::share_values(*shares);
                const bool any = !shares->countries.empty();
                stages.add({m.id, s->stage, static_cast<std::int64_t>(s->order),
                            static_cast<std::int64_t>(shares->year), shares->world_tonnes,
                            any ? report::Cell{shares->countries.front().country} : report::Cell{},
                            any ? report::Cell{shares->countries.front().share} : report::Cell{},
                            metrics::hhi(values), static_cast<std::int64_t>(shares->countries.size()),
                            s->description});
            } else {
                stages.add({m.id, s->stage, static_cast<std::int64_t>(s->order), {}, 0.0, {}, {}, {},
                            std::int64_t{0}, s->description});
            }
        }
        mj["stages"] = std::move(stage_list);
        materials.push_back(std::move(mj));
    }

    std::set<std::string> source_set;
    for (const auto& p : w.production) {
        source_set.insert(p.source.substr(0, p.source.find(';')));
    }
    report::Table sources{"Sources", {{"source"}}, {}, {}};
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
                       {"sources", nlohmann::json::array()}};
    for (const auto& [name, n] : counts) {
        doc["counts"][name] = n;
    }
    for (const auto& s : source_set) {
        if (!s.empty()) {
            doc["sources"].push_back(s);
        }
    }
    if (ctx.format() == report::Format::Csv) {
        print(ctx, {stages});  // one loadable table
    } else {
        print(ctx, {summary, stages, sources}, &doc);
    }
}

}  // namespace

void add_info_command(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("info", "Summarise the dataset: materials, stages, world output, top producers");
    add_common_options(*cmd, ctx);
    cmd->callback([&ctx] { run_info(ctx); });
}

}  // namespace lodestone::cli
