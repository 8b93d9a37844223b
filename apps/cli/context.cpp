#include "context.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <sys/ioctl.h>
#include <unistd.h>

#include "lodestone/core/text.hpp"
#include "lodestone/model/lookup.hpp"
#include "lodestone/report/document.hpp"
#include "lodestone/report/freshness.hpp"
#include "lodestone/report/table_fit.hpp"

namespace lodestone::cli {

const model::World& Context::world() {
    if (!loaded) {
        loaded = io::load_world(data_dir.empty() ? io::embedded_world()
                                                 : io::read_dataset_dir(data_dir));
        for (const auto& w : loaded->warnings) {
            if (w.code != ErrorCode::Header) {
                continue;  // only surface header warnings: they hint at typos in user datasets
            }
            std::fprintf(stderr, "%s\n", w.to_string().c_str());
        }
    }
    return loaded->world;
}

report::Format Context::format() const {
    if (format_name == "json") {
        return report::Format::Json;
    }
    if (format_name == "csv") {
        return report::Format::Csv;
    }
    if (format_name == "table") {
        return report::Format::Table;
    }
    return isatty(STDOUT_FILENO) ? report::Format::Table : report::Format::Csv;
}

void add_common_options(CLI::App& cmd, Context& ctx) {
    cmd.add_option("--data", ctx.data_dir, "Dataset folder (default: the embedded data/world)")
        ->type_name("DIR");
    cmd.add_option("--format", ctx.format_name,
                   "Output format: table, json or csv (default: table on a terminal, else csv)")
        ->check(CLI::IsMember({"table", "json", "csv"}));
    cmd.add_option(
           "--table", ctx.table_name,
           "CSV: print this one of the command's tables (name or number; default the first)")
        ->type_name("NAME");
    cmd.add_option("--tables-dir", ctx.tables_dir,
                   "CSV: write every table to DIR/<name>.csv instead")
        ->type_name("DIR");
}

void add_as_of_option(CLI::App& cmd, std::string& out) {
    cmd.add_option(
           "--as-of", out,
           "Date to evaluate at, YYYY-MM-DD or 'today' (default: today; the environment variable "
           "LODESTONE_TODAY pins it)")
        ->type_name("DATE");
}

namespace {
std::vector<std::string>& queued_warnings() {
    static std::vector<std::string> warnings;
    return warnings;
}
}  // namespace

std::string policy_warning(Date as_of, const model::World& world) {
    const auto& verified = world.info.policy_verified;
    if (!verified || !(*verified < as_of)) {
        return {};
    }
    return "lodestone: warning: policy data verified to " + verified->to_string() +
           "; measures after that date are not known (as-of " + as_of.to_string() + ")";
}

Date resolve_as_of(const std::string& text, const model::World& world, AgeNote note) {
    std::optional<Date> date;
    if (text.empty() || text == "today") {
        date = Date::today();
    } else {
        date = Date::parse(text);
    }
    if (!date) {
        throw InputError(ErrorCode::Usage,
                         "--as-of: expected a date YYYY-MM-DD, got '" + text + "'");
    }
    if (note == AgeNote::Stderr) {
        for (const auto& n : report::freshness(world, *date).notes) {
            std::fprintf(stderr, "note: %s\n", n.c_str());
        }
    }
    if (auto w = policy_warning(*date, world); !w.empty()) {
        auto& q = queued_warnings();
        if (std::find(q.begin(), q.end(), w) == q.end()) {
            q.push_back(std::move(w));
        }
    }
    return *date;
}

std::string country_option(const model::World& world,
                           const std::string& value,
                           const std::string& option,
                           ErrorCode code) {
    if (value.empty()) {
        return value;
    }
    if (auto id = model::resolve_country(world, value)) {
        return *id;
    }
    std::vector<std::string> names;
    std::vector<std::string> blocs;
    names.reserve(world.countries.size());
    for (const auto& c : world.countries) {
        names.push_back(c.name);
    }
    for (const auto& code_or_bloc : model::country_codes(world)) {
        if (world.is_bloc(code_or_bloc)) {
            blocs.push_back(code_or_bloc);
        }
    }
    auto candidates = model::country_codes(world);
    candidates.insert(candidates.end(), names.begin(), names.end());
    std::vector<std::string> suggestions;
    for (const auto& n : model::nearest(value, candidates)) {
        const auto id = *model::resolve_country(world, n);
        const auto* c = world.find_country(id);
        const std::string shown = c != nullptr ? id + " (" + c->name + ")" : id;
        if (std::find(suggestions.begin(), suggestions.end(), shown) == suggestions.end()) {
            suggestions.push_back(shown);
        }
    }
    throw InputError(
        code, option + ": unknown country or bloc '" + value + "'" +
                  (suggestions.empty() ? "" : "; did you mean " + join(suggestions, " or ") + "?") +
                  " (an ISO3 code or country name of the dataset's countries.csv, or a bloc: " +
                  join(blocs, ", ") + ")");
}

std::string material_option(const model::World& world,
                            const std::string& value,
                            const std::string& option) {
    if (value.empty()) {
        return value;
    }
    if (auto id = model::resolve_material(world, value)) {
        return *id;
    }
    const auto ids = model::material_ids(world);
    const auto suggestions = model::nearest(value, ids);
    throw InputError(
        ErrorCode::UnknownMaterial,
        option + ": unknown material '" + value + "'" +
            (suggestions.empty() ? "" : "; did you mean " + join(suggestions, " or ") + "?") +
            " (materials: " + join(ids, ", ") + ")");
}
std::vector<std::string> material_options(const model::World& world,
                                          const std::vector<std::string>& values,
                                          const std::string& option) {
    std::vector<std::string> ids;
    std::vector<Diagnostic> problems;
    for (const auto& value : values) {
        try {
            ids.push_back(material_option(world, value, option));
        } catch (const InputError& e) {
            problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
        }
    }
    if (!problems.empty()) {
        throw InputError(std::move(problems));
    }
    return ids;
}

void flush_warnings() {
    std::fflush(stdout);
    for (const auto& w : queued_warnings()) {
        std::fprintf(stderr, "%s\n", w.c_str());
    }
    queued_warnings().clear();
}

void write_file_replacing(const std::filesystem::path& path, const std::string& bytes) {
    std::error_code ec;
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path(), ec);
    }
    const std::filesystem::path tmp = path.string() + ".tmp";
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
        throw InputError(ErrorCode::Usage, "--out: cannot write '" + path.string() + "'");
    }
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
        std::filesystem::remove(tmp, ec);
        throw InputError(ErrorCode::Usage, "--out: writing '" + path.string() + "' failed");
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw InputError(ErrorCode::Usage,
                         "--out: cannot replace '" + path.string() + "': " + ec.message());
    }
}

