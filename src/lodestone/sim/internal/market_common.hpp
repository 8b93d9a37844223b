// lodestone/sim/internal/market_common.hpp: small definitions shared by the market model's
// compile, zone and run steps.
#pragma once

#include <limits>
#include <string>

#include "lodestone/core/date.hpp"
#include "lodestone/model/scenario.hpp"
#include "lodestone/network/supply_network.hpp"

namespace lodestone::sim::internal {

inline constexpr double kWeeksPerYear = network::kWeeksPerYear;
inline constexpr double kWeeksPerMonth = kWeeksPerYear / 12.0;
inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kShortfallThreshold =
    1e-9;  ///< share of need: below it a week has no shortfall

/// Measures that restrict trade (and so shape zones and flows).
[[nodiscard]] inline bool is_restriction(model::MeasureKind k) {
    using model::MeasureKind;
    return k == MeasureKind::ExportBan || k == MeasureKind::ExportLicensing ||
           k == MeasureKind::ExportQuota || k == MeasureKind::ExportTax || k == MeasureKind::Tariff;
}

/// The scenario's last edit of measure `id`, or nullptr.
[[nodiscard]] inline const model::MeasureEdit* edit_of(const model::ScenarioSpec& spec,
                                                       const std::string& id) {
    const model::MeasureEdit* found = nullptr;
    for (const auto& e : spec.measures) {
        if (e.id == id) {
            found = &e;
        }
    }
    return found;
}

/// Index of the first week that starts on or after d (may be <= 0 or beyond the horizon).
[[nodiscard]] inline int first_week_from(Date start, Date d) {
    const int days = days_between(start, d);
    return days >= 0 ? (days + 6) / 7 : -(-days / 7);
}

}  // namespace lodestone::sim::internal
