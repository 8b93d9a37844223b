#include "lodestone/firmnet/reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "lodestone/core/limits.hpp"
#include "lodestone/io/csv.hpp"

namespace lodestone::firmnet {

namespace {

using io::parse_number;
using io::trim;

std::string show(std::string_view text) {
    constexpr std::size_t kMax = 40;
    std::string out(text.substr(0, kMax));
    return "'" + out + (text.size() > kMax ? "...'" : "'");
}

/// One field of a line with its 1-based column.
struct Field {
    std::string_view text;
    int column = 0;
};

/// Iterates the lines of a document; skips blank lines and '#' comments; strips a UTF-8 BOM and CR.
class Lines {
public:
    explicit Lines(std::string_view bytes) : s_(bytes) {
        if (s_.substr(0, 3) == "\xEF\xBB\xBF") {
            s_.remove_prefix(3);
        }
    }
    bool next(std::string_view& line, int& line_no) {
        while (pos_ < s_.size()) {
            const auto end = s_.find('\n', pos_);
            const std::size_t stop = end == std::string_view::npos ? s_.size() : end;
            line = s_.substr(pos_, stop - pos_);
            pos_ = stop + 1;
            ++line_;
            if (!line.empty() && line.back() == '\r') {
                line.remove_suffix(1);
            }
            const auto t = trim(line);
            if (t.empty() || t.front() == '#') {
                continue;
            }
            line_no = line_;
            return true;
        }
        return false;
    }

private:
    std::string_view s_;
    std::size_t pos_ = 0;
    int line_ = 0;
};

/// Splits a CSV line (RFC 4180 quotes within the line). Quoted fields are unescaped into `store`.
bool split_csv(std::string_view line, std::vector<Field>& out, std::vector<std::string>& store) {
    out.clear();
    store.clear();
    store.reserve(line.size());
    std::size_t i = 0;
    for (;;) {
        const int column = static_cast<int>(i) + 1;
        if (i < line.size() && line[i] == '"') {
            std::string text;
            ++i;
            bool closed = false;
            while (i < line.size()) {
                if (line[i] == '"') {
                    if (i + 1 < line.size() && line[i + 1] == '"') {
                        text += '"';
                        i += 2;
                        continue;
                    }
                    closed = true;
                    ++i;
                    break;
                }
                text += line[i++];
            }
            if (!closed || (i < line.size() && line[i] != ',')) {
                return false;
            }
            store.push_back(std::move(text));
            out.push_back({store.back(), column});
        } else {
            const auto comma = line.find(',', i);
            const std::size_t stop = comma == std::string_view::npos ? line.size() : comma;
            const auto text = line.substr(i, stop - i);
            if (text.find('"') != std::string_view::npos) {
                return false;
            }
            out.push_back({trim(text), column});
            i = stop;
        }
        if (i >= line.size()) {
            return true;
        }
        ++i;  // the comma
    }
}

/// Splits on spaces and tabs.
void split_ws(std::string_view line, std::vector<Field>& out) {
    out.clear();
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
            ++i;
        }
        if (i >= line.size()) {
            break;
        }
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
            ++i;
        }
        out.push_back({line.substr(start, i - start), static_cast<int>(start) + 1});
    }
}

/// A CSV document read row by row against a header: required and optional columns.
class CsvRows {
public:
    CsvRows(const TextFile& file,
            std::vector<std::string> required,
            std::vector<std::string> optional,
            Diagnostics& diags)
        : file_(file), lines_(file.bytes), diags_(diags) {
        std::string_view line;
        int line_no = 0;
        if (!lines_.next(line, line_no)) {
            diags_.error(ErrorCode::FileEmpty, file_.name, 0, 0, "no header row");
            return;
        }
        if (!split_csv(line, fields_, store_)) {
            diags_.error(ErrorCode::Quote, file_.name, line_no, 0,
                         "unterminated or misplaced quote");
            return;
        }
        for (const auto& f : fields_) {
            header_.emplace_back(f.text);
        }
        bool ok = true;
        for (std::size_t c = 0; c < header_.size(); ++c) {
            const bool known =
                std::find(required.begin(), required.end(), header_[c]) != required.end() ||
                std::find(optional.begin(), optional.end(), header_[c]) != optional.end();
            if (!known) {
                diags_.error(ErrorCode::Header, file_.name, line_no, fields_[c].column,
                             "unknown column " + show(header_[c]));
                ok = false;
            } else if (std::find(header_.begin(), header_.begin() + static_cast<std::ptrdiff_t>(c),
                                 header_[c]) != header_.begin() + static_cast<std::ptrdiff_t>(c)) {
                diags_.error(ErrorCode::Header, file_.name, line_no, fields_[c].column,
                             "duplicate column " + show(header_[c]));
                ok = false;
            }
        }
        for (const auto& r : required) {
            if (std::find(header_.begin(), header_.end(), r) == header_.end()) {
                diags_.error(ErrorCode::Header, file_.name, line_no, 0,
                             "missing column '" + r + "'");
                ok = false;
            }
        }
        header_ok_ = ok;
    }

