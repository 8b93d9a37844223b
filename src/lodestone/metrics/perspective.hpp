// lodestone/metrics/perspective.hpp: a perspective's (country's or bloc's) supply of one stage for
// the criticality methods: the sourcing mix of network::sourcing_mix ("observed" from trade.csv,
// else "derived" by the surplus rule of docs/methods.md), replaced where it is derived by a
// published sourcing mix of the perspective at that stage ("published": sourcing_shares.csv, e.g.
// the EU's own 2023 assessment), or for the USA by the USGS net import reliance and import sources
// ("usgs"). Every result says which basis it used. Example: auto p = perspective_supply(world,
// "gallium", "refined", "USA"); p.basis == network::Basis::Usgs
#pragma once

#include <string>
#include <vector>

#include "lodestone/model/world.hpp"
#include "lodestone/network/basis.hpp"
#include "lodestone/network/sourcing.hpp"

namespace lodestone::metrics {

/// The perspective whose figures USGS publishes (import_reliance.csv, import_sources.csv).
inline constexpr const char* kUsgsPerspective = "USA";

/// One origin of the perspective's use: a member (domestic) or an exporter (ROW allowed).
struct SupplyOrigin {
    std::string country;    ///< ISO3 or ROW
    double tonnes = 0.0;    ///< t/yr of the perspective's use supplied from it
    double share = 0.0;     ///< share of the perspective's use, 0-1
    bool domestic = false;  ///< a member of the perspective
};

struct PerspectiveSupply {
    std::string perspective, material, stage;
    std::vector<std::string> members;  ///< ISO3 codes of the perspective
    network::Basis basis =
        network::Basis::Derived;         ///< Observed, Partial, Derived, Published, Usgs
    double observed_import_share = 0.0;  ///< share of gross imports listed in trade.csv, 0-1
    std::string basis_note;              ///< what exactly came from where, and any fallback taken
    double use_tonnes = 0.0;             ///< t/yr (from the sourcing mix, also under "usgs")
    double domestic_tonnes = 0.0;        ///< t/yr
    double import_tonnes = 0.0;          ///< t/yr
    double import_reliance = 0.0;        ///< net import reliance, 0-1
    std::vector<SupplyOrigin> origins;   ///< shares sum to 1 when use > 0; largest first
    bool uses_nothing = false;  ///< the mix had no use: origins = global supply, IR = 1 (labelled)
};

/// ISO3 members of a country code or bloc. Throws InputError E-UNKNOWN-PERSPECTIVE otherwise.
[[nodiscard]] std::vector<std::string> perspective_members(const model::World& world,
                                                           const std::string& perspective);

/// The perspective's supply of (material, stage). Throws E-UNKNOWN-PERSPECTIVE, E-UNKNOWN-STAGE,
/// E-EMPTY-STAGE.
[[nodiscard]] PerspectiveSupply perspective_supply(const model::World& world,
                                                   const std::string& material,
                                                   const std::string& stage,
                                                   const std::string& perspective);

/// network::sourcing_mix of the perspective at a stage, with its origins, import reliance and
/// tonnes replaced by the published or USGS mix where perspective_supply uses one (its basis
/// becomes "published" or "usgs"), so that look-through and leverage weight a party's supply as
/// assess does. `replaced` receives perspective_supply's basis note when it was replaced, else "".
[[nodiscard]] network::SourcingMix assessed_sourcing_mix(const model::World& world,
                                                         const std::string& material,
                                                         const std::string& stage,
                                                         const std::string& perspective,
                                                         std::string& replaced);

}  // namespace lodestone::metrics
