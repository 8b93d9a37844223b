// lodestone/network/sourcing.hpp: the one rule for who uses a stage and who supplies whom
// (docs/methods.md and docs/lookthrough.md), shared by the metrics (sourcing mix, import reliance)
// and the supply network.
//
// Use of a stage: a country's (or bloc's) observed apparent consumption (consumption.csv) where
// present; world output minus the observed uses is shared among the others in proportion to their
// input need of the next stage (next-stage output / next-stage yield), or for the final stage to
// the demand weights (demand.csv, ROW takes 1 - sum). Bloc figures are spread over the members
// without a figure of their own (by those weights; bloc imports by the members' use). Trade: the
// observed flows (trade.csv) first. Then each country's gap, output + imports - use - exports, is
// closed by the surplus rule: deficits are bought from the surpluses in proportion to them. ROW is
// one more country. Without demand weights, a country without observed use uses its output plus its
// observed net imports (no trade is derived for it). Every flow says whether it was observed or
// derived, so each stage and each perspective reports its basis: "observed" (all of it from
// trade.csv and consumption.csv), "partial" (some) or "derived" (none): network::Basis. Example:
// auto mix = sourcing_mix(world, "gallium", "refined", "EU"); mix.import_reliance
#pragma once

#include <string>
#include <vector>

#include "lodestone/model/world.hpp"
#include "lodestone/network/basis.hpp"

namespace lodestone::network {

/// One origin of a perspective's use of a stage: a member (domestic) or an exporter (ROW allowed).
struct Origin {
    std::string country;
    double tonnes = 0;  ///< t/yr of the perspective's use supplied from this country
    double share = 0;   ///< share of the perspective's use
};

/// Where a country's or bloc's use of one stage comes from. Net convention (EU CRM, USGS):
/// domestic = min(output, use) of the perspective as a whole, imports = use - domestic.
struct SourcingMix {
    std::string material, stage, perspective;
    Basis basis = Basis::Derived;  ///< Derived, Partial or Observed (see the top comment);
                                   ///< metrics::assessed_sourcing_mix may set Published or Usgs
    bool use_observed = false;     ///< use_tonnes comes from consumption.csv
    double observed_import_share =
        0;                       ///< share of the gross imports from outside that trade.csv lists
    double use_tonnes = 0;       ///< perspective's use of this stage, t/yr
    double domestic_tonnes = 0;  ///< from its own (members') output, t/yr
    double import_tonnes = 0;    ///< use - domestic, >= 0, t/yr
    double import_reliance = 0;  ///< import_tonnes / use_tonnes (0 when use is 0)
    std::vector<Origin>
        origins;  ///< domestic members and exporters, shares summing to 1, largest first
};

/// perspective: ISO3 or bloc (World::members). Throws InputError E-UNKNOWN-PERSPECTIVE for unknown
/// codes, E-UNKNOWN-STAGE for an unknown material/stage.
[[nodiscard]] SourcingMix sourcing_mix(const model::World& world,
                                       const std::string& material,
                                       const std::string& stage,
                                       const std::string& perspective);

/// One country's (or ROW's) balance of a stage, t/yr. domestic = max(0, output - exports).
struct CountryBalance {
    std::string country;  ///< ISO3 or "ROW"
    double output_tonnes = 0;
    double use_tonnes = 0;
    double imports_tonnes = 0;
    double exports_tonnes = 0;
    double domestic_tonnes = 0;  ///< own output used at home
    bool use_observed = false;   ///< use from consumption.csv (own row or its bloc's)
    bool use_apparent = false;   ///< no demand weights: use = output + observed net imports
};

/// A bilateral flow of a stage's material, t/yr (exporter != importer).
struct Flow {
    std::string exporter;  ///< ISO3 or "ROW"
    std::string importer;  ///< ISO3 or "ROW" (derived rule only)
    double tonnes = 0;
    bool observed = false;  ///< from trade.csv (else by the surplus rule)
};

/// Every country's use and exportable surplus of one stage under the rule above.
struct StageBalance {
    std::string material, stage;
    Basis basis = Basis::Derived;  ///< Derived, Partial or Observed
    double world_output_tonnes = 0;
    double trade_tonnes = 0;           ///< sum of the flows, t/yr
    double observed_trade_tonnes = 0;  ///< of which observed (trade.csv), t/yr
    double world_use_tonnes = 0;
    std::vector<CountryBalance> countries;  ///< those with output or use > 0, by code
    std::vector<Flow> flows;                ///< by (exporter, importer, observed)
    std::vector<std::string> notes;         ///< fallbacks taken (e.g. no demand weights)
};

/// The balance of one stage (for compile and tests). Throws InputError E-UNKNOWN-STAGE.
[[nodiscard]] StageBalance stage_balance(const model::World& world,
                                         const std::string& material,
                                         const std::string& stage);

/// Final-stage demand weights of a material by country code ("ROW" holds the remainder), summing
/// to 1; empty when the dataset has no demand.csv rows for it nor "*" rows.
[[nodiscard]] std::vector<std::pair<std::string, double>> demand_weights(
    const model::World& world, const std::string& material);

}  // namespace lodestone::network