    [[nodiscard]] bool header_ok() const { return header_ok_; }
    /// Index of a column, or -1.
    [[nodiscard]] int index(std::string_view name) const {
        for (std::size_t c = 0; c < header_.size(); ++c) {
            if (header_[c] == name) {
                return static_cast<int>(c);
            }
        }
        return -1;
    }
    /// Next well-formed row (structural problems are reported and skipped).
    bool next() {
        std::string_view line;
        while (lines_.next(line, line_)) {
            if (!split_csv(line, fields_, store_)) {
                diags_.error(ErrorCode::Quote, file_.name, line_, 0,
                             "unterminated or misplaced quote");
                continue;
            }
            if (fields_.size() != header_.size()) {
                diags_.error(ErrorCode::FieldCount, file_.name, line_, 0,
                             "expected " + std::to_string(header_.size()) + " fields, got " +
                                 std::to_string(fields_.size()));
                continue;
            }
            return true;
        }
        return false;
    }
    [[nodiscard]] int line() const { return line_; }
    [[nodiscard]] const Field& field(int c) const { return fields_[static_cast<std::size_t>(c)]; }
    [[nodiscard]] const std::string& file() const { return file_.name; }

private:
    const TextFile& file_;
    Lines lines_;
    Diagnostics& diags_;
    std::vector<std::string> header_;
    std::vector<Field> fields_;
    std::vector<std::string> store_;
    bool header_ok_ = false;
    int line_ = 0;
};

/// Typed checks of one field, reporting at its position.
class Check {
public:
    Check(const std::string& file, int line, Diagnostics& diags)
        : file_(file), line_(line), diags_(diags) {}

    std::optional<std::string_view> text(const Field& f, std::string_view what) {
        if (f.text.empty()) {
            diags_.error(ErrorCode::Required, file_, line_, f.column,
                         std::string(what) + ": a value is required");
            return std::nullopt;
        }
        return f.text;
    }
    std::optional<double> number(const Field& f, std::string_view what) {
        if (f.text.empty()) {
            diags_.error(ErrorCode::Required, file_, line_, f.column,
                         std::string(what) + ": a value is required");
            return std::nullopt;
        }
        auto v = parse_number(f.text);
        if (!v) {
            diags_.error(ErrorCode::Number, file_, line_, f.column,
                         std::string(what) + ": expected a number, got " + show(f.text));
        }
        return v;
    }
    std::optional<double> non_negative(const Field& f, std::string_view what) {
        auto v = number(f, what);
        if (v && *v < 0) {
            diags_.error(ErrorCode::Negative, file_, line_, f.column,
                         std::string(what) + ": expected a number >= 0, got " + show(f.text));
            return std::nullopt;
        }
        if (v && *v > kMaxInputQuantity) {
            diags_.error(ErrorCode::Range, file_, line_, f.column,
                         std::string(what) + ": expected a number in " + input_quantity_range() +
                             ", got " + show(f.text));
            return std::nullopt;
        }
        return v;
    }
    std::optional<double> positive(const Field& f, std::string_view what) {
        auto v = non_negative(f, what);
        if (v && !(*v > 0)) {
            diags_.error(ErrorCode::Range, file_, line_, f.column,
                         std::string(what) + ": expected a number > 0, got " + show(f.text));
            return std::nullopt;
        }
        return v;
    }
    std::optional<double> share(const Field& f, std::string_view what) {
        auto v = number(f, what);
        if (v && (*v < 0 || *v > 1)) {
            diags_.error(ErrorCode::ShareRange, file_, line_, f.column,
                         std::string(what) + ": expected a share in [0,1], got " + show(f.text));
            return std::nullopt;
        }
        return v;
    }
    /// A whole number in [lo, hi].
    std::optional<int> integer(const Field& f, std::string_view what, int lo, int hi) {
        int v = 0;
        const auto* end = f.text.data() + f.text.size();
        const auto [ptr, ec] = std::from_chars(f.text.data(), end, v);
        if (f.text.empty() || ec != std::errc{} || ptr != end) {
            diags_.error(ErrorCode::Number, file_, line_, f.column,
                         std::string(what) + ": expected a whole number, got " + show(f.text));
            return std::nullopt;
        }
        if (v < lo || v > hi) {
            diags_.error(ErrorCode::Range, file_, line_, f.column,
                         std::string(what) + ": expected a whole number in [" + std::to_string(lo) +
                             "," + std::to_string(hi) + "], got " + show(f.text));
            return std::nullopt;
        }
        return v;
    }
    void error(ErrorCode code, const Field& f, std::string message) {
        diags_.error(code, file_, line_, f.column, std::move(message));
    }

private:
    const std::string& file_;
    int line_;
    Diagnostics& diags_;
};

