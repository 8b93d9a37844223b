#include "lodestone/io/dataset_reader.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include <toml++/toml.h>

#include "lodestone/core/date.hpp"
#include "lodestone/core/hash.hpp"
#include "lodestone/core/number_text.hpp"
#include "lodestone/io/csv.hpp"
#include "lodestone/io/measure_row.hpp"

namespace lodestone::io {

namespace fs = std::filesystem;
using model::World;

namespace {

const std::vector<std::string> kRequiredFiles{"dataset.toml", "countries.csv",  "materials.csv",
                                              "stages.csv",   "production.csv", "measures.csv"};
const std::vector<std::string> kOptionalFiles{
    "methods.toml",       "trade.csv",           "consumption.csv", "import_reliance.csv",
    "import_sources.csv", "sourcing_shares.csv", "sectors.csv",     "end_use.csv",
    "intensity.csv",      "stockpiles.csv",      "projects.csv",    "demand.csv"};

constexpr std::uintmax_t kMaxFileBytes = 256u << 20;

std::string path_of(const DatasetFiles& f, const std::string& name) {
    return f.root.empty() ? name : f.root + "/" + name;
}

/// Running sums of shares per key with the line of each key's first row, for the checks that a
/// set of shares sums to 1 (or at most 1). `text` prints a sum as the messages do (%.9g).
template <typename Key>
class ShareSums {
public:
    void add(const Key& key, double share, int line) {
        auto& s = sums_[key];
        if (s.line == 0) {
            s.line = line;
        }
        s.total += share;
    }
    struct Sum {
        double total = 0.0;
        int line = 0;
    };
    [[nodiscard]] const std::map<Key, Sum>& sums() const { return sums_; }
    [[nodiscard]] static std::string text(double total) { return significant(total, 9); }

private:
    std::map<Key, Sum> sums_;
};

/// Shared state of one validation pass.
class Loader {
public:
    explicit Loader(const DatasetFiles& files) : files_(files) {}

    LoadedWorld run() {
        for (const auto& d : files_.read_errors) {
            diags_.add(d);
        }
        for (const auto& name : kRequiredFiles) {
            if (files_.files.count(name) == 0 &&
                std::none_of(
                    files_.read_errors.begin(), files_.read_errors.end(),
                    [&](const Diagnostic& d) { return d.file == path_of(files_, name); })) {
                diags_.error(ErrorCode::FileMissing, path_of(files_, name), 0, 0,
                             "required file is missing");
            }
        }
        read_info();
        read_methods();
        read_countries();
        read_materials();
        read_stages();
        read_production();
        read_trade();
        read_consumption();
        read_import_reliance();
        read_import_sources();
        read_sourcing_shares();
        read_sectors();
        read_end_use();
        read_intensity();
        read_demand();
        read_measures();
        read_stockpiles();
        read_projects();
        check_empty_stages();
        check_military_reach();
        diags_.throw_if_errors();
        w_.content_hash = hash_files();
        return {std::move(w_), diags_.warnings()};
    }

private:
    /// Parses a CSV file of the dataset; an absent optional file gives an empty table.
    CsvTable table(const std::string& name, CsvSchema schema) {
        const auto it = files_.files.find(name);
        if (it == files_.files.end()) {
            return CsvTable{path_of(files_, name), {}, {}, false};
        }
        CsvTable t = parse_csv(it->second, path_of(files_, name), schema, diags_);
        if (!t.header_ok) {
            t.rows.clear();  // without a usable header, row checks would only repeat the problem
        }
        return t;
    }

    std::string file(const std::string& name) const { return path_of(files_, name); }

    void read_info() {
        const auto it = files_.files.find("dataset.toml");
        if (it == files_.files.end()) {
            return;
        }
        const std::string path = file("dataset.toml");
        try {
            const toml::table t = toml::parse(it->second, path);
            auto need_string = [&](const char* key, std::string& out) {
                if (auto v = t[key].value<std::string>()) {
                    out = *v;
                } else {
                    diags_.error(ErrorCode::Toml, path, 0, 0,
                                 std::string(key) + ": expected a string");
                }
            };
            need_string("name", w_.info.name);
            need_string("version", w_.info.version);
            w_.info.description = t["description"].value_or(std::string{});
            w_.info.licence = t["licence"].value_or(std::string{});
            if (auto d = t["as_of"].value<toml::date>()) {
                w_.info.as_of = Date::from_ymd(d->year, d->month, d->day);
            } else if (auto s = t["as_of"].value<std::string>(); s && Date::parse(*s)) {
                w_.info.as_of = Date::parse(*s);
            } else {
                diags_.error(ErrorCode::Toml, path, 0, 0, "as_of: expected a date YYYY-MM-DD");
            }
            if (auto d = t["policy_verified"].value<toml::date>()) {
                w_.info.policy_verified = Date::from_ymd(d->year, d->month, d->day);
            } else if (t.contains("policy_verified")) {
                diags_.error(ErrorCode::Toml, path, 0, 0,
                             "policy_verified: expected a date YYYY-MM-DD (unquoted TOML date)");
            }
        } catch (const toml::parse_error& e) {
            diags_.error(ErrorCode::Toml, path, static_cast<int>(e.source().begin.line),
                         static_cast<int>(e.source().begin.column), std::string(e.description()));
        }
    }

