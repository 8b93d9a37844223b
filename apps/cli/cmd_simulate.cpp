// lodestone simulate SCENARIO: Monte Carlo of a disruption scenario (DESIGN §7.1, §7.3).
// Prints a summary per material and sector (median and P5-P95 over runs); --out DIR writes the
// weekly bands (series.csv/json), the summaries (summary.csv/json) and run.json for replay.
// A progress bar goes to stderr only when stderr is a terminal; Ctrl-C stops after the current
// runs and keeps the finished prefix (run.json then says "cancelled": true).
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "build_info.hpp"
#include "commands.hpp"
#include "scenario_arg.hpp"
#include "lodestone/io/scenario_reader.hpp"
#include "lodestone/sim/market.hpp"
#include "lodestone/sim/monte_carlo.hpp"
#include "lodestone/sim/output.hpp"

namespace lodestone::cli {

namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_cancel{false};

extern "C" void on_interrupt(int /*signal*/) { g_cancel.store(true); }

struct SimulateArgs {
    std::string scenario;
    long long runs = -1;     // -1: not given
    long long seed = -1;     // -1: not given
    int threads = -1;        // -1: not given
    int horizon = -1;        // -1: not given
    std::string out;
};

void write_outputs(const std::string& dir, const sim::Simulation& s, const sim::MonteCarloResult& mc,
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
    char buf[32];
    std::snprintf(buf, sizeof buf, v >= 0.1 ? "%.0f%%" : "%.1f%%", 100.0 * v);
    return buf;
}
std::string week(double v) {
    if (std::isinf(v)) {
        return "never";
    }
    if (std::isnan(v)) {
        return "-";
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
}
std::string mult(double v) {
    if (std::isnan(v)) {
        return "-";
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2fx", v);
    return buf;
}
std::string usd(double v) {
    if (std::isnan(v)) {
        return "-";
    }
    char buf[32];
    const double a = std::fabs(v);
    if (a >= 1e9) {
        std::snprintf(buf, sizeof buf, "%.2fbn", v / 1e9);
    } else if (a >= 1e6) {
        std::snprintf(buf, sizeof buf, "%.1fm", v / 1e6);
    } else if (a >= 1e3) {
        std::snprintf(buf, sizeof buf, "%.0fk", v / 1e3);
    } else {
        std::snprintf(buf, sizeof buf, "%.0f", v);
    }
    return buf;
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

std::vector<report::Table> summary_tables(const sim::Simulation& s, const sim::MonteCarloResult& mc, bool text) {
    const auto rows = sim::summary_rows(s, mc);
    auto find = [&](const std::string& region, bool sector, const std::string& group, sim::SummaryMetric m) {
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
        report::Table mat{"Materials: median [P5-P95] over " + std::to_string(mc.runs_done) + " runs",
                          {{"region"}, {"material"}, {"p_shortfall", 2}, {"peak_shortfall"}, {"first_shortfall_week"},
                           {"peak_price"}, {"cumulative_cost_usd"}},
                          {},
                          {}};
        report::Table sec{"Sectors: median [P5-P95] over " + std::to_string(mc.runs_done) + " runs",
                          {{"region"}, {"sector"}, {"p_shortfall", 2}, {"peak_shortfall"}, {"first_shortfall_week"},
                           {"peak_cost_of_output"}, {"cumulative_cost_usd"}},
                          {},
                          {}};
        for (const auto& region : s.regions) {
            for (const auto& m : s.materials) {
                const auto first = find(region, false, m, M::FirstShortfallWeek);
                mat.add({region, m, first.probability, band(find(region, false, m, M::PeakShortfallShare), pct),
                         band(first, week), band(find(region, false, m, M::PeakPriceMultiple), mult),
                         band(find(region, false, m, M::CumulativeCostUsd), usd)});
            }
            for (const auto& k : s.sectors) {
                const auto first = find(region, true, k, M::FirstShortfallWeek);
                sec.add({region, k, first.probability, band(find(region, true, k, M::PeakShortfallShare), pct),
                         band(first, week),
                         band(find(region, true, k, M::PeakCostPctOutput),
                              +[](double v) { return std::isnan(v) ? std::string("-") : pct(v / 100.0); }),
                         band(find(region, true, k, M::CumulativeCostUsd), usd)});
            }
        }
        mat.notes = {"peak_shortfall: largest weekly shortfall of the final stage as a share of need; "
                     "first_shortfall_week: weeks from the start (never = not within the horizon); "
                     "peak_price: price index / baseline price; cumulative cost: extra cost of the sectors' purchases "
                     "(Δ effective price x tonnes) over the horizon."};
        sec.notes = {"peak_shortfall of a sector: the scarcest of its materials (Leontief); peak_cost_of_output: "
                     "extra material cost per unit of sector output (intensity.csv x Δ price)."};
        out.push_back(std::move(mat));
        out.push_back(std::move(sec));
        return out;
    }
    report::Table t{"Summary",
                    {{"region"}, {"kind"}, {"group"}, {"metric"}, {"p5"}, {"p50"}, {"p95"}, {"mean"},
                     {"probability"}, {"cvar95"}},
                    {},
                    {}};
    for (const auto& r : rows) {
        t.add({r.region, r.sector ? "sector" : "material", r.group, std::string(sim::to_string(r.metric)),
               number_or_null(r.band.p5), number_or_null(r.band.p50), number_or_null(r.band.p95),
               number_or_null(r.band.mean), number_or_null(r.band.probability), number_or_null(r.band.cvar95)});
    }
    out.push_back(std::move(t));
    return out;
}

void run_simulate(Context& ctx, const SimulateArgs& args) {
    std::vector<Diagnostic> usage;
    auto bad = [&](const std::string& message) {
        usage.push_back({Severity::Error, ErrorCode::Usage, {}, 0, 0, {}, message});
    };
    if (args.runs != -1 && (args.runs < 1 || args.runs > 10000000)) {
        bad("--runs: expected a whole number in [1,10000000], got " + std::to_string(args.runs));
    }
    if (args.seed < -1) {
        bad("--seed: expected a whole number >= 0, got " + std::to_string(args.seed));
    }
    if (args.horizon != -1 && (args.horizon < 1 || args.horizon > 1040)) {
        bad("--horizon: expected a number of weeks in [1,1040], got " + std::to_string(args.horizon));
    }
    if (args.threads != -1 && (args.threads < 1 || args.threads > 256)) {
        bad("--threads: expected a number in [1,256], got " + std::to_string(args.threads));
    }
    if (!usage.empty()) {
        throw InputError(std::move(usage));
    }
    const auto& world = ctx.world();
    const auto spec = read_scenario_arg(args.scenario, world);
    const auto simulation = sim::compile_simulation(world, spec, std::max(0, args.horizon));

    sim::MonteCarloOptions opt;
    opt.runs = args.runs > 0 ? static_cast<std::size_t>(args.runs) : 0;
    if (args.seed >= 0) {
        opt.seed = static_cast<std::uint64_t>(args.seed);
    }
    opt.threads = args.threads > 0 ? args.threads : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    opt.cancel = &g_cancel;
    const bool bar = isatty(STDERR_FILENO) != 0;
    int last_pct = -1;
    if (bar) {
        opt.progress = [&](std::size_t done, std::size_t total) {
            const int p = total > 0 ? static_cast<int>(100 * done / total) : 100;
            if (p == last_pct) {
                return;
            }
            last_pct = p;
            const int filled = p * 30 / 100;
            std::fprintf(stderr, "\r[%s%s] %3d%% %zu/%zu runs", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                         std::string(static_cast<std::size_t>(30 - filled), ' ').c_str(), p, done, total);
            std::fflush(stderr);
        };
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
    if (bar) {
        std::fprintf(stderr, "\n");
    }
    if (mc.cancelled) {
        std::fprintf(stderr, "lodestone simulate: interrupted after %zu of %zu runs; results cover those runs\n",
                     mc.runs_done, mc.runs_requested);
    }

    const sim::Provenance prov{std::string(kVersion), std::string(kGitHash),
                               ctx.data_dir.empty() ? std::string("embedded data/world") : ctx.data_dir,
                               args.scenario};
    if (!args.out.empty()) {
        write_outputs(args.out, simulation, mc, prov);
    }
    const bool text = ctx.format() == report::Format::Table;
    auto tables = summary_tables(simulation, mc, text);
    if (text) {
        auto& notes = tables.front().notes;
        notes.insert(notes.begin(), "scenario: " + spec.name + " (" + args.scenario + "), start " +
                                        spec.start.to_string() + ", " + std::to_string(simulation.horizon_weeks) +
                                        " weeks, seed " + std::to_string(mc.seed) + ", dataset " +
                                        world.info.name + " " + world.content_hash);
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
    const nlohmann::json doc{{"run", sim::run_json(simulation, mc, prov)}, {"summary", sim::summary_json(simulation, mc)}};
    print(ctx, tables, &doc);
}

}  // namespace

void add_simulate_command(CLI::App& app, Context& ctx) {
    auto args = std::make_shared<SimulateArgs>();
    auto* cmd = app.add_subcommand("simulate",
                                   "Monte Carlo of a disruption scenario: shortfall, prices, stocks and costs by week");
    cmd->add_option("scenario", args->scenario, "Scenario TOML file (see docs/scenarios.md)")
        ->required()
        ->type_name("SCENARIO");
    cmd->add_option("--runs", args->runs, "Monte Carlo runs (default: the scenario's runs)")->type_name("N");
    cmd->add_option("--seed", args->seed, "Seed; run i uses a stream derived from (seed, i) (default: the scenario's)")
        ->type_name("S");
    cmd->add_option("--threads", args->threads, "Worker threads (default: all cores); results do not depend on it")
        ->type_name("T");
    cmd->add_option("--horizon", args->horizon, "Weeks to simulate (default: the scenario's horizon_weeks)")
        ->type_name("WEEKS");
    cmd->add_option("--out", args->out, "Folder for series.csv/json, summary.csv/json and run.json")
        ->type_name("DIR");
    add_common_options(*cmd, ctx);
    cmd->callback([&ctx, args] { run_simulate(ctx, *args); });
}

}  // namespace lodestone::cli
