// lodestone watch: rules over the user's materials or BOM; `watch run` raises each alert once
// (rule + measure + change + date), with a severity that grows with the share of supply touched.
#include <algorithm>
#include <cstdio>

#include "commands.hpp"
#include "lodestone/report/workspace_view.hpp"
#include "lodestone/watch/watch.hpp"
#include "workspace_support.hpp"

namespace lodestone::cli {

namespace {

struct WatchOptions {
    std::string name;
    std::vector<std::string> materials;
    std::string bom;
    std::string products;
    std::string destination;
    std::string min_severity = "medium";
    std::string as_of;
    std::string horizon = "30d";
    std::string lookback = "30d";
    std::string rule;
    WorkspaceChoice workspace;
};

void run_add(Context& ctx, const WatchOptions& o) {
    const auto& world = ctx.world();
    if (o.materials.empty() == o.bom.empty()) {
        throw InputError(ErrorCode::Usage,
                         "give either --materials a,b or --bom FILE (exactly one)");
    }
    const auto severity =
        store::parse_alert_severity(o.min_severity).value_or(store::AlertSeverity::Low);
    store::WatchRule rule;
    if (!o.bom.empty()) {
        const auto bom = io::load_bom(
            o.bom,
            o.products.empty() ? std::nullopt : std::optional<std::filesystem::path>(o.products),
            world);
        for (const auto& w : bom.warnings) {
            std::fprintf(stderr, "%s\n", w.to_string().c_str());
        }
        rule = watch::bom_rule(world, o.name, bom, o.bom, o.destination, severity);
    } else {
        rule = watch::materials_rule(world, o.name, o.materials, o.destination, severity);
    }
    auto ws = open_for_write(o.workspace);
    rule.id = ws.add_rule(rule);
    print(ctx, {report::rules_table({*ws.find_rule(rule.name)})});
}

void run_list(Context& ctx, const WatchOptions& o) {
    const auto ws = open_for_read(o.workspace);
    print(ctx, {report::rules_table(ws ? ws->rules() : std::vector<store::WatchRule>{})});
}

void run_remove(Context& ctx, const WatchOptions& o) {
    auto ws = open_for_write(o.workspace);
    if (!ws.remove_rule(o.rule)) {
        throw InputError(ErrorCode::NotFound, "no watch rule named '" + o.rule + "'");
    }
    report::Table t{"Removed", {{"name"}}, {}, {}};
    t.add({o.rule});
    print(ctx, {t});
}

void run_run(Context& ctx, const WatchOptions& o) {
    auto ws = open_for_write(o.workspace);
    std::vector<store::WatchRule> rules;
    if (!o.rule.empty()) {
        auto r = ws.find_rule(o.rule);
        if (!r) {
            throw InputError(ErrorCode::NotFound, "no watch rule named '" + o.rule + "'");
        }
        rules.push_back(std::move(*r));
    } else {
        rules = ws.rules();
    }
    if (rules.empty()) {
        throw InputError(ErrorCode::NotFound, "no watch rules in " + ws.path().string() +
                                                  "; add one with `lodestone watch add`");
    }
    std::optional<store::Workspace> read_ws(std::move(ws));
    const auto merged = merged_world(ctx, read_ws);
    watch::Options opt;
    opt.as_of = resolve_as_of(o.as_of, ctx.world());
    for (const auto& [flag, text, out] :
         {std::tuple{"--horizon", &o.horizon, &opt.horizon_days},
          std::tuple{"--lookback", &o.lookback, &opt.lookback_days}}) {
        const auto days = parse_duration_days(*text);
        if (!days || *days < 0) {
            throw InputError(ErrorCode::Usage,
                             std::string(flag) + ": expected a duration like 30d, 6w or 3m, got '" +
                                 *text + "'");
        }
        *out = *days;
    }
    const auto outcome = watch::run_rules(*merged.world, *read_ws, rules, opt);
    const auto& fresh = outcome.fresh;
    auto t = report::alerts_table("New alerts on " + opt.as_of.to_string(), fresh);
    t.notes.push_back(std::to_string(fresh.size()) + " new alert(s); " +
                      std::to_string(outcome.already_raised) +
                      " already raised before (see `lodestone watch alerts`).");
    t.notes.push_back(merged.basis_note());
    nlohmann::json doc{{"as_of", opt.as_of.to_string()},
                       {"new", fresh.size()},
                       {"already_raised", outcome.already_raised},
                       {"alerts", report::to_json(t)}};
    print(ctx, {t}, &doc);
}

void run_alerts(Context& ctx, const WatchOptions& o) {
    const auto ws = open_for_read(o.workspace);
    if (ws && !o.rule.empty() && !ws->find_rule(o.rule)) {
        throw InputError(ErrorCode::NotFound, "no watch rule named '" + o.rule + "'");
    }
    print(ctx,
          {report::alerts_table("Alerts", ws ? ws->alerts(o.rule) : std::vector<store::Alert>{})});
}

}  // namespace

void add_watch_command(CLI::App& app, Context& ctx) {
    static WatchOptions o;
    auto* cmd =
        app.add_subcommand("watch", "Watch rules over your materials or BOM, and their alerts");
    cmd->require_subcommand(1);

    auto* add = cmd->add_subcommand("add", "Add a watch rule");
    add_common_options(*add, ctx);
    add_workspace_option(*add, o.workspace);
    add->add_option("--name", o.name, "Rule name (unique)")->required();
    add->add_option("--materials", o.materials,
                    "Materials to watch, comma-separated (e.g. gallium,germanium)")
        ->delimiter(',')
        ->type_name("IDS");
    add->add_option("--bom", o.bom, "Bill of materials CSV, as for `lodestone lookthrough --bom`")
        ->type_name("FILE");
    add->add_option("--products", o.products,
                    "Products CSV for the BOM (product, units_per_year, country, ...)")
        ->type_name("FILE");
    add->add_option("--destination", o.destination,
                    "Where your supply is delivered (ISO3); default: any")
        ->type_name("ISO3");
    add->add_option("--min-severity", o.min_severity,
                    "Raise only alerts at or above: low, medium (default) or high")
        ->check(CLI::IsMember({"low", "medium", "high"}));
    add->callback([&ctx] { run_add(ctx, o); });

    auto* list = cmd->add_subcommand("list", "List the watch rules");
    add_common_options(*list, ctx);
    add_workspace_option(*list, o.workspace);
    list->callback([&ctx] { run_list(ctx, o); });

    auto* remove = cmd->add_subcommand("remove", "Remove a watch rule and its alerts");
    add_common_options(*remove, ctx);
    add_workspace_option(*remove, o.workspace);
    remove->add_option("NAME", o.rule, "Rule name")->required();
    remove->callback([&ctx] { run_remove(ctx, o); });

    auto* run = cmd->add_subcommand(
        "run", "Evaluate every rule on a date and print the alerts not raised before");
    add_common_options(*run, ctx);
    add_as_of_option(*run, o.as_of);
    add_workspace_option(*run, o.workspace);
    run->add_option("--rule", o.rule, "Evaluate only this rule")->type_name("NAME");
    run->add_option("--horizon", o.horizon,
                    "Announce transitions up to this far ahead (default 30d)")
        ->type_name("DURATION");
    run->add_option("--lookback", o.lookback, "Report transitions back to this far (default 30d)")
        ->type_name("DURATION");
    run->callback([&ctx] { run_run(ctx, o); });

    auto* alerts = cmd->add_subcommand("alerts", "Alerts raised so far");
    add_common_options(*alerts, ctx);
    add_workspace_option(*alerts, o.workspace);
    alerts->add_option("--rule", o.rule, "Only this rule's alerts")->type_name("NAME");
    alerts->callback([&ctx] { run_alerts(ctx, o); });
}

}  // namespace lodestone::cli
