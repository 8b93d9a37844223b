#include "lodestone/io/bom_reader.hpp"

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "lodestone/core/number_text.hpp"
#include "lodestone/io/csv.hpp"

namespace lodestone::io {

namespace {

namespace fs = std::filesystem;

/// Product data met so far, with the line that set each value (for conflict messages).
struct ProductSlot {
    BomProduct product;
    std::map<std::string, std::pair<std::string, std::string>>
        seen;  // column -> (value, "file:line")
};

class BomParser {
public:
    BomParser(const model::World& world) : world_(world) {}  // NOLINT(google-explicit-constructor)

    Bom run(std::string_view bom_csv,
            const std::string& bom_file,
            std::string_view products_csv,
            const std::string& products_file) {
        const CsvTable t = parse_csv(
            bom_csv, bom_file,
            {{"product", "part", "material", "stage", "kg_per_unit", "supplier", "supplier_country",
              "tier"},
             {"parent", "note", "units_per_year", "unit_price_usd", "inventory_weeks", "country"}},
            diags_);
        if (t.header_ok && t.rows.empty()) {
            diags_.error(ErrorCode::FileEmpty, bom_file, 0, 0, "the BOM has no lines");
        }
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            if (read_line(r, bom_file)) {
                tree_.back().row = &row;
            }
            read_product_columns(r, t.file);
        }
        check_tree(t);
        if (!products_file.empty()) {
            read_products(products_csv, products_file);
        }
        diags_.throw_if_errors();
        Bom bom;
        bom.lines = std::move(lines_);
        for (const auto& id : product_order_) {
            bom.products.push_back(products_.at(id).product);
        }
        bom.warnings = diags_.warnings();
        return bom;
    }

private:
    bool read_line(FieldReader& r, const std::string& file) {
        BomLine l;
        l.file = file;
        l.line = r.line();
        l.product = r.text("product", true);
        l.part = r.text("part", true);
        l.parent = r.text("parent");
        l.material = r.text("material");
        l.stage = r.text("stage");
        const std::string kg_text = r.text("kg_per_unit");
        l.supplier = r.text("supplier");
        l.supplier_country = r.text("supplier_country");
        const auto tier_read = r.integer("tier", true);
        const bool has_tier = tier_read.has_value();
        const int tier = tier_read.value_or(0);
        l.note = r.text("note");
        bool ok = !l.product.empty() && !l.part.empty() && has_tier;
        if (has_tier && tier < 1) {
            r.error(ErrorCode::Range, "tier",
                    "expected a tier >= 1 (1 = bought directly), got " + std::to_string(tier));
            ok = false;
        }
        const bool assembly = l.material.empty() && l.stage.empty() && kg_text.empty();
        if (!assembly) {
            (void)r.text("material", true);
            (void)r.text("stage", true);
            const auto kg = r.non_negative("kg_per_unit", true);
            (void)r.text("supplier_country", true);
            ok &= kg.has_value();
            l.kg_per_unit = kg.value_or(0.0);
            if (!l.material.empty() && world_.find_material(l.material) == nullptr) {
                r.error(ErrorCode::UnknownMaterial, "material",
                        "unknown material '" + l.material + "'");
                ok = false;
            } else if (!l.material.empty() && !l.stage.empty() &&
                       world_.find_stage(l.material, l.stage) == nullptr) {
                std::string known;
                for (const auto* s : world_.stages_of(l.material)) {
                    known += (known.empty() ? "" : ", ") + s->stage;
                }
                r.error(ErrorCode::UnknownStage, "stage",
                        "unknown stage '" + l.stage + "' of material '" + l.material +
                            "' (stages: " + known + ")");
                ok = false;
            }
            ok &= !l.material.empty() && !l.stage.empty() && !l.supplier_country.empty();
        }
        if (!l.supplier_country.empty() && world_.find_country(l.supplier_country) == nullptr) {
            r.error(ErrorCode::UnknownCountry, "supplier_country",
                    "unknown country '" + l.supplier_country + "' (ISO3 of countries.csv)");
            ok = false;
        }
        if (!l.product.empty() && !l.part.empty()) {
            const auto key = std::tuple{l.product, l.part, l.material, l.stage, l.supplier};
            const auto [it, fresh] = keys_.emplace(key, l.line);
            if (!fresh) {
                r.error(ErrorCode::Duplicate, "part",
                        "duplicate line: product '" + l.product + "', part '" + l.part +
                            "', material '" + l.material + "', supplier '" + l.supplier +
                            "' already on line " + std::to_string(it->second));
                ok = false;
            }
            parts_[l.product].emplace(l.part, tier);
            if (products_.count(l.product) == 0) {
                product_order_.push_back(l.product);
                products_[l.product].product.id = l.product;
            }
        }
        const bool tree_ok = !l.product.empty() && !l.part.empty() && has_tier;
        if (tree_ok) {
            tree_.push_back({nullptr, l.product, l.part, l.parent, tier});
        }
        if (ok) {
            l.tier = tier;
            lines_.push_back(std::move(l));
        }
        return tree_ok;
    }

