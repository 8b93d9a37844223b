// lodestone/metrics/concentration.hpp: country shares of a stage and concentration (HHI, CRn).
// Shares are taken over the listed sum, "Other countries" (ROW) included in the total but not
// counted as one producer in HHI or CRn (docs/dataset.md).
// Example: hhi(std::vector{0.5, 0.5}) == 0.5
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lodestone/model/world.hpp"

namespace lodestone::metrics {

struct CountryShare {
    std::string country;  ///< ISO3
    double tonnes = 0.0;
    double share = 0.0;  ///< fraction of the stage's world output
    double project_tonnes =
        0.0;  ///< of `tonnes`, what projects add after the data year (stage_shares_in_year)
};

struct StageShares {
    std::string material;
    std::string stage;
    int year = 0;                  ///< the year the shares are for
    int data_year = 0;             ///< the year of the production data they start from
    double world_tonnes = 0.0;     ///< listed countries + residual
    double project_tonnes = 0.0;   ///< of world_tonnes, what projects add after the data year
    double residual_tonnes = 0.0;  ///< ROW ("Other countries")
    double residual_share = 0.0;
    std::vector<CountryShare> countries;  ///< named producers, largest share first (ties by ISO3)
};

/// Shares of one stage. Throws InputError (E-EMPTY-STAGE / E-UNKNOWN-STAGE) if it has no output.
[[nodiscard]] StageShares stage_shares(const model::World& world,
                                       const std::string& material,
                                       const std::string& stage);

/// The calendar years a stage's shares can be given for: from the year of its production data to
/// the year in which the last project of the dataset (any material) reaches full capacity, so that
/// every stage offers the same later years. first == last when no project ramps after the data.
struct YearRange {
    int first = 0;
    int last = 0;
};
[[nodiscard]] YearRange stage_years(const model::World& world,
                                    const std::string& material,
                                    const std::string& stage);

/// Mean fraction of a project's capacity online over calendar `year`, times its probability: 0
/// before its start, rising linearly to 1 over ramp_months of 30.4375 days (the market model's
/// ramp), integrated exactly over the year. A project without a start date adds nothing.
[[nodiscard]] double project_online_fraction(const model::Project& project, int year);

/// Shares of one stage in `year`: each country's output of the data year plus the capacity its
/// projects bring online after the data year (online_fraction(year) - online_fraction(data year),
/// at full use; the market model's status weights are scenario assumptions and are not applied).
/// A project in a country without output at the stage makes it a producer. Throws InputError
/// E-RANGE (field "year") for a year outside stage_years, and as stage_shares does.
[[nodiscard]] StageShares stage_shares_in_year(const model::World& world,
                                               const std::string& material,
                                               const std::string& stage,
                                               int year);

/// The latest published global supply mix of a stage (sourcing_shares.csv, perspective WORLD) for a
/// year before `before_year`, as StageShares with shares only (tonnes 0); nullopt when none.
[[nodiscard]] std::optional<StageShares> published_world_shares(const model::World& world,
                                                                const std::string& material,
                                                                const std::string& stage,
                                                                int before_year);

/// Herfindahl-Hirschman index on the 0-1 scale: sum of squared shares.
[[nodiscard]] double hhi(std::span<const double> shares);
/// Sum of the n largest shares.
[[nodiscard]] double concentration_ratio(std::span<const double> shares, std::size_t n);
/// The named producers' shares of a StageShares, in its order.
[[nodiscard]] std::vector<double> share_values(const StageShares& s);

}  // namespace lodestone::metrics
