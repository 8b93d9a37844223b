// lodestone/metrics/concentration.hpp: country shares of a stage and concentration (HHI, CRn).
// Shares are taken over the listed sum, "Other countries" (ROW) included in the total but not
// counted as one producer in HHI or CRn (docs/dataset.md).
// Example: hhi(std::vector{0.5, 0.5}) == 0.5
#pragma once

#include <span>
#include <string>
#include <vector>

#include "lodestone/model/world.hpp"

namespace lodestone::metrics {

struct CountryShare {
    std::string country;  ///< ISO3
    double tonnes = 0.0;
    double share = 0.0;   ///< fraction of the stage's world output
};

struct StageShares {
    std::string material;
    std::string stage;
    int year = 0;
    double world_tonnes = 0.0;      ///< listed countries + residual
    double residual_tonnes = 0.0;   ///< ROW ("Other countries")
    double residual_share = 0.0;
    std::vector<CountryShare> countries;  ///< named producers, largest share first (ties by ISO3)
};

/// Shares of one stage. Throws InputError (E-EMPTY-STAGE / E-UNKNOWN-STAGE) if it has no output.
[[nodiscard]] StageShares stage_shares(const model::World& world, const std::string& material,
                                       const std::string& stage);

/// Herfindahl-Hirschman index on the 0-1 scale: sum of squared shares.
[[nodiscard]] double hhi(std::span<const double> shares);
/// Sum of the n largest shares.
[[nodiscard]] double concentration_ratio(std::span<const double> shares, std::size_t n);
/// The named producers' shares of a StageShares, in its order.
[[nodiscard]] std::vector<double> share_values(const StageShares& s);

}  // namespace lodestone::metrics
