// lodestone/io/bom_reader.hpp: a user's bill of materials (bom.csv) and its product data, validated
// against a World with every problem reported at once (file:line:column, stable codes).
// bom.csv columns: product, part, material, stage, kg_per_unit, supplier, supplier_country, tier;
// optional: parent (the part this one goes into, same product), note, and the product columns
// units_per_year, unit_price_usd, inventory_weeks, country (where the product is made), which may
// instead come from a products file (product, units_per_year, unit_price_usd, inventory_weeks,
// country, note). A line without material, stage and kg_per_unit is an assembly (tree node only).
// Example: auto bom = load_bom("data/examples/ev_motor.csv", {}, world);
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::io {

struct BomLine {
    std::string file;  ///< for messages
    int line = 0;      ///< 1-based line in the file
    std::string product, part, parent;
    std::string material, stage;  ///< empty for an assembly line
    double kg_per_unit = 0;       ///< kg of contained material per unit of the finished product
    std::string supplier, supplier_country;
    int tier = 1;  ///< 1 = bought directly by the user
    std::string note;
};

struct BomProduct {
    std::string id;
    std::optional<double> units_per_year;
    std::optional<double> unit_price_usd;
    std::optional<double> inventory_weeks;
    std::string country;  ///< ISO3 where the product is made (the buyer); may be empty
    std::string note;
};

struct Bom {
    std::vector<BomLine> lines;        ///< in file order
    std::vector<BomProduct> products;  ///< in order of first appearance in the BOM
    std::vector<Diagnostic> warnings;
};

/// Parses and validates. `products_csv` may be empty (no products file). Throws InputError with
/// every error: unknown material (E-UNKNOWN-MATERIAL), stage (E-UNKNOWN-STAGE), country
/// (E-UNKNOWN-COUNTRY), negative mass (E-NEGATIVE), duplicate lines (E-DUPLICATE), a parent that
/// is not a part of the product (E-MISSING-PARENT), a tier that does not follow its parent
/// (E-RANGE).
[[nodiscard]] Bom parse_bom(std::string_view bom_csv,
                            const std::string& bom_file,
                            std::string_view products_csv,
                            const std::string& products_file,
                            const model::World& world);

/// Reads the files and calls parse_bom. Throws InputError (E-FILE-MISSING, E-FILE-READ, ...).
[[nodiscard]] Bom load_bom(const std::filesystem::path& bom_path,
                           const std::optional<std::filesystem::path>& products_path,
                           const model::World& world);

}  // namespace lodestone::io
