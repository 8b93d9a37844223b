// lodestone/io/holdings_reader.hpp: a portfolio's holdings (holdings.csv), validated against a
// World with every problem reported at once (file:line:column, stable codes).
// Columns: holding, weight (>= 0; normalised to sum 1), and either sector (a sectors.csv id) or
// cost_shares ("gallium=0.02;rare_earths=0.05": material cost as a share of cost of goods);
// optional: country (ISO3 or bloc whose prices the holding pays; default the world market),
// cogs_share (cost of goods / revenue, 0-1], note.
// Example: auto h = load_holdings("data/examples/holdings.csv", world);
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lodestone/model/world.hpp"

namespace lodestone::io {

struct Holding {
    int line = 0;
    std::string id;
    double weight = 0;  ///< normalised: the weights of the file sum to 1
    std::string sector;
    std::vector<std::pair<std::string, double>>
        cost_shares;  ///< (material, share of cost of goods)
    std::string country;
    std::optional<double> cogs_share;
    std::string note;
};

/// Throws InputError: unknown sector (E-UNKNOWN-SECTOR), material (E-UNKNOWN-MATERIAL), country
/// (E-UNKNOWN-COUNTRY), neither or both of sector and cost_shares (E-REQUIRED), bad numbers,
/// duplicate holdings (E-DUPLICATE), weights summing to 0 (E-RANGE).
[[nodiscard]] std::vector<Holding> parse_holdings(std::string_view csv,
                                                  const std::string& file,
                                                  const model::World& world);
[[nodiscard]] std::vector<Holding> load_holdings(const std::filesystem::path& path,
                                                 const model::World& world);

}  // namespace lodestone::io
