// lodestone/network/supply_network.hpp: the World compiled into flat arrays (docs/lookthrough.md).
// Nodes: one per (material, stage, country) that produces or uses the stage (ROW included), then
// one per (material, country, sector) demand node fed by the final stage (end_use.csv shares).
// Edges carry baseline tonnes per WEEK (annual / kWeeksPerYear) of the supplier's stage material:
//   Trade     (m,s,e) -> (m,s,d), e != d: stage-s material shipped from e to d (sourcing.hpp rule
//             or trade.csv). Within one stage; cycles only with observed re-exports.
//   Transform (m,s-1,c) -> (m,s,c): c's use of stage s-1 feeding its own stage-s production.
//   Demand    (m,final,c) -> demand(m,c,sector): c's use of the final stage by sector.
// Node order is topological across stages: materials in World order, stages by chain order,
// countries by code with ROW last, then the material's demand nodes. Edge ids are positions in
// the by-buyer CSR; the by-supplier CSR lists edge ids.
// Example: auto net = compile(world, as_of); auto v = net.find("gallium", "refined", "JPN");
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lodestone/core/date.hpp"
#include "lodestone/model/world.hpp"
#include "lodestone/network/basis.hpp"

namespace lodestone::network {

using NodeId = std::uint32_t;
using EdgeId = std::uint32_t;
inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;
/// Weeks per year (365.2425 / 7): annual tonnes / kWeeksPerYear = tonnes per week.
inline constexpr double kWeeksPerYear = 52.1775;

enum class NodeKind : std::uint8_t { Stage, Demand };
enum class EdgeKind : std::uint8_t { Trade, Transform, Demand };
[[nodiscard]] std::string_view to_string(EdgeKind kind);

/// One node. Stage nodes: output = own production of the stage, use = own use of it, pool =
/// output + imports (what leaves the node for use or export). Demand nodes: use = their in-flow.
/// All quantities in tonnes per week of the stage's material (contained element, see stages.csv).
struct Node {
    NodeKind kind = NodeKind::Stage;
    std::uint32_t material = 0;  ///< index into SupplyNetwork::materials
    std::uint32_t stage = 0;  ///< index into SupplyNetwork::stages (demand nodes: the final stage)
    std::uint32_t country = 0;     ///< index into SupplyNetwork::countries
    std::uint32_t sector = kNone;  ///< index into SupplyNetwork::sectors (demand nodes only)
    double output_t_week = 0;
    double capacity_t_week = 0;  ///< production.csv capacity_tonnes, else = output
    double use_t_week = 0;
    double imports_t_week = 0;
    double exports_t_week = 0;
    double domestic_t_week = 0;  ///< own output used at home = max(0, output - exports)
};

struct Edge {
    NodeId from = 0;  ///< supplier
    NodeId to = 0;    ///< buyer
    EdgeKind kind = EdgeKind::Trade;
    double t_week = 0;  ///< baseline tonnes per week of the supplier's stage material
};

struct StageInfo {
    std::string material, stage;
    std::uint32_t material_index = 0;
    int order = 1;                    ///< 1 = most upstream
    double yield = 1.0;               ///< t out per t in
    bool final = false;               ///< last stage of the material's chain
    Basis basis = Basis::Derived;     ///< Derived, Partial or Observed
    double observed_trade_share = 0;  ///< observed (trade.csv) share of the stage's trade tonnes
    NodeId first = 0, last = 0;       ///< stage nodes of this stage are [first, last)
    double world_output_t_week = 0;
};

struct MaterialInfo {
    std::string id;
    std::uint32_t first_stage = 0, stage_count = 0;  ///< into SupplyNetwork::stages
    NodeId first = 0, last = 0;                      ///< all nodes of the material, demand included
};

struct SupplyNetwork {
    Date as_of;                ///< date the network was compiled for (baselines are annual data)
    std::string dataset_hash;  ///< World::content_hash
    std::vector<std::string> countries;  ///< ISO3 codes by code, then "ROW" last
    std::vector<std::string> sectors;    ///< sector ids of World::sectors
    std::vector<MaterialInfo> materials;
    std::vector<StageInfo> stages;
    std::vector<Node> nodes;
    std::vector<Edge> edges;  ///< sorted by (to, from): edge id = by-buyer position
    std::vector<EdgeId>
        in_offsets;  ///< size nodes+1: in-edges of v are ids [in_offsets[v], in_offsets[v+1])
    std::vector<EdgeId>
        out_offsets;  ///< size nodes+1: out-edges of v are out_edges[out_offsets[v] ..)
    std::vector<EdgeId>
        out_edges;  ///< edge ids grouped by supplier (the id map between the two CSRs)
    std::vector<std::string> notes;  ///< fallbacks taken while compiling (per stage)

    /// Stage node of (material, stage, country), country ISO3 or "ROW".
    [[nodiscard]] std::optional<NodeId> find(std::string_view material,
                                             std::string_view stage,
                                             std::string_view country) const;
    /// Demand node of (material, country, sector).
    [[nodiscard]] std::optional<NodeId> find_demand(std::string_view material,
                                                    std::string_view country,
                                                    std::string_view sector) const;
    /// Index into stages of (material, stage).
    [[nodiscard]] std::optional<std::uint32_t> find_stage(std::string_view material,
                                                          std::string_view stage) const;
    [[nodiscard]] std::optional<std::uint32_t> find_country(std::string_view code) const;
    [[nodiscard]] std::size_t node_count() const { return nodes.size(); }
    [[nodiscard]] std::size_t edge_count() const { return edges.size(); }

    std::unordered_map<std::string, NodeId>
        node_index;  ///< "material/stage/country" -> node, "material//country/sector" -> demand
                     ///< node
};

/// Compiles the World into the network. Baselines come from the annual data (sourcing.hpp rule or
/// trade.csv); as_of is recorded for consumers that evaluate measures (policy::in_force).
[[nodiscard]] SupplyNetwork compile(const model::World& world, Date as_of);

}  // namespace lodestone::network
