// lodestone/exposure/lookthrough_report.hpp: the look-through of a country's supply and of a bill
// of materials (docs/lookthrough.md, docs/decisions.md): for every upstream stage the country
// shares of origin, their concentration, and the export measures in force on the date that touch
// each share. A measure touches the share of origin country c at stage s' if it is an export
// restriction in force on the date (policy::in_force), imposed by c (or a bloc c belongs to),
// covering the material at s' (policy::covers_material), and covering a destination other than c:
// the buyer (the perspective country; for a BOM the supplier country and the product's country).
// Example: auto r = country_lookthrough(world, lt, "gallium", "USA", "", as_of);
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lodestone/core/date.hpp"
#include "lodestone/io/bom_reader.hpp"
#include "lodestone/network/basis.hpp"
#include "lodestone/network/lookthrough.hpp"

namespace lodestone::exposure {

struct CountryShare {
    std::string country;                ///< ISO3 or ROW
    double share = 0;                   ///< of the material at this stage
    std::vector<std::string> measures;  ///< ids of the measures touching this share
};

/// Origin of a material at one upstream stage.
struct StageOrigin {
    std::string stage;
    network::Basis basis =
        network::Basis::Derived;  ///< of this stage and those below it: Observed,
                                  ///< Derived, Published, Usgs or Mixed
    double hhi = 0;               ///< of the shares, ROW excluded as a producer, 0-1
    double unattributed = 0;      ///< 1 - sum of shares (re-export loops without production)
    double kg_per_unit = 0;  ///< BOM only: kg per unit of product that passed through this stage
    std::vector<CountryShare> countries;  ///< share > 0, largest first
};

/// `lodestone lookthrough --material --country [--stage]`.
struct SupplyOrigin {
    std::string material, country, stage;
    double use_tonnes = 0;                           ///< the country's use of the stage, t/yr
    double import_reliance = 0;                      ///< net, as network::sourcing_mix
    network::Basis basis = network::Basis::Derived;  ///< of the sourcing mix (Published or Usgs
                                                     ///< in place of a derived one)
    bool use_observed = false;                       ///< use_tonnes from consumption.csv
    double observed_import_share = 0;                ///< share of gross imports listed in trade.csv
    std::vector<CountryShare>
        sourcing;             ///< direct suppliers (members and exporters), largest first
    bool market_mix = false;  ///< no recorded use: origins are the world market mix instead
    std::vector<StageOrigin> origins;  ///< from the first stage of the chain to `stage`
    std::vector<std::string> notes;
};

/// One per supply stage (all stages when stage is empty). The supply is weighted as the net
/// sourcing mix (network::sourcing_mix, or where that is derived the published mix that assess
/// uses: metrics::perspective_supply): members' own output with its production origin, imports with
/// the exporter's pool origin. Throws InputError for an unknown material (E-UNKNOWN-MATERIAL),
/// stage (E-UNKNOWN-STAGE) or country (E-UNKNOWN-COUNTRY).
[[nodiscard]] std::vector<SupplyOrigin> country_lookthrough(const model::World& world,
                                                            const network::LookThrough& lt,
                                                            const std::string& material,
                                                            const std::string& country,
                                                            const std::string& stage,
                                                            Date as_of);

/// Per product and material of a BOM.
struct ProductMaterial {
    std::string product, material;
    double kg_per_unit = 0;
    std::optional<double> tonnes_per_year;  ///< kg_per_unit * units_per_year / 1000
    int lines = 0;
    std::vector<StageOrigin> origins;  ///< every stage up to the most downstream stage of its lines
    std::vector<std::string>
        notes;  ///< e.g. "supplier country X does not produce ...: all imports"
};

/// The look-through of every product and material of the BOM; `buyer` (ISO3, may be empty) is the
/// default product country for destination-specific measures.
[[nodiscard]] std::vector<ProductMaterial> bom_lookthrough(const model::World& world,
                                                           const network::LookThrough& lt,
                                                           const io::Bom& bom,
                                                           Date as_of,
                                                           const std::string& buyer = {});

}  // namespace lodestone::exposure
