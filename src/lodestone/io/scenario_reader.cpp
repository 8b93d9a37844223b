#include "lodestone/io/scenario_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/core/hash.hpp"
#include "lodestone/core/limits.hpp"
#include "lodestone/core/number_text.hpp"

namespace lodestone::io {

namespace fs = std::filesystem;
using model::Distribution;
using model::Param;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// An allowed interval for a number, printed as in the messages: [0,1], (0,inf), [1,1040].
struct Range {
    double lo = -kInf;
    double hi = kInf;
    bool lo_open = false;
    bool hi_open = false;

    [[nodiscard]] bool contains(double x) const {
        if (!std::isfinite(x)) {
            return false;  // every number is finite, whatever the range (TOML allows nan and inf)
        }
        const bool above = lo_open ? x > lo : x >= lo;
        const bool below = hi_open ? x < hi : x <= hi;
        return above && below;
    }
    [[nodiscard]] std::string text() const {
        return std::string(lo_open || std::isinf(lo) ? "(" : "[") + significant(lo, 6) + "," +
               significant(hi, 6) + (hi_open || std::isinf(hi) ? ")" : "]");
    }
};

const Range kShare{0.0, 1.0};
// Quantities, prices and rates: finite bounds (core/limits.hpp) so that products stay finite.
const Range kNonNegative{0.0, kMaxInputQuantity};
const Range kPositive{0.0, kMaxInputQuantity, true};
// Delays and lags size the simulation's buffers: bounded by the longest horizon (1040 weeks, 20
// years) so that a scenario cannot ask for gigabytes; likewise day counts of measures (100 years).
const Range kWeeks{0.0, 1040.0};
const Range kWeeksAtLeastOne{1.0, 1040.0};
const Range kMonths{0.0, 240.0};
const Range kLeadDays{0.0, 7300.0};
const Range kDurationDays{1.0, 36500.0};
const Range kNegativeElasticity{-20.0, 0.0};  // 0: no substitute at any price
const Range kSupplyElasticity{0.0, 20.0};
const Range kAboveBaseline{1.0, kMaxInputQuantity,
                           true};       // a price multiple above the baseline price of 1
const Range kLognormalSigma{0.0, 5.0};  // e^(5 z) stays finite for any z a normal sampler gives

class ScenarioReader {
public:
    ScenarioReader(const std::string& file, const model::World& world)
        : file_(file), world_(world) {}

    model::ScenarioSpec run(const std::string& text) {
        spec_.file = file_;
        spec_.content_hash = fnv1a_hex(text);
        try {
            const toml::table root = toml::parse(text, file_);
            read_root(root);
        } catch (const toml::parse_error& e) {
            error(ErrorCode::Toml, e.source(), std::string(e.description()));
        }
        diags_.throw_if_errors();
        return std::move(spec_);
    }

private:
    // ---- diagnostics -------------------------------------------------------------------
    void error(ErrorCode code, const toml::source_region& at, std::string message) {
        Diagnostic d;
        d.code = code;
        d.file = file_;
        d.line = static_cast<int>(at.begin.line);
        d.column = static_cast<int>(at.begin.column);
        d.message = std::move(message);
        diags_.add(std::move(d));
    }
    void error(ErrorCode code,
               const toml::node& at,
               const std::string& path,
               const std::string& what) {
        Diagnostic d;
        d.code = code;
        d.file = file_;
        d.line = static_cast<int>(at.source().begin.line);
        d.column = static_cast<int>(at.source().begin.column);
        d.field = path;
        d.message = path + ": " + what;
        diags_.add(std::move(d));
    }

    /// Reports keys of `table` not in `allowed`.
    void check_keys(const toml::table& table,
                    const std::string& path,
                    std::initializer_list<std::string_view> allowed) {
        for (const auto& [key, node] : table) {
            if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
                std::string list;
                for (const auto k : allowed) {
                    list += (list.empty() ? "" : ", ") + std::string(k);
                }
                error(ErrorCode::Toml, node, join(path, key.str()),
                      "unknown key; expected one of " + list);
            }
        }
    }

    static std::string join(const std::string& path, std::string_view key) {
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    }
    static std::string index(const std::string& path, std::size_t i) {
        return path + "[" + std::to_string(i) + "]";
    }

    // ---- scalar readers ----------------------------------------------------------------
    const toml::table* table_at(const toml::table& parent,
                                std::string_view key,
                                const std::string& path) {
        const toml::node* n = parent.get(key);
        if (n == nullptr) {
            return nullptr;
        }
        if (const auto* t = n->as_table()) {
            return t;
        }
        error(ErrorCode::Toml, *n, join(path, key), "expected a table");
        return nullptr;
    }

    std::optional<std::string> string_at(const toml::table& t,
                                         std::string_view key,
                                         const std::string& path,
                                         bool required) {
        const toml::node* n = t.get(key);
        if (n == nullptr) {
            if (required) {
                error(ErrorCode::Required, t, join(path, key), "required key is missing");
            }
            return std::nullopt;
        }
        if (auto s = n->value<std::string>()) {
            if (required && s->empty()) {
                error(ErrorCode::Required, *n, join(path, key), "expected a non-empty string");
                return std::nullopt;
            }
            return s;
        }
        error(ErrorCode::Toml, *n, join(path, key), "expected a string");
        return std::nullopt;
    }

