// lodestone simulate SCENARIO: Monte Carlo of a disruption scenario (docs/market_model.md,
// docs/scenarios.md). Prints a summary per material and sector (median and P5-P95 over runs); --out
// DIR writes the weekly bands (series.csv/json), the summaries (summary.csv/json) and run.json for
// replay. A progress bar goes to stderr only when stderr is a terminal; Ctrl-C stops after the
// current runs and keeps the finished prefix (run.json then says "cancelled": true).
// --sensitivity prints instead a tornado per (region, material, headline output): which uncertain
// parameter moves it most (one-at-a-time P5/P95 pins, or Morris elementary effects).
#include <atomic>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <unistd.h>

#include "build_info.hpp"
#include "commands.hpp"
#include "lodestone/core/number_text.hpp"
#include "lodestone/io/scenario_reader.hpp"
#include "lodestone/sim/market.hpp"
#include "lodestone/sim/monte_carlo.hpp"
#include "lodestone/sim/output.hpp"
#include "lodestone/sim/scenario_draw.hpp"
#include "lodestone/sim/sensitivity.hpp"
#include "scenario_arg.hpp"

namespace lodestone::cli {

namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_cancel{false};

extern "C" void on_interrupt(int /*signal*/) {
    g_cancel.store(true);
}

struct SimulateArgs {
    std::string scenario;
    // As text, checked here: CLI11 clamps out-of-range integers, and a -1 must be refused, not
    // taken for "not given". Empty = not given.
    std::string runs;
    std::string seed;
    std::string threads;
    std::string horizon;
    std::string out;
    std::vector<std::string> set;  // KEY=VALUE or MATERIAL.KEY=VALUE model parameter overrides
    bool sensitivity = false;
    std::string method = "oat";
    long long trajectories = -1;  // -1: not given
};

/// Applies --set KEY=VALUE (or MATERIAL.KEY=VALUE): a model parameter fixed at VALUE, over what the
/// scenario says. Every bad item is reported at once.
void apply_sets(model::ScenarioSpec& spec, const std::vector<std::string>& sets) {
    std::vector<Diagnostic> bad;
    for (const auto& item : sets) {
        const auto eq = item.find('=');
        std::string key = item.substr(0, eq);
        std::string material;
        if (const auto dot = key.find('.'); dot != std::string::npos) {
            material = key.substr(0, dot);
            key = key.substr(dot + 1);
        }
        double value = 0.0;
        bool ok = eq != std::string::npos;
        if (ok) {
            char* end = nullptr;
            const std::string text = item.substr(eq + 1);
            value = std::strtod(text.c_str(), &end);
            ok = !text.empty() && end != nullptr && *end == '\0' && std::isfinite(value);
        }
        if (!ok) {
            bad.push_back(
                {Severity::Error,
                 ErrorCode::Usage,
                 {},
                 0,
                 0,
                 {},
                 "--set: expected KEY=NUMBER or MATERIAL.KEY=NUMBER, got '" + item + "'"});
            continue;
        }
        if (!sim::set_model_param(spec, key, value, material)) {
            std::string names;
            for (const auto& n : sim::model_param_names()) {
                names += (names.empty() ? "" : ", ") + n;
            }
            bad.push_back({Severity::Error,
                           ErrorCode::Usage,
                           {},
                           0,
                           0,
                           {},
                           "--set: unknown model parameter '" + key + "'; one of: " + names});
        }
    }
    if (!bad.empty()) {
        throw InputError(std::move(bad));
    }
}

void write_outputs(const std::string& dir,
                   const sim::Simulation& s,
                   const sim::MonteCarloResult& mc,
                   const sim::Provenance& p) {
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
        throw InputError(ErrorCode::Usage, "--out: '" + dir + "' exists and is not a folder");
    }
    fs::create_directories(dir, ec);
    if (ec) {
        throw InputError(ErrorCode::Usage, "--out: cannot create '" + dir + "': " + ec.message());
    }
    const fs::path root(dir);
    write_file_replacing(root / "series.csv", sim::series_csv(s, mc));
    write_file_replacing(root / "series.json", sim::series_json(s, mc).dump(1) + "\n");
    write_file_replacing(root / "summary.csv", sim::summary_csv(s, mc));
    write_file_replacing(root / "summary.json", sim::summary_json(s, mc).dump(1) + "\n");
    write_file_replacing(root / "run.json", sim::run_json(s, mc, p).dump(2) + "\n");
}

