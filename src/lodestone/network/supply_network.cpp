#include "lodestone/network/supply_network.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "lodestone/network/sourcing.hpp"

namespace lodestone::network {

namespace {

std::string stage_key(std::string_view material, std::string_view stage, std::string_view country) {
    std::string key;
    key.reserve(material.size() + stage.size() + country.size() + 2);
    key.append(material).append("/").append(stage).append("/").append(country);
    return key;
}

std::string demand_key(std::string_view material,
                       std::string_view country,
                       std::string_view sector) {
    std::string key;
    key.append(material).append("//").append(country).append("/").append(sector);
    return key;
}

std::uint32_t to_u32(std::size_t n) {
    return static_cast<std::uint32_t>(n);
}

}  // namespace

std::string_view to_string(EdgeKind kind) {
    switch (kind) {
        case EdgeKind::Trade:
            return "trade";
        case EdgeKind::Transform:
            return "transform";
        case EdgeKind::Demand:
            return "demand";
    }
    return "trade";
}

std::optional<NodeId> SupplyNetwork::find(std::string_view material,
                                          std::string_view stage,
                                          std::string_view country) const {
    const auto it = node_index.find(stage_key(material, stage, country));
    return it == node_index.end() ? std::nullopt : std::optional<NodeId>(it->second);
}

std::optional<NodeId> SupplyNetwork::find_demand(std::string_view material,
                                                 std::string_view country,
                                                 std::string_view sector) const {
    const auto it = node_index.find(demand_key(material, country, sector));
    return it == node_index.end() ? std::nullopt : std::optional<NodeId>(it->second);
}

std::optional<std::uint32_t> SupplyNetwork::find_stage(std::string_view material,
                                                       std::string_view stage) const {
    for (std::size_t i = 0; i < stages.size(); ++i) {
        if (stages[i].material == material && stages[i].stage == stage) {
            return to_u32(i);
        }
    }
    return std::nullopt;
}

std::optional<std::uint32_t> SupplyNetwork::find_country(std::string_view code) const {
    const auto it = std::find(countries.begin(), countries.end(), code);
    return it == countries.end() ? std::nullopt
                                 : std::optional<std::uint32_t>(
                                       to_u32(static_cast<std::size_t>(it - countries.begin())));
}

SupplyNetwork compile(const model::World& world, Date as_of) {
    SupplyNetwork net;
    net.as_of = as_of;
    net.dataset_hash = world.content_hash;
    std::map<std::string, std::uint32_t> country_index;
    for (const auto& c : world.countries) {
        country_index[c.iso3] = to_u32(net.countries.size());
        net.countries.push_back(c.iso3);
    }
    country_index[model::kRestOfWorld] = to_u32(net.countries.size());
    net.countries.emplace_back(model::kRestOfWorld);
    std::map<std::string, std::uint32_t> sector_index;
    for (const auto& s : world.sectors) {
        sector_index[s.id] = to_u32(net.sectors.size());
        net.sectors.push_back(s.id);
    }

    for (const auto& material : world.materials) {
        MaterialInfo mi;
        mi.id = material.id;
        mi.first = to_u32(net.nodes.size());
        mi.first_stage = to_u32(net.stages.size());
        const auto material_index = to_u32(net.materials.size());
        const auto chain = world.stages_of(material.id);
        std::map<std::uint32_t, NodeId> previous;  // country -> node of the previous stage
        for (std::size_t k = 0; k < chain.size(); ++k) {
            const model::Stage& st = *chain[k];
            const StageBalance bal = stage_balance(world, material.id, st.stage);
            for (const auto& note : bal.notes) {
                net.notes.push_back(material.id + "/" + st.stage + ": " + note);
            }
            StageInfo info;
            info.material = material.id;
            info.stage = st.stage;
            info.material_index = material_index;
            info.order = st.order;
            info.yield = st.yield;
            info.final = k + 1 == chain.size();
            info.basis = bal.basis;
            info.observed_trade_share =
                bal.trade_tonnes > 0 ? bal.observed_trade_tonnes / bal.trade_tonnes : 0.0;
            info.first = to_u32(net.nodes.size());
            info.world_output_t_week = bal.world_output_tonnes / kWeeksPerYear;
            const auto stage_index = to_u32(net.stages.size());
            std::vector<const CountryBalance*> rows;
            rows.reserve(bal.countries.size());
            for (const auto& c : bal.countries) {
                rows.push_back(&c);
            }
            std::sort(rows.begin(), rows.end(), [&](const auto* a, const auto* b) {
                return country_index.at(a->country) < country_index.at(b->country);
            });
            std::map<std::uint32_t, NodeId> current;
            for (const auto* c : rows) {
                Node n;
                n.kind = NodeKind::Stage;
                n.material = material_index;
                n.stage = stage_index;
                n.country = country_index.at(c->country);
                n.output_t_week = c->output_tonnes / kWeeksPerYear;
                n.capacity_t_week = n.output_t_week;
                for (const auto* p : world.production_of(material.id, st.stage)) {
                    if (p->country == c->country && p->capacity_tonnes) {
                        n.capacity_t_week =
                            std::max(n.output_t_week, *p->capacity_tonnes / kWeeksPerYear);
                    }
                }
                n.use_t_week = c->use_tonnes / kWeeksPerYear;
                n.imports_t_week = c->imports_tonnes / kWeeksPerYear;
                n.exports_t_week = c->exports_tonnes / kWeeksPerYear;
                n.domestic_t_week = c->domestic_tonnes / kWeeksPerYear;
                const auto id = to_u32(net.nodes.size());
                current[n.country] = id;
                net.node_index[stage_key(material.id, st.stage, c->country)] = id;
                net.nodes.push_back(n);
            }
            info.last = to_u32(net.nodes.size());
            // An observed and a derived flow between the same pair are one edge.
            std::map<std::pair<NodeId, NodeId>, double> trade;
            for (const auto& f : bal.flows) {
                trade[{current.at(country_index.at(f.exporter)),
                       current.at(country_index.at(f.importer))}] += f.tonnes / kWeeksPerYear;
            }
            for (const auto& [pair, t] : trade) {
                net.edges.push_back({pair.first, pair.second, EdgeKind::Trade, t});
            }
            for (const auto& [country, id] : current) {
                const auto prev = previous.find(country);
                if (prev != previous.end() && net.nodes[id].output_t_week > 0 &&
                    net.nodes[prev->second].use_t_week > 0) {
                    net.edges.push_back({prev->second, id, EdgeKind::Transform,
                                         net.nodes[prev->second].use_t_week});
                }
            }
            previous = std::move(current);
            net.stages.push_back(std::move(info));
        }
        mi.stage_count = to_u32(chain.size());
        // Demand nodes: the final stage's use of each country split by end-use shares.
        if (!chain.empty()) {
            const auto final_index = to_u32(net.stages.size() - 1);
            for (const auto& [country, id] : previous) {
                const double use = net.nodes[id].use_t_week;
                if (use <= 0) {
                    continue;
                }
                for (const auto& e : world.end_use) {
                    if (e.material != material.id || e.share <= 0) {
                        continue;
                    }
                    Node n;
                    n.kind = NodeKind::Demand;
                    n.material = material_index;
                    n.stage = final_index;
                    n.country = country;
                    n.sector = sector_index.at(e.sector);
                    n.use_t_week = use * e.share;
                    const auto did = to_u32(net.nodes.size());
                    net.node_index[demand_key(material.id, net.countries[country], e.sector)] = did;
                    net.nodes.push_back(n);
                    net.edges.push_back({id, did, EdgeKind::Demand, use * e.share});
                }
            }
        }
        mi.last = to_u32(net.nodes.size());
        net.materials.push_back(std::move(mi));
    }

    // CSR by buyer: edges sorted by (to, from); CSR by supplier: edge ids grouped by from.
    std::sort(net.edges.begin(), net.edges.end(), [](const Edge& a, const Edge& b) {
        return std::tie(a.to, a.from) < std::tie(b.to, b.from);
    });
    const std::size_t n = net.nodes.size();
    net.in_offsets.assign(n + 1, 0);
    net.out_offsets.assign(n + 1, 0);
    for (const auto& e : net.edges) {
        ++net.in_offsets[e.to + 1];
        ++net.out_offsets[e.from + 1];
    }
    for (std::size_t v = 0; v < n; ++v) {
        net.in_offsets[v + 1] += net.in_offsets[v];
        net.out_offsets[v + 1] += net.out_offsets[v];
    }
    net.out_edges.assign(net.edges.size(), 0);
    std::vector<EdgeId> cursor(net.out_offsets.begin(), net.out_offsets.end() - 1);
    for (std::size_t id = 0; id < net.edges.size(); ++id) {
        net.out_edges[cursor[net.edges[id].from]++] = to_u32(id);
    }
    return net;
}

}  // namespace lodestone::network
