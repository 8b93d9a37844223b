// lodestone/metrics/panel.hpp: the method-comparison panel: each row's score and rank under every
// method (EU SR, GeoPolRisk, USGS, HHI), where the methods disagree (rank spread), and how much
// (Spearman rank correlation and rank shifts against the primary method).
// Example: auto rows = panel_rows(assess(world, params, opts), false, kAllMethods);
#pragma once

#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lodestone/metrics/assessment.hpp"

namespace lodestone::metrics {

enum class Method {
    Eu,          ///< EU supply risk SR
    GeoPolRisk,  ///< GeoPolRisk of the perspective
    Usgs,        ///< (DP * TE * EV)^(1/3), EV = 1 when not given
    Hhi,         ///< plain concentration of global supply
};

inline constexpr std::array<Method, 4> kAllMethods{Method::Eu, Method::GeoPolRisk, Method::Usgs,
                                                   Method::Hhi};

/// "eu", "geopolrisk", "usgs", "hhi".
[[nodiscard]] std::string_view to_string(Method method);
[[nodiscard]] std::optional<Method> parse_method(std::string_view text);

/// The score a method gives one stage (larger = riskier).
[[nodiscard]] double stage_score(const StageRisk& stage, Method method);

/// One panel row: a material (at its bottleneck stage) or, by stage, one material and stage.
struct PanelRow {
    const MaterialRisk* material = nullptr;
    const StageRisk* stage =
        nullptr;  ///< material rows: where the ranking method peaks (eu: the bottleneck)
    std::map<Method, double> score;      ///< material rows: the method's worst stage
    std::map<Method, std::string> peak;  ///< material rows: the stage where that score peaks
    std::map<Method, int> rank;          ///< 1 = riskiest; ties share the smaller rank
    int rank_spread = 0;                 ///< max - min rank over the methods
    bool by_stage = false;               ///< a material/stage row

    /// "material" or "material/stage".
    [[nodiscard]] std::string name() const;
};

/// Rows ranked by methods.front() (ties: material id, then stage order). Pre: methods not empty;
/// `risks` outlives the rows.
[[nodiscard]] std::vector<PanelRow> panel_rows(const std::vector<MaterialRisk>& risks,
                                               bool by_stage,
                                               std::span<const Method> methods);

/// How a method's ranking compares with the primary one (methods.front()).
struct MethodAgreement {
    Method method = Method::Eu;
    std::optional<double> spearman;  ///< rank correlation; none with fewer than 2 rows or no spread
    double mean_abs_shift = 0.0;     ///< mean |rank - primary rank|
    int max_shift = 0;               ///< largest |rank - primary rank|
    std::string max_shift_row;       ///< "material" or "material/stage" of that shift
};

[[nodiscard]] std::vector<MethodAgreement> agreement(const std::vector<PanelRow>& rows,
                                                     std::span<const Method> methods);

/// Competition ranks of scores, largest first ("1224"); equal scores share a rank.
[[nodiscard]] std::vector<int> competition_ranks(std::span<const double> scores);

/// Spearman's rho with average ranks for ties; none if fewer than 2 values or a constant vector.
[[nodiscard]] std::optional<double> spearman(std::span<const double> a, std::span<const double> b);

}  // namespace lodestone::metrics