/// "12.3%" style texts for the terminal table.
std::string pct(double v) {
    if (std::isnan(v)) {
        return "-";
    }
    return percent(v, v >= 0.1 ? 0 : 1);
}
std::string week(double v) {
    if (std::isinf(v)) {
        return "never";
    }
    if (std::isnan(v)) {
        return "-";
    }
    return fmt::format("{:.0f}", v);
}
std::string mult(double v) {
    if (std::isnan(v)) {
        return "-";
    }
    return fmt::format("{:.2f}x", v);
}
std::string usd(double v) {
    if (std::isnan(v)) {
        return "-";
    }
    const double a = std::fabs(v);
    if (a >= 1e9) {
        return fmt::format("{:.2f}bn", v / 1e9);
    }
    if (a >= 1e6) {
        return fmt::format("{:.1f}m", v / 1e6);
    }
    return a >= 1e3 ? fmt::format("{:.0f}k", v / 1e3) : fmt::format("{:.0f}", v);
}
std::string band(const sim::SummaryBand& b, std::string (*f)(double)) {
    return f(b.p50) + " [" + f(b.p5) + "-" + f(b.p95) + "]";
}

report::Cell number_or_null(double v) {
    if (std::isnan(v) || std::isinf(v)) {
        return {};
    }
    return v;
}

std::vector<report::Table> summary_tables(const sim::Simulation& s,
                                          const sim::MonteCarloResult& mc,
                                          bool text) {
    const auto rows = sim::summary_rows(s, mc);
    auto find = [&](const std::string& region, bool sector, const std::string& group,
                    sim::SummaryMetric m) {
        for (const auto& r : rows) {
            if (r.region == region && r.sector == sector && r.group == group && r.metric == m) {
                return r.band;
            }
        }
        return sim::SummaryBand{};
    };
    using M = sim::SummaryMetric;
    std::vector<report::Table> out;
    if (text) {
        report::Table mat{
            "Materials: median [P5-P95] over " + std::to_string(mc.runs_done) + " runs",
            {{"region"},
             {"material"},
             {"p_shortfall", 2},
             {"peak_shortfall"},
             {"first_shortfall_week"},
             {"peak_price"},
             {"cumulative_cost_usd"}},
            {},
            {}};
        report::Table sec{"Sectors: median [P5-P95] over " + std::to_string(mc.runs_done) + " runs",
                          {{"region"},
                           {"sector"},
                           {"p_shortfall", 2},
                           {"peak_shortfall"},
                           {"first_shortfall_week"},
                           {"peak_cost_of_output"},
                           {"cumulative_cost_usd"}},
                          {},
                          {}};
        for (const auto& region : s.regions) {
            for (const auto& m : s.materials) {
                const auto first = find(region, false, m, M::FirstShortfallWeek);
                mat.add({region, m, first.probability,
                         band(find(region, false, m, M::PeakShortfallShare), pct),
                         band(first, week),
                         band(find(region, false, m, M::PeakPriceMultiple), mult),
                         band(find(region, false, m, M::CumulativeCostUsd), usd)});
            }
            for (const auto& k : s.sectors) {
                const auto first = find(region, true, k, M::FirstShortfallWeek);
                sec.add({region, k, first.probability,
                         band(find(region, true, k, M::PeakShortfallShare), pct), band(first, week),
                         band(
                             find(region, true, k, M::PeakCostPctOutput),
                             +[](double v) {
                                 return std::isnan(v) ? std::string("-") : pct(v / 100.0);
                             }),
                         band(find(region, true, k, M::CumulativeCostUsd), usd)});
            }
        }
        mat.notes = {
            "peak_shortfall: largest weekly shortfall of the final stage as a share of need; "
            "first_shortfall_week: weeks from the start (never = not within the horizon); "
            "peak_price: price index / baseline price; cumulative cost: extra cost of the sectors' "
            "purchases "
            "(Δ effective price x tonnes) over the horizon."};
        sec.notes = {
            "peak_shortfall of a sector: the scarcest of its materials (Leontief); "
            "peak_cost_of_output: "
            "extra material cost per unit of sector output (intensity.csv x Δ price)."};
        out.push_back(std::move(mat));
        out.push_back(std::move(sec));
        return out;
    }
    report::Table t{"Summary",
                    {{"region"},
                     {"kind"},
                     {"group"},
                     {"metric"},
                     {"p5"},
                     {"p50"},
                     {"p95"},
                     {"mean"},
                     {"probability"},
                     {"cvar95"}},
                    {},
                    {}};
    for (const auto& r : rows) {
        t.add({r.region, r.sector ? "sector" : "material", r.group,
               std::string(sim::to_string(r.metric)), number_or_null(r.band.p5),
               number_or_null(r.band.p50), number_or_null(r.band.p95), number_or_null(r.band.mean),
               number_or_null(r.band.probability), number_or_null(r.band.cvar95)});
    }
    out.push_back(std::move(t));
    return out;
}