    std::optional<double> number_at(const toml::table& t,
                                    std::string_view key,
                                    const std::string& path,
                                    const Range& range,
                                    bool required = false) {
        const toml::node* n = t.get(key);
        if (n == nullptr) {
            if (required) {
                error(ErrorCode::Required, t, join(path, key), "required key is missing");
            }
            return std::nullopt;
        }
        return number(*n, join(path, key), range);
    }

    std::optional<double> number(const toml::node& n, const std::string& path, const Range& range) {
        std::optional<double> v;
        if (n.is_integer()) {
            v = static_cast<double>(*n.value<std::int64_t>());
        } else if (n.is_floating_point()) {
            v = *n.value<double>();
        }
        if (!v || !range.contains(*v)) {
            error(ErrorCode::Range, n, path, "expected a number in " + range.text());
            return std::nullopt;
        }
        return v;
    }

    std::optional<std::int64_t> integer_at(const toml::table& t,
                                           std::string_view key,
                                           const std::string& path,
                                           std::int64_t lo,
                                           std::int64_t hi) {
        const toml::node* n = t.get(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        const auto v = n->value_exact<std::int64_t>();
        if (!v || *v < lo || *v > hi) {
            error(ErrorCode::Range, *n, join(path, key),
                  "expected an integer in [" + std::to_string(lo) + "," + std::to_string(hi) + "]");
            return std::nullopt;
        }
        return v;
    }

    std::optional<Date> date_at(const toml::table& t,
                                std::string_view key,
                                const std::string& path,
                                bool required = false) {
        const toml::node* n = t.get(key);
        if (n == nullptr) {
            if (required) {
                error(ErrorCode::Required, t, join(path, key), "required key is missing");
            }
            return std::nullopt;
        }
        if (const auto d = n->value<toml::date>()) {
            if (d->month >= 1 && d->month <= 12 && d->day >= 1 && d->day <= 31) {
                char buf[16];
                std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d->year),
                              static_cast<unsigned>(d->month), static_cast<unsigned>(d->day));
                if (auto parsed = Date::parse(buf)) {
                    return parsed;
                }
            }
        } else if (const auto s = n->value<std::string>()) {
            if (auto parsed = Date::parse(*s)) {
                return parsed;
            }
        }
        error(ErrorCode::Date, *n, join(path, key), "expected a date YYYY-MM-DD");
        return std::nullopt;
    }

    /// A list of strings: a TOML array of strings, or one string with ';'-separated items.
    std::optional<std::vector<std::string>> list_at(const toml::table& t,
                                                    std::string_view key,
                                                    const std::string& path) {
        const toml::node* n = t.get(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        std::vector<std::string> out;
        if (const auto s = n->value<std::string>()) {
            std::string item;
            std::istringstream in(*s);
            while (std::getline(in, item, ';')) {
                item.erase(0, item.find_first_not_of(" \t"));
                item.erase(item.find_last_not_of(" \t") + 1);
                if (!item.empty()) {
                    out.push_back(item);
                }
            }
            return out;
        }
        if (const auto* arr = n->as_array()) {
            bool ok = true;
            for (std::size_t i = 0; i < arr->size(); ++i) {
                if (auto s = (*arr)[i].value<std::string>()) {
                    out.push_back(*s);
                } else {
                    error(ErrorCode::Toml, (*arr)[i], index(join(path, key), i),
                          "expected a string");
                    ok = false;
                }
            }
            if (ok) {
                return out;
            }
            return std::nullopt;
        }
        error(ErrorCode::Toml, *n, join(path, key), "expected an array of strings or a ';'-list");
        return std::nullopt;
    }

    // ---- distributions -----------------------------------------------------------------
    /// A number (fixed) or a distribution table, whose support must lie within `range`.
    Param param_at(const toml::table& t,
                   std::string_view key,
                   const std::string& path,
                   const Range& range) {
        const toml::node* n = t.get(key);
        if (n == nullptr) {
            return std::nullopt;
        }
        const std::string p = join(path, key);
        if (const auto* dt = n->as_table()) {
            return distribution(*dt, p, range);
        }
        if (auto v = number(*n, p, range)) {
            return Distribution::fixed(*v);
        }
        return std::nullopt;
    }

    Param distribution(const toml::table& t, const std::string& path, const Range& range) {
        const auto kind = string_at(t, "dist", path, true);
        if (!kind) {
            return std::nullopt;
        }
        const std::size_t before = diags_.items().size();
        Distribution d;
        const Range any{};
        if (*kind == "fixed") {
            check_keys(t, path, {"dist", "value"});
            d = Distribution::fixed(number_at(t, "value", path, range, true).value_or(0.0));
        } else if (*kind == "uniform") {
            check_keys(t, path, {"dist", "min", "max"});
            d = Distribution::uniform(number_at(t, "min", path, any, true).value_or(0.0),
                                      number_at(t, "max", path, any, true).value_or(0.0));
            if (diags_.items().size() == before && !(d.min <= d.max)) {
                error(ErrorCode::Range, t, path, "uniform needs min <= max");
            }
        } else if (*kind == "triangular") {
            check_keys(t, path, {"dist", "min", "mode", "max"});
            d = Distribution::triangular(number_at(t, "min", path, any, true).value_or(0.0),
                                         number_at(t, "mode", path, any, true).value_or(0.0),
                                         number_at(t, "max", path, any, true).value_or(0.0));
            if (diags_.items().size() == before &&
                !(d.min <= d.mode && d.mode <= d.max && d.min < d.max)) {
                error(ErrorCode::Range, t, path,
                      "triangular needs min <= mode <= max and min < max");
            }
        } else if (*kind == "beta") {
            check_keys(t, path, {"dist", "alpha", "beta", "min", "max"});
            d = Distribution::beta_on(number_at(t, "alpha", path, kPositive, true).value_or(1.0),
                                      number_at(t, "beta", path, kPositive, true).value_or(1.0),
                                      number_at(t, "min", path, any).value_or(0.0),
                                      number_at(t, "max", path, any).value_or(1.0));
            if (diags_.items().size() == before && !(d.min < d.max)) {
                error(ErrorCode::Range, t, path, "beta needs min < max");
            }
        } else if (*kind == "lognormal") {
            check_keys(t, path, {"dist", "median", "sigma"});
            d = Distribution::lognormal(
                number_at(t, "median", path, kPositive, true).value_or(1.0),
                number_at(t, "sigma", path, kLognormalSigma, true).value_or(0.0));
        } else {
            error(ErrorCode::Enum, *t.get("dist"), join(path, "dist"),
                  "unknown distribution '" + *kind +
                      "'; expected fixed, uniform, triangular, beta or lognormal");
            return std::nullopt;
        }
        if (diags_.items().size() != before) {
            return std::nullopt;
        }
        // A quantity's bound only keeps products finite: a lognormal with its median below it stays
        // far from overflow (sigma <= 5), so it is allowed there; a real upper limit (a share) is
        // not.
        if (d.kind == Distribution::Kind::Lognormal && d.sigma > 0 &&
            range.hi < kMaxInputQuantity) {
            error(ErrorCode::Range, t, path,
                  "expected a number in " + range.text() +
                      "; a lognormal distribution is unbounded, use beta or triangular");
            return std::nullopt;
        }
        if (d.kind != Distribution::Kind::Fixed && d.kind != Distribution::Kind::Lognormal &&
            (!range.contains(d.min) || !range.contains(d.max))) {
            error(ErrorCode::Range, t, path,
                  "expected a number in " + range.text() + "; the distribution's support [" +
                      significant(d.min, 6) + "," + significant(d.max, 6) + "] is not inside it");
            return std::nullopt;
        }
        if (d.kind == Distribution::Kind::Lognormal && !range.contains(d.median)) {
            error(ErrorCode::Range, t, path,
                  "expected a number in " + range.text() + "; median outside it");
            return std::nullopt;
        }
        return d;
    }

    // ---- references to the World ---------------------------------------------------------
    bool known_material(const toml::node& at, const std::string& path, const std::string& id) {
        if (world_.find_material(id) != nullptr) {
            return true;
        }
        error(ErrorCode::UnknownMaterial, at, path, "unknown material '" + id + "'");
        return false;
    }
    bool known_country(const toml::node& at,
                       const std::string& path,
                       const std::string& code,
                       bool allow_bloc,
                       bool allow_row = false) {
        if (world_.find_country(code) != nullptr || (allow_bloc && world_.is_bloc(code)) ||
            (allow_row && code == model::kRestOfWorld)) {
            return true;
        }
        error(ErrorCode::UnknownCountry, at, path,
              std::string("unknown ") + (allow_bloc ? "country or bloc '" : "country '") + code +
                  "'");
        return false;
    }
    bool known_stage(const toml::node& at,
                     const std::string& path,
                     const std::string& material,
                     const std::string& stage) {
        if (world_.find_stage(material, stage) != nullptr) {
            return true;
        }
        error(ErrorCode::UnknownStage, at, path,
              "material '" + material + "' has no stage '" + stage + "'");
        return false;
    }
    const toml::node& node_or(const toml::table& t, std::string_view key) {
        const toml::node* n = t.get(key);
        return n != nullptr ? *n : static_cast<const toml::node&>(t);
    }

    // ---- sections ----------------------------------------------------------------------
    void read_root(const toml::table& root) {
        check_keys(root, "", {"scenario"});
        const toml::table* s =
            root.get("scenario") != nullptr ? root.get("scenario")->as_table() : nullptr;
        if (s == nullptr) {
            error(ErrorCode::Required, root.source(),
                  "scenario: a [scenario] table is required (see docs/scenarios.md)");
            return;
        }
        const std::string p = "scenario";
        check_keys(*s, p,
                   {"name", "description", "start", "horizon_weeks", "runs", "seed", "baseline",
                    "materials", "regions", "price_cap_multiple", "parameters", "material",
                    "sectors", "measures", "stockpiles", "world", "sources"});
        spec_.name = string_at(*s, "name", p, true).value_or("");
        spec_.description = string_at(*s, "description", p, false).value_or("");
        if (auto list = list_at(*s, "sources", p)) {
            spec_.sources = *list;
        }
        if (auto d = date_at(*s, "start", p, true)) {
            spec_.start = *d;
        }
        spec_.horizon_weeks =
            static_cast<int>(integer_at(*s, "horizon_weeks", p, 1, 1040).value_or(52));
        spec_.runs = static_cast<int>(integer_at(*s, "runs", p, 1, 1000000).value_or(200));
        spec_.seed = static_cast<std::uint64_t>(
            integer_at(*s, "seed", p, 0, std::numeric_limits<std::int64_t>::max()).value_or(1));
        if (auto b = string_at(*s, "baseline", p, false)) {
            if (*b == "status_quo") {
                spec_.free_trade_baseline = false;
            } else if (*b == "free_trade") {
                spec_.free_trade_baseline = true;
            } else {
                error(ErrorCode::Enum, node_or(*s, "baseline"), join(p, "baseline"),
                      "expected 'status_quo' or 'free_trade', got '" + *b + "'");
            }
        }
        if (auto list = list_at(*s, "materials", p)) {
            for (const auto& id : *list) {
                if (known_material(node_or(*s, "materials"), join(p, "materials"), id)) {
                    spec_.materials.push_back(id);
                }
            }
        }
        if (auto list = list_at(*s, "regions", p)) {
            for (const auto& code : *list) {
                if (code == "WORLD") {
                    continue;  // always reported
                }
                if (known_country(node_or(*s, "regions"), join(p, "regions"), code, true)) {
                    spec_.regions.push_back(code);
                }
            }
        }
        spec_.price_cap_multiple = number_at(*s, "price_cap_multiple", p, Range{1.0, 1000.0});
        if (const auto* t = table_at(*s, "parameters", p)) {
            spec_.params = read_params(*t, join(p, "parameters"));
        }
        if (const auto* t = table_at(*s, "material", p)) {
            for (const auto& [key, node] : *t) {
                const std::string id(key.str());
                const std::string mp = join(join(p, "material"), id);
                if (!known_material(node, mp, id)) {
                    continue;
                }
                if (const auto* mt = node.as_table()) {
                    spec_.material_params[id] = read_params(*mt, mp);
                } else {
                    error(ErrorCode::Toml, node, mp, "expected a table of parameters");
                }
            }
        }
        if (const auto* t = table_at(*s, "sectors", p)) {
            read_sectors(*t, join(p, "sectors"));
        }
        read_measures(*s, p);
        read_stockpiles(*s, p);
        if (const auto* t = table_at(*s, "world", p)) {
            read_world(*t, join(p, "world"));
        }
    }

    model::ModelParams read_params(const toml::table& t, const std::string& p) {
        check_keys(t, p,
                   {"leakage",
                    "leakage_delay_weeks",
                    "leakage_markup",
                    "reorder_delay_weeks",
                    "inventory_weeks",
                    "restock_weeks",
                    "spare_capacity",
                    "elasticity_demand_short",
                    "elasticity_demand_long",
                    "elasticity_supply_long",
                    "substitution_lag_months",
                    "capacity_lag_months",
                    "stockpile_release_weeks",
                    "purchase_weeks",
                    "project_weight_announced",
                    "project_weight_construction",
                    "project_weight_operating",
                    "stock_price_elasticity",
                    "arbitrage_friction",
                    "precaution_share",
                    "precaution_weeks",
                    "elasticity_supply_short",
                    "stockpile_release_price",
                    "reservation_price"});
        model::ModelParams m;
        m.leakage = param_at(t, "leakage", p, kShare);
        m.leakage_delay_weeks = param_at(t, "leakage_delay_weeks", p, kWeeks);
        m.leakage_markup = param_at(t, "leakage_markup", p, kNonNegative);
        m.reorder_delay_weeks = param_at(t, "reorder_delay_weeks", p, kWeeks);
        m.inventory_weeks = param_at(t, "inventory_weeks", p, kNonNegative);
        m.restock_weeks = param_at(t, "restock_weeks", p, kWeeksAtLeastOne);
        m.spare_capacity = param_at(t, "spare_capacity", p, kNonNegative);
        m.elasticity_demand_short = param_at(t, "elasticity_demand_short", p, kNegativeElasticity);
        m.elasticity_demand_long = param_at(t, "elasticity_demand_long", p, kNegativeElasticity);
        m.elasticity_supply_long = param_at(t, "elasticity_supply_long", p, kSupplyElasticity);
        m.substitution_lag_months = param_at(t, "substitution_lag_months", p, kMonths);
        m.capacity_lag_months = param_at(t, "capacity_lag_months", p, kMonths);
        m.stockpile_release_weeks = param_at(t, "stockpile_release_weeks", p, kWeeksAtLeastOne);
        m.purchase_weeks = param_at(t, "purchase_weeks", p, kWeeksAtLeastOne);
        m.project_weight_announced = param_at(t, "project_weight_announced", p, kShare);
        m.project_weight_construction = param_at(t, "project_weight_construction", p, kShare);
        m.project_weight_operating = param_at(t, "project_weight_operating", p, kShare);
        m.stock_price_elasticity = param_at(t, "stock_price_elasticity", p, kNonNegative);
        m.arbitrage_friction = param_at(t, "arbitrage_friction", p, kNonNegative);
        m.precaution_share = param_at(t, "precaution_share", p, kNonNegative);
        m.precaution_weeks = param_at(t, "precaution_weeks", p, kNonNegative);
        m.elasticity_supply_short = param_at(t, "elasticity_supply_short", p, kSupplyElasticity);
        m.stockpile_release_price = param_at(t, "stockpile_release_price", p, kNonNegative);
        m.reservation_price = param_at(t, "reservation_price", p, kAboveBaseline);
        return m;
    }

    void read_sectors(const toml::table& t, const std::string& p) {
        check_keys(t, p, {"allocation", "priority"});
        if (auto a = string_at(t, "allocation", p, false)) {
            if (*a == "priority") {
                spec_.sector_priority = true;
            } else if (*a == "pro_rata") {
                spec_.sector_priority = false;
            } else {
                error(ErrorCode::Enum, node_or(t, "allocation"), join(p, "allocation"),
                      "expected 'priority' or 'pro_rata', got '" + *a + "'");
            }
        }
        if (auto list = list_at(t, "priority", p)) {
            std::set<std::string> seen;
            for (const auto& id : *list) {
                if (world_.find_sector(id) == nullptr) {
                    error(ErrorCode::UnknownSector, node_or(t, "priority"), join(p, "priority"),
                          "unknown sector '" + id + "'");
                } else if (!seen.insert(id).second) {
                    error(ErrorCode::Duplicate, node_or(t, "priority"), join(p, "priority"),
                          "sector '" + id + "' listed twice");
                } else {
                    spec_.priority_sectors.push_back(id);
                }
            }
        }
        if (spec_.sector_priority && spec_.priority_sectors.empty()) {
            error(ErrorCode::Required, t, join(p, "priority"),
                  "allocation 'priority' needs a list of sectors to serve first");
        }
    }

    model::DestinationSet destinations(const toml::table& t, const std::string& p) {
        model::DestinationSet set;
        const toml::node* n = t.get("destinations");
        if (n == nullptr) {
            return set;
        }
        const std::string path = join(p, "destinations");
        std::vector<std::string> items;
        if (auto s = n->value<std::string>()) {
            std::string text = *s;
            if (text == "ALL" || text == "all") {
                return set;
            }
            if (text.rfind("ALL_EXCEPT:", 0) == 0) {
                set.mode = model::DestinationSet::Mode::AllExcept;
                text.erase(0, 11);
            } else {
                set.mode = model::DestinationSet::Mode::Listed;
            }
            std::string item;
            std::istringstream in(text);
            while (std::getline(in, item, ';')) {
                if (!item.empty()) {
                    items.push_back(item);
                }
            }
        } else if (auto list = list_at(t, "destinations", p)) {
            set.mode = model::DestinationSet::Mode::Listed;
            items = *list;
        } else {
            return set;
        }
        for (const auto& code : items) {
            if (known_country(*n, path, code, true)) {
                set.codes.push_back(code);
            }
        }
        if (set.mode != model::DestinationSet::Mode::All && items.empty()) {
            error(ErrorCode::Required, *n, path, "expected at least one country or bloc");
        }
        return set;
    }

    void read_measures(const toml::table& s, const std::string& p) {
        const toml::node* n = s.get("measures");
        if (n == nullptr) {
            return;
        }
        const auto* arr = n->as_array();
        if (arr == nullptr || !arr->is_array_of_tables()) {
            error(ErrorCode::Toml, *n, join(p, "measures"),
                  "expected an array of tables ([[scenario.measures]])");
            return;
        }
        std::set<std::string> ids;
        for (const auto& m : world_.measures) {
            ids.insert(m.id);
        }
        for (std::size_t i = 0; i < arr->size(); ++i) {
            const auto& t = *(*arr)[i].as_table();
            const std::string mp = index(join(p, "measures"), i);
            read_measure(t, mp, ids);
        }
    }

    void read_measure(const toml::table& t, const std::string& mp, std::set<std::string>& ids) {
        model::MeasureEdit e;
        const auto action = string_at(t, "action", mp, true);
        const auto id = string_at(t, "id", mp, true);
        if (!action) {
            return;
        }
        if (*action == "add") {
            e.action = model::MeasureEdit::Action::Add;
        } else if (*action == "lift") {
            e.action = model::MeasureEdit::Action::Lift;
        } else if (*action == "change") {
            e.action = model::MeasureEdit::Action::Change;
        } else {
            error(ErrorCode::Enum, node_or(t, "action"), join(mp, "action"),
                  "expected 'add', 'lift' or 'change', got '" + *action + "'");
            return;
        }
        if (!id) {
            return;
        }
        e.id = *id;
        const bool add = e.action == model::MeasureEdit::Action::Add;
        if (add && ids.count(e.id) != 0) {
            error(ErrorCode::Duplicate, node_or(t, "id"), join(mp, "id"),
                  "measure '" + e.id + "' already exists; use action = \"change\"");
        } else if (!add && ids.count(e.id) == 0) {
            error(ErrorCode::UnknownMeasure, node_or(t, "id"), join(mp, "id"),
                  "unknown measure '" + e.id + "'");
        }
        if (e.action == model::MeasureEdit::Action::Lift) {
            check_keys(t, mp, {"action", "id", "from", "note"});
            e.lift_from = date_at(t, "from", mp);
            spec_.measures.push_back(std::move(e));
            return;
        }
        check_keys(
            t, mp,
            {"action",       "id",           "kind",          "country",        "materials",
             "stages",       "destinations", "end_users",     "announced",      "effective",
             "expires",      "suspends",     "approval_rate", "lead_time_days", "duration_days",
             "quota_tonnes", "quota_share",  "tax_rate",      "tonnes",         "purchase_weeks",
             "title",        "source",       "note"});
        model::Measure& m = e.measure;
        m.id = e.id;
        auto mark = [&](std::string_view key) {
            if (t.get(key) != nullptr) {
                e.changed.emplace_back(key);
            }
        };
        if (auto k = string_at(t, "kind", mp, add)) {
            if (auto kind = model::parse_measure_kind(*k)) {
                m.kind = *kind;
            } else {
                error(ErrorCode::Enum, node_or(t, "kind"), join(mp, "kind"),
                      "unknown kind '" + *k +
                          "'; expected one of export_licensing, export_ban, "
                          "export_quota, export_tax, suspension, stockpile_purchase, "
                          "stockpile_release, "
                          "capacity_change, tariff, demand_shift, technology_control, other");
            }
        }
        mark("kind");
        if (auto c = string_at(t, "country", mp, add)) {
            if (known_country(node_or(t, "country"), join(mp, "country"), *c, true)) {
                m.country = *c;
            }
        }
        mark("country");
        if (auto list = list_at(t, "materials", mp)) {
            for (const auto& mat : *list) {
                if (known_material(node_or(t, "materials"), join(mp, "materials"), mat)) {
                    m.materials.push_back(mat);
                }
            }
        } else if (add) {
            error(ErrorCode::Required, t, join(mp, "materials"), "required key is missing");
        }
        mark("materials");
        // Stages are checked against the measure's materials (its own, or the base measure's).
        std::vector<std::string> materials = m.materials;
        if (!add && t.get("materials") == nullptr) {
            if (const auto* base = world_.find_measure(e.id)) {
                materials = base->materials;
            }
        }
        if (auto list = list_at(t, "stages", mp)) {
            for (const auto& st : *list) {
                const bool any = std::any_of(
                    materials.begin(), materials.end(),
                    [&](const auto& mat) { return world_.find_stage(mat, st) != nullptr; });
                if (!any) {
                    error(ErrorCode::UnknownStage, node_or(t, "stages"), join(mp, "stages"),
                          "stage '" + st + "' belongs to none of the measure's materials");
                } else {
                    m.stages.push_back(st);
                }
            }
        }
        mark("stages");
        m.destinations = destinations(t, mp);
        mark("destinations");
        if (auto u = string_at(t, "end_users", mp, false)) {
            if (*u == "all" || *u == "military") {
                m.end_users = *u;
            } else {
                error(ErrorCode::Enum, node_or(t, "end_users"), join(mp, "end_users"),
                      "expected 'all' or 'military', got '" + *u + "'");
            }
        }
        mark("end_users");
        m.announced =
            date_at(t, "announced", mp);  // notice before the effect: precautionary buying
        mark("announced");
        m.effective = date_at(t, "effective", mp, add);
        mark("effective");
        m.expires = date_at(t, "expires", mp);
        mark("expires");
        if (m.effective && m.expires && *m.expires < *m.effective) {
            error(
                ErrorCode::DateOrder, node_or(t, "expires"), join(mp, "expires"),
                "ends " + m.expires->to_string() + " before it starts " + m.effective->to_string());
        }
        if (auto list = list_at(t, "suspends", mp)) {
            for (const auto& sid : *list) {
                if (ids.count(sid) == 0) {
                    error(ErrorCode::UnknownMeasure, node_or(t, "suspends"), join(mp, "suspends"),
                          "suspends unknown measure '" + sid + "'");
                } else {
                    m.suspends.push_back(sid);
                }
            }
        }
        mark("suspends");
        if (add && m.kind == model::MeasureKind::Suspension && m.suspends.empty()) {
            error(ErrorCode::Required, t, join(mp, "suspends"),
                  "a suspension must name the ids it suspends");
        }
        e.approval_rate = param_at(t, "approval_rate", mp, kShare);
        e.lead_time_days = param_at(t, "lead_time_days", mp, kLeadDays);
        e.duration_days = param_at(t, "duration_days", mp, kDurationDays);
        e.quota_tonnes = param_at(t, "quota_tonnes", mp, kNonNegative);
        e.quota_share = param_at(t, "quota_share", mp, kShare);
        if (t.get("quota_share") != nullptr && t.get("quota_tonnes") != nullptr) {
            error(ErrorCode::Toml, node_or(t, "quota_share"), join(mp, "quota_share"),
                  "give either quota_tonnes or quota_share, not both");
        }
        e.tax_rate = param_at(t, "tax_rate", mp, kNonNegative);
        // A capacity change may cut capacity (negative tonnes per year); volumes bought or released
        // may not.
        e.tonnes = param_at(t, "tonnes", mp,
                            add && m.kind == model::MeasureKind::CapacityChange ? Range{-1e12, 1e12}
                                                                                : kNonNegative);
        e.purchase_weeks = param_at(t, "purchase_weeks", mp, kWeeksAtLeastOne);
        if (t.get("duration_days") != nullptr && t.get("expires") != nullptr) {
            error(ErrorCode::Toml, node_or(t, "duration_days"), join(mp, "duration_days"),
                  "give either expires or duration_days, not both");
        }
        if (add && m.kind == model::MeasureKind::ExportQuota && t.get("quota_tonnes") == nullptr &&
            t.get("quota_share") == nullptr) {
            error(ErrorCode::Required, t, join(mp, "quota_tonnes"),
                  "an export_quota needs quota_tonnes or quota_share");
        }
        if (add && m.kind == model::MeasureKind::ExportLicensing &&
            t.get("approval_rate") == nullptr) {
            error(ErrorCode::Required, t, join(mp, "approval_rate"),
                  "an export_licensing measure needs approval_rate");
        }
        if (add && m.kind == model::MeasureKind::StockpilePurchase && t.get("tonnes") == nullptr) {
            error(ErrorCode::Required, t, join(mp, "tonnes"), "a stockpile_purchase needs tonnes");
        }
        m.title = string_at(t, "title", mp, false).value_or("");
        m.source = string_at(t, "source", mp, false).value_or("");
        m.status = "scenario";
        const bool sets_something = std::any_of(t.begin(), t.end(), [](const auto& kv) {
            const auto k = kv.first.str();
            return k != "action" && k != "id" && k != "note" && k != "title" && k != "source";
        });
        if (e.action == model::MeasureEdit::Action::Change && !sets_something) {
            error(ErrorCode::Required, t, mp, "a change must set at least one field");
        }
        if (add) {
            ids.insert(e.id);
        }
        spec_.measures.push_back(std::move(e));
    }

    void read_stockpiles(const toml::table& s, const std::string& p) {
        const toml::node* n = s.get("stockpiles");
        if (n == nullptr) {
            return;
        }
        const auto* arr = n->as_array();
        if (arr == nullptr || !arr->is_array_of_tables()) {
            error(ErrorCode::Toml, *n, join(p, "stockpiles"),
                  "expected an array of tables ([[scenario.stockpiles]])");
            return;
        }
        for (std::size_t i = 0; i < arr->size(); ++i) {
            const auto& t = *(*arr)[i].as_table();
            const std::string sp = index(join(p, "stockpiles"), i);
            check_keys(
                t, sp,
                {"holder", "country", "material", "stage", "tonnes", "release_weeks", "source"});
            model::StockpileSpec st;
            st.holder = string_at(t, "holder", sp, true).value_or("");
            st.country = string_at(t, "country", sp, true).value_or("");
            if (!st.country.empty()) {
                known_country(node_or(t, "country"), join(sp, "country"), st.country, true);
            }
            st.material = string_at(t, "material", sp, true).value_or("");
            st.stage = string_at(t, "stage", sp, true).value_or("");
            if (!st.material.empty() &&
                known_material(node_or(t, "material"), join(sp, "material"), st.material) &&
                !st.stage.empty()) {
                known_stage(node_or(t, "stage"), join(sp, "stage"), st.material, st.stage);
            }
            st.tonnes = param_at(t, "tonnes", sp, kNonNegative);
            if (!st.tonnes && t.get("tonnes") == nullptr) {
                error(ErrorCode::Required, t, join(sp, "tonnes"), "required key is missing");
            }
            st.release_weeks = param_at(t, "release_weeks", sp, kWeeksAtLeastOne);
            spec_.stockpiles.push_back(std::move(st));
        }
    }

    void read_world(const toml::table& t, const std::string& p) {
        check_keys(t, p, {"production", "demand", "prices"});
        read_demand(t, p);
        if (const toml::node* n = t.get("production")) {
            const auto* arr = n->as_array();
            if (arr == nullptr || !arr->is_array_of_tables()) {
                error(ErrorCode::Toml, *n, join(p, "production"),
                      "expected an array of tables ([[scenario.world.production]])");
            } else {
                std::set<std::tuple<std::string, std::string, std::string>> seen;
                for (std::size_t i = 0; i < arr->size(); ++i) {
                    const auto& r = *(*arr)[i].as_table();
                    const std::string rp = index(join(p, "production"), i);
                    check_keys(r, rp,
                               {"material", "stage", "country", "tonnes", "capacity_tonnes", "year",
                                "source"});
                    model::ProductionOverride o;
                    o.material = string_at(r, "material", rp, true).value_or("");
                    o.stage = string_at(r, "stage", rp, true).value_or("");
                    o.country = string_at(r, "country", rp, true).value_or("");
                    bool ok = !o.material.empty() && !o.stage.empty() && !o.country.empty();
                    ok = ok &&
                         known_material(node_or(r, "material"), join(rp, "material"), o.material);
                    ok = ok &&
                         known_stage(node_or(r, "stage"), join(rp, "stage"), o.material, o.stage);
                    if (!o.country.empty()) {
                        ok = known_country(node_or(r, "country"), join(rp, "country"), o.country,
                                           false, true) &&
                             ok;
                    }
                    const auto tonnes = number_at(r, "tonnes", rp, kNonNegative, true);
                    o.capacity_tonnes = number_at(r, "capacity_tonnes", rp, kNonNegative);
                    o.year = static_cast<int>(integer_at(r, "year", rp, 1900, 2200).value_or(0));
                    o.source = string_at(r, "source", rp, false).value_or("");
                    if (ok && !seen.insert({o.material, o.stage, o.country}).second) {
                        error(ErrorCode::Duplicate, r, rp,
                              "a second row for " + o.material + "/" + o.stage + "/" + o.country);
                        ok = false;
                    }
                    if (ok && tonnes) {
                        o.tonnes = *tonnes;
                        spec_.production.push_back(std::move(o));
                    }
                }
            }
        }
        if (const auto* prices = table_at(t, "prices", p)) {
            for (const auto& [key, node] : *prices) {
                const std::string id(key.str());
                const std::string pp = join(join(p, "prices"), id);
                if (!known_material(node, pp, id)) {
                    continue;
                }
                if (auto v = number(node, pp, kPositive)) {
                    spec_.price_usd_t[id] = *v;
                }
            }
        }
    }

    void read_demand(const toml::table& t, const std::string& p) {
        const toml::node* n = t.get("demand");
        if (n == nullptr) {
            return;
        }
        const auto* arr = n->as_array();
        if (arr == nullptr || !arr->is_array_of_tables()) {
            error(ErrorCode::Toml, *n, join(p, "demand"),
                  "expected an array of tables ([[scenario.world.demand]])");
            return;
        }
        std::set<std::pair<std::string, std::string>> seen;
        std::map<std::string, std::pair<double, const toml::table*>> sums;
        for (std::size_t i = 0; i < arr->size(); ++i) {
            const auto& r = *(*arr)[i].as_table();
            const std::string rp = index(join(p, "demand"), i);
            check_keys(r, rp, {"material", "country", "weight", "source"});
            model::DemandOverride d;
            d.material = string_at(r, "material", rp, true).value_or("");
            d.country = string_at(r, "country", rp, true).value_or("");
            bool ok = !d.material.empty() &&
                      known_material(node_or(r, "material"), join(rp, "material"), d.material);
            ok = !d.country.empty() &&
                 known_country(node_or(r, "country"), join(rp, "country"), d.country, false) && ok;
            const auto weight = number_at(r, "weight", rp, kShare, true);
            d.source = string_at(r, "source", rp, false).value_or("");
            if (ok && !seen.insert({d.material, d.country}).second) {
                error(ErrorCode::Duplicate, r, rp,
                      "a second weight for " + d.material + "/" + d.country);
                ok = false;
            }
            if (ok && weight) {
                d.weight = *weight;
                auto& sum = sums[d.material];
                sum.first += d.weight;
                sum.second = sum.second == nullptr ? &r : sum.second;
                spec_.demand.push_back(std::move(d));
            }
        }
        for (const auto& [material, sum] : sums) {
            if (sum.first > 1.0 + 1e-6) {
                error(ErrorCode::ShareRange, *sum.second, join(p, "demand"),
                      "weights of '" + material + "' sum to " + significant(sum.first, 6) +
                          ", more than 1 (the rest of the world takes 1 - sum)");
            }
        }
    }

    std::string file_;
    const model::World& world_;
    Diagnostics diags_;
    model::ScenarioSpec spec_;
};

}  // namespace