    void read_methods() {
        const auto it = files_.files.find("methods.toml");
        if (it == files_.files.end()) {
            return;
        }
        try {
            w_.methods = load_methods(it->second, file("methods.toml"));
        } catch (const InputError& e) {
            for (const auto& d : e.diagnostics()) {
                diags_.add(d);
            }
        }
    }

    template <class Key>
    bool unique(std::set<Key>& seen,
                const Key& key,
                FieldReader& r,
                std::string_view column,
                const std::string& shown) {
        if (!seen.insert(key).second) {
            r.error(ErrorCode::Duplicate, column, "duplicate key " + shown);
            return false;
        }
        return true;
    }

    void read_countries() {
        const auto t =
            table("countries.csv", {{"iso3", "name", "region", "wgi", "blocs"}, {"source"}});
        std::set<std::string> seen;
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            model::Country c;
            c.iso3 = r.text("iso3", true);
            c.name = r.text("name", true);
            c.region = r.text("region");
            const auto wgi = r.in_range("wgi", 0, 10, true);
            c.blocs = r.list("blocs");
            c.source = r.text("source");
            if (c.iso3.empty()) {
                continue;
            }
            if (c.iso3.size() != 3 || !std::all_of(c.iso3.begin(), c.iso3.end(), [](char ch) {
                    return ch >= 'A' && ch <= 'Z';
                })) {
                r.error(
                    ErrorCode::Range, "iso3",
                    "expected three upper-case letters (ISO 3166 alpha-3), got '" + c.iso3 + "'");
                continue;
            }
            if (c.iso3 == model::kRestOfWorld) {
                r.error(ErrorCode::Range, "iso3",
                        "'ROW' is reserved for the residual 'Other countries'");
                continue;
            }
            if (!unique(seen, c.iso3, r, "iso3", "'" + c.iso3 + "'") || !wgi) {
                continue;
            }
            c.wgi = *wgi;
            w_.countries.push_back(std::move(c));
        }
        std::sort(w_.countries.begin(), w_.countries.end(),
                  [](const auto& a, const auto& b) { return a.iso3 < b.iso3; });
    }

    void read_materials() {
        const auto t =
            table("materials.csv",
                  {{"id", "name"},
                   {"family", "price_usd_t", "price_year", "eol_rir", "si_sr", "si_ei",
                    "elasticity_demand_short", "elasticity_demand_long", "elasticity_supply_long",
                    "substitution_lag_months", "capacity_lag_months", "source"}});
        std::set<std::string> seen;
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            model::Material m;
            m.id = r.text("id", true);
            m.name = r.text("name", true);
            m.family = r.text("family");
            m.price_usd_t = r.non_negative("price_usd_t");
            m.price_year = r.integer("price_year");
            m.eol_rir = r.share("eol_rir");
            m.si_sr = r.share("si_sr").value_or(1.0);
            m.si_ei = r.share("si_ei").value_or(1.0);
            m.elasticity_demand_short =
                r.in_range("elasticity_demand_short", -10, 0).value_or(-0.1);
            m.elasticity_demand_long = r.in_range("elasticity_demand_long", -10, 0).value_or(-0.5);
            m.elasticity_supply_long = r.in_range("elasticity_supply_long", 0, 10).value_or(0.3);
            // Lags become week counts of the model's buffers: at most 20 years, as in scenarios.
            m.substitution_lag_months = r.in_range("substitution_lag_months", 0, 240).value_or(12);
            m.capacity_lag_months = r.in_range("capacity_lag_months", 0, 240).value_or(24);
            m.source = r.text("source");
            if (m.id.empty() || !unique(seen, m.id, r, "id", "'" + m.id + "'")) {
                continue;
            }
            w_.materials.push_back(std::move(m));
        }
    }

    bool known_material(FieldReader& r, std::string_view column, const std::string& id) {
        return check_material(r, w_, column, id);
    }

