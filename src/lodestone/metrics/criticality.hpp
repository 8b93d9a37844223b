// lodestone/metrics/criticality.hpp: the criticality formulas of docs/methods.md as pure functions
// on vectors, so every method can be checked by hand: governance-weighted concentration HHI_WGI,t,
// EU supply risk (SR) and economic importance (EI), GeoPolRisk, USGS disruption potential (DP).
// Sources and the worked examples are in docs/methods.md. Out-of-range inputs throw InputError
// listing every bad value at once (E-RANGE for WGI and factors, E-SHARE-RANGE for fractions).
// Example: eu_supply_risk({2.48, 1.52, 0.8, 0.1, 0.95}) == 1.62792
#pragma once

#include <optional>
#include <span>
#include <string>

#include "lodestone/model/world.hpp"

namespace lodestone::metrics {

/// One supplier's term of a governance-weighted concentration.
struct WeightedShare {
    std::string country;        ///< ISO3, for messages only
    double share = 0.0;         ///< fraction of the mix, 0-1; the shares of a mix sum to <= 1
    double wgi = 0.0;           ///< governance 0-10, 10 = worst
    double trade_factor = 1.0;  ///< t_c > 0: 1 = no export restriction; > 1 restricted; < 1 EU
                                ///< member (EU perspective)
};

/// HHI_WGI,t = sum_c S_c^2 * WGI_c * t_c (0-13 with the default factors).
/// Throws InputError: share outside [0,1] or shares summing above 1 (E-SHARE-RANGE), WGI outside
/// [0,10] or t_c <= 0 (E-RANGE). `what` names the mix in messages, e.g. "gallium/refined global
/// supply".
[[nodiscard]] double hhi_wgi_t(std::span<const WeightedShare> terms, const std::string& what);

/// Inputs of the EU supply risk of one stage.
struct SupplyRiskInputs {
    double hhi_wgi_gs = 0.0;       ///< HHI_WGI,t of global supply
    double hhi_wgi_p = 0.0;        ///< HHI_WGI,t of the perspective's sourcing (domestic + imports)
    double import_reliance = 0.0;  ///< net import reliance of the perspective, 0-1
    double eol_rir = 0.0;          ///< end-of-life recycling input rate, 0-1
    double si_sr = 1.0;            ///< substitution index for supply risk, 0-1 (1 = no substitute)
};

/// SR = [GS * IR/2 + P * (1 - IR/2)] * (1 - EoL_RIR) * SI_SR (EU CRM methodology; CRMA Annex II).
/// Throws InputError if a fraction is outside [0,1] or an HHI_WGI,t is negative.
[[nodiscard]] double eu_supply_risk(const SupplyRiskInputs& in, const std::string& what);

/// One end-use sector of a material for the EU economic importance.
struct SectorUse {
    std::string sector;
    double share = 0.0;            ///< A_s, fraction of the material's use, 0-1
    double value_added_usd = 0.0;  ///< Q_s, USD per year
};

/// EI = sum_s A_s * Q_s / Q_max * 10 * SI_EI, with Q_max the largest value added of any sector of
/// the dataset (EU CRM scales by the largest NACE 2-digit sector). Range 0-10.
[[nodiscard]] double eu_economic_importance(std::span<const SectorUse> uses,
                                            double q_max_usd,
                                            double si_ei,
                                            const std::string& what);

/// Critical by the EU thresholds: EI >= critical_ei and SR >= critical_sr.
[[nodiscard]] bool eu_critical(double ei, double sr, const model::MethodParams& params);

/// One origin of a perspective's imports, for GeoPolRisk.
struct ImportFlow {
    std::string country;  ///< ISO3 or ROW
    double tonnes = 0.0;  ///< imports per year from that origin
    double wgi = 0.0;     ///< 0-10, rescaled to 0-1 inside (see docs/methods.md)
};

/// GeoPolRisk = HHI * sum_c (imports_c * WGI_c/10) / (sum_c imports_c + domestic) (Gemechu et al.
/// 2016; docs/methods.md with WGI on 0-1). 0 when the perspective uses nothing.
[[nodiscard]] double geopolrisk(double hhi,
                                std::span<const ImportFlow> imports,
                                double domestic_tonnes,
                                const std::string& what);

/// USGS disruption potential DP = sum_c S_c^2 * WGI_c/10 (Nassar et al. 2020); t_c is ignored.
[[nodiscard]] double usgs_disruption_potential(std::span<const WeightedShare> terms,
                                               const std::string& what);

/// USGS supply risk (DP * TE * EV)^(1/3) when an economic vulnerability EV (0-1) is given.
/// Throws InputError if TE or EV is outside [0,1] or DP is negative.
[[nodiscard]] std::optional<double> usgs_supply_risk(double dp,
                                                     double te,
                                                     std::optional<double> ev,
                                                     const std::string& what);

}  // namespace lodestone::metrics
