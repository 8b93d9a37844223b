// lodestone validate DIR: every problem of a dataset at once, compiler style; exit 2 if any error.
#include <cstdio>

#include "commands.hpp"
#include "lodestone/report/dataset_view.hpp"

namespace lodestone::cli {

namespace {

/// Throws InputError (so that main exits 2) after printing when the dataset has errors.
void run_validate(Context& ctx, const std::string& dir) {
    std::vector<Diagnostic> errors;
    std::vector<Diagnostic> warnings;
    try {
        const auto files = dir.empty() ? io::embedded_world() : io::read_dataset_dir(dir);
        const auto loaded = io::load_world(files);
        warnings = loaded.warnings;
    } catch (const InputError& e) {
        errors = e.diagnostics();
    }
    const std::string shown = dir.empty() ? "embedded data/world" : dir;
    if (ctx.format() == report::Format::Json) {
        write_stdout(report::validation_json(shown, errors, warnings).dump(2) + "\n");
    } else if (ctx.format() == report::Format::Csv) {
        write_stdout(report::render_csv(report::diagnostics_table(errors, warnings)));
    } else {
        std::string out;
        for (const auto& d : errors) {
            out += d.to_string() + "\n";
        }
        for (const auto& d : warnings) {
            out += d.to_string() + "\n";
        }
        write_stdout(out);
    }
    std::fprintf(stderr, "%s: %zu error(s), %zu warning(s)%s\n", shown.c_str(), errors.size(),
                 warnings.size(), errors.empty() ? "; dataset is valid" : "; dataset refused");
    if (!errors.empty()) {
        throw InputError(std::vector<Diagnostic>{});  // already printed; exit code 2
    }
}

}  // namespace

void add_validate_command(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("validate",
                                   "Check a dataset folder and list every problem (exit 2 if any)");
    static std::string dir;
    cmd->add_option("DIR", dir, "Dataset folder (default: the embedded dataset)");
    cmd->add_option("--format", ctx.format_name, "Output format: table, json or csv")
        ->check(CLI::IsMember({"table", "json", "csv"}));
    cmd->callback([&ctx] { run_validate(ctx, dir); });
}

}  // namespace lodestone::cli