void write_stdout(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
}

std::size_t terminal_width() {
    winsize ws{};
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        return ws.ws_col;
    }
    if (const char* columns = std::getenv("COLUMNS"); columns != nullptr) {
        const long n = std::strtol(columns, nullptr, 10);
        return n >= 40 ? static_cast<std::size_t>(n) : 0;
    }
    return 0;
}

namespace {

/// Table names for --table: the slug of each title, "table_N" for an untitled one.
std::vector<std::string> table_names(const std::vector<report::Table>& tables) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const auto s = report::slug(tables[i].title);
        names.push_back(s.empty() ? "table_" + std::to_string(i + 1) : s);
    }
    return names;
}

void print_csv(const Context& ctx, const std::vector<report::Table>& tables) {
    const auto names = table_names(tables);
    if (!ctx.tables_dir.empty()) {
        if (!ctx.table_name.empty()) {
            throw InputError(ErrorCode::Usage, "--table and --tables-dir: give one of them");
        }
        for (std::size_t i = 0; i < tables.size(); ++i) {
            const auto path = std::filesystem::path(ctx.tables_dir) / (names[i] + ".csv");
            write_file_replacing(path, report::render_csv(tables[i]));
            std::fprintf(stderr, "wrote %s (%zu rows)\n", path.string().c_str(),
                         tables[i].rows.size());
        }
        return;
    }
    if (tables.empty()) {
        return;
    }
    std::size_t chosen = 0;
    if (!ctx.table_name.empty()) {
        const auto it = std::find(names.begin(), names.end(), ctx.table_name);
        const auto number = std::atoi(ctx.table_name.c_str());
        if (it != names.end()) {
            chosen = static_cast<std::size_t>(it - names.begin());
        } else if (number >= 1 && static_cast<std::size_t>(number) <= tables.size() &&
                   std::to_string(number) == ctx.table_name) {
            chosen = static_cast<std::size_t>(number - 1);
        } else {
            const auto near = model::nearest(ctx.table_name, names, 2);
            throw InputError(
                ErrorCode::Usage,
                "--table: no table '" + ctx.table_name + "' in this output" +
                    (near.empty() ? "" : "; did you mean " + join(near, " or ") + "?") +
                    " (tables: " + join(names, ", ") + ")");
        }
    }
    for (const auto& n : tables[chosen].notes) {
        std::fprintf(stderr, "note: %s\n", n.c_str());
    }
    if (tables.size() > 1) {
        std::vector<std::string> others;
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (i != chosen) {
                others.push_back(names[i]);
            }
        }
        std::fprintf(
            stderr,
            "note: CSV holds one table, %s; the others (%s) with --table NAME, or all with "
            "--tables-dir DIR\n",
            names[chosen].c_str(), join(others, ", ").c_str());
    }
    write_stdout(report::render_csv(tables[chosen]));
}

}  // namespace

void print(const Context& ctx,
           const std::vector<report::Table>& tables,
           const nlohmann::json* json_override) {
    if (ctx.ranks != nullptr && !ctx.ranks->root()) {
        return;  // under mpirun only rank 0 prints (and writes --tables-dir)
    }
    switch (ctx.format()) {
        case report::Format::Table: {
            std::string out;
            for (const auto& t : tables) {
                out += (out.empty() ? "" : "\n") + report::render_text_fitted(t, terminal_width());
            }
            write_stdout(out);
            break;
        }
        case report::Format::Csv:
            print_csv(ctx, tables);
            break;
        case report::Format::Json: {
            const auto doc =
                json_override != nullptr ? *json_override : report::tables_to_json(tables);
            write_stdout(doc.dump(2) + "\n");
            break;
        }
    }
}

void print(const Context& ctx, const report::Document& doc) {
    switch (ctx.format()) {
        case report::Format::Csv:
            print(ctx, doc.csv_tables());
            return;
        case report::Format::Json: {
            const auto json = doc.to_json();
            print(ctx, doc.tables, &json);
            return;
        }
        case report::Format::Table:
            print(ctx, doc.tables);
            return;
    }
}

}  // namespace lodestone::cli
