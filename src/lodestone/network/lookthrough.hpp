// lodestone/network/lookthrough.hpp: country origin of material at every upstream stage
// (docs/lookthrough.md). Each stage node v holds a pool = its own output + its imports; everything
// that leaves it (own use and exports) carries the pool's origin mix (proportional re-export). For
// an upstream stage s':
//   o_s'(v) = [output(v) * p_s'(v) + sum_u t(u->v) * o_s'(u)] / pool(v)
// with p_s'(v) = unit vector of v's country when s' is v's stage, else the origin of v's country's
// use of the previous stage (o_s'(previous node)). Stages are swept in chain order; trade edges
// inside a stage (re-exports, cycles) are iterated (Gauss-Seidel) to the fixed point (1e-14).
// Example: LookThrough lt(net); auto shares = lt.pool_origin(*net.find("ore","magnet","USA"), 0);
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "lodestone/network/supply_network.hpp"

namespace lodestone::network {

/// Result of iterating one node range to its fixed point.
struct SolveStats {
    int sweeps = 0;           ///< Gauss-Seidel passes made
    double max_change = 0.0;  ///< largest change in the last pass
    bool converged = true;
};

/// One Gauss-Seidel pass of x(v) = b(v) + sum_e w[e] * x(src[e]) over local nodes [first, last).
/// x and b are node-major with `width` values per node; offsets (size n+1) index src/weight.
/// Returns the largest absolute change. The kernel of the look-through and of its benchmark.
[[nodiscard]] double gauss_seidel_sweep(std::span<const std::uint32_t> offsets,
                                        std::span<const std::uint32_t> src,
                                        std::span<const double> weight,
                                        std::uint32_t first,
                                        std::uint32_t last,
                                        std::size_t width,
                                        std::span<const double> b,
                                        std::span<double> x);

/// Repeats sweeps until the largest change is <= tol or max_sweeps is reached.
[[nodiscard]] SolveStats solve_range(std::span<const std::uint32_t> offsets,
                                     std::span<const std::uint32_t> src,
                                     std::span<const double> weight,
                                     std::uint32_t first,
                                     std::uint32_t last,
                                     std::size_t width,
                                     std::span<const double> b,
                                     std::span<double> x,
                                     double tol = 1e-14,
                                     int max_sweeps = 100000);

/// Origin vectors of every stage node. Vectors are indexed like SupplyNetwork::countries; they
/// sum to 1 unless material circulates in a re-export loop that no production feeds (then less).
class LookThrough {
public:
    explicit LookThrough(const SupplyNetwork& net);

    /// Origin at upstream stage `origin_stage` (index into net.stages, same material, order <= v's)
    /// of what stage node v holds: its own use and its exports.
    [[nodiscard]] std::span<const double> pool_origin(NodeId v, std::uint32_t origin_stage) const;
    /// Origin of what v's country makes at v's stage (unit vector at that stage).
    [[nodiscard]] std::vector<double> production_origin(NodeId v, std::uint32_t origin_stage) const;
    /// What a buyer without output or recorded use of `stage` gets from the world market: the
    /// exports-weighted pool of exporters, else the output-weighted production mix.
    [[nodiscard]] std::vector<double> market_origin(std::uint32_t stage,
                                                    std::uint32_t origin_stage) const;
    /// Convergence of the within-stage fixed point, one entry per stage (as net.stages).
    [[nodiscard]] const std::vector<SolveStats>& stats() const { return stats_; }
    [[nodiscard]] const SupplyNetwork& network() const { return net_; }

private:
    [[nodiscard]] std::size_t block(NodeId v, std::uint32_t origin_stage) const;

    const SupplyNetwork& net_;
    std::vector<std::size_t> width_;      ///< per material: stage_count * countries
    std::vector<std::vector<double>> x_;  ///< per material: node-major origin blocks
    std::vector<NodeId> previous_;  ///< per node: the same country's previous-stage node, or kNone
    std::vector<std::vector<double>> market_;  ///< per stage: market origin blocks (stage_count*C)
    std::vector<SolveStats> stats_;
};

/// Herfindahl index of origin shares (0-1), ROW excluded as a producer (as metrics::hhi).
[[nodiscard]] double origin_hhi(const SupplyNetwork& net, std::span<const double> shares);

}  // namespace lodestone::network