/// Text of one headline number in the terminal table.
std::string headline_text(sim::SummaryMetric metric, double v) {
    switch (metric) {
        case sim::SummaryMetric::PeakShortfallShare:
            return pct(v);
        case sim::SummaryMetric::PeakPriceMultiple:
            return mult(v);
        default:
            return usd(v);
    }
}

/// One table, one row per (output, parameter), tornado order: CSV is a single table.
report::Table sensitivity_table(const sim::SensitivityResult& r, bool text) {
    const bool oat = r.method == sim::SensitivityMethod::Oat;
    std::vector<report::Column> cols{{"region"}, {"material"},  {"output"},    {"unit"},
                                     {"rank"},   {"parameter"}, {"low_value"}, {"high_value"}};
    if (oat) {
        cols.insert(cols.end(), {{"median_low"}, {"median_base"}, {"median_high"}, {"swing"}});
    } else {
        cols.insert(cols.end(), {{"median_base"}, {"mu_star"}, {"sigma"}});
    }
    const std::string title =
        oat ? "Sensitivity, one at a time: median over " + std::to_string(r.runs) +
                  " runs with the parameter at its P5 / P95 (base: unpinned), by swing"
            : "Sensitivity, Morris: mean |elementary effect| (mu_star) over " +
                  std::to_string(r.runs) + " trajectories, per the whole P5-P95 range";
    report::Table t{title, std::move(cols), {}, {}};
    for (const auto& tornado : r.tornados) {
        std::int64_t rank = 0;
        const auto unit = std::string(sim::unit_of(tornado.metric));
        auto value = [&](double v) -> report::Cell {
            if (text) {
                return headline_text(tornado.metric, v);
            }
            return number_or_null(v);
        };
        for (const auto& b : tornado.bars) {
            std::vector<report::Cell> row{tornado.region,
                                          tornado.material,
                                          std::string(sim::to_string(tornado.metric)),
                                          unit,
                                          ++rank,
                                          b.path,
                                          number_or_null(b.low_value),
                                          number_or_null(b.high_value)};
            if (oat) {
                row.insert(row.end(), {value(b.median_low), value(tornado.median_base),
                                       value(b.median_high), value(b.swing)});
            } else {
                row.insert(row.end(),
                           {value(tornado.median_base), value(b.mu_star), value(b.sigma)});
            }
            t.add(std::move(row));
        }
    }
    t.notes = r.notes;
    t.notes.push_back(
        "swing = |median_high - median_low| (oat) or mu_star (morris); a parameter that cannot "
        "move an output has swing 0; model runs: " +
        std::to_string(r.model_runs));
    return t;
}

/// A progress bar on stderr when it is a terminal.
std::function<void(std::size_t, std::size_t)> progress_bar(const char* what) {
    if (isatty(STDERR_FILENO) == 0) {
        return {};
    }
    auto last_pct = std::make_shared<int>(-1);
    return [last_pct, what](std::size_t done, std::size_t total) {
        const int p = total > 0 ? static_cast<int>(100 * done / total) : 100;
        if (p == *last_pct) {
            return;
        }
        *last_pct = p;
        const int filled = p * 30 / 100;
        std::fprintf(stderr, "\r[%s%s] %3d%% %zu/%zu %s",
                     std::string(static_cast<std::size_t>(filled), '#').c_str(),
                     std::string(static_cast<std::size_t>(30 - filled), ' ').c_str(), p, done,
                     total, what);
        std::fflush(stderr);
    };
}

/// The checked numeric options of simulate (empty = not given).
struct RunNumbers {
    std::optional<std::uint64_t> runs, seed, threads, horizon;
};