    /// One product column value; a different value for the same product is an error.
    template <class T>
    void merge(FieldReader& r,
               const std::string& where,
               ProductSlot& slot,
               const std::string& column,
               const std::optional<T>& value,
               const std::string& shown,
               std::optional<T>& out) {
        if (!value) {
            return;
        }
        const auto [it, fresh] = slot.seen.emplace(column, std::pair{shown, where});
        if (!fresh && it->second.first != shown) {
            r.error(ErrorCode::Duplicate, column,
                    "product '" + slot.product.id + "' has " + column + " " + it->second.first +
                        " at " + it->second.second + "; here " + shown);
            return;
        }
        out = value;
    }

    void read_product_fields(FieldReader& r, const std::string& file, ProductSlot& slot) {
        const std::string where = file + ":" + std::to_string(r.line());
        const auto units = r.non_negative("units_per_year");
        const auto price = r.non_negative("unit_price_usd");
        const auto weeks = r.in_range("inventory_weeks", 0, 1040);  // the longest simulated horizon
        std::optional<std::string> country;
        if (auto c = r.text("country"); !c.empty()) {
            if (world_.find_country(c) == nullptr) {
                r.error(ErrorCode::UnknownCountry, "country",
                        "unknown country '" + c + "' (ISO3 of countries.csv)");
            } else {
                country = c;
            }
        }
        merge(r, where, slot, "units_per_year", units, units ? significant(*units) : "",
              slot.product.units_per_year);
        merge(r, where, slot, "unit_price_usd", price, price ? significant(*price) : "",
              slot.product.unit_price_usd);
        merge(r, where, slot, "inventory_weeks", weeks, weeks ? significant(*weeks) : "",
              slot.product.inventory_weeks);
        std::optional<std::string> stored;
        merge(r, where, slot, "country", country, country.value_or(""), stored);
        if (stored) {
            slot.product.country = *stored;
        }
    }

    void read_product_columns(FieldReader& r, const std::string& file) {
        const std::string product = r.text("product");
        if (product.empty() || products_.count(product) == 0) {
            return;
        }
        read_product_fields(r, file, products_.at(product));
    }

    void read_products(std::string_view csv, const std::string& file) {
        const CsvTable t =
            parse_csv(csv, file,
                      {{"product"},
                       {"units_per_year", "unit_price_usd", "inventory_weeks", "country", "note"}},
                      diags_);
        std::map<std::string, int> seen;
        for (const auto& row : t.rows) {
            FieldReader r(t, row, diags_);
            const std::string id = r.text("product", true);
            if (id.empty()) {
                continue;
            }
            const auto [it, fresh] = seen.emplace(id, row.line);
            if (!fresh) {
                r.error(ErrorCode::Duplicate, "product",
                        "duplicate product '" + id + "' (already on line " +
                            std::to_string(it->second) + ")");
                continue;
            }
            if (products_.count(id) == 0) {
                diags_.warning(ErrorCode::NotFound, file, row.line, r.column_of("product"),
                               "product '" + id + "' has no lines in the BOM");
                continue;
            }
            auto& slot = products_.at(id);
            read_product_fields(r, file, slot);
            slot.product.note = r.text("note");
        }
    }

    /// Parents must be parts of the same product, one tier up (checked on every line, valid or
    /// not).
    void check_tree(const CsvTable& t) {
        for (const auto& e : tree_) {
            if (e.parent.empty()) {
                continue;
            }
            FieldReader r(t, *e.row, diags_);
            const auto& parts = parts_[e.product];
            const auto range = parts.equal_range(e.parent);
            if (e.parent == e.part) {
                r.error(ErrorCode::MissingParent, "parent",
                        "part '" + e.part + "' cannot be its own parent");
            } else if (range.first == range.second) {
                r.error(
                    ErrorCode::MissingParent, "parent",
                    "parent part '" + e.parent + "' is not a part of product '" + e.product + "'");
            } else {
                bool follows = false;
                int parent_tier = 0;
                for (auto it = range.first; it != range.second; ++it) {
                    parent_tier = it->second;
                    follows |= it->second + 1 == e.tier;
                }
                if (!follows) {
                    r.error(ErrorCode::Range, "tier",
                            "tier " + std::to_string(e.tier) + " does not follow parent '" +
                                e.parent + "' (tier " + std::to_string(parent_tier) +
                                "): expected " + std::to_string(parent_tier + 1));
                }
            }
        }
    }

    struct TreeEntry {
        const CsvRow* row = nullptr;
        std::string product, part, parent;
        int tier = 0;
    };

    const model::World& world_;
    Diagnostics diags_;
    std::vector<BomLine> lines_;
    std::vector<TreeEntry> tree_;
    std::map<std::tuple<std::string, std::string, std::string, std::string, std::string>, int>
        keys_;
    std::map<std::string, std::multimap<std::string, int>> parts_;  // product -> part -> tier
    std::map<std::string, ProductSlot> products_;
    std::vector<std::string> product_order_;
};

}  // namespace

Bom parse_bom(std::string_view bom_csv,
              const std::string& bom_file,
              std::string_view products_csv,
              const std::string& products_file,
              const model::World& world) {
    return BomParser(world).run(bom_csv, bom_file, products_csv, products_file);
}

Bom load_bom(const fs::path& bom_path,
             const std::optional<fs::path>& products_path,
             const model::World& world) {
    const std::string bom = read_input_file(bom_path, "BOM");
    const std::string products =
        products_path ? read_input_file(*products_path, "products") : std::string{};
    return parse_bom(bom, bom_path.string(), products, products_path ? products_path->string() : "",
                     world);
}

}  // namespace lodestone::io
