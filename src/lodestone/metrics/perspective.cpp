#include "lodestone/metrics/perspective.hpp"

#include <algorithm>
#include <set>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/core/number_text.hpp"
#include "lodestone/metrics/concentration.hpp"
#include "lodestone/network/sourcing.hpp"

namespace lodestone::metrics {

namespace {

bool is_member(const std::vector<std::string>& members, const std::string& code) {
    return std::find(members.begin(), members.end(), code) != members.end();
}

void sort_origins(std::vector<SupplyOrigin>& origins) {
    std::sort(origins.begin(), origins.end(), [](const SupplyOrigin& a, const SupplyOrigin& b) {
        return a.share != b.share ? a.share > b.share : a.country < b.country;
    });
}

/// The latest-year rows of (USA, material) in import_reliance / import_sources.
template <class Row>
std::vector<const Row*> latest_rows(const std::vector<Row>& rows,
                                    const std::string& importer,
                                    const std::string& material) {
    int year = -1;
    for (const auto& r : rows) {
        if (r.importer == importer && r.material == material) {
            year = std::max(year, r.year);
        }
    }
    std::vector<const Row*> out;
    for (const auto& r : rows) {
        if (r.importer == importer && r.material == material && r.year == year) {
            out.push_back(&r);
        }
    }
    return out;
}

/// Import origins to use when no mix or publication names them: the other producers of the
/// stage in proportion to their world shares (ROW included).
std::vector<SupplyOrigin> world_pool(const model::World& world,
                                     const std::string& material,
                                     const std::string& stage,
                                     const std::vector<std::string>& members) {
    const auto shares = stage_shares(world, material, stage);
    std::vector<SupplyOrigin> out;
    double total = 0.0;
    for (const auto& c : shares.countries) {
        if (!is_member(members, c.country)) {
            out.push_back({c.country, c.tonnes, 0.0, false});
            total += c.tonnes;
        }
    }
    if (shares.residual_tonnes > 0) {
        out.push_back({model::kRestOfWorld, shares.residual_tonnes, 0.0, false});
        total += shares.residual_tonnes;
    }
    for (auto& o : out) {
        o.share = total > 0 ? o.tonnes / total : 0.0;
    }
    return out;
}

/// Replaces the mix's import side with the USGS publication, keeping its use in tonnes.
void layer_usgs(const model::World& world, PerspectiveSupply& p) {
    const auto nir = latest_rows(world.import_reliance, kUsgsPerspective, p.material);
    const auto sources = latest_rows(world.import_sources, kUsgsPerspective, p.material);
    if (nir.empty() && sources.empty()) {
        return;
    }
    const std::string mix_basis(network::to_string(p.basis));
    std::string note;
    if (!nir.empty()) {
        p.import_reliance = nir.front()->net_import_reliance;
        note = "net import reliance " + significant(p.import_reliance, 4) + " (USGS, " +
               std::to_string(nir.front()->year) + ")";
    } else {
        note = "net import reliance " + significant(p.import_reliance, 4) + " from the " +
               mix_basis + " mix (USGS publishes none)";
    }
    // Import origins as fractions of imports.
    std::vector<SupplyOrigin> imports;
    if (!sources.empty()) {
        double sum = 0.0;
        for (const auto* s : sources) {
            sum += s->share;
        }
        for (const auto* s : sources) {
            imports.push_back({s->exporter, 0.0, sum > 0 ? s->share / sum : 0.0, false});
        }
        note += "; import sources USGS " + std::to_string(sources.front()->year);
        if (sum > 0 && (sum < 1.0 - 1e-6 || sum > 1.0 + 1e-6)) {
            note += " (published shares sum to " + significant(sum, 4) + ", rescaled to 1)";
        }
    } else {
        double sum = 0.0;
        for (const auto& o : p.origins) {
            if (!o.domestic) {
                sum += o.share;
            }
        }
        if (sum > 0) {
            for (const auto& o : p.origins) {
                if (!o.domestic) {
                    imports.push_back({o.country, 0.0, o.share / sum, false});
                }
            }
            note += "; import origins from the " + mix_basis + " mix (USGS publishes none)";
        } else {
            imports = world_pool(world, p.material, p.stage, p.members);
            note +=
                "; import origins pro rata to world output outside the USA (neither USGS nor "
                "the mix names any)";
        }
    }
    const double ir = p.import_reliance;
    const double use = p.use_tonnes;
    p.origins.clear();
    if (ir < 1.0) {
        p.origins.push_back({kUsgsPerspective, (1.0 - ir) * use, 1.0 - ir, true});
    }
    for (auto& o : imports) {
        if (o.share > 0 && ir > 0) {
            p.origins.push_back({o.country, o.share * ir * use, o.share * ir, false});
        }
    }
    sort_origins(p.origins);
    p.domestic_tonnes = (1.0 - ir) * use;
    p.import_tonnes = ir * use;
    p.basis = network::Basis::Usgs;
    p.basis_note = note + "; use " + significant(use, 4) + " t/yr from the " + mix_basis + " mix";
}

/// Replaces the mix's origins with a published sourcing mix of the perspective at this stage
/// (sourcing_shares.csv), keeping its use in tonnes; import reliance is the non-member share.
/// Returns false when none is published.
bool layer_published(const model::World& world, PerspectiveSupply& p) {
    std::vector<const model::SourcingShare*> rows;
    for (const auto& s : world.sourcing_shares) {
        if (s.perspective == p.perspective && s.material == p.material && s.stage == p.stage) {
            rows.push_back(&s);
        }
    }
    if (rows.empty()) {
        return false;
    }
    const std::string mix_basis(network::to_string(p.basis));
    const double use = p.use_tonnes;
    p.origins.clear();
    double domestic = 0.0;
    for (const auto* s : rows) {
        const bool member = is_member(p.members, s->country);
        domestic += member ? s->share : 0.0;
        p.origins.push_back({s->country, s->share * use, s->share, member});
    }
    sort_origins(p.origins);
    p.import_reliance = std::clamp(1.0 - domestic, 0.0, 1.0);
    p.domestic_tonnes = domestic * use;
    p.import_tonnes = p.import_reliance * use;
    p.uses_nothing = false;
    p.basis = network::Basis::Published;
    p.basis_note = "published sourcing mix of " + p.perspective + " (" +
                   std::to_string(rows.front()->year) + ", sourcing_shares.csv, " +
                   std::to_string(rows.size()) + " origins; first: " + rows.front()->source +
                   "); import reliance " + significant(p.import_reliance, 4) +
                   " = the non-member share; use " + significant(use, 4) + " t/yr from the " +
                   mix_basis + " mix";
    return true;
}

}  // namespace

std::vector<std::string> perspective_members(const model::World& world,
                                             const std::string& perspective) {
    auto members = world.members(perspective);
    if (members.empty()) {
        std::set<std::string> blocs;
        for (const auto& c : world.countries) {
            blocs.insert(c.blocs.begin(), c.blocs.end());
        }
        std::string list;
        for (const auto& b : blocs) {
            list += (list.empty() ? "" : ", ") + b;
        }
        throw InputError(ErrorCode::UnknownPerspective,
                         "unknown perspective '" + perspective +
                             "': expected an ISO3 code of countries.csv or a bloc (" +
                             (list.empty() ? std::string("none in this dataset") : list) + ")");
    }
    return members;
}

PerspectiveSupply perspective_supply(const model::World& world,
                                     const std::string& material,
                                     const std::string& stage,
                                     const std::string& perspective) {
    PerspectiveSupply p;
    p.perspective = perspective;
    p.material = material;
    p.stage = stage;
    p.members = perspective_members(world, perspective);
    const auto mix = network::sourcing_mix(world, material, stage, perspective);
    p.basis = mix.basis;
    p.use_tonnes = mix.use_tonnes;
    p.domestic_tonnes = mix.domestic_tonnes;
    p.import_tonnes = mix.import_tonnes;
    p.import_reliance = mix.import_reliance;
    for (const auto& o : mix.origins) {
        p.origins.push_back({o.country, o.tonnes, o.share, is_member(p.members, o.country)});
    }
    p.observed_import_share = mix.observed_import_share;
    p.basis_note = std::string("use ") +
                   (mix.use_observed ? "observed (consumption.csv)"
                                     : "derived (demand weights or next-stage need)") +
                   "; imports " + significant(100.0 * mix.observed_import_share, 4) +
                   "% observed (trade.csv), the rest by the surplus rule";
    if (p.use_tonnes <= 0) {
        // No use of this stage: the mix is undefined. Producers would use their own output (IR 0);
        // a perspective without output would buy its first tonne from the world pool (IR 1).
        p.uses_nothing = true;
        const auto shares = stage_shares(world, material, stage);
        double own = 0.0;
        for (const auto& c : shares.countries) {
            if (is_member(p.members, c.country)) {
                own += c.tonnes;
            }
        }
        p.origins.clear();
        if (own > 0) {
            for (const auto& c : shares.countries) {
                if (is_member(p.members, c.country)) {
                    p.origins.push_back({c.country, 0.0, c.tonnes / own, true});
                }
            }
            p.import_reliance = 0.0;
            p.basis_note +=
                "; no use of this stage: sourcing = own output, import reliance 0 (ASSUMPTION)";
        } else {
            p.origins = world_pool(world, material, stage, p.members);
            for (auto& o : p.origins) {
                o.tonnes = 0.0;
            }
            p.import_reliance = 1.0;
            p.basis_note +=
                "; no use and no output of this stage: sourcing = world pool, import "
                "reliance 1 (ASSUMPTION)";
        }
        sort_origins(p.origins);
    }
    // Observed flows and use take precedence over published shares (they are the same publishers'
    // figures where trade.csv cites them); a published sourcing mix (sourcing_shares.csv), else the
    // USGS import figures for the USA, fills only a mix that is derived throughout.
    if (p.basis == network::Basis::Derived && !layer_published(world, p) &&
        perspective == kUsgsPerspective) {
        layer_usgs(world, p);
    }
    return p;
}

network::SourcingMix assessed_sourcing_mix(const model::World& world,
                                           const std::string& material,
                                           const std::string& stage,
                                           const std::string& perspective,
                                           std::string& replaced) {
    replaced.clear();
    auto mix = network::sourcing_mix(world, material, stage, perspective);
    if (mix.basis != network::Basis::Derived) {
        return mix;
    }
    const auto p = perspective_supply(world, material, stage, perspective);
    if (p.basis != network::Basis::Published && p.basis != network::Basis::Usgs) {
        return mix;
    }
    mix.basis = p.basis;
    mix.import_reliance = p.import_reliance;
    mix.domestic_tonnes = p.domestic_tonnes;
    mix.import_tonnes = p.import_tonnes;
    mix.origins.clear();
    for (const auto& o : p.origins) {
        mix.origins.push_back({o.country, o.tonnes, o.share});
    }
    replaced = p.basis_note;
    return mix;
}

}  // namespace lodestone::metrics