    bool known_stage(FieldReader& r,
                     std::string_view column,
                     const std::string& material,
                     const std::string& stage) {
        return check_stage(r, w_, column, material, stage);
    }

    /// ISO3 of countries.csv; ROW too when allow_row.
    bool known_country(FieldReader& r,
                       std::string_view column,
                       const std::string& code,
                       bool allow_row,
                       bool allow_bloc = false) {
        return check_country(r, w_, column, code, allow_row, allow_bloc);
    }

    void read_stages() {
        const auto t =
            table("stages.csv", {{"material", "stage", "order"}, {"yield", "description"}});
        std::set<std::pair<std::string, std::string>> seen;
        std::map<std::string, std::vector<std::pair<int, int>>>
            orders;  // material -> (order, line)
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            model::Stage s;
            s.material = r.text("material", true);
            s.stage = r.text("stage", true);
            const auto order = r.integer("order", true);
            const auto yield = r.in_range("yield", 1e-9, 1.0);
            s.yield = yield.value_or(1.0);
            s.description = r.text("description");
            if (!known_material(r, "material", s.material) || s.stage.empty() || !order) {
                continue;
            }
            if (!unique(seen, std::pair{s.material, s.stage}, r, "stage",
                        "'" + s.material + "/" + s.stage + "'")) {
                continue;
            }
            s.order = *order;
            orders[s.material].emplace_back(s.order, row.line);
            w_.stages.push_back(std::move(s));
        }
        for (auto& [material, list] : orders) {
            std::sort(list.begin(), list.end());
            for (std::size_t i = 0; i < list.size(); ++i) {
                if (list[i].first != static_cast<int>(i) + 1) {
                    diags_.error(ErrorCode::StageOrder, t.file, list[i].second, 0,
                                 "stage orders of '" + material + "' must run 1.." +
                                     std::to_string(list.size()) +
                                     " without gaps or repeats; found " +
                                     std::to_string(list[i].first) + " at position " +
                                     std::to_string(i + 1));
                    break;
                }
            }
        }
        std::stable_sort(w_.stages.begin(), w_.stages.end(), [](const auto& a, const auto& b) {
            return std::tie(a.material, a.order) < std::tie(b.material, b.order);
        });
        if (t.header_ok) {
            for (const auto& m : w_.materials) {
                if (orders.count(m.id) == 0) {
                    diags_.error(ErrorCode::StageOrder, file("stages.csv"), 0, 0,
                                 "material '" + m.id + "' has no stages");
                }
            }
        }
    }

    void read_production() {
        const auto t = table("production.csv", {{"material", "stage", "country", "year", "tonnes"},
                                                {"capacity_tonnes", "source"}});
        std::set<std::tuple<std::string, std::string, std::string>> seen;
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            model::Production p;
            p.material = r.text("material", true);
            p.stage = r.text("stage", true);
            p.country = r.text("country", true);
            const auto year = r.integer("year", true);
            const auto tonnes = r.non_negative("tonnes", true);
            p.capacity_tonnes = r.non_negative("capacity_tonnes");
            p.source = r.text("source");
            const bool m_ok = known_material(r, "material", p.material);
            const bool s_ok = m_ok && known_stage(r, "stage", p.material, p.stage);
            const bool c_ok = known_country(r, "country", p.country, true);
            if (!m_ok || !s_ok || !c_ok || !year || !tonnes) {
                continue;
            }
            if (!unique(seen, std::tuple{p.material, p.stage, p.country}, r, "country",
                        "'" + p.material + "/" + p.stage + "/" + p.country + "'")) {
                continue;
            }
            p.year = *year;
            p.tonnes = *tonnes;
            w_.production.push_back(std::move(p));
        }
    }

    void read_trade() {
        const auto t =
            table("trade.csv",
                  {{"material", "stage", "exporter", "importer", "year", "tonnes"}, {"source"}});
        std::set<std::tuple<std::string, std::string, std::string, std::string>> seen;
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            model::TradeFlow f;
            f.material = r.text("material", true);
            f.stage = r.text("stage", true);
            f.exporter = r.text("exporter", true);
            f.importer = r.text("importer", true);
            const auto year = r.integer("year", true);
            const auto tonnes = r.non_negative("tonnes", true);
            f.source = r.text("source");
            const bool m_ok = known_material(r, "material", f.material);
            const bool s_ok = m_ok && known_stage(r, "stage", f.material, f.stage);
            const bool e_ok = known_country(r, "exporter", f.exporter, true);
            const bool i_ok = known_country(r, "importer", f.importer, false, true);
            if (!m_ok || !s_ok || !e_ok || !i_ok || !year || !tonnes) {
                continue;
            }
            if (f.exporter == f.importer || (w_.is_bloc(f.importer) && [&] {
                    const auto members = w_.members(f.importer);
                    return std::find(members.begin(), members.end(), f.exporter) != members.end();
                }())) {
                r.error(ErrorCode::Range, "importer",
                        "exporter '" + f.exporter + "' is (a member of) importer '" + f.importer +
                            "': trade.csv holds flows between different countries or blocs");
                continue;
            }
            if (!unique(seen, std::tuple{f.material, f.stage, f.exporter, f.importer}, r,
                        "importer",
                        "'" + f.material + "/" + f.stage + "/" + f.exporter + "->" + f.importer +
                            "'")) {
                continue;
            }
            f.year = *year;
            f.tonnes = *tonnes;
            w_.trade.push_back(std::move(f));
        }
    }

    /// consumption.csv: observed apparent use of a stage by a country or bloc.
    void read_consumption() {
        const auto t = table("consumption.csv",
                             {{"material", "stage", "country", "year", "tonnes"}, {"source"}});
        std::set<std::tuple<std::string, std::string, std::string>> seen;
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            model::Consumption c;
            c.material = r.text("material", true);
            c.stage = r.text("stage", true);
            c.country = r.text("country", true);
            const auto year = r.integer("year", true);
            const auto tonnes = r.non_negative("tonnes", true);
            c.source = r.text("source");
            const bool m_ok = known_material(r, "material", c.material);
            const bool s_ok = m_ok && known_stage(r, "stage", c.material, c.stage);
            const bool c_ok = known_country(r, "country", c.country, false, true);
            if (!m_ok || !s_ok || !c_ok || !year || !tonnes) {
                continue;
            }
            if (!unique(seen, std::tuple{c.material, c.stage, c.country}, r, "country",
                        "'" + c.material + "/" + c.stage + "/" + c.country + "'")) {
                continue;
            }
            c.year = *year;
            c.tonnes = *tonnes;
            w_.consumption.push_back(std::move(c));
        }
    }

    void read_import_reliance() {
        const auto t = table("import_reliance.csv",
                             {{"importer", "material", "year", "net_import_reliance"}, {"source"}});
        std::set<std::pair<std::string, std::string>> seen;
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            model::ImportReliance x;
            x.importer = r.text("importer", true);
            x.material = r.text("material", true);
            const auto year = r.integer("year", true);
            const auto nir = r.share("net_import_reliance", true);
            x.source = r.text("source");
            const bool c_ok = known_country(r, "importer", x.importer, false, true);
            const bool m_ok = known_material(r, "material", x.material);
            if (!c_ok || !m_ok || !year || !nir) {
                continue;
            }
            if (!unique(seen, std::pair{x.importer, x.material}, r, "material",
                        "'" + x.importer + "/" + x.material + "'")) {
                continue;
            }
            x.year = *year;
            x.net_import_reliance = *nir;
            w_.import_reliance.push_back(std::move(x));
        }
    }

    void read_import_sources() {
        const auto t = table("import_sources.csv",
                             {{"importer", "material", "year", "exporter", "share"}, {"source"}});
        std::set<std::tuple<std::string, std::string, std::string>> seen;
        ShareSums<std::pair<std::string, std::string>> sums;
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            model::ImportSource x;
            x.importer = r.text("importer", true);
            x.material = r.text("material", true);
            const auto year = r.integer("year", true);
            x.exporter = r.text("exporter", true);
            const auto share = r.share("share", true);
            x.source = r.text("source");
            const bool c_ok = known_country(r, "importer", x.importer, false, true);
            const bool m_ok = known_material(r, "material", x.material);
            const bool e_ok = known_country(r, "exporter", x.exporter, true);
            if (!c_ok || !m_ok || !e_ok || !year || !share) {
                continue;
            }
            if (!unique(seen, std::tuple{x.importer, x.material, x.exporter}, r, "exporter",
                        "'" + x.importer + "/" + x.material + "/" + x.exporter + "'")) {
                continue;
            }
            sums.add({x.importer, x.material}, *share, row.line);
            x.year = *year;
            x.share = *share;
            w_.import_sources.push_back(std::move(x));
        }
        for (const auto& [key, sum] : sums.sums()) {
            if (sum.total > 1.0 + 1e-6) {
                diags_.error(ErrorCode::ShareRange, t.file, sum.line, 0,
                             "import shares of '" + key.first + "/" + key.second + "' sum to " +
                                 ShareSums<std::pair<std::string, std::string>>::text(sum.total) +
                                 ", more than 1");
            }
        }
    }

    /// sourcing_shares.csv: published sourcing mixes; each (perspective, material, stage) sums
    /// to 1.
    void read_sourcing_shares() {
        const auto t =
            table("sourcing_shares.csv",
                  {{"perspective", "material", "stage", "year", "country", "share"}, {"source"}});
        std::set<std::tuple<std::string, std::string, std::string, std::string>> seen;
        using Key = std::tuple<std::string, std::string, std::string>;
        ShareSums<Key> sums;
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            model::SourcingShare x;
            x.perspective = r.text("perspective", true);
            x.material = r.text("material", true);
            x.stage = r.text("stage", true);
            const auto year = r.integer("year", true);
            x.country = r.text("country", true);
            const auto share = r.share("share", true);
            x.source = r.text("source");
            const bool p_ok = x.perspective == model::kWorldPerspective ||
                              known_country(r, "perspective", x.perspective, false, true);
            const bool m_ok = known_material(r, "material", x.material);
            const bool s_ok = m_ok && known_stage(r, "stage", x.material, x.stage);
            const bool c_ok = known_country(r, "country", x.country, true);
            if (!p_ok || !m_ok || !s_ok || !c_ok || !year || !share) {
                continue;
            }
            if (!unique(seen, std::tuple{x.perspective, x.material, x.stage, x.country}, r,
                        "country",
                        "'" + x.perspective + "/" + x.material + "/" + x.stage + "/" + x.country +
                            "'")) {
                continue;
            }
            sums.add({x.perspective, x.material, x.stage}, *share, row.line);
            x.year = *year;
            x.share = *share;
            w_.sourcing_shares.push_back(std::move(x));
        }
        for (const auto& [key, sum] : sums.sums()) {
            if (std::fabs(sum.total - 1.0) > 1e-6) {
                const auto& [p, m, s] = key;
                diags_.error(ErrorCode::ShareRange, t.file, sum.line, 0,
                             "sourcing shares of '" + p + "/" + m + "/" + s + "' sum to " +
                                 ShareSums<Key>::text(sum.total) +
                                 ", expected 1 (ROW takes the unlisted rest)");
            }
        }
    }

    void read_sectors() {
        const auto t =
            table("sectors.csv",
                  {{"id", "name"}, {"gics", "value_added_usd", "source", "serves_military"}});
        std::set<std::string> seen;
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            model::Sector s;
            s.id = r.text("id", true);
            s.name = r.text("name", true);
            s.gics = r.text("gics");
            s.value_added_usd = r.non_negative("value_added_usd").value_or(0.0);
            s.source = r.text("source");
            const auto military = r.text("serves_military");
            if (military == "yes") {
                s.serves_military = true;
            } else if (!military.empty() && military != "no") {
                r.error(ErrorCode::Enum, "serves_military",
                        "expected 'yes' or 'no', got '" + military + "'");
            }
            if (s.id.empty() || !unique(seen, s.id, r, "id", "'" + s.id + "'")) {
                continue;
            }
            w_.sectors.push_back(std::move(s));
        }
    }

    bool known_sector(FieldReader& r, std::string_view column, const std::string& id) {
        if (id.empty()) {
            return false;
        }
        if (w_.find_sector(id) == nullptr) {
            r.error(ErrorCode::UnknownSector, column, "unknown sector '" + id + "'");
            return false;
        }
        return true;
    }

    void read_end_use() {
        const auto t = table("end_use.csv", {{"material", "sector", "share"}, {"source"}});
        std::set<std::pair<std::string, std::string>> seen;
        ShareSums<std::string> sums;
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            model::EndUse e;
            e.material = r.text("material", true);
            e.sector = r.text("sector", true);
            const auto share = r.share("share", true);
            e.source = r.text("source");
            const bool m_ok = known_material(r, "material", e.material);
            const bool s_ok = known_sector(r, "sector", e.sector);
            if (!m_ok || !s_ok || !share) {
                continue;
            }
            if (!unique(seen, std::pair{e.material, e.sector}, r, "sector",
                        "'" + e.material + "/" + e.sector + "'")) {
                continue;
            }
            sums.add(e.material, *share, row.line);
            e.share = *share;
            w_.end_use.push_back(std::move(e));
        }
        for (const auto& [material, sum] : sums.sums()) {
            if (std::abs(sum.total - 1.0) > 1e-6) {
                diags_.error(ErrorCode::EndUseSum, t.file, sum.line, 0,
                             "end-use shares of '" + material + "' sum to " +
                                 ShareSums<std::string>::text(sum.total) + ", expected 1 +- 1e-6");
            }
        }
    }

    void read_intensity() {
        const auto t =
            table("intensity.csv", {{"sector", "material", "kg_per_musd"}, {"stage", "source"}});
        std::set<std::tuple<std::string, std::string, std::string>> seen;
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            model::Intensity x;
            x.sector = r.text("sector", true);
            x.material = r.text("material", true);
            x.stage = r.text("stage");
            const auto kg = r.non_negative("kg_per_musd", true);
            x.source = r.text("source");
            const bool s_ok = known_sector(r, "sector", x.sector);
            const bool m_ok = known_material(r, "material", x.material);
            const bool st_ok =
                !m_ok || x.stage.empty() || known_stage(r, "stage", x.material, x.stage);
            if (!s_ok || !m_ok || !st_ok || !kg) {
                continue;
            }
            if (!unique(seen, std::tuple{x.sector, x.material, x.stage}, r, "material",
                        "'" + x.sector + "/" + x.material + "'")) {
                continue;
            }
            x.kg_per_musd = *kg;
            w_.intensity.push_back(std::move(x));
        }
    }

    /// demand.csv: final-stage demand weights per material ("*" = default); each set sums to <= 1.
    void read_demand() {
        const auto t = table("demand.csv", {{"material", "country", "weight"}, {"source"}});
        std::set<std::pair<std::string, std::string>> seen;
        ShareSums<std::string> sums;
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            model::Demand d;
            d.material = r.text("material", true);
            d.country = r.text("country", true);
            const auto weight = r.share("weight", true);
            d.source = r.text("source");
            const bool m_ok = d.material == "*" || known_material(r, "material", d.material);
            const bool c_ok = known_country(r, "country", d.country, false);
            if (d.material.empty() || !m_ok || !c_ok || !weight) {
                continue;
            }
            if (!unique(seen, std::pair{d.material, d.country}, r, "country",
                        "'" + d.material + "/" + d.country + "'")) {
                continue;
            }
            sums.add(d.material, *weight, row.line);
            d.weight = *weight;
            w_.demand.push_back(std::move(d));
        }
        for (const auto& [material, sum] : sums.sums()) {
            if (sum.total > 1.0 + 1e-6) {
                diags_.error(ErrorCode::ShareRange, t.file, sum.line, 0,
                             "demand weights of '" + material + "' sum to " +
                                 ShareSums<std::string>::text(sum.total) +
                                 ", more than 1 (the rest of the world takes 1 - sum)");
            }
        }
    }

    void read_measures() {
        const auto t = table("measures.csv", measure_schema());
        std::set<std::string> seen;
        std::vector<std::pair<std::string, const CsvRow*>> suspensions;
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            auto m = read_measure_row(r, w_);
            const std::string id = r.text("id");
            if (!r.text("suspends").empty()) {
                suspensions.emplace_back(id, &row);  // checked even when the row has other errors
            }
            if (id.empty() || !unique(seen, id, r, "id", "'" + id + "'") || !m) {
                continue;
            }
            w_.measures.push_back(std::move(*m));
        }
        // Second pass: suspensions may name measures listed after them. An id whose row was
        // refused is known (its own error is reported), so it is not reported twice.
        for (const auto& [own_id, row] : suspensions) {
            FieldReader r(t, *row, diags_);
            check_suspends(r, own_id, r.list("suspends"),
                           [&](const std::string& id) { return seen.count(id) != 0; });
        }
    }

    void read_stockpiles() {
        const auto t = table("stockpiles.csv", {{"holder", "bloc_or_country", "material", "tonnes"},
                                                {"stage", "as_of", "release_rule", "source"}});
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            model::Stockpile s;
            s.holder = r.text("holder", true);
            s.bloc_or_country = r.text("bloc_or_country", true);
            s.material = r.text("material", true);
            s.stage = r.text("stage");
            const auto tonnes = r.non_negative("tonnes", true);
            s.as_of = r.date("as_of");
            s.release_rule = r.text("release_rule");
            s.source = r.text("source");
            bool rule_ok = true;
            if (!s.release_rule.empty()) {
                // The simulation releases a stock evenly over a period; nothing else is
                // implemented, so any other rule is refused rather than silently replaced by the
                // default.
                const auto days = parse_duration_days(s.release_rule);
                if (!days || *days <= 0) {
                    r.error(ErrorCode::Range, "release_rule",
                            "expected a release period like 26w, 180d or 6m (the stock is released "
                            "evenly over it), got '" +
                                s.release_rule +
                                "'; rules such as "
                                "on_shortfall:rate_per_week=50 are not implemented");
                    rule_ok = false;
                }
            }
            const bool c_ok = known_country(r, "bloc_or_country", s.bloc_or_country, false, true);
            const bool m_ok = known_material(r, "material", s.material);
            const bool st_ok =
                !m_ok || s.stage.empty() || known_stage(r, "stage", s.material, s.stage);
            if (!c_ok || !m_ok || !st_ok || !tonnes || s.holder.empty() || !rule_ok) {
                continue;
            }
            s.tonnes = *tonnes;
            w_.stockpiles.push_back(std::move(s));
        }
    }

    void read_projects() {
        const auto t =
            table("projects.csv", {{"id", "country", "material", "stage", "capacity_tonnes"},
                                   {"status", "start", "ramp_months", "probability", "source"}});
        std::set<std::string> seen;
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            model::Project p;
            p.id = r.text("id", true);
            p.country = r.text("country", true);
            p.material = r.text("material", true);
            p.stage = r.text("stage", true);
            const auto cap = r.non_negative("capacity_tonnes", true);
            const std::string status = r.text("status");
            bool ok = true;
            if (const auto parsed = model::parse_project_status(status)) {
                p.status = *parsed;
            } else if (!status.empty()) {
                r.error(ErrorCode::Enum, "status",
                        "expected announced, construction or operating, got '" + status + "'");
                ok = false;
            }
            p.start = r.date("start");
            p.ramp_months = r.in_range("ramp_months", 0, 240).value_or(0.0);
            p.probability = r.share("probability").value_or(1.0);
            p.source = r.text("source");
            const bool c_ok = known_country(r, "country", p.country, false);
            const bool m_ok = known_material(r, "material", p.material);
            const bool st_ok = m_ok && known_stage(r, "stage", p.material, p.stage);
            if (!ok || !c_ok || !m_ok || !st_ok || !cap || p.id.empty() ||
                !unique(seen, p.id, r, "id", "'" + p.id + "'")) {
                continue;
            }
            p.capacity_tonnes = *cap;
            w_.projects.push_back(std::move(p));
        }
    }

    /// A stage with no production cannot give shares; metrics refuse it, so warn early.
    void check_empty_stages() {
        for (const auto& s : w_.stages) {
            double total = 0;
            for (const auto* p : w_.production_of(s.material, s.stage)) {
                total += p->tonnes;
            }
            if (total <= 0) {
                diags_.warning(ErrorCode::EmptyStage, file("production.csv"), 0, 0,
                               "stage '" + s.material + "/" + s.stage + "' has no production");
            }
        }
    }

    /// A military-only measure acts on the end-use share of the sectors that serve armed forces;
    /// with none marked, it would silently do nothing.
    void check_military_reach() {
        const bool any = std::any_of(w_.sectors.begin(), w_.sectors.end(),
                                     [](const model::Sector& s) { return s.serves_military; });
        for (const auto& m : w_.measures) {
            if (m.end_users == "military" && !any) {
                diags_.warning(ErrorCode::UnknownSector, file("sectors.csv"), 0, 0,
                               "measure '" + m.id +
                                   "' reaches military end users only, but no sector has "
                                   "serves_military = yes: it has no effect in simulations");
            }
        }
    }

    std::string hash_files() const {
        Fnv1a64 h;
        for (const auto& [name, bytes] : files_.files) {
            h.add(name);
            h.add(bytes);
        }
        return h.hex();
    }

    const DatasetFiles& files_;
    Diagnostics diags_;
    World w_;
};

}  // namespace