constexpr int kMaxDay = 1000000;

struct IdIndex {
    std::unordered_map<std::string, std::int32_t> index;
    [[nodiscard]] std::optional<std::int32_t> find(std::string_view id) const {
        const auto it = index.find(std::string(id));
        if (it == index.end()) {
            return std::nullopt;
        }
        return it->second;
    }
};

std::int32_t intern(std::vector<std::string>& names,
                    std::unordered_map<std::string, std::int32_t>& map,
                    std::string_view name) {
    const auto [it, fresh] =
        map.try_emplace(std::string(name), static_cast<std::int32_t>(names.size()));
    if (fresh) {
        names.emplace_back(name);
    }
    return it->second;
}

/// Expands a shock target (a firm id or `country=X;sector=Y`) to firm indices; reports problems.
std::vector<std::int32_t> expand_target(const FirmInput& in,
                                        const IdIndex& ids,
                                        const Field& f,
                                        Check& check,
                                        const std::string& firms_file) {
    std::vector<std::int32_t> out;
    if (f.text.find('=') == std::string_view::npos) {
        if (const auto id = ids.find(f.text)) {
            out.push_back(*id);
        } else {
            check.error(ErrorCode::NotFound, f,
                        "firm: unknown firm " + show(f.text) + " (not in " + firms_file + ")");
        }
        return out;
    }
    std::int32_t country = -1;
    std::int32_t sector = -1;
    bool ok = true;
    std::size_t start = 0;
    while (start <= f.text.size()) {
        auto end = f.text.find_first_of(",;", start);
        if (end == std::string_view::npos) {
            end = f.text.size();
        }
        const auto item = trim(f.text.substr(start, end - start));
        start = end + 1;
        if (item.empty()) {
            continue;
        }
        const auto eq = item.find('=');
        const auto key = eq == std::string_view::npos ? item : trim(item.substr(0, eq));
        const auto value =
            eq == std::string_view::npos ? std::string_view{} : trim(item.substr(eq + 1));
        const auto lookup = [&](const std::vector<std::string>& names) {
            for (std::size_t k = 0; k < names.size(); ++k) {
                if (names[k] == value) {
                    return static_cast<std::int32_t>(k);
                }
            }
            return std::int32_t{-1};
        };
        if (key == "country") {
            country = lookup(in.country_names);
            if (country < 0) {
                check.error(ErrorCode::UnknownCountry, f,
                            "firm: no firm has country " + show(value));
                ok = false;
            }
        } else if (key == "sector") {
            sector = lookup(in.sector_names);
            if (sector < 0) {
                check.error(ErrorCode::UnknownSector, f, "firm: no firm has sector " + show(value));
                ok = false;
            }
        } else {
            check.error(ErrorCode::Enum, f,
                        "firm: selector key " + show(key) + " is not one of country, sector");
            ok = false;
        }
    }
    if (!ok) {
        return out;
    }
    for (std::size_t i = 0; i < in.ids.size(); ++i) {
        if ((country < 0 || in.country[i] == country) && (sector < 0 || in.sector[i] == sector)) {
            out.push_back(static_cast<std::int32_t>(i));
        }
    }
    if (out.empty()) {
        check.error(ErrorCode::NotFound, f, "firm: selector " + show(f.text) + " matches no firm");
    }
    return out;
}

