// lodestone/metrics/leverage.hpp: two-sided bargaining leverage (docs/methods.md). Leverage of
// supplier A over target B on material m = (share of B's supply of m at the bottleneck stage
// originating in A, look-through included) x (1 - B's substitutability, i.e. SI_SR) x (1 - min(1,
// B's stockpile cover in years)); the reverse dyad is B over A on what A imports. B's supply is its
// use of the final stage; its origin at every upstream stage comes from network::LookThrough; the
// bottleneck is the stage where A's share is largest. Totals are averages weighted by the
// importer's import value (its largest import of the material at any stage x price). Example: auto
// r = leverage(world, "CHN", "USA", as_of, {}); r.forward.total
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lodestone/core/date.hpp"
#include "lodestone/model/world.hpp"
#include "lodestone/network/basis.hpp"

namespace lodestone::metrics {

/// share * si_sr * (1 - min(1, cover_years)). Throws InputError if share or si_sr is outside [0,1]
/// or cover is negative.
[[nodiscard]] double leverage_value(double supplier_share,
                                    double si_sr,
                                    double cover_years,
                                    const std::string& what);

/// Leverage of one supplier over one target on one material.
struct LeverageRow {
    std::string material;
    std::string stage;        ///< bottleneck: the stage with the supplier's largest share
    std::string share_basis;  ///< "lookthrough (derived|observed|published|usgs)" or "lookthrough
                              ///< (world market)"
    double supplier_share =
        0.0;  ///< of the target's final use whose origin at `stage` is the supplier
    double direct_share = 0.0;  ///< of the target's own use of `stage` bought from the supplier
    network::Basis direct_basis = network::Basis::Derived;  ///< basis of that direct mix
    double si_sr = 1.0;                                     ///< 1 - substitutability
    double stock_tonnes = 0.0;  ///< the target's strategic stocks of the material (stockpiles.csv)
    double use_tonnes = 0.0;    ///< the target's use of the bottleneck stage, t/yr
    double cover_years = 0.0;   ///< sum of stock / use of its stage (a stock with no use: 1)
    double leverage = 0.0;
    double import_tonnes = 0.0;  ///< the target's largest import of the material at any stage, t/yr
    std::string import_stage;    ///< the stage of that import
    std::optional<double> price_usd_t;
    double import_value_usd = 0.0;  ///< weight in the total (0 without a price)
    std::vector<std::string>
        measures;  ///< supplier's export restrictions in force on it covering the target
};

struct Dyad {
    std::string supplier, target;
    std::vector<LeverageRow> rows;  ///< one per material, largest leverage first
    double total = 0.0;             ///< sum(leverage * import value) / sum(import value)
    double weight_usd = 0.0;        ///< sum of import values
};

struct LeverageReport {
    Dyad forward;                    ///< supplier over target
    Dyad reverse;                    ///< target over supplier
    std::string share_basis;         ///< how supplier shares were found
    std::vector<std::string> notes;  ///< assumptions (materials without price, stockpile rules)
};

/// Both dyads. supplier and target: ISO3 or bloc, without common members. materials empty = all.
/// Throws InputError: E-UNKNOWN-PERSPECTIVE, E-UNKNOWN-MATERIAL, E-USAGE (overlapping members).
[[nodiscard]] LeverageReport leverage(const model::World& world,
                                      const std::string& supplier,
                                      const std::string& target,
                                      Date as_of,
                                      const std::vector<std::string>& materials);

/// One supplier's standing against a target.
struct SupplierRank {
    std::string supplier;
    double leverage = 0.0;     ///< forward total
    double reverse = 0.0;      ///< the target's leverage back
    std::string top_material;  ///< the material of largest forward leverage
    double top_leverage = 0.0;
};

/// Every country with a share in the target's supply, by forward total (ties: code), at most `top`.
[[nodiscard]] std::vector<SupplierRank> rank_suppliers(const model::World& world,
                                                       const std::string& target,
                                                       Date as_of,
                                                       const std::vector<std::string>& materials,
                                                       std::size_t top);

}  // namespace lodestone::metrics
