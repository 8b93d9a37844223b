// lodestone lookthrough: country origin of a material at every upstream stage, for a country's
// supply (--material --country [--stage]) or for every product and material of a BOM (--bom).
#include <cstdio>
#include <cstdlib>

#include "commands.hpp"
#include "lodestone/report/lookthrough_view.hpp"

namespace lodestone::cli {

namespace {

struct Options {
    std::string material, country, stage, bom, products, buyer, as_of;
    double min_share = 0.001;
};

void run_country(Context& ctx, const Options& opt) {
    const auto& world = ctx.world();
    const Date as_of = resolve_as_of(opt.as_of, world);
    const auto doc = report::country_lookthrough_report(
        world, material_option(world, opt.material, "--material"),
        country_option(world, opt.country, "--country"), opt.stage, as_of, opt.min_share);
    print(ctx, doc);
}

void run_bom(Context& ctx, const Options& opt) {
    const auto& world = ctx.world();
    const Date as_of = resolve_as_of(opt.as_of, world);
    const std::string buyer = country_option(world, opt.buyer, "--buyer");
    if (world.is_bloc(buyer)) {
        throw InputError(ErrorCode::UnknownCountry,
                         "--buyer: expected a country, got the bloc '" + buyer + "'");
    }
    const auto bom = io::load_bom(
        opt.bom,
        opt.products.empty() ? std::nullopt : std::optional<std::filesystem::path>(opt.products),
        world);
    for (const auto& w : bom.warnings) {
        std::fprintf(stderr, "%s\n", w.to_string().c_str());
    }
    const auto doc =
        report::bom_lookthrough_report(world, bom, opt.bom, as_of, buyer, opt.min_share);
    print(ctx, doc);
}

}  // namespace

void add_lookthrough_command(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "lookthrough",
        "Country origin of a material at every upstream stage: of a country's supply (--material "
        "--country) or of every product of a bill of materials (--bom)");
    static Options opt;
    cmd->add_option("--material", opt.material, "Material id (e.g. gallium)");
    cmd->add_option("--country", opt.country,
                    "Country ISO3 or bloc whose supply to trace (e.g. USA, EU)");
    cmd->add_option("--stage", opt.stage,
                    "Only this supply stage (default: every stage of the material)");
    cmd->add_option("--bom", opt.bom, "Bill of materials CSV (see docs/lookthrough.md)")
        ->type_name("FILE");
    cmd->add_option("--products", opt.products,
                    "Products CSV (units_per_year, unit_price_usd, inventory_weeks)")
        ->type_name("FILE");
    cmd->add_option("--buyer", opt.buyer,
                    "ISO3 where the products are made, when the BOM does not say");
    cmd->add_option("--min-share", opt.min_share,
                    "Fold origin shares below this into one 'other' row")
        ->check(CLI::Validator(
            [](std::string& text) {
                // CLI::Range lets nan through (every comparison with nan is false).
                char* end = nullptr;
                const double v = std::strtod(text.c_str(), &end);
                return end != text.c_str() && *end == '\0' && v >= 0.0 && v <= 1.0
                           ? std::string()
                           : "expected a number in [0,1], got '" + text + "'";
            },
            "NUMBER in [0,1]"));
    add_as_of_option(*cmd, opt.as_of);
    add_common_options(*cmd, ctx);
    cmd->callback([&ctx] {
        const bool world_mode = !opt.material.empty() || !opt.country.empty();
        if (!opt.bom.empty() && world_mode) {
            throw InputError(
                ErrorCode::Usage,
                "lookthrough: give either --bom FILE or --material ID --country ISO3, not both");
        }
        if (!opt.bom.empty()) {
            if (!opt.stage.empty()) {
                throw InputError(ErrorCode::Usage,
                                 "lookthrough: --stage goes with --material/--country, not --bom");
            }
            run_bom(ctx, opt);
        } else if (!opt.material.empty() && !opt.country.empty()) {
            if (!opt.products.empty() || !opt.buyer.empty()) {
                throw InputError(ErrorCode::Usage,
                                 "lookthrough: --products and --buyer go with --bom");
            }
            run_country(ctx, opt);
        } else {
            throw InputError(
                ErrorCode::Usage,
                "lookthrough: give --bom FILE, or both --material ID and --country ISO3");
        }
    });
}

}  // namespace lodestone::cli