/// One link of either input format, when both ends and the amount were read (a field that was not
/// has been reported already).
void add_link(FirmInput& in,
              const std::optional<std::int32_t> (&ends)[2],
              std::optional<double> amount,
              int line) {
    if (!ends[0] || !ends[1] || !amount) {
        return;
    }
    in.link_supplier.push_back(*ends[0]);
    in.link_client.push_back(*ends[1]);
    in.link_amount.push_back(*amount);
    in.link_line.push_back(line);
}

LoadedFirmNet finish(FirmInput&& in,
                     std::vector<std::vector<Shock>>&& shock_sets,
                     Diagnostics& diags) {
    // The network checks (duplicate links, firms without output) run on the valid rows even when
    // rows were rejected, so every problem is reported at once.
    LoadedFirmNet out;
    out.network = build_network(std::move(in), diags);
    diags.throw_if_errors();
    out.shock_sets = std::move(shock_sets);
    if (!out.shock_sets.empty()) {
        out.shocks = out.shock_sets.front();
    }
    out.warnings = diags.warnings();
    return out;
}

}  // namespace

TextFile load_text(const std::string& path, Diagnostics& diags) {
    namespace fs = std::filesystem;
    TextFile out{path, {}};
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        diags.error(ErrorCode::FileMissing, path, 0, 0, "file does not exist");
        return out;
    }
    if (fs::is_directory(path, ec)) {
        diags.error(ErrorCode::NotAFile, path, 0, 0, "is a folder, expected a file");
        return out;
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (!in || !(text << in.rdbuf())) {
        if (fs::file_size(path, ec) == 0 && !ec) {
            return out;
        }
        diags.error(ErrorCode::FileUnreadable, path, 0, 0, "cannot read the file");
        return out;
    }
    out.bytes = std::move(text).str();
    return out;
}

namespace {

/// firms.csv into `in` (ids, country, sector, demand, inventory days) and `ids`; the line of each
/// firm in `firm_line`.
void read_firms(const TextFile& firms,
                FirmInput& in,
                IdIndex& ids,
                std::vector<int>& firm_line,
                Diagnostics& diags) {
    std::unordered_map<std::string, std::int32_t> countries, sectors;
    CsvRows rows(firms, {"id", "country", "sector", "final_demand"}, {"inventory_days"}, diags);
    if (rows.header_ok()) {
        const int c_id = rows.index("id"), c_country = rows.index("country"),
                  c_sector = rows.index("sector"), c_demand = rows.index("final_demand"),
                  c_days = rows.index("inventory_days");
        if (c_days >= 0) {
            in.inventory_days.reserve(1024);
        }
        while (rows.next()) {
            Check check(firms.name, rows.line(), diags);
            const auto id = check.text(rows.field(c_id), "id");
            const auto country = check.text(rows.field(c_country), "country");
            const auto sector = check.text(rows.field(c_sector), "sector");
            const auto demand = check.non_negative(rows.field(c_demand), "final_demand");
            std::optional<double> days = 0.0;
            if (c_days >= 0) {
                days = check.positive(rows.field(c_days), "inventory_days");
            }
            if (!id || !country || !sector || !demand || !days) {
                continue;
            }
            const auto index = static_cast<std::int32_t>(in.ids.size());
            const auto [it, fresh] = ids.index.try_emplace(std::string(*id), index);
            if (!fresh) {
                check.error(ErrorCode::Duplicate, rows.field(c_id),
                            "id: firm " + show(*id) + " already defined on line " +
                                std::to_string(firm_line[static_cast<std::size_t>(it->second)]));
                continue;
            }
            in.ids.emplace_back(*id);
            firm_line.push_back(rows.line());
            in.country.push_back(intern(in.country_names, countries, *country));
            in.sector.push_back(intern(in.sector_names, sectors, *sector));
            in.final_demand.push_back(*demand);
            if (c_days >= 0) {
                in.inventory_days.push_back(*days);
            }
        }
    }
}

/// links.csv into `in` (supplier, client, daily amount), naming firms by the ids of firms.csv.
void read_links(const TextFile& links,
                const std::string& firms_name,
                FirmInput& in,
                const IdIndex& ids,
                Diagnostics& diags) {
    in.link_file = links.name;
    CsvRows rows(links, {"supplier", "client", "daily_amount"}, {}, diags);
    if (rows.header_ok()) {
        const int c_sup = rows.index("supplier"), c_cli = rows.index("client"),
                  c_amt = rows.index("daily_amount");
        while (rows.next()) {
            Check check(links.name, rows.line(), diags);
            std::optional<std::int32_t> ends[2];
            const int cols[2] = {c_sup, c_cli};
            for (int k = 0; k < 2; ++k) {
                const auto& f = rows.field(cols[k]);
                const char* what = k == 0 ? "supplier" : "client";
                if (check.text(f, what)) {
                    ends[k] = ids.find(f.text);
                    if (!ends[k]) {
                        check.error(ErrorCode::NotFound, f,
                                    std::string(what) + ": unknown firm " + show(f.text) +
                                        " (not in " + firms_name + ")");
                    }
                }
            }
            add_link(in, ends, check.positive(rows.field(c_amt), "daily_amount"), rows.line());
        }
    }
}

/// One shocks file: capacity losses of firms (or of every firm of a country or sector).
std::vector<Shock> read_shocks(const TextFile& shocks,
                               const std::string& firms_name,
                               const FirmInput& in,
                               const IdIndex& ids,
                               Diagnostics& diags) {
    std::vector<Shock> out_shocks;
    CsvRows rows(shocks, {"firm", "capacity_loss"}, {"start_day", "recovery_days"}, diags);
    if (rows.header_ok()) {
        const int c_firm = rows.index("firm"), c_loss = rows.index("capacity_loss"),
                  c_start = rows.index("start_day"), c_rec = rows.index("recovery_days");
        while (rows.next()) {
            Check check(shocks.name, rows.line(), diags);
            const auto loss = check.share(rows.field(c_loss), "capacity_loss");
            std::optional<int> start = 1;
            std::optional<int> recovery = -1;
            if (c_start >= 0 && !rows.field(c_start).text.empty()) {
                start = check.integer(rows.field(c_start), "start_day", 1, kMaxDay);
            }
            if (c_rec >= 0 && !rows.field(c_rec).text.empty()) {
                recovery = check.integer(rows.field(c_rec), "recovery_days", 0, kMaxDay);
            }
            std::vector<std::int32_t> targets;
            if (check.text(rows.field(c_firm), "firm")) {
                targets = expand_target(in, ids, rows.field(c_firm), check, firms_name);
            }
            if (!loss || !start || !recovery) {
                continue;
            }
            for (const auto f : targets) {
                out_shocks.push_back({f, *loss, *start, *recovery, {}});
            }
        }
    }
    return out_shocks;
}

}  // namespace

