// lodestone propagate: the daily firm-network propagation model (Inoue and Todo 2019) on a firm
// network given as CSV (--firms, --links, --shock) or as the text files of Inoue's published
// simulator (--input-format inoue). Prints the daily production and value-added series, the firms
// hit hardest and the loss by country and sector; --out DIR writes them as CSV files plus run.json.
// A set of shocks (--shock or --delta repeated, one file per scenario) runs each scenario on its
// own and prints one summary row per scenario; --out DIR then writes DIR/<file stem>/ per scenario
// and DIR/shock_sets.csv. Under mpirun the scenarios are split over the ranks (docs/parallel.md).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>

#include "build_info.hpp"
#include "commands.hpp"
#include "lodestone/firmnet/market_shock.hpp"
#include "lodestone/firmnet/propagate_set.hpp"
#include "lodestone/firmnet/reader.hpp"
#include "lodestone/firmnet/summary.hpp"
#include "lodestone/io/scenario_reader.hpp"
#include "lodestone/sim/monte_carlo.hpp"
#include "scenario_arg.hpp"

namespace lodestone::cli {

namespace {

struct PropagateArgs {
    std::string input_format = "csv";
    std::string firms, links;
    std::vector<std::string> shocks;
    std::string transactions, final_consumption, initial_production, affiliation;
    std::vector<std::string> deltas;
    int days = 60;
    std::string rationing = "proportional";
    double inventory_days = 15.0;
    double tau = 6.0;
    int recovery_days = 0;
    int threads = -1;
    int top = 10;
    std::vector<int> snapshot_days;
    std::string out;
    std::string scenario, material;
    std::vector<std::string> material_sectors;
    long long runs = -1;
    long long seed = -1;
};

void usage(std::vector<Diagnostic>& diags, const std::string& message) {
    diags.push_back({Severity::Error, ErrorCode::Usage, {}, 0, 0, {}, message});
}

firmnet::LoadedFirmNet load(const PropagateArgs& a) {
    std::vector<Diagnostic> bad;
    const bool csv = a.input_format == "csv";
    auto need = [&](const std::string& value, const char* flag) {
        if (value.empty()) {
            usage(bad,
                  std::string(flag) + " FILE is required with --input-format " + a.input_format);
        }
    };
    auto refuse = [&](const std::string& value, const char* flag) {
        if (!value.empty()) {
            usage(bad, std::string(flag) + " is not used with --input-format " + a.input_format);
        }
    };
    if (csv) {
        need(a.firms, "--firms");
        need(a.links, "--links");
        refuse(a.transactions, "--transactions");
        refuse(a.final_consumption, "--final-consumption");
        refuse(a.initial_production, "--initial-production");
        refuse(a.affiliation, "--affiliation");
        if (!a.deltas.empty()) {
            usage(bad, "--delta is not used with --input-format csv");
        }
    } else {
        need(a.transactions, "--transactions");
        need(a.final_consumption, "--final-consumption");
        need(a.initial_production, "--initial-production");
        need(a.affiliation, "--affiliation");
        refuse(a.firms, "--firms");
        refuse(a.links, "--links");
        if (!a.shocks.empty()) {
            usage(bad, "--shock is not used with --input-format inoue");
        }
    }
    if (!bad.empty()) {
        throw InputError(std::move(bad));
    }
    Diagnostics diags;
    auto read = [&](const std::string& path) {
        return path.empty() ? firmnet::TextFile{} : firmnet::load_text(path, diags);
    };
    auto read_all = [&](const std::vector<std::string>& paths) {
        std::vector<firmnet::TextFile> files;
        files.reserve(paths.size());
        for (const auto& path : paths) {
            files.push_back(read(path));
        }
        if (files.empty()) {
            files.emplace_back();
        }
        return files;
    };
    if (csv) {
        const auto firms = read(a.firms);
        const auto links = read(a.links);
        auto shocks = read_all(a.shocks);
        diags.throw_if_errors();
        const firmnet::TextFile first = std::move(shocks.front());
        shocks.erase(shocks.begin());
        return firmnet::read_csv(firms, links, first, shocks);
    }
    auto deltas = read_all(a.deltas);
    firmnet::InoueFiles files{read(a.transactions),       read(a.final_consumption),
                              read(a.initial_production), read(a.affiliation),
                              std::move(deltas.front()),  {}};
    deltas.erase(deltas.begin());
    files.more_deltas = std::move(deltas);
    diags.throw_if_errors();
    return firmnet::read_inoue(files);
}

report::Cell num(double v) {
    return std::isfinite(v) ? report::Cell{v} : report::Cell{};
}

/// The tables and files of one run: printed when print_it, written to out_dir when given.
void output_run(Context& ctx,
                const PropagateArgs& a,
                const firmnet::FirmNetwork& net,
                const firmnet::PropagateOptions& opt,
                const firmnet::PropagateResult& result,
                std::size_t shock_count,
                const std::string& shock_file,
                const std::vector<std::string>& market_notes,
                const std::string& out_dir,
                bool print_it) {
    const double p0 = result.production.front();
    const double v0 = result.value_added.front();
    report::Table daily{"Daily totals (money per day, the unit of the input amounts)",
                        {{"day"},
                         {"production"},
                         {"production_pct", 3, "%"},
                         {"value_added"},
                         {"value_added_pct", 3, "%"},
                         {"final_consumption"}},
                        {},
                        {}};
    for (std::size_t t = 0; t < result.production.size(); ++t) {
        daily.add({static_cast<std::int64_t>(t), result.production[t],
                   p0 > 0 ? num(100.0 * result.production[t] / p0) : report::Cell{},
                   result.value_added[t],
                   v0 != 0 ? num(100.0 * result.value_added[t] / v0) : report::Cell{},
                   result.final_consumption[t]});
    }
    daily.notes = {
        "day 0 is the initial state; " + std::to_string(net.firms()) + " firms, " +
            std::to_string(net.links()) + " links, " + std::to_string(shock_count) +
            " firm shocks; rationing " + std::string(firmnet::to_string(opt.rationing)) +
            ", inventory " + report::format_number(opt.inventory_days) + " days" +
            (net.inventory_days.empty() ? "" : " (per-firm values from the firms file)") +
            ", tau " + report::format_number(opt.tau) + " days, recovery " +
            (opt.recovery_days > 0 ? std::to_string(opt.recovery_days) + " days (linear)"
                                   : std::string("none")),
        "ASSUMPTION: default n = 15 days and tau = 6 days as attributed to Inoue and Todo (2019), "
        "Nature "
        "Sustainability 2:841-847, not checked against the paper here (docs/propagate.md)",
        "largest |deliveries - production| / production over firms and days: " +
            report::format_number(result.max_delivery_residual)};
    daily.notes.insert(daily.notes.end(), market_notes.begin(), market_notes.end());
    report::Table firms{"Firms hit hardest (loss summed over the days)",
                        {{"firm"},
                         {"country"},
                         {"sector"},
                         {"production_loss"},
                         {"value_added_loss"},
                         {"loss_pct", 3, "%"},
                         {"min_production_pct", 3, "%"},
                         {"min_day"}},
                        {},
                        {}};
    for (const auto& f : firmnet::hardest_hit(net, result, static_cast<std::size_t>(a.top))) {
        firms.add({net.ids[f.firm],
                   net.country_names[static_cast<std::size_t>(net.country[f.firm])],
                   net.sector_names[static_cast<std::size_t>(net.sector[f.firm])],
                   f.production_loss, f.value_added_loss, 100.0 * f.loss_share, 100.0 * f.min_ratio,
                   static_cast<std::int64_t>(f.min_day)});
    }
    report::Table groups{"Loss by country and sector",
                         {{"country"},
                          {"sector"},
                          {"firms"},
                          {"baseline_production"},
                          {"production_loss"},
                          {"value_added_loss"},
                          {"loss_pct", 3, "%"}},
                         {},
                         {}};
    for (const auto& g : firmnet::group_losses(net, result)) {
        groups.add({g.country, g.sector, static_cast<std::int64_t>(g.firms), g.baseline_production,
                    g.production_loss, g.value_added_loss, 100.0 * g.loss_share});
    }
    nlohmann::json run{
        {"command", "propagate"},
        {"version", std::string(kVersion)},
        {"input_format", a.input_format},
        {"firms", net.firms()},
        {"links", net.links()},
        {"shocks", shock_count},
        {"shock_file", shock_file},
        {"days", opt.days},
        {"rationing", std::string(firmnet::to_string(opt.rationing))},
        {"inventory_days", opt.inventory_days},
        {"tau_days", opt.tau},
        {"recovery_days", opt.recovery_days},
        {"max_delivery_residual", result.max_delivery_residual},
        {"assumptions",
         {"default inventory n = 15 days and tau = 6 days, attributed to Inoue and Todo "
          "(2019), not checked against the paper here"}},
        {"market_shock", market_notes}};
    if (!out_dir.empty()) {
        const std::filesystem::path root(out_dir);
        write_file_replacing(root / "daily.csv", report::render_csv(daily));
        write_file_replacing(root / "firms.csv", report::render_csv(firms));
        write_file_replacing(root / "groups.csv", report::render_csv(groups));
        write_file_replacing(root / "run.json", run.dump(2) + "\n");
        for (const auto& s : result.snapshots) {
            std::string text = "firm,production\n";
            for (std::size_t i = 0; i < net.firms(); ++i) {
                text += net.ids[i] + "," + report::format_number(s.production[i]) + "\n";
            }
            write_file_replacing(root / ("snapshot_day" + std::to_string(s.day) + ".csv"), text);
        }
        groups.notes.push_back("daily.csv, firms.csv, groups.csv and run.json written to " +
                               out_dir);
    } else if (!result.snapshots.empty()) {
        groups.notes.emplace_back("--snapshot-days needs --out DIR to write the per-firm files");
    }
    const nlohmann::json doc{{"run", run},
                             {"daily", report::to_json(daily)},
                             {"hardest_hit", report::to_json(firms)},
                             {"by_country_sector", report::to_json(groups)}};
    if (print_it) {
        print(ctx, {daily, firms, groups}, &doc);
    }
}

void run_propagate(Context& ctx, const PropagateArgs& a) {
    std::vector<Diagnostic> bad;
    if (a.input_format != "csv" && a.input_format != "inoue") {
        usage(bad, "--input-format: expected csv or inoue, got '" + a.input_format + "'");
    }
    if (a.days < 1 || a.days > 100000) {
        usage(bad, "--days: expected a whole number in [1,100000], got " + std::to_string(a.days));
    }
    if (a.rationing != "proportional" && a.rationing != "lowest-first") {
        usage(bad, "--rationing: expected proportional or lowest-first, got '" + a.rationing + "'");
    }
    if (!(a.inventory_days > 0) || !std::isfinite(a.inventory_days)) {
        usage(bad, "--inventory-days: expected a number of days > 0");
    }
    if (!(a.tau > 0) || !std::isfinite(a.tau)) {
        usage(bad, "--tau: expected a number of days > 0");
    }
    if (a.recovery_days < 0) {
        usage(bad, "--recovery-days: expected a whole number >= 0, got " +
                       std::to_string(a.recovery_days));
    }
    if (a.threads != -1 && (a.threads < 1 || a.threads > 256)) {
        usage(bad, "--threads: expected a number in [1,256], got " + std::to_string(a.threads));
    }
    if (a.top < 0) {
        usage(bad, "--top: expected a whole number >= 0");
    }
    for (const int d : a.snapshot_days) {
        if (d < 1 || d > a.days) {
            usage(bad, "--snapshot-days: day " + std::to_string(d) + " is outside [1," +
                           std::to_string(a.days) + "]");
        }
    }
    if (a.scenario.empty() != a.material.empty() ||
        a.material.empty() != a.material_sectors.empty()) {
        usage(bad, "--scenario, --material and --material-sectors go together");
    }
    if (a.runs != -1 && (a.runs < 1 || a.runs > 1000000)) {
        usage(bad, "--runs: expected a whole number in [1,1000000], got " + std::to_string(a.runs));
    }
    // A set of shocks: the scenarios are named by their file's stem (their --out folder).
    std::vector<std::string> set_names;
    for (const auto& f : a.input_format == "csv" ? a.shocks : a.deltas) {
        const std::string stem = std::filesystem::path(f).stem().string();
        if (std::find(set_names.begin(), set_names.end(), stem) != set_names.end()) {
            usage(bad, "a set of shocks names each scenario by its file's stem: '" + stem +
                           "' is given twice (rename one file)");
        }
        set_names.push_back(stem);
    }
    if (!bad.empty()) {
        throw InputError(std::move(bad));
    }
    auto loaded = load(a);
    const auto& net = loaded.network;
    for (const auto& w : loaded.warnings) {
        std::fprintf(stderr, "%s\n", w.to_string().c_str());
    }
    firmnet::PropagateOptions opt;
    opt.days = a.days;
    opt.rationing = a.rationing == "lowest-first" ? firmnet::Rationing::LowestFirst
                                                  : firmnet::Rationing::Proportional;
    opt.inventory_days = a.inventory_days;
    opt.tau = a.tau;
    opt.recovery_days = a.recovery_days;
    opt.threads = a.threads > 0
                      ? a.threads
                      : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    opt.snapshot_days = a.snapshot_days;
    std::vector<std::string> market_notes;
    std::vector<firmnet::Shock> market_shocks;
    if (!a.scenario.empty()) {
        // The market model's median shortfall path of the material becomes the capacity loss of
        // the firms of the sectors that use it.
        const auto& world = ctx.world();
        const auto spec = read_scenario_arg(a.scenario, world);
        const auto simulation = sim::compile_simulation(world, spec);
        sim::MonteCarloOptions mo;
        mo.runs = a.runs > 0 ? static_cast<std::size_t>(a.runs) : 0;
        if (a.seed >= 0) {
            mo.seed = static_cast<std::uint64_t>(a.seed);
        }
        mo.threads = opt.threads;
        const auto mc = sim::run_monte_carlo(simulation, mo);
        auto market = firmnet::market_shocks(simulation, mc, a.material, net, a.material_sectors);
        market_notes = std::move(market.notes);
        market_notes.insert(market_notes.begin(),
                            "market shock: scenario " + spec.name + " (" + a.scenario + "), " +
                                std::to_string(mc.runs_done) + " runs, seed " +
                                std::to_string(mc.seed) + "; weekly median shortfall share of " +
                                a.material + " held for 7 days as delta of " +
                                std::to_string(market.shocks.size()) + " firms");
        market_shocks = std::move(market.shocks);
    }
    // One scenario per shock file (a set of shocks), or the one scenario; the market shock, when
    // given, is part of every scenario.
    std::vector<std::vector<firmnet::Shock>> sets = loaded.shock_sets;
    const std::vector<std::string>& files = a.input_format == "csv" ? a.shocks : a.deltas;
    if (sets.empty()) {
        sets.emplace_back();
    }
    for (auto& s : sets) {
        s.insert(s.end(), market_shocks.begin(), market_shocks.end());
    }
    const auto results = firmnet::propagate_set(net, sets, opt, ctx.ranks);
    if (ctx.ranks != nullptr && !ctx.ranks->root()) {
        return;  // rank 0 holds every scenario's result, prints and writes
    }
    if (sets.size() == 1) {
        output_run(ctx, a, net, opt, results.front(), sets.front().size(),
                   files.empty() ? "" : files.front(), market_notes, a.out, true);
        return;
    }
    report::Table summary{"Shock sets: one independent run per shock file",
                          {{"set"},
                           {"shock_file"},
                           {"firm_shocks"},
                           {"production_loss"},
                           {"value_added_loss"},
                           {"loss_pct", 3, "%"},
                           {"min_production_pct", 3, "%"},
                           {"min_day"},
                           {"last_day_production_pct", 3, "%"}},
                          {},
                          {}};
    for (std::size_t k = 0; k < sets.size(); ++k) {
        const auto& r = results[k];
        const double p0 = r.production.front();
        double loss = 0.0, va_loss = 0.0, min_p = p0;
        std::size_t min_day = 0;
        for (std::size_t t = 1; t < r.production.size(); ++t) {
            loss += p0 - r.production[t];
            va_loss += r.value_added.front() - r.value_added[t];
            if (r.production[t] < min_p) {
                min_p = r.production[t];
                min_day = t;
            }
        }
        const double days = static_cast<double>(r.production.size() - 1);
        summary.add({set_names[k], files[k], static_cast<std::int64_t>(sets[k].size()), loss,
                     va_loss, p0 > 0 ? num(100.0 * loss / (p0 * days)) : report::Cell{},
                     p0 > 0 ? num(100.0 * min_p / p0) : report::Cell{},
                     static_cast<std::int64_t>(min_day),
                     p0 > 0 ? num(100.0 * r.production.back() / p0) : report::Cell{}});
        if (!a.out.empty()) {
            output_run(ctx, a, net, opt, r, sets[k].size(), files[k], market_notes,
                       (std::filesystem::path(a.out) / set_names[k]).string(), false);
        }
    }
    summary.notes = {
        std::to_string(net.firms()) + " firms, " + std::to_string(net.links()) + " links; " +
        std::to_string(opt.days) + " days, rationing " +
        std::string(firmnet::to_string(opt.rationing)) +
        "; production_loss and value_added_loss are summed over the days (money); loss_pct is the "
        "production loss as a share of the baseline over the days"};
    summary.notes.insert(summary.notes.end(), market_notes.begin(), market_notes.end());
    if (!a.out.empty()) {
        write_file_replacing(std::filesystem::path(a.out) / "shock_sets.csv",
                             report::render_csv(summary));
        summary.notes.push_back(
            "shock_sets.csv and one folder per set (daily.csv, firms.csv, groups.csv, run.json) "
            "written to " +
            a.out);
    }
    print(ctx, {summary});
}

}  // namespace

void add_propagate_command(CLI::App& app, Context& ctx) {
    auto a = std::make_shared<PropagateArgs>();
    auto* cmd = app.add_subcommand(
        "propagate",
        "Daily propagation of firm capacity losses through a supply network (Inoue and Todo 2019)");
    cmd->add_option("--input-format", a->input_format,
                    "csv (--firms/--links/--shock) or inoue (the simulator's text files)")
        ->type_name("csv|inoue");
    cmd->add_option("--firms", a->firms, "CSV id,country,sector,final_demand[,inventory_days]")
        ->type_name("FILE");
    cmd->add_option("--links", a->links, "CSV supplier,client,daily_amount")->type_name("FILE");
    cmd->add_option("--shock", a->shocks,
                    "CSV firm,capacity_loss[,start_day][,recovery_days]; firm may be a "
                    "selector country=X;sector=Y. Repeat for a set of shocks: one independent "
                    "run per file (split over the ranks under mpirun)")
        ->type_name("FILE");
    cmd->add_option("--transactions", a->transactions, "inoue: supplier client amount")
        ->type_name("FILE");
    cmd->add_option("--final-consumption", a->final_consumption, "inoue: firm value")
        ->type_name("FILE");
    cmd->add_option("--initial-production", a->initial_production, "inoue: firm value")
        ->type_name("FILE");
    cmd->add_option("--affiliation", a->affiliation, "inoue: firm sector")->type_name("FILE");
    cmd->add_option("--delta", a->deltas,
                    "inoue: firm delta [start_day]; repeat for a set of shocks")
        ->type_name("FILE");
    cmd->add_option("--days", a->days, "Days to simulate (default 60)")->type_name("N");
    cmd->add_option("--rationing", a->rationing, "proportional (default) or lowest-first")
        ->type_name("RULE");
    cmd->add_option("--inventory-days", a->inventory_days,
                    "Target input inventory n, days (default 15)")
        ->type_name("DAYS");
    cmd->add_option("--tau", a->tau, "Days to close an inventory gap (default 6)")
        ->type_name("DAYS");
    cmd->add_option("--recovery-days", a->recovery_days,
                    "Days for a shock to recover linearly to 0 (default 0: no recovery)")
        ->type_name("R");
    cmd->add_option("--threads", a->threads,
                    "Worker threads (default: all cores); results do not depend on it")
        ->type_name("T");
    cmd->add_option("--top", a->top, "Firms listed as hit hardest (default 10)")->type_name("K");
    cmd->add_option("--snapshot-days", a->snapshot_days,
                    "Days whose per-firm production --out writes")
        ->delimiter(',')
        ->type_name("D,D,...");
    cmd->add_option("--scenario", a->scenario,
                    "A `simulate` scenario whose shortfall drives --material-sectors")
        ->type_name("FILE");
    cmd->add_option("--material", a->material, "The scenario's material used by --material-sectors")
        ->type_name("ID");
    cmd->add_option("--material-sectors", a->material_sectors, "Firm sectors that use --material")
        ->delimiter(',')
        ->type_name("S,S,...");
    cmd->add_option("--runs", a->runs, "Monte Carlo runs of --scenario (default: the scenario's)")
        ->type_name("N");
    cmd->add_option("--seed", a->seed, "Seed of --scenario's runs (default: the scenario's)")
        ->type_name("S");
    cmd->add_option("--out", a->out,
                    "Folder for daily.csv, firms.csv, groups.csv, run.json, snapshots")
        ->type_name("DIR");
    add_common_options(*cmd, ctx);
    cmd->callback([&ctx, a] { run_propagate(ctx, *a); });
}

}  // namespace lodestone::cli