const std::vector<std::string>& dataset_file_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all = kRequiredFiles;
        all.insert(all.end(), kOptionalFiles.begin(), kOptionalFiles.end());
        return all;
    }();
    return names;
}

DatasetFiles read_dataset_dir(const fs::path& dir) {
    DatasetFiles out;
    out.root = dir.string();
    while (out.root.size() > 1 && out.root.back() == '/') {
        out.root.pop_back();
    }
    std::error_code ec;
    const auto status = fs::status(dir, ec);
    if (ec || !fs::exists(status)) {
        throw InputError({{Severity::Error,
                           ErrorCode::FileMissing,
                           out.root,
                           0,
                           0,
                           {},
                           "dataset folder does not exist"}});
    }
    if (!fs::is_directory(status)) {
        throw InputError(
            {{Severity::Error,
              ErrorCode::NotADirectory,
              out.root,
              0,
              0,
              {},
              "a dataset is a folder of CSV files plus dataset.toml, not a single file"}});
    }
    for (const auto& name : dataset_file_names()) {
        const fs::path p = dir / name;
        const auto st = fs::status(p, ec);
        if (ec || !fs::exists(st)) {
            continue;
        }
        const std::string shown = out.root + "/" + name;
        if (!fs::is_regular_file(st)) {
            out.read_errors.push_back(
                {Severity::Error, ErrorCode::NotAFile, shown, 0, 0, {}, "expected a regular file"});
            continue;
        }
        const auto size = fs::file_size(p, ec);
        if (ec || size > kMaxFileBytes) {
            out.read_errors.push_back(
                {Severity::Error,
                 ErrorCode::FileUnreadable,
                 shown,
                 0,
                 0,
                 {},
                 ec ? "cannot read the file size" : "file is larger than 256 MiB"});
            continue;
        }
        std::ifstream in(p, std::ios::binary);
        std::ostringstream buf;
        buf << in.rdbuf();
        if (!in && !in.eof()) {
            out.read_errors.push_back({Severity::Error,
                                       ErrorCode::FileUnreadable,
                                       shown,
                                       0,
                                       0,
                                       {},
                                       "cannot read the file"});
            continue;
        }
        out.files[name] = std::move(buf).str();
    }
    return out;
}

