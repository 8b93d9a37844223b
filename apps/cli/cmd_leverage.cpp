// lodestone leverage: two-sided leverage of a supplier over a target (and back), per material, or
// the ranking of every supplier against one target (--top).
#include "commands.hpp"
#include "lodestone/metrics/leverage.hpp"
#include "lodestone/metrics/perspective.hpp"

namespace lodestone::cli {

namespace {

struct LeverageArgs {
    std::string supplier;
    std::string target;
    std::string as_of;
    std::vector<std::string> materials;
    std::size_t top = 10;
    bool top_given = false;
};

std::vector<report::Column> row_columns() {
    return {{"direction"},       {"supplier"},        {"target"},         {"material"},
            {"stage"},           {"share_basis"},     {"supplier_share", 3}, {"direct_share", 3},
            {"direct_basis"},    {"si_sr", 3},
            {"stock_tonnes", 0, "t"}, {"use_tonnes", 0, "t"}, {"cover_years", 2}, {"leverage", 3},
            {"import_tonnes", 0, "t"}, {"import_stage"}, {"price_usd_t", 0, "USD/t"},
            {"import_value_usd", 0, "USD"},
            {"measures"}};
}

void add_rows(report::Table& t, const metrics::Dyad& d, const std::string& direction) {
    for (const auto& r : d.rows) {
        std::string measures;
        for (const auto& id : r.measures) {
            measures += (measures.empty() ? "" : ";") + id;
        }
        t.add({direction, d.supplier, d.target, r.material, r.stage, r.share_basis, r.supplier_share,
               r.direct_share, r.direct_basis, r.si_sr,
               r.stock_tonnes, r.use_tonnes, r.cover_years, r.leverage, r.import_tonnes,
               r.import_stage, r.price_usd_t ? report::Cell{*r.price_usd_t} : report::Cell{}, r.import_value_usd, measures});
    }
}

nlohmann::json dyad_json(const metrics::Dyad& d, const report::Table& rows) {
    return {{"supplier", d.supplier}, {"target", d.target}, {"total", d.total},
            {"weight_usd", d.weight_usd}, {"rows", report::to_json(rows)}};
}

void run_pair(Context& ctx, const LeverageArgs& args, Date as_of) {
    const auto& world = ctx.world();
    const auto r = metrics::leverage(world, args.supplier, args.target, as_of, args.materials);
    std::vector<std::string> notes{
        "as of " + as_of.to_string() + "; shares: " + r.share_basis,
        "leverage = supplier_share x si_sr x (1 - min(1, cover_years)); stage = the stage of the largest "
        "supplier share",
        "totals: weighted by the importer's import value (its largest import of the material at any stage, "
        "import_tonnes x price_usd_t)"};
    notes.insert(notes.end(), r.notes.begin(), r.notes.end());

    report::Table forward{"Leverage of " + args.supplier + " over " + args.target, row_columns(), {}, {}};
    add_rows(forward, r.forward, "forward");
    report::Table reverse{"Reverse: " + args.target + " over " + args.supplier, row_columns(), {}, {}};
    add_rows(reverse, r.reverse, "reverse");
    report::Table summary{"Leverage totals",
                          {{"direction"}, {"supplier"}, {"target"}, {"total", 3}, {"weight_usd", 0, "USD"}},
                          {},
                          notes};
    summary.add({"forward", r.forward.supplier, r.forward.target, r.forward.total, r.forward.weight_usd});
    summary.add({"reverse", r.reverse.supplier, r.reverse.target, r.reverse.total, r.reverse.weight_usd});
    summary.add({"net", args.supplier, args.target, r.forward.total - r.reverse.total, report::Cell{}});

    if (ctx.format() == report::Format::Json) {
        nlohmann::json doc{{"as_of", as_of.to_string()},
                           {"supplier", args.supplier},
                           {"target", args.target},
                           {"share_basis", r.share_basis},
                           {"forward", dyad_json(r.forward, forward)},
                           {"reverse", dyad_json(r.reverse, reverse)},
                           {"net", r.forward.total - r.reverse.total},
                           {"notes", notes}};
        print(ctx, {forward}, &doc);
    } else if (ctx.format() == report::Format::Csv) {
        report::Table both{"Leverage", row_columns(), forward.rows, {}};
        both.rows.insert(both.rows.end(), reverse.rows.begin(), reverse.rows.end());
        print(ctx, {both});
    } else {
        // On a terminal the supplier and target columns repeat the title: drop them.
        auto narrow = [](const report::Table& t) {
            report::Table n{t.title, {}, {}, t.notes};
            for (std::size_t i = 3; i < t.columns.size(); ++i) {
                n.columns.push_back(t.columns[i]);
            }
            for (const auto& row : t.rows) {
                n.add({row.begin() + 3, row.end()});
            }
            return n;
        };
        print(ctx, {narrow(forward), narrow(reverse), summary});
    }
}

void run_ranking(Context& ctx, const LeverageArgs& args, Date as_of) {
    const auto& world = ctx.world();
    const auto ranks = metrics::rank_suppliers(world, args.target, as_of, args.materials, args.top);
    report::Table t{"Suppliers ranked by leverage over " + args.target,
                    {{"rank"}, {"supplier"}, {"name"}, {"leverage", 3}, {"reverse", 3}, {"net", 3},
                     {"top_material"}, {"top_leverage", 3}},
                    {},
                    {"as of " + as_of.to_string() + "; leverage = import-value-weighted mean over materials of "
                     "supplier_share x si_sr x (1 - min(1, stock cover years)); reverse = " + args.target +
                     "'s leverage back on what the supplier imports"}};
    std::int64_t rank = 0;
    for (const auto& r : ranks) {
        const auto* c = world.find_country(r.supplier);
        t.add({++rank, r.supplier, c != nullptr ? c->name : std::string(), r.leverage, r.reverse,
               r.leverage - r.reverse, r.top_material, r.top_leverage});
    }
    print(ctx, {t});
}

void run_leverage(Context& ctx, const LeverageArgs& args) {
    const auto& world = ctx.world();
    const Date as_of = resolve_as_of(args.as_of, world);
    if (args.supplier.empty()) {
        run_ranking(ctx, args, as_of);
        return;
    }
    if (args.top_given) {
        throw InputError(ErrorCode::Usage, "--top ranks every supplier of --target: drop --supplier or --top");
    }
    run_pair(ctx, args, as_of);
}

}  // namespace

void add_leverage_command(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<LeverageArgs>();
    auto* cmd = app.add_subcommand(
        "leverage", "Two-sided leverage of a supplier over a target per material; or rank suppliers (--top)");
    add_common_options(*cmd, ctx);
    add_as_of_option(*cmd, args->as_of);
    cmd->add_option("--supplier", args->supplier, "Supplier country ISO3 or bloc (omit to rank every supplier)")
        ->type_name("ISO3|BLOC");
    cmd->add_option("--target", args->target, "Target country ISO3 or bloc")->type_name("ISO3|BLOC")->required();
    cmd->add_option("--material", args->materials, "Material id (repeatable; default all)")->type_name("ID");
    auto* top = cmd->add_option("--top", args->top, "Rank suppliers of --target, keep the first N (default 10)")
                    ->type_name("N")
                    ->check(CLI::PositiveNumber);
    cmd->callback([&ctx, args, top] {
        args->top_given = top->count() > 0;
        run_leverage(ctx, *args);
    });
}

}  // namespace lodestone::cli