// read_csv reads each file in a function of its own: besides being easier to follow, it keeps
// clang-tidy's optional-access analysis (per function) from running for minutes.
LoadedFirmNet read_csv(const TextFile& firms,
                       const TextFile& links,
                       const TextFile& first_shocks,
                       const std::vector<TextFile>& more_shocks) {
    Diagnostics diags;
    FirmInput in;
    IdIndex ids;
    std::vector<int> firm_line;
    read_firms(firms, in, ids, firm_line, diags);
    read_links(links, firms.name, in, ids, diags);
    std::vector<const TextFile*> shock_files{&first_shocks};
    for (const auto& f : more_shocks) {
        shock_files.push_back(&f);
    }
    std::vector<std::vector<Shock>> shock_sets;
    for (const TextFile* file : shock_files) {
        if (!file->name.empty()) {
            shock_sets.push_back(read_shocks(*file, firms.name, in, ids, diags));
        }
    }
    return finish(std::move(in), std::move(shock_sets), diags);
}

LoadedFirmNet read_inoue(const InoueFiles& files) {
    Diagnostics diags;
    FirmInput in;
    IdIndex ids;
    std::unordered_map<std::string, std::int32_t> sectors;
    std::vector<Field> fields;
    auto field_count = [&](const TextFile& f, int line, std::size_t lo, std::size_t hi) {
        if (fields.size() < lo || fields.size() > hi) {
            diags.error(ErrorCode::FieldCount, f.name, line, 0,
                        "expected " +
                            (lo == hi ? std::to_string(lo)
                                      : std::to_string(lo) + " to " + std::to_string(hi)) +
                            " values, got " + std::to_string(fields.size()));
            return false;
        }
        return true;
    };
    std::vector<int> firm_line;
    {
        Lines lines(files.affiliation.bytes);
        std::string_view line;
        int no = 0;
        while (lines.next(line, no)) {
            split_ws(line, fields);
            if (fields.size() < 2) {
                field_count(files.affiliation, no, 2, 2);
                continue;
            }
            const auto& id = fields[0];
            const auto [it, fresh] = ids.index.try_emplace(
                std::string(id.text), static_cast<std::int32_t>(in.ids.size()));
            if (!fresh) {
                diags.error(ErrorCode::Duplicate, files.affiliation.name, no, id.column,
                            "firm " + show(id.text) + " already defined on line " +
                                std::to_string(firm_line[static_cast<std::size_t>(it->second)]));
                continue;
            }
            in.ids.emplace_back(id.text);
            firm_line.push_back(no);
            in.sector.push_back(intern(in.sector_names, sectors, fields[1].text));
            in.country.push_back(0);
        }
    }
    const std::size_t n = in.ids.size();
    in.country_names = {"n/a"};
    in.final_demand.assign(n, 0.0);
    in.initial_production.assign(n, std::nan(""));
    // Per-firm value files: final consumption (missing = 0) and initial production (required).
    auto read_values = [&](const TextFile& file, std::vector<double>& into, bool required) {
        Lines lines(file.bytes);
        std::string_view line;
        int no = 0;
        std::vector<int> seen(n, 0);
        while (lines.next(line, no)) {
            split_ws(line, fields);
            if (!field_count(file, no, 2, 2)) {
                continue;
            }
            Check check(file.name, no, diags);
            const auto id = ids.find(fields[0].text);
            const auto v = check.non_negative(fields[1], "value");
            if (!id) {
                check.error(ErrorCode::NotFound, fields[0],
                            "unknown firm " + show(fields[0].text) + " (not in " +
                                files.affiliation.name + ")");
                continue;
            }
            auto& prev = seen[static_cast<std::size_t>(*id)];
            if (prev != 0) {
                check.error(ErrorCode::Duplicate, fields[0],
                            "firm " + show(fields[0].text) + " already given on line " +
                                std::to_string(prev));
                continue;
            }
            prev = no;
            if (v) {
                into[static_cast<std::size_t>(*id)] = *v;
            }
        }
        if (required) {
            for (std::size_t i = 0; i < n; ++i) {
                if (seen[i] == 0) {
                    diags.error(ErrorCode::Required, file.name, 0, 0,
                                "firm " + show(in.ids[i]) + " (" + files.affiliation.name + ":" +
                                    std::to_string(firm_line[i]) + ") has no value");
                }
            }
        }
    };
    read_values(files.final_consumption, in.final_demand, false);
    read_values(files.initial_production, in.initial_production, true);
    {
        in.link_file = files.transactions.name;
        Lines lines(files.transactions.bytes);
        std::string_view line;
        int no = 0;
        while (lines.next(line, no)) {
            split_ws(line, fields);
            if (!field_count(files.transactions, no, 3, 3)) {
                continue;
            }
            Check check(files.transactions.name, no, diags);
            std::optional<std::int32_t> ends[2];
            for (int k = 0; k < 2; ++k) {
                const auto& f = fields[static_cast<std::size_t>(k)];
                ends[k] = ids.find(f.text);
                if (!ends[k]) {
                    check.error(ErrorCode::NotFound, f,
                                std::string(k == 0 ? "supplier" : "client") + ": unknown firm " +
                                    show(f.text) + " (not in " + files.affiliation.name + ")");
                }
            }
            add_link(in, ends, check.positive(fields[2], "amount"), no);
        }
    }
    std::vector<const TextFile*> delta_files{&files.delta};
    for (const auto& f : files.more_deltas) {
        delta_files.push_back(&f);
    }
    std::vector<std::vector<Shock>> shock_sets;
    for (const TextFile* file : delta_files) {
        const TextFile& delta_file = *file;
        if (delta_file.name.empty()) {
            continue;
        }
        auto& shocks = shock_sets.emplace_back();
        Lines lines(delta_file.bytes);
        std::string_view line;
        int no = 0;
        while (lines.next(line, no)) {
            split_ws(line, fields);
            if (!field_count(delta_file, no, 2, 3)) {
                continue;
            }
            Check check(delta_file.name, no, diags);
            const auto id = ids.find(fields[0].text);
            if (!id) {
                check.error(ErrorCode::NotFound, fields[0],
                            "unknown firm " + show(fields[0].text) + " (not in " +
                                files.affiliation.name + ")");
            }
            const auto delta = check.share(fields[1], "delta");
            std::optional<int> start = 1;
            if (fields.size() == 3) {
                start = check.integer(fields[2], "start_day", 1, kMaxDay);
            }
            if (id && delta && start) {
                shocks.push_back({*id, *delta, *start, -1, {}});
            }
        }
    }
    return finish(std::move(in), std::move(shock_sets), diags);
}

}  // namespace lodestone::firmnet