LoadedWorld load_world(const DatasetFiles& files) {
    return Loader(files).run();
}

model::MethodParams load_methods(const std::string& toml_text,
                                 const std::string& file,
                                 model::MethodParams base) {
    Diagnostics diags;
    try {
        const toml::table t = toml::parse(toml_text, file);
        auto number = [&](const toml::node& node, const std::string& key, double lo, double hi,
                          double& out) {
            const auto v = node.value<double>();
            const auto pos = node.source().begin;
            if (!v || !std::isfinite(*v) || *v < lo || *v > hi) {
                diags.error(ErrorCode::Toml, file, static_cast<int>(pos.line),
                            static_cast<int>(pos.column),
                            key + ": expected a number in [" + significant(lo, 6) + "," +
                                significant(hi, 6) + "]");
                return;
            }
            out = *v;
        };
        for (const auto& [section, node] : t) {
            const std::string sec(section.str());
            const auto* tbl = node.as_table();
            if (tbl == nullptr) {
                diags.error(ErrorCode::Toml, file, static_cast<int>(node.source().begin.line), 0,
                            sec + ": expected a table");
                continue;
            }
            for (const auto& [key, value] : *tbl) {
                const std::string k(key.str());
                const std::string path = sec + "." + k;
                if (sec == "trade_factor" && !model::parse_measure_kind(k)) {
                    diags.error(ErrorCode::Toml, file, static_cast<int>(value.source().begin.line),
                                static_cast<int>(value.source().begin.column),
                                path +
                                    ": unknown measure kind (expected e.g. export_tax, "
                                    "export_quota, export_licensing, export_ban)");
                } else if (sec == "trade_factor") {
                    number(value, path, 1.0, 10.0, base.trade_factor[k]);
                } else if (sec == "eu" && k == "critical_ei") {
                    number(value, path, 0.0, 100.0, base.critical_ei);
                } else if (sec == "eu" && k == "critical_sr") {
                    number(value, path, 0.0, 100.0, base.critical_sr);
                } else if (sec == "eu" && k == "member_trade_factor") {
                    number(value, path, 0.1, 10.0, base.eu_member_trade_factor);
                } else if (sec == "eu" && k == "product_stages") {
                    const auto* arr = value.as_array();
                    std::vector<std::string> stages;
                    for (std::size_t i = 0; arr != nullptr && i < arr->size(); ++i) {
                        if (auto s = (*arr)[i].value<std::string>()) {
                            stages.push_back(*s);
                        } else {
                            arr = nullptr;
                        }
                    }
                    if (arr == nullptr) {
                        diags.error(ErrorCode::Toml, file,
                                    static_cast<int>(value.source().begin.line),
                                    static_cast<int>(value.source().begin.column),
                                    path + ": expected an array of stage ids");
                    } else {
                        base.eu_product_stages = std::move(stages);
                    }
                } else if (sec == "price" && k == "cap_multiple") {
                    number(value, path, 1.0, 1000.0, base.price_cap_multiple);
                } else {
                    diags.error(ErrorCode::Toml, file, static_cast<int>(value.source().begin.line),
                                static_cast<int>(value.source().begin.column),
                                path + ": unknown key");
                }
            }
        }
    } catch (const toml::parse_error& e) {
        diags.error(ErrorCode::Toml, file, static_cast<int>(e.source().begin.line),
                    static_cast<int>(e.source().begin.column), std::string(e.description()));
    }
    diags.throw_if_errors();
    return base;
}

}  // namespace lodestone::io
