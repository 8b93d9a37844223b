// lodestone/metrics/assessment.hpp: every criticality method of docs/methods.md on one World, one
// date and one perspective, per material and stage: concentration (HHI, CR1, CR3), HHI_WGI,t of
// global supply and of the perspective's sourcing, import reliance, EU SR and EI, GeoPolRisk, USGS
// DP and TE. A material's score under each method is its worst stage (EU CRM: SR = max over
// stages); the bottleneck stage is the one with the largest SR. Formulas and sources:
// docs/methods.md. Example: auto panel = assess(world, world.methods, {.as_of = d, .perspective =
// "EU"});
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lodestone/core/date.hpp"
#include "lodestone/metrics/perspective.hpp"
#include "lodestone/metrics/trade_factor.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::metrics {

/// All methods on one (material, stage) for the perspective.
struct StageRisk {
    std::string material, stage;
    int order = 1;
    int year = 0;  ///< year of the global supply shares (production data, or a published mix)
    double world_tonnes = 0.0;  ///< world output of the stage, t/yr
    double hhi = 0.0;           ///< 0-1, named producers (ROW excluded)
    double cr1 = 0.0, cr3 = 0.0;
    std::string top_country;
    double top_share = 0.0;
    int producers = 0;         ///< named producers
    double hhi_wgi_gs = 0.0;   ///< HHI_WGI,t of global supply
    double hhi_wgi_p = 0.0;    ///< HHI_WGI,t of the perspective's sourcing
    PerspectiveSupply supply;  ///< basis, import reliance, origins
    double eol_rir = 0.0, si_sr = 1.0;
    double sr = 0.0;  ///< EU supply risk of this stage
    double geopolrisk = 0.0;
    double dp = 0.0;                ///< USGS disruption potential
    double te = 0.0;                ///< USGS trade exposure = import reliance
    std::optional<double> ev;       ///< economic vulnerability, when given
    std::optional<double> usgs_sr;  ///< (DP*TE*EV)^(1/3) when EV is given
    double usgs_score = 0.0;        ///< (DP*TE*EV)^(1/3) with EV = 1 when not given (for ranking)
    bool critical = false;          ///< material EI >= threshold and this stage's SR >= threshold
    std::vector<TradeRestriction> restrictions_gs;  ///< t_c != 1 in global supply
    std::vector<TradeRestriction> restrictions_p;   ///< t_c != 1 for the perspective's imports
};

struct MaterialRisk {
    std::string material;
    double ei = 0.0;                 ///< EU economic importance, 0-10
    bool critical = false;           ///< EI >= critical_ei and max SR >= critical_sr
    std::vector<StageRisk> stages;   ///< assessed stages in chain order
    std::size_t bottleneck = 0;      ///< index in stages of the largest SR (first on ties)
    std::vector<std::string> notes;  ///< assumptions taken for this material (e.g. missing EoL-RIR)

    [[nodiscard]] const StageRisk& bottleneck_stage() const { return stages.at(bottleneck); }
};

struct AssessOptions {
    Date as_of;
    std::string perspective = "EU";      ///< ISO3 or bloc
    std::vector<std::string> materials;  ///< empty = every material
    std::string stage;                   ///< empty = every stage
    std::map<std::string, double> ev;    ///< economic vulnerability by material (USGS), 0-1
    /// EU perspective: also assess the product stages (params.eu_product_stages, e.g. magnet),
    /// which the EU method leaves out. Other perspectives always assess every stage.
    bool product_stages = false;
};

/// Runs every method. Throws InputError: unknown materials (E-UNKNOWN-MATERIAL, all listed), a
/// stage that none or not all of the selected materials have (E-UNKNOWN-STAGE), unknown perspective
/// (E-UNKNOWN-PERSPECTIVE), a stage without output (E-EMPTY-STAGE), inputs out of range.
[[nodiscard]] std::vector<MaterialRisk> assess(const model::World& world,
                                               const model::MethodParams& params,
                                               const AssessOptions& options);

/// WGI given to the "Other countries" residual (ROW): the mean WGI of the dataset's countries.
[[nodiscard]] double residual_wgi(const model::World& world);

}  // namespace lodestone::metrics
