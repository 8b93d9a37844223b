#include "context.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "lodestone/report/document.hpp"

namespace lodestone::cli {

const model::World& Context::world() {
    if (!loaded) {
        loaded = io::load_world(data_dir.empty() ? io::embedded_world() : io::read_dataset_dir(data_dir));
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
}

void add_as_of_option(CLI::App& cmd, std::string& out) {
    cmd.add_option("--as-of", out, "Date to evaluate at, YYYY-MM-DD (default: the dataset's as-of date)")
        ->type_name("DATE");
}

namespace {
std::vector<std::string>& queued_warnings() {
    static std::vector<std::string> warnings;
    return warnings;
}

Date parse_as_of(const std::string& text, const model::World& world) {
    if (text.empty()) {
        return world.info.as_of.value_or(Date::today());
    }
    if (text == "today") {
        return Date::today();
    }
    if (auto d = Date::parse(text)) {
        return *d;
    }
    throw InputError(ErrorCode::Usage, "--as-of: expected a date YYYY-MM-DD, got '" + text + "'");
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

Date resolve_as_of(const std::string& text, const model::World& world) {
    const Date as_of = parse_as_of(text, world);
    if (auto w = policy_warning(as_of, world); !w.empty()) {
        auto& q = queued_warnings();
        if (std::find(q.begin(), q.end(), w) == q.end()) {
            q.push_back(std::move(w));
        }
    }
    return as_of;
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
        throw InputError(ErrorCode::Usage, "--out: cannot replace '" + path.string() + "': " + ec.message());
    }
}

void write_stdout(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
}

void print(const Context& ctx, const std::vector<report::Table>& tables,
           const nlohmann::json* json_override) {
    switch (ctx.format()) {
        case report::Format::Table: {
            std::string out;
            for (const auto& t : tables) {
                out += (out.empty() ? "" : "\n") + report::render_text(t);
            }
            write_stdout(out);
            break;
        }
        case report::Format::Csv:
            // One CSV document per table; several tables are separated by a blank line.
            for (std::size_t i = 0; i < tables.size(); ++i) {
                write_stdout((i ? "\n" : "") + report::render_csv(tables[i]));
            }
            break;
        case report::Format::Json: {
            const auto doc = json_override != nullptr ? *json_override : report::tables_to_json(tables);
            write_stdout(doc.dump(2) + "\n");
            break;
        }
    }
}

}  // namespace lodestone::cli
