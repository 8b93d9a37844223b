// apps/cli/context.hpp: what every subcommand shares: dataset choice, output format, printing.
// No analysis logic lives in the CLI; commands parse, call the library, and print Tables.
#pragma once

#include <filesystem>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "lodestone/core/date.hpp"
#include "lodestone/io/dataset_reader.hpp"
#include "lodestone/report/table.hpp"

namespace lodestone::cli {

struct Context {
    std::string data_dir;     ///< --data; empty = the embedded dataset
    std::string format_name;  ///< --format; empty = table on a terminal, csv otherwise
    std::optional<io::LoadedWorld> loaded;

    /// Loads (once) the dataset chosen by --data, or the embedded one. Throws InputError.
    const model::World& world();
    [[nodiscard]] report::Format format() const;
};

/// Adds --data and --format to a subcommand.
void add_common_options(CLI::App& cmd, Context& ctx);
/// Adds --as-of DATE (default: the dataset's as-of date, else today) into `out`.
void add_as_of_option(CLI::App& cmd, std::string& out);
/// Resolves an --as-of text: empty -> dataset as_of -> today. Throws InputError(E-USAGE) if bad.
/// A date later than the dataset's policy_verified queues a warning (policy_warning) for stderr.
[[nodiscard]] Date resolve_as_of(const std::string& text, const model::World& world);
/// The warning for an as-of date later than the dataset's policy verification date, else empty.
[[nodiscard]] std::string policy_warning(Date as_of, const model::World& world);
/// Prints the queued warnings to stderr once, after stdout is flushed (main calls it on success),
/// so that they follow the command's output instead of splitting it.
void flush_warnings();

/// Prints tables in the chosen format. JSON: one table -> array, several -> object by title key.
/// `json_override` replaces the generated JSON document when given.
void print(const Context& ctx, const std::vector<report::Table>& tables,
           const nlohmann::json* json_override = nullptr);

/// Writes to stdout exactly (no trailing newline added).
void write_stdout(const std::string& text);
/// Writes `bytes` beside `path` and renames it over `path`, creating missing folders: a file that
/// was there is replaced whole or left as it was. Throws InputError (E-USAGE, "--out: ...").
void write_file_replacing(const std::filesystem::path& path, const std::string& bytes);

}  // namespace lodestone::cli