void run_sensitivity_command(Context& ctx,
                             const SimulateArgs& args,
                             const RunNumbers& n,
                             const model::ScenarioSpec& spec) {
    sim::SensitivityOptions opt;
    opt.method =
        args.method == "morris" ? sim::SensitivityMethod::Morris : sim::SensitivityMethod::Oat;
    opt.runs = n.runs ? static_cast<std::size_t>(*n.runs) : 0;
    if (args.trajectories > 0) {
        opt.trajectories = static_cast<std::size_t>(args.trajectories);
    }
    if (n.seed) {
        opt.seed = *n.seed;
    }
    opt.threads = n.threads ? static_cast<int>(*n.threads)
                            : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    opt.cancel = &g_cancel;
    opt.progress = progress_bar("model runs");
    g_cancel = false;
    auto previous = std::signal(SIGINT, on_interrupt);
    sim::SensitivityResult result;
    try {
        result = sim::run_sensitivity(ctx.world(), spec,
                                      n.horizon ? static_cast<int>(*n.horizon) : 0, opt);
    } catch (...) {
        std::signal(SIGINT, previous);
        throw;
    }
    std::signal(SIGINT, previous);
    if (opt.progress) {
        std::fprintf(stderr, "\n");
    }
    if (result.cancelled) {
        // A tornado from part of the variants would compare unlike things: nothing is printed.
        throw std::runtime_error(
            "interrupted after " + std::to_string(result.model_runs) +
            " model runs; a sensitivity needs all its variants, nothing printed");
    }
    const auto doc = sim::sensitivity_json(result, spec.name);
    if (!args.out.empty()) {
        write_file_replacing(fs::path(args.out) / "sensitivity.json", doc.dump(1) + "\n");
    }
    auto table = sensitivity_table(result, ctx.format() == report::Format::Table);
    if (ctx.format() == report::Format::Table) {
        table.notes.insert(table.notes.begin(), "scenario: " + spec.name + " (" + args.scenario +
                                                    "), seed " + std::to_string(result.seed) +
                                                    ", " + std::to_string(result.params.size()) +
                                                    " uncertain parameter(s)");
        if (!args.out.empty()) {
            table.notes.push_back("sensitivity.json written to " + args.out);
        }
    }
    print(ctx, {table}, &doc);
}

void run_simulate(Context& ctx, const SimulateArgs& args) {
    std::vector<Diagnostic> usage;
    auto bad = [&](const std::string& message) {
        usage.push_back({Severity::Error, ErrorCode::Usage, {}, 0, 0, {}, message});
    };
    // A whole number in [lo, hi] or nothing; anything else (a sign, a fraction, overflow) is a
    // usage error naming what was given.
    auto whole = [&](const std::string& text, const char* option, std::uint64_t lo,
                     std::uint64_t hi, const char* what) -> std::optional<std::uint64_t> {
        if (text.empty()) {
            return std::nullopt;
        }
        std::uint64_t v = 0;
        const auto* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, v);
        if (ec != std::errc{} || ptr != end || v < lo || v > hi) {
            bad(std::string(option) + ": expected " + what + ", got " + text);
            return std::nullopt;
        }
        return v;
    };
    const auto runs = whole(args.runs, "--runs", 1, 10000000, "a whole number in [1,10000000]");
    const auto horizon = whole(args.horizon, "--horizon", 1, 1040, "a number of weeks in [1,1040]");
    const auto threads = whole(args.threads, "--threads", 1, 256, "a number in [1,256]");
    const auto seed = whole(args.seed, "--seed", 0, std::numeric_limits<std::uint64_t>::max(),
                            "a whole number in [0,18446744073709551615]");
    if (args.method != "oat" && args.method != "morris") {
        bad("--sensitivity-method: expected oat or morris, got '" + args.method + "'");
    } else if (!args.sensitivity && args.method != "oat") {
        bad("--sensitivity-method needs --sensitivity");
    }
    if (args.trajectories != -1 && (args.trajectories < 1 || args.trajectories > 100000)) {
        bad("--trajectories: expected a whole number in [1,100000], got " +
            std::to_string(args.trajectories));
    } else if (args.trajectories != -1 && args.method != "morris") {
        bad("--trajectories needs --sensitivity --sensitivity-method morris");
    }
    if (!usage.empty()) {
        throw InputError(std::move(usage));
    }
    const auto& world = ctx.world();
    auto spec = read_scenario_arg(args.scenario, world);
    apply_sets(spec, args.set);
    if (args.sensitivity) {
        if (ctx.ranks != nullptr && ctx.ranks->size() > 1) {
            throw InputError(ErrorCode::Usage,
                             "--sensitivity runs in one process; run it without mpirun");
        }
        run_sensitivity_command(ctx, args, {runs, seed, threads, horizon}, spec);
        return;
    }
    const auto simulation =
        sim::compile_simulation(world, spec, horizon ? static_cast<int>(*horizon) : 0);

    sim::MonteCarloOptions opt;
    opt.runs = runs ? static_cast<std::size_t>(*runs) : 0;
    if (seed) {
        opt.seed = *seed;
    }
    opt.threads = threads ? static_cast<int>(*threads)
                          : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    opt.cancel = &g_cancel;
    opt.ranks = ctx.ranks;
    const bool root = ctx.ranks == nullptr || ctx.ranks->root();
    if (root) {
        opt.progress =
            progress_bar(ctx.ranks != nullptr && ctx.ranks->size() > 1 ? "runs of rank 0" : "runs");
    }
    g_cancel = false;
    auto previous = std::signal(SIGINT, on_interrupt);
    sim::MonteCarloResult mc;
    try {
        mc = sim::run_monte_carlo(simulation, opt);
    } catch (...) {
        std::signal(SIGINT, previous);
        throw;
    }
    std::signal(SIGINT, previous);
    if (opt.progress) {
        std::fprintf(stderr, "\n");
    }
    if (!root) {
        return;  // rank 0 holds the merged result, prints it and writes --out
    }
    if (mc.capped_runs > 0) {
        std::fprintf(stderr,
                     "lodestone simulate: %zu of %zu runs reached the price guard of %gx "
                     "(price_cap_multiple): "
                     "those runs failed, their prices are not results (first: %s)\n",
                     mc.capped_runs, mc.runs_done, simulation.price_cap_multiple,
                     mc.first_capped.c_str());
    }
    if (mc.cancelled) {
        std::fprintf(
            stderr,
            "lodestone simulate: interrupted after %zu of %zu runs; results cover those runs\n",
            mc.runs_done, mc.runs_requested);
    }

    const sim::Provenance prov{
        std::string(kVersion), std::string(kGitHash),
        ctx.data_dir.empty() ? std::string("embedded data/world") : ctx.data_dir, args.scenario};
    if (!args.out.empty()) {
        write_outputs(args.out, simulation, mc, prov);
    }
    const bool text = ctx.format() == report::Format::Table;
    auto tables = summary_tables(simulation, mc, text);
    if (text) {
        auto& notes = tables.front().notes;
        notes.insert(notes.begin(), "scenario: " + spec.name + " (" + args.scenario + "), start " +
                                        spec.start.to_string() + ", " +
                                        std::to_string(simulation.horizon_weeks) + " weeks, seed " +
                                        std::to_string(mc.seed) + ", dataset " + world.info.name +
                                        " " + world.content_hash);
        for (const auto& m : simulation.measures) {
            tables.back().notes.push_back("measure " + m.id + " (" + m.kind + "): " + m.treatment);
        }
        for (const auto& n : simulation.notes) {
            tables.back().notes.push_back(n);
        }
        if (!args.out.empty()) {
            tables.back().notes.push_back("weekly bands and run.json written to " + args.out);
        }
    }
    const nlohmann::json doc{{"run", sim::run_json(simulation, mc, prov)},
                             {"summary", sim::summary_json(simulation, mc)}};
    print(ctx, tables, &doc);
}

}  // namespace

