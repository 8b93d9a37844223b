#include "lodestone/network/lookthrough.hpp"

#include <algorithm>
#include <cmath>

#include "lodestone/core/assert.hpp"

namespace lodestone::network {

double gauss_seidel_sweep(std::span<const std::uint32_t> offsets,
                          std::span<const std::uint32_t> src,
                          std::span<const double> weight,
                          std::uint32_t first,
                          std::uint32_t last,
                          std::size_t width,
                          std::span<const double> b,
                          std::span<double> x) {
    double max_change = 0.0;
    if (width == 1) {  // the scalar case (one origin country), kept tight for the benchmark
        for (std::uint32_t v = first; v < last; ++v) {
            double acc = b[v];
            for (std::uint32_t e = offsets[v]; e < offsets[v + 1]; ++e) {
                acc += weight[e] * x[src[e]];
            }
            max_change = std::max(max_change, std::abs(acc - x[v]));
            x[v] = acc;
        }
        return max_change;
    }
    std::vector<double> acc(width);
    for (std::uint32_t v = first; v < last; ++v) {
        const std::size_t base = std::size_t{v} * width;
        std::copy_n(b.begin() + static_cast<std::ptrdiff_t>(base), width, acc.begin());
        for (std::uint32_t e = offsets[v]; e < offsets[v + 1]; ++e) {
            const double w = weight[e];
            const double* xs = x.data() + std::size_t{src[e]} * width;
            for (std::size_t k = 0; k < width; ++k) {
                acc[k] += w * xs[k];
            }
        }
        double* xv = x.data() + base;
        for (std::size_t k = 0; k < width; ++k) {
            max_change = std::max(max_change, std::abs(acc[k] - xv[k]));
            xv[k] = acc[k];
        }
    }
    return max_change;
}

SolveStats solve_range(std::span<const std::uint32_t> offsets,
                       std::span<const std::uint32_t> src,
                       std::span<const double> weight,
                       std::uint32_t first,
                       std::uint32_t last,
                       std::size_t width,
                       std::span<const double> b,
                       std::span<double> x,
                       double tol,
                       int max_sweeps) {
    // Without an edge inside the range, one pass in node order is exact.
    bool internal = false;
    for (std::uint32_t v = first; v < last && !internal; ++v) {
        for (std::uint32_t e = offsets[v]; e < offsets[v + 1]; ++e) {
            if (src[e] >= first && src[e] < last) {
                internal = true;
                break;
            }
        }
    }
    SolveStats stats;
    do {
        stats.max_change = gauss_seidel_sweep(offsets, src, weight, first, last, width, b, x);
        ++stats.sweeps;
    } while (internal && stats.max_change > tol && stats.sweeps < max_sweeps);
    stats.converged = !internal || stats.max_change <= tol;
    return stats;
}

LookThrough::LookThrough(const SupplyNetwork& net) : net_(net) {
    const std::size_t countries = net.countries.size();
    previous_.assign(net.nodes.size(), kNone);
    for (const auto& e : net.edges) {
        if (e.kind == EdgeKind::Transform) {
            previous_[e.to] = e.from;
        }
    }
    market_.resize(net.stages.size());
    stats_.resize(net.stages.size());
    for (const auto& m : net.materials) {
        const std::size_t width = m.stage_count * countries;
        width_.push_back(width);
        const std::uint32_t n = m.last - m.first;
        std::vector<double> x(std::size_t{n} * width, 0.0);
        std::vector<double> b(x.size(), 0.0);
        std::vector<std::uint32_t> offsets(n + 1, 0);
        std::vector<std::uint32_t> src;
        std::vector<double> weight;
        std::vector<double> own_share(n, 0.0);  // output / pool of each node
        std::vector<bool> needs_market(n, false);
        for (std::uint32_t i = 0; i < n; ++i) {
            const NodeId v = m.first + i;
            const Node& node = net.nodes[v];
            offsets[i + 1] = offsets[i];
            if (node.kind != NodeKind::Stage) {
                continue;
            }
            double pool = node.output_t_week;
            for (EdgeId e = net.in_offsets[v]; e < net.in_offsets[v + 1]; ++e) {
                if (net.edges[e].kind == EdgeKind::Trade) {
                    pool += net.edges[e].t_week;
                }
            }
            if (pool <= 0) {
                continue;
            }
            for (EdgeId e = net.in_offsets[v]; e < net.in_offsets[v + 1]; ++e) {
                if (net.edges[e].kind == EdgeKind::Trade) {
                    src.push_back(net.edges[e].from - m.first);
                    weight.push_back(net.edges[e].t_week / pool);
                }
            }
            if (node.output_t_week > 0) {
                own_share[i] = node.output_t_week / pool;
                const std::size_t k = node.stage - m.first_stage;
                b[i * width + k * countries + node.country] = own_share[i];
                if (previous_[v] != kNone) {
                    src.push_back(previous_[v] - m.first);
                    weight.push_back(own_share[i]);
                } else if (k > 0) {
                    needs_market[i] = true;
                }
            }
            offsets[i + 1] = static_cast<std::uint32_t>(src.size());
        }
        for (std::uint32_t k = 0; k < m.stage_count; ++k) {
            const std::uint32_t si = m.first_stage + k;
            const StageInfo& st = net.stages[si];
            const std::uint32_t first = st.first - m.first;
            const std::uint32_t last = st.last - m.first;
            if (k > 0) {
                const auto& upstream = market_[si - 1];
                for (std::uint32_t i = first; i < last; ++i) {
                    if (needs_market[i]) {
                        for (std::size_t j = 0; j < upstream.size(); ++j) {
                            b[i * width + j] += own_share[i] * upstream[j];
                        }
                    }
                }
            }
            stats_[si] = solve_range(offsets, src, weight, first, last, width, b, x);
            // The market mix of this stage, for buyers without their own node.
            std::vector<double> market((k + 1) * countries, 0.0);
            double total = 0;
            for (std::uint32_t i = first; i < last; ++i) {
                total += net.nodes[m.first + i].exports_t_week;
            }
            if (total > 0) {
                for (std::uint32_t i = first; i < last; ++i) {
                    const double wgt = net.nodes[m.first + i].exports_t_week / total;
                    for (std::size_t j = 0; j < market.size(); ++j) {
                        market[j] += wgt * x[i * width + j];
                    }
                }
            } else {
                x_.emplace_back();  // temporarily expose x for production_origin of this material
                x_.back().swap(x);
                double out = 0;
                for (std::uint32_t i = first; i < last; ++i) {
                    out += net.nodes[m.first + i].output_t_week;
                }
                for (std::uint32_t i = first; out > 0 && i < last; ++i) {
                    const NodeId v = m.first + i;
                    const double wgt = net.nodes[v].output_t_week / out;
                    if (wgt <= 0) {
                        continue;
                    }
                    for (std::uint32_t j = 0; j <= k; ++j) {
                        const auto p = production_origin(v, m.first_stage + j);
                        for (std::size_t c = 0; c < countries; ++c) {
                            market[j * countries + c] += wgt * p[c];
                        }
                    }
                }
                x.swap(x_.back());
                x_.pop_back();
            }
            market_[si] = std::move(market);
        }
        x_.push_back(std::move(x));
    }
}

std::size_t LookThrough::block(NodeId v, std::uint32_t origin_stage) const {
    const Node& node = net_.nodes[v];
    const MaterialInfo& m = net_.materials[node.material];
    LODE_ASSERT(node.kind == NodeKind::Stage);
    LODE_ASSERT(origin_stage >= m.first_stage && origin_stage <= node.stage);
    return std::size_t{v - m.first} * width_[node.material] +
           std::size_t{origin_stage - m.first_stage} * net_.countries.size();
}

std::span<const double> LookThrough::pool_origin(NodeId v, std::uint32_t origin_stage) const {
    const auto& x = x_[net_.nodes[v].material];
    return {x.data() + block(v, origin_stage), net_.countries.size()};
}

std::vector<double> LookThrough::production_origin(NodeId v, std::uint32_t origin_stage) const {
    const Node& node = net_.nodes[v];
    LODE_ASSERT(node.kind == NodeKind::Stage && origin_stage <= node.stage);
    if (origin_stage == node.stage) {
        std::vector<double> unit(net_.countries.size(), 0.0);
        unit[node.country] = 1.0;
        return unit;
    }
    if (previous_[v] != kNone) {
        const auto p = pool_origin(previous_[v], origin_stage);
        return {p.begin(), p.end()};
    }
    return market_origin(node.stage - 1, origin_stage);
}

std::vector<double> LookThrough::market_origin(std::uint32_t stage,
                                               std::uint32_t origin_stage) const {
    const StageInfo& st = net_.stages[stage];
    const MaterialInfo& m = net_.materials[st.material_index];
    LODE_ASSERT(origin_stage >= m.first_stage && origin_stage <= stage);
    const auto& market = market_[stage];
    const std::size_t c = net_.countries.size();
    const auto begin =
        market.begin() + static_cast<std::ptrdiff_t>((origin_stage - m.first_stage) * c);
    return {begin, begin + static_cast<std::ptrdiff_t>(c)};
}

double origin_hhi(const SupplyNetwork& net, std::span<const double> shares) {
    double h = 0;
    for (std::size_t c = 0; c < shares.size(); ++c) {
        if (net.countries[c] != model::kRestOfWorld) {
            h += shares[c] * shares[c];
        }
    }
    return h;
}

}  // namespace lodestone::network
