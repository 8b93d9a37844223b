#include "lodestone/exposure/lookthrough_report.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/core/number_text.hpp"
#include "lodestone/metrics/perspective.hpp"
#include "lodestone/network/sourcing.hpp"
#include "lodestone/policy/timeline.hpp"

namespace lodestone::exposure {

namespace {

using network::LookThrough;
using network::SupplyNetwork;

/// Basis of the flows that shaped an origin at stage `from` seen at stage `to` (same material).
network::Basis basis_of(const SupplyNetwork& net, std::uint32_t from, std::uint32_t to) {
    bool observed = false;
    bool derived = false;
    for (std::uint32_t s = from; s <= to; ++s) {
        observed = observed || net.stages[s].basis != network::Basis::Derived;
        derived = derived || net.stages[s].basis != network::Basis::Observed;
    }
    return observed && derived ? network::Basis::Mixed
           : observed          ? network::Basis::Observed
                               : network::Basis::Derived;
}

class MeasureMatcher {
public:
    MeasureMatcher(const model::World& world, Date as_of)
        : world_(world), binding_(policy::in_force(world.measures, as_of)) {}

    /// Ids of binding export restrictions of `origin` on material/stage towards any destination.
    std::vector<std::string> touching(const std::string& material,
                                      const std::string& stage,
                                      const std::string& origin,
                                      const std::set<std::string>& destinations) const {
        std::vector<std::string> ids;
        if (origin == model::kRestOfWorld) {
            return ids;
        }
        for (const auto* m : binding_) {
            if (!policy::is_export_restriction(m->kind) ||
                !policy::covers_material(*m, material, stage)) {
                continue;
            }
            const auto imposers = world_.members(m->country);
            if (std::find(imposers.begin(), imposers.end(), origin) == imposers.end()) {
                continue;
            }
            const bool reaches =
                std::any_of(destinations.begin(), destinations.end(), [&](const auto& d) {
                    return d != origin && policy::covers_destination(world_, *m, d);
                });
            if (reaches) {
                ids.push_back(m->id);
            }
        }
        std::sort(ids.begin(), ids.end());
        return ids;
    }

private:
    const model::World& world_;
    std::vector<const model::Measure*> binding_;
};

StageOrigin make_origin(const SupplyNetwork& net,
                        const MeasureMatcher& matcher,
                        const std::vector<double>& shares,
                        std::uint32_t origin_stage,
                        std::uint32_t seen_at,
                        const std::set<std::string>& destinations) {
    const auto& st = net.stages[origin_stage];
    StageOrigin o;
    o.stage = st.stage;
    o.basis = basis_of(net, origin_stage, seen_at);
    o.hhi = network::origin_hhi(net, shares);
    double sum = 0;
    for (std::size_t c = 0; c < shares.size(); ++c) {
        sum += shares[c];
        if (shares[c] > 0) {
            o.countries.push_back(
                {net.countries[c], shares[c],
                 matcher.touching(st.material, st.stage, net.countries[c], destinations)});
        }
    }
    o.unattributed = std::max(0.0, 1.0 - sum);
    std::sort(o.countries.begin(), o.countries.end(), [](const auto& a, const auto& b) {
        return a.share != b.share ? a.share > b.share : a.country < b.country;
    });
    return o;
}

std::vector<double> as_vector(std::span<const double> s) {
    return {s.begin(), s.end()};
}

/// "93 %" (whole percent; "<1 %" for a small non-zero share).
std::string percent_text(double share) {
    return share > 0 && share < 0.005 ? "<1 %" : percent(share, 0);
}

void add_note(std::vector<std::string>& notes, std::string note) {
    if (std::find(notes.begin(), notes.end(), note) == notes.end()) {
        notes.push_back(std::move(note));
    }
}

std::uint32_t require_stage(const model::World& world,
                            const SupplyNetwork& net,
                            const std::string& material,
                            const std::string& stage) {
    if (world.find_material(material) == nullptr) {
        throw InputError(ErrorCode::UnknownMaterial, "unknown material '" + material + "'");
    }
    const auto si = net.find_stage(material, stage);
    if (!si) {
        std::string known;
        for (const auto* s : world.stages_of(material)) {
            known += (known.empty() ? "" : ", ") + s->stage;
        }
        throw InputError(ErrorCode::UnknownStage, "unknown stage '" + stage + "' of material '" +
                                                      material + "' (stages: " + known + ")");
    }
    return *si;
}

/// Origins of what `country` (ISO3 or bloc) uses of stage `si`, at every stage from the first of
/// the chain to `si`. The supply is weighted as the net sourcing mix (network::sourcing_mix), so
/// that assess, leverage and both look-through modes agree: members' own output carries its
/// production origin, each import the exporter's pool origin.
struct SupplyOrigins {
    network::SourcingMix mix;  ///< origins and import reliance replaced by a published mix, if any
    std::string
        published_note;   ///< what replaced a derived mix (metrics::assessed_sourcing_mix), or ""
    bool market = false;  ///< no recorded use and no own output: the world market mix
    bool own_output = false;  ///< no recorded use but own output: the members' production
    std::vector<std::vector<double>> by_stage;  ///< [j - first stage], indexed like net.countries
    std::vector<std::string> notes;
};

/// Origin at upstream stage j of the share a perspective gets from `country` at stage si: a
/// member's own output carries its production origin, anyone else's supply (or a member without
/// output) its pool; a country the network does not hold at that stage (a published origin that
/// neither makes nor trades it in the data) gets the world market mix, with a note.
std::vector<double> origin_of(const LookThrough& lt,
                              const std::set<std::string>& members,
                              const std::string& country,
                              std::uint32_t si,
                              std::uint32_t j,
                              std::vector<std::string>& notes) {
    const SupplyNetwork& net = lt.network();
    const auto& st = net.stages[si];
    const auto v = net.find(st.material, st.stage, country);
    if (!v) {
        add_note(notes, (country == "ROW" ? std::string("other countries (ROW)")
                                          : country + ", which neither makes nor trades " +
                                                st.material + "/" + st.stage + " in the dataset,") +
                            ": its published share carries the world market mix");
        return lt.market_origin(si, j);
    }
    if (members.count(country) != 0 && net.nodes[*v].output_t_week > 0) {
        return lt.production_origin(*v, j);
    }
    return as_vector(lt.pool_origin(*v, j));
}

SupplyOrigins supply_origins(const model::World& world,
                             const LookThrough& lt,
                             const std::string& country,
                             std::uint32_t si) {
    const SupplyNetwork& net = lt.network();
    const auto& st = net.stages[si];
    const auto first = net.materials[st.material_index].first_stage;
    const auto members = world.members(country);
    const std::set<std::string> member_set(members.begin(), members.end());
    SupplyOrigins r;
    // Where the mix is derived throughout, the published (or USGS) mix that assess uses replaces
    // it.
    r.mix = metrics::assessed_sourcing_mix(world, st.material, st.stage, country, r.published_note);
    std::vector<network::Origin> origins = r.mix.origins;
    if ((r.mix.use_tonnes <= 0 || origins.empty()) && r.published_note.empty()) {
        // No recorded use: a buyer there gets the members' own output if they make the stage,
        // else what the world market offers.
        origins.clear();
        double output = 0;
        for (const auto& m : members) {
            const auto v = net.find(st.material, st.stage, m);
            if (v && net.nodes[*v].output_t_week > 0) {
                origins.push_back({m, net.nodes[*v].output_t_week, 0.0});
                output += net.nodes[*v].output_t_week;
            }
        }
        for (auto& o : origins) {
            o.share = o.tonnes / output;
        }
        r.own_output = !origins.empty();
        r.market = origins.empty();
    }
    for (std::uint32_t j = first; j <= si; ++j) {
        std::vector<double> shares(net.countries.size(), 0.0);
        if (r.market) {
            shares = lt.market_origin(si, j);
        }
        for (const auto& o : origins) {
            const auto origin = origin_of(lt, member_set, o.country, si, j, r.notes);
            for (std::size_t c = 0; c < shares.size(); ++c) {
                shares[c] += o.share * origin[c];
            }
        }
        r.by_stage.push_back(std::move(shares));
    }
    return r;
}

}  // namespace

std::vector<SupplyOrigin> country_lookthrough(const model::World& world,
                                              const LookThrough& lt,
                                              const std::string& material,
                                              const std::string& country,
                                              const std::string& stage,
                                              Date as_of) {
    const SupplyNetwork& net = lt.network();
    const auto members = world.members(country);
    if (members.empty()) {
        throw InputError(ErrorCode::UnknownCountry,
                         "unknown country or bloc '" + country +
                             "' (ISO3 of countries.csv or a bloc such as EU)");
    }
    std::vector<std::uint32_t> supply_stages;
    if (stage.empty()) {
        for (const auto* s : world.stages_of(material)) {
            supply_stages.push_back(require_stage(world, net, material, s->stage));
        }
        if (supply_stages.empty()) {
            (void)require_stage(world, net, material, "");
        }
    } else {
        supply_stages.push_back(require_stage(world, net, material, stage));
    }
    const MeasureMatcher matcher(world, as_of);
    const std::set<std::string> destinations(members.begin(), members.end());
    std::vector<SupplyOrigin> out;
    for (const std::uint32_t si : supply_stages) {
        const auto& st = net.stages[si];
        const auto first = net.materials[st.material_index].first_stage;
        SupplyOrigin r;
        r.material = material;
        r.country = country;
        r.stage = st.stage;
        const auto supply = supply_origins(world, lt, country, si);
        r.use_tonnes = supply.mix.use_tonnes;
        r.import_reliance = supply.mix.import_reliance;
        r.basis = supply.mix.basis;
        r.use_observed = supply.mix.use_observed;
        r.observed_import_share = supply.mix.observed_import_share;
        for (const auto& o : supply.mix.origins) {
            r.sourcing.push_back({o.country, o.share, {}});
        }
        if (supply.market) {
            r.market_mix = true;
            add_note(r.notes, country + " has no recorded use of " + material + "/" + st.stage +
                                  ": the world market mix (exporters' pools) is shown");
        } else if (supply.own_output) {
            add_note(r.notes, country + " has no recorded use of " + material + "/" + st.stage +
                                  ": the origin of its own output is shown");
        }
        for (const auto& n : supply.notes) {
            add_note(r.notes, n);
        }
        if (!supply.published_note.empty()) {
            add_note(r.notes, "direct sourcing: " + supply.published_note);
        }
        for (std::uint32_t j = first; j <= si; ++j) {
            auto o = make_origin(net, matcher, supply.by_stage[j - first], j, si, destinations);
            if (!supply.published_note.empty()) {
                // The stage's own mix is the publication; upstream, its origins meet the network's
                // flows.
                o.basis = j == si ? supply.mix.basis : network::Basis::Mixed;
            }
            r.origins.push_back(std::move(o));
        }
        out.push_back(std::move(r));
    }
    return out;
}

// A BOM line's supplier buys the material at the line's stage in its country: its origins are that
// country's supply (supply_origins, as country_lookthrough gives for that stage); the lines of a
// product and material are combined weighted by kg.
std::vector<ProductMaterial> bom_lookthrough(const model::World& world,
                                             const LookThrough& lt,
                                             const io::Bom& bom,
                                             Date as_of,
                                             const std::string& buyer) {
    const SupplyNetwork& net = lt.network();
    const MeasureMatcher matcher(world, as_of);
    struct LineOrigin {
        std::uint32_t stage = 0;
        double kg = 0;
        std::vector<std::vector<double>> by_stage;  // from the first stage of the chain
    };
    struct Group {
        ProductMaterial result;
        std::vector<LineOrigin> lines;
        std::set<std::string> destinations;
    };
    std::map<std::pair<std::string, std::string>, std::size_t> index;
    std::vector<Group> groups;
    std::map<std::string, const io::BomProduct*> products;
    for (const auto& p : bom.products) {
        products[p.id] = &p;
    }
    for (const auto& line : bom.lines) {
        if (line.material.empty()) {
            continue;  // an assembly: structure only
        }
        const auto key = std::pair{line.product, line.material};
        if (index.count(key) == 0) {
            index[key] = groups.size();
            groups.emplace_back();
            groups.back().result.product = line.product;
            groups.back().result.material = line.material;
        }
        Group& g = groups[index[key]];
        const std::uint32_t si = require_stage(world, net, line.material, line.stage);
        LineOrigin lo;
        lo.stage = si;
        lo.kg = line.kg_per_unit;
        // The supplier buys the material at this stage in its country: what it gets is that
        // country's supply (own output it keeps plus imports), as `lookthrough --country`.
        auto supply = supply_origins(world, lt, line.supplier_country, si);
        const auto v = net.find(line.material, line.stage, line.supplier_country);
        const bool makes = v && net.nodes[*v].output_t_week > 0;
        const std::string what = line.material + "/" + line.stage;
        if (supply.market) {
            add_note(g.result.notes,
                     "supplier country " + line.supplier_country + " does not produce " + what +
                         ": supply is all imports (it has no recorded use either: the "
                         "world market mix is shown)");
        } else if (!makes) {
            add_note(g.result.notes, "supplier country " + line.supplier_country +
                                         " does not produce " + what +
                                         ": supply is all imports (its import mix is shown)");
        } else if (supply.mix.import_reliance > 0) {
            add_note(g.result.notes, "supplier country " + line.supplier_country + " imports " +
                                         percent_text(supply.mix.import_reliance) +
                                         " of its use of " + what +
                                         ": its sourcing mix (own output and imports) is shown");
        } else {
            // All own output: say on what the use rests, since a processing hub's real use can
            // exceed what its manufacturing value added suggests.
            add_note(
                g.result.notes,
                "supplier country " + line.supplier_country + " covers its use of " + what +
                    " from its own output, so its own origin is shown (" +
                    (supply.mix.use_observed
                         ? std::string("use observed, consumption.csv")
                         : "ASSUMPTION: use by its share of manufacturing value added; a processor "
                           "there that buys on the world market would carry the market's mix") +
                    ")");
        }
        for (const auto& n : supply.notes) {
            add_note(g.result.notes, n);
        }
        if (!supply.published_note.empty()) {
            add_note(g.result.notes, "supplier country " + line.supplier_country +
                                         ", direct sourcing of " + what + ": " +
                                         supply.published_note);
        }
        lo.by_stage = std::move(supply.by_stage);
        g.lines.push_back(std::move(lo));
        g.destinations.insert(line.supplier_country);
        const auto p = products.find(line.product);
        const std::string& made_in =
            p != products.end() && !p->second->country.empty() ? p->second->country : buyer;
        if (!made_in.empty()) {
            g.destinations.insert(made_in);
        }
        g.result.kg_per_unit += line.kg_per_unit;
        ++g.result.lines;
    }
    std::vector<ProductMaterial> out;
    for (auto& g : groups) {
        std::uint32_t deepest = 0;
        for (const auto& l : g.lines) {
            deepest = std::max(deepest, l.stage);
        }
        const auto first = net.materials[net.stages[deepest].material_index].first_stage;
        for (std::uint32_t j = first; j <= deepest; ++j) {
            std::vector<double> shares(net.countries.size(), 0.0);
            double kg = 0;
            std::size_t count = 0;
            for (const auto& l : g.lines) {
                if (l.stage >= j) {
                    kg += l.kg;
                    ++count;
                }
            }
            for (const auto& l : g.lines) {
                if (l.stage < j) {
                    continue;
                }
                // Weighted by mass; lines of zero mass count equally when the whole stage has none.
                const double w = kg > 0 ? l.kg / kg : 1.0 / static_cast<double>(count);
                const auto& o = l.by_stage[j - first];
                for (std::size_t c = 0; c < shares.size(); ++c) {
                    shares[c] += w * o[c];
                }
            }
            auto origin = make_origin(net, matcher, shares, j, deepest, g.destinations);
            origin.kg_per_unit = kg;
            g.result.origins.push_back(std::move(origin));
        }
        const auto p = products.find(g.result.product);
        if (p != products.end() && p->second->units_per_year) {
            g.result.tonnes_per_year = g.result.kg_per_unit * *p->second->units_per_year / 1000.0;
        }
        out.push_back(std::move(g.result));
    }
    return out;
}

}  // namespace lodestone::exposure