void add_simulate_command(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<SimulateArgs>();
    auto* cmd = app.add_subcommand(
        "simulate",
        "Monte Carlo of a disruption scenario: shortfall, prices, stocks and costs by week");
    cmd->add_option("scenario", args->scenario, "Scenario TOML file (see docs/scenarios.md)")
        ->required()
        ->type_name("SCENARIO");
    cmd->add_option("--runs", args->runs, "Monte Carlo runs (default: the scenario's runs)")
        ->type_name("N");
    cmd->add_option("--seed", args->seed,
                    "Seed; run i uses a stream derived from (seed, i) (default: the scenario's)")
        ->type_name("S");
    cmd->add_option("--threads", args->threads,
                    "Worker threads (default: all cores); results do not depend on it")
        ->type_name("T");
    cmd->add_option("--horizon", args->horizon,
                    "Weeks to simulate (default: the scenario's horizon_weeks)")
        ->type_name("WEEKS");
    cmd->add_option("--set", args->set,
                    "Fix a model parameter, e.g. --set stock_price_elasticity=1.5 or --set "
                    "gallium.leakage=0.2 "
                    "(repeatable; overrides the scenario)")
        ->type_name("KEY=VALUE");
    cmd->add_option("--out", args->out,
                    "Folder for series.csv/json, summary.csv/json and run.json (with "
                    "--sensitivity: sensitivity.json)")
        ->type_name("DIR");
    cmd->add_flag(
        "--sensitivity", args->sensitivity,
        "Instead of the summary: which uncertain parameter moves peak shortfall, peak price and "
        "cumulative cost most (a tornado per region and material; docs/scenarios.md)");
    cmd->add_option(
           "--sensitivity-method", args->method,
           "oat: each parameter pinned at its P5 and P95, --runs runs each (default); morris: "
           "elementary effects over the quantile grid")
        ->type_name("oat|morris");
    cmd->add_option("--trajectories", args->trajectories, "Morris trajectories r (default 20)")
        ->type_name("R");
    add_common_options(*cmd, ctx);
    cmd->callback([&ctx, args] { run_simulate(ctx, *args); });
}

}  // namespace lodestone::cli