model::ScenarioSpec read_scenario(const std::string& toml_text,
                                  const std::string& file,
                                  const model::World& world) {
    return ScenarioReader(file, world).run(toml_text);
}

namespace {

/// The bytes of one scenario file; InputError (E-FILE-MISSING, E-NOT-A-FILE, E-FILE-READ) if not.
std::string read_scenario_bytes(const fs::path& path) {
    const std::string shown = path.string();
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
        throw InputError({{Severity::Error,
                           ErrorCode::FileMissing,
                           shown,
                           0,
                           0,
                           {},
                           "scenario file does not exist"}});
    }
    if (!fs::is_regular_file(status)) {
        throw InputError({{Severity::Error,
                           ErrorCode::NotAFile,
                           shown,
                           0,
                           0,
                           {},
                           "expected a scenario .toml file"}});
    }
    const auto size = fs::file_size(path, ec);
    if (ec || size > (16U << 20U)) {
        throw InputError(
            {{Severity::Error,
              ErrorCode::FileUnreadable,
              shown,
              0,
              0,
              {},
              ec ? "cannot read the file size" : "scenario file is larger than 16 MiB"}});
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    if (!in && !in.eof()) {
        throw InputError({{Severity::Error,
                           ErrorCode::FileUnreadable,
                           shown,
                           0,
                           0,
                           {},
                           "cannot read the file"}});
    }
    return std::move(buf).str();
}

bool is_toml_name(const std::string& name) {
    return name.size() > 5 && name.ends_with(".toml");
}

void sort_by_id(std::vector<ScenarioText>& texts) {
    std::sort(texts.begin(), texts.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
}

}  // namespace

model::ScenarioSpec read_scenario_file(const fs::path& path, const model::World& world) {
    return read_scenario(read_scenario_bytes(path), path.string(), world);
}

std::vector<ScenarioText> read_scenario_texts(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        throw InputError({{Severity::Error,
                           ErrorCode::FileMissing,
                           dir.string(),
                           0,
                           0,
                           {},
                           "expected a folder of scenario .toml files"}});
    }
    std::vector<ScenarioText> out;
    std::vector<Diagnostic> problems;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const auto name = entry.path().filename().string();
        if (!is_toml_name(name)) {
            continue;
        }
        try {
            out.push_back({entry.path().stem().string(), entry.path().string(),
                           read_scenario_bytes(entry.path())});
        } catch (const InputError& e) {  // every unreadable file at once
            problems.insert(problems.end(), e.diagnostics().begin(), e.diagnostics().end());
        }
    }
    if (ec) {
        problems.push_back({Severity::Error,
                            ErrorCode::FileUnreadable,
                            dir.string(),
                            0,
                            0,
                            {},
                            "cannot list the folder: " + ec.message()});
    }
    if (!problems.empty()) {
        throw InputError(std::move(problems));
    }
    sort_by_id(out);
    return out;
}

std::vector<ScenarioText> scenario_texts(const DatasetFiles& files) {
    std::vector<ScenarioText> out;
    for (const auto& [name, bytes] : files.files) {
        if (is_toml_name(name)) {
            out.push_back({name.substr(0, name.size() - 5), files.root + "/" + name, bytes});
        }
    }
    sort_by_id(out);
    return out;
}

}  // namespace lodestone::io
