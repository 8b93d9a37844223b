// lodestone/metrics/trade_factor.hpp: the trade factor t_c of HHI_WGI,t (docs/methods.md): 1 unless
// the producing country has an export restriction (tax, quota, licensing, ban) on the material and
// stage in force on the date; then the factor of the strongest such measure, from methods.toml.
// Example: trade_restrictions(world, world.methods, "gallium", "refined", 2023-08-01, {}) ->
// CHN 1.3
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lodestone/core/date.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::metrics {

/// The strongest export restriction of one country on one material and stage.
struct TradeRestriction {
    std::string country;     ///< ISO3 of the imposing country
    double factor = 1.0;     ///< t_c
    std::string measure_id;  ///< the measure giving the factor
    model::MeasureKind kind = model::MeasureKind::Other;
};

/// t for a measure kind from params.trade_factor (keys export_tax, export_quota, export_licensing,
/// export_ban). Throws InputError(E-TOML) if the kind has no factor.
[[nodiscard]] double trade_factor(const model::MethodParams& params, model::MeasureKind kind);

/// Restrictions in force on `date` (suspensions applied) covering (material, stage), one per
/// imposing country (largest factor; ties: smallest id), sorted by country. `destinations` empty =
/// any destination (global supply); else only measures covering at least one of these ISO3 codes.
[[nodiscard]] std::vector<TradeRestriction> trade_restrictions(
    const model::World& world,
    const model::MethodParams& params,
    const std::string& material,
    const std::string& stage,
    Date date,
    std::span<const std::string> destinations);

/// t_c of `country` in a list from trade_restrictions: its factor, or 1 if it has none.
[[nodiscard]] double trade_factor_of(std::span<const TradeRestriction> restrictions,
                                     std::string_view country);

}  // namespace lodestone::metrics
