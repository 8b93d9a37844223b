// apps/cli/context.hpp: what every subcommand shares: dataset choice, output format, printing.
// No analysis logic lives in the CLI; commands parse, call the library, and print Tables.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "lodestone/core/date.hpp"
#include "lodestone/io/dataset_reader.hpp"
#include "lodestone/parallel/ranks.hpp"
#include "lodestone/report/document.hpp"
#include "lodestone/report/table.hpp"

namespace lodestone::cli {

struct Context {
    std::string data_dir;     ///< --data; empty = the embedded dataset
    std::string format_name;  ///< --format; empty = table on a terminal, csv otherwise
    std::string
        table_name;  ///< --table: the one table CSV prints (slug of its title, or 1-based number)
    std::string tables_dir;  ///< --tables-dir: CSV writes every table there, one file each
    std::optional<io::LoadedWorld> loaded;
    /// The processes of this run (MPI ranks under mpirun, else one); set by main. Only rank 0
    /// prints and writes files.
    parallel::Ranks* ranks = nullptr;

    /// Loads (once) the dataset chosen by --data, or the embedded one. Throws InputError.
    const model::World& world();
    [[nodiscard]] report::Format format() const;
};

/// Adds --data, --format, --table and --tables-dir to a subcommand.
void add_common_options(CLI::App& cmd, Context& ctx);
/// Adds --as-of DATE (default: today) into `out`.
void add_as_of_option(CLI::App& cmd, std::string& out);
/// Where resolve_as_of tells how old the data are on the date (report::freshness).
enum class AgeNote { Stderr, None };
/// Resolves an --as-of text: empty or "today" -> Date::today() (LODESTONE_TODAY pins it), else
/// YYYY-MM-DD. Prints how old the data are on that date to stderr unless `note` is None (the
/// brief carries it in its own output). Throws InputError(E-USAGE) if bad.
[[nodiscard]] Date resolve_as_of(const std::string& text,
                                 const model::World& world,
                                 AgeNote note = AgeNote::Stderr);
/// The warning for an as-of date later than the dataset's policy verification date, else empty.
[[nodiscard]] std::string policy_warning(Date as_of, const model::World& world);
/// Prints the queued warnings to stderr once, after stdout is flushed (main calls it on success),
/// so that they follow the command's output instead of splitting it.
void flush_warnings();

/// The dataset's code for a country/bloc option (ISO3, bloc or country name, any letter case; empty
/// stays empty). Unknown: InputError `code` naming the option, with the nearest codes suggested.
[[nodiscard]] std::string country_option(const model::World& world,
                                         const std::string& value,
                                         const std::string& option,
                                         ErrorCode code = ErrorCode::UnknownCountry);
/// The material id for a material option (id or name, any letter case; empty stays empty).
/// Unknown: InputError E-UNKNOWN-MATERIAL naming the option, suggesting the nearest and listing
/// all.
[[nodiscard]] std::string material_option(const model::World& world,
                                          const std::string& value,
                                          const std::string& option);
/// material_option over a repeatable option; every unknown material is reported in one InputError.
[[nodiscard]] std::vector<std::string> material_options(const model::World& world,
                                                        const std::vector<std::string>& values,
                                                        const std::string& option);
/// Prints tables in the chosen format. JSON: one table -> array, several -> object by title key.
/// CSV is one tidy table per invocation: the first, or the one --table names (the others are
/// listed on stderr); --tables-dir writes each to DIR/<name>.csv. The tables' notes go to stderr.
/// `json_override` replaces the generated JSON document when given.
void print(const Context& ctx,
           const std::vector<report::Table>& tables,
           const nlohmann::json* json_override = nullptr);
/// Prints a report: its csv_tables() for --format csv, its tables and to_json() otherwise.
void print(const Context& ctx, const report::Document& doc);

/// Columns of the terminal on stdout, else $COLUMNS (>= 40), else 0 (no limit): text tables fit it.
[[nodiscard]] std::size_t terminal_width();
/// Writes to stdout exactly (no trailing newline added).
void write_stdout(const std::string& text);
/// Writes `bytes` beside `path` and renames it over `path`, creating missing folders: a file that
/// was there is replaced whole or left as it was. Throws InputError (E-USAGE, "--out: ...").
void write_file_replacing(const std::filesystem::path& path, const std::string& bytes);

}  // namespace lodestone::cli
