#include "lodestone/report/leverage_view.hpp"

#include "lodestone/metrics/leverage.hpp"
#include "lodestone/metrics/perspective.hpp"

namespace lodestone::report {

namespace {

std::vector<Column> row_columns() {
    return {{"direction"},
            {"supplier"},
            {"target"},
            {"material"},
            {"stage"},
            {"share_basis"},
            {"supplier_share", 3},
            {"direct_share", 3},
            {"direct_basis"},
            {"si_sr", 3},
            {"stock_tonnes", 0, "t"},
            {"use_tonnes", 0, "t"},
            {"cover_years", 2},
            {"leverage", 3},
            {"import_tonnes", 0, "t"},
            {"import_stage"},
            {"price_usd_t", 0, "USD/t"},
            {"import_value_usd", 0, "USD"},
            {"measures"}};
}

void add_rows(Table& t, const metrics::Dyad& d, const std::string& direction) {
    for (const auto& r : d.rows) {
        std::string measures;
        for (const auto& id : r.measures) {
            measures += (measures.empty() ? "" : ";") + id;
        }
        t.add({direction, d.supplier, d.target, r.material, r.stage, r.share_basis,
               r.supplier_share, r.direct_share, std::string(network::to_string(r.direct_basis)),
               r.si_sr, r.stock_tonnes, r.use_tonnes, r.cover_years, r.leverage, r.import_tonnes,
               r.import_stage, r.price_usd_t ? Cell{*r.price_usd_t} : Cell{}, r.import_value_usd,
               measures});
    }
}

nlohmann::json dyad_json(const metrics::Dyad& d, const Table& rows) {
    return {{"supplier", d.supplier},
            {"target", d.target},
            {"total", d.total},
            {"weight_usd", d.weight_usd},
            {"rows", to_json(rows)}};
}

}  // namespace

Document leverage_pair_views(const model::World& world,
                             const std::string& supplier,
                             const std::string& target,
                             Date as_of,
                             const std::vector<std::string>& materials) {
    const auto r = metrics::leverage(world, supplier, target, as_of, materials);
    std::vector<std::string> notes{"as of " + as_of.to_string() + "; shares: " + r.share_basis,
                                   "leverage = supplier_share x si_sr x (1 - min(1, cover_years)); "
                                   "stage = the stage of the largest "
                                   "supplier share",
                                   "totals: weighted by the importer's import value (its largest "
                                   "import of the material at any stage, "
                                   "import_tonnes x price_usd_t)"};
    notes.insert(notes.end(), r.notes.begin(), r.notes.end());

    Table forward{"Leverage of " + supplier + " over " + target, row_columns(), {}, {}};
    add_rows(forward, r.forward, "forward");
    Table reverse{"Reverse: " + target + " over " + supplier, row_columns(), {}, {}};
    add_rows(reverse, r.reverse, "reverse");
    Table summary{"Leverage totals",
                  {{"direction"}, {"supplier"}, {"target"}, {"total", 3}, {"weight_usd", 0, "USD"}},
                  {},
                  notes};
    summary.add(
        {"forward", r.forward.supplier, r.forward.target, r.forward.total, r.forward.weight_usd});
    summary.add(
        {"reverse", r.reverse.supplier, r.reverse.target, r.reverse.total, r.reverse.weight_usd});
    summary.add({"net", supplier, target, r.forward.total - r.reverse.total, Cell{}});

    nlohmann::json doc{{"as_of", as_of.to_string()},
                       {"supplier", supplier},
                       {"target", target},
                       {"share_basis", r.share_basis},
                       {"forward", dyad_json(r.forward, forward)},
                       {"reverse", dyad_json(r.reverse, reverse)},
                       {"net", r.forward.total - r.reverse.total},
                       {"notes", notes}};
    Table both{"Leverage", row_columns(), forward.rows, {}};
    both.rows.insert(both.rows.end(), reverse.rows.begin(), reverse.rows.end());
    // On a terminal the supplier and target columns repeat the title: drop them.
    auto narrow = [](const Table& t) {
        Table n{t.title, {}, {}, t.notes};
        for (std::size_t i = 3; i < t.columns.size(); ++i) {
            n.columns.push_back(t.columns[i]);
        }
        for (const auto& row : t.rows) {
            n.add({row.begin() + 3, row.end()});
        }
        return n;
    };
    return Document{{narrow(forward), narrow(reverse), summary}, std::move(doc), {both}};
}

Document leverage_ranking_views(const model::World& world,
                                const std::string& target,
                                Date as_of,
                                const std::vector<std::string>& materials,
                                std::size_t top) {
    const auto ranks = metrics::rank_suppliers(world, target, as_of, materials, top);
    Table t{"Suppliers ranked by leverage over " + target,
            {{"rank"},
             {"supplier"},
             {"name"},
             {"leverage", 3},
             {"reverse", 3},
             {"net", 3},
             {"top_material"},
             {"top_leverage", 3}},
            {},
            {"as of " + as_of.to_string() +
             "; leverage = import-value-weighted mean over materials of "
             "supplier_share x si_sr x (1 - min(1, stock cover years)); reverse = " +
             target + "'s leverage back on what the supplier imports"}};
    std::int64_t rank = 0;
    for (const auto& r : ranks) {
        const auto* c = world.find_country(r.supplier);
        t.add({++rank, r.supplier, c != nullptr ? c->name : std::string(), r.leverage, r.reverse,
               r.leverage - r.reverse, r.top_material, r.top_leverage});
    }
    auto json = to_json(t);
    return Document{{t}, std::move(json), {}};
}

}  // namespace lodestone::report
