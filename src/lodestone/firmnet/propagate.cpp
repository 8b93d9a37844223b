#include "lodestone/firmnet/propagate.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <thread>
#include <utility>

#include "lodestone/core/assert.hpp"
#include "lodestone/firmnet/internal/rationing.hpp"

namespace lodestone::firmnet {

namespace {

/// Firms per reduction block. Part of the definition of the output bits: totals are the sum of
/// block sums in block order, whatever the thread count.
constexpr std::size_t kBlockFirms = 2048;
/// An input stock at or below this fraction of one day's use counts as empty (r_is = 0).
constexpr double kEmptyStock = 1e-12;

/// Calls fn(block, worker) for every block, spread over `threads` workers. Blocks are independent,
/// so the assignment of blocks to workers does not change any result.
template <class Fn>
void for_blocks(std::size_t blocks, int threads, Fn&& fn) {
    const auto workers = static_cast<std::size_t>(std::max(1, threads));
    if (workers == 1 || blocks <= 1) {
        for (std::size_t b = 0; b < blocks; ++b) {
            fn(b, std::size_t{0});
        }
        return;
    }
    std::atomic<std::size_t> next{0};
    auto work = [&](std::size_t w) {
        for (std::size_t b = next.fetch_add(1); b < blocks; b = next.fetch_add(1)) {
            fn(b, w);
        }
    };
    std::vector<std::thread> pool;
    const std::size_t spawn = std::min(workers, blocks) - 1;
    pool.reserve(spawn);
    for (std::size_t w = 1; w <= spawn; ++w) {
        pool.emplace_back(work, w);
    }
    work(0);
    for (auto& t : pool) {
        t.join();
    }
}

constexpr std::uint32_t kFinal = std::numeric_limits<std::uint32_t>::max();

}  // namespace

std::string_view to_string(Rationing r) {
    switch (r) {
        case Rationing::Proportional:
            return "proportional";
        case Rationing::LowestFirst:
            return "lowest-first";
    }
    return "?";
}

double shock_delta(const Shock& s, int day, int recovery_days) {
    if (!s.path.empty()) {
        const auto t = static_cast<std::size_t>(day - 1);
        return day >= 1 && t < s.path.size() ? s.path[t] : 0.0;
    }
    if (day < s.start_day) {
        return 0.0;
    }
    const int r = s.recovery_days >= 0 ? s.recovery_days : recovery_days;
    if (r <= 0) {
        return s.delta;
    }
    const double elapsed = static_cast<double>(day - s.start_day);
    return s.delta * std::max(0.0, 1.0 - elapsed / static_cast<double>(r));
}

PropagateResult propagate(const FirmNetwork& net,
                          const std::vector<Shock>& shocks,
                          const PropagateOptions& opt) {
    LODE_ASSERT(opt.days >= 0 && opt.tau > 0.0 && opt.inventory_days > 0.0);
    const std::size_t n = net.firms();
    const std::size_t n_links = net.links();
    const std::size_t n_groups = net.group_amount.size();
    const std::size_t blocks = (n + kBlockFirms - 1) / kBlockFirms;
    const double inv_tau = 1.0 / opt.tau;
    const auto& pini = net.initial_production;

    PropagateResult out;
    out.value_added_share.assign(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        out.value_added_share[i] = pini[i] > 0.0 ? (pini[i] - net.input_total[i]) / pini[i] : 0.0;
    }
    const auto& va = out.value_added_share;
    out.firm_loss.assign(n, 0.0);
    out.firm_min_ratio.assign(n, 1.0);
    out.firm_min_day.assign(n, 0);

    // State. Links: stock S_ij, order O_ij, delivery O*_ij; groups: S_is; firms: P_i, limit.
    std::vector<double> stock(n_links);
    std::vector<double> order(net.amount);
    std::vector<double> delivered(net.amount);
    std::vector<double> group_stock(n_groups);
    std::vector<double> production(pini);
    std::vector<double> limit(n, 0.0);
    std::vector<double> delta(n, 0.0);
    auto days_of = [&](std::size_t i) {
        return net.inventory_days.empty() ? opt.inventory_days : net.inventory_days[i];
    };
    for (std::size_t i = 0; i < n; ++i) {
        const double n_i = days_of(i);
        for (std::uint32_t g = net.group_begin[i]; g < net.group_begin[i + 1]; ++g) {
            group_stock[g] = n_i * net.group_amount[g];
            for (std::uint32_t e = net.group_link[g]; e < net.group_link[g + 1]; ++e) {
                stock[e] = n_i * net.amount[e];
            }
        }
    }

    std::vector<double> block_p(blocks), block_va(blocks), block_c(blocks), block_res(blocks);
    auto totals = [&](std::size_t day) {
        double p = 0.0, v = 0.0, c = 0.0, res = 0.0;
        for (std::size_t b = 0; b < blocks; ++b) {
            p += block_p[b];
            v += block_va[b];
            c += block_c[b];
            res = std::max(res, block_res[b]);
        }
        out.production[day] = p;
        out.value_added[day] = v;
        out.final_consumption[day] = c;
        out.max_delivery_residual = std::max(out.max_delivery_residual, res);
    };
    const auto days = static_cast<std::size_t>(opt.days);
    out.production.assign(days + 1, 0.0);
    out.value_added.assign(days + 1, 0.0);
    out.final_consumption.assign(days + 1, 0.0);
    for (std::size_t b = 0; b < blocks; ++b) {
        const std::size_t last = std::min(n, (b + 1) * kBlockFirms);
        for (std::size_t i = b * kBlockFirms; i < last; ++i) {
            block_p[b] += pini[i];
            block_va[b] += va[i] * pini[i];
            block_c[b] += net.final_demand[i];
        }
    }
    totals(0);

    std::size_t max_out = 0;
    for (std::size_t j = 0; j < n; ++j) {
        max_out = std::max<std::size_t>(max_out, net.out_begin[j + 1] - net.out_begin[j]);
    }
    const auto workers = static_cast<std::size_t>(std::max(1, opt.threads));
    std::vector<std::vector<internal::RationItem>> scratch(
        opt.rationing == Rationing::LowestFirst ? workers : 0);
    for (auto& s : scratch) {
        s.reserve(max_out + 1);
    }

    for (std::size_t day = 1; day <= days; ++day) {
        // 1. Capacity: delta_i(t), several shocks on one firm combine by their maximum.
        for (const auto& s : shocks) {
            delta[static_cast<std::size_t>(s.firm)] = 0.0;
        }
        for (const auto& s : shocks) {
            auto& d = delta[static_cast<std::size_t>(s.firm)];
            d = std::max(d, shock_delta(s, static_cast<int>(day), opt.recovery_days));
        }

        // 2-3 and the input side of 5, per client: inventories, orders, the production limit.
        for_blocks(blocks, opt.threads, [&](std::size_t b, std::size_t /*worker*/) {
            const std::size_t last = std::min(n, (b + 1) * kBlockFirms);
            for (std::size_t i = b * kBlockFirms; i < last; ++i) {
                const double p0 = pini[i];
                const double ratio = p0 > 0.0 ? production[i] / p0 : 0.0;
                const double n_i = days_of(i);
                double cap = (1.0 - delta[i]) * p0;
                for (std::uint32_t g = net.group_begin[i]; g < net.group_begin[i + 1]; ++g) {
                    const double a_s = net.group_amount[g];
                    const double s_prev = group_stock[g];
                    const double r = s_prev > kEmptyStock * a_s ? ratio * a_s / s_prev : 0.0;
                    double s_sum = 0.0;
                    for (std::uint32_t e = net.group_link[g]; e < net.group_link[g + 1]; ++e) {
                        const double s = std::max(0.0, stock[e] + delivered[e] - r * stock[e]);
                        stock[e] = s;
                        s_sum += s;
                        const double a = net.amount[e];
                        order[e] = std::max(0.0, a * ratio + inv_tau * (n_i * a * ratio - s));
                    }
                    group_stock[g] = s_sum;
                    cap = std::min(cap, s_sum / a_s * p0);
                }
                limit[i] = cap;
            }
        });

        // 4-6 per supplier: demand, production, rationing of production over its customers.
        std::fill(block_p.begin(), block_p.end(), 0.0);
        std::fill(block_va.begin(), block_va.end(), 0.0);
        std::fill(block_c.begin(), block_c.end(), 0.0);
        std::fill(block_res.begin(), block_res.end(), 0.0);
        const int day_int = static_cast<int>(day);
        for_blocks(blocks, opt.threads, [&](std::size_t b, std::size_t worker) {
            const std::size_t last = std::min(n, (b + 1) * kBlockFirms);
            double sum_p = 0.0, sum_va = 0.0, sum_c = 0.0, res = 0.0;
            for (std::size_t j = b * kBlockFirms; j < last; ++j) {
                const std::uint32_t o0 = net.out_begin[j];
                const std::uint32_t o1 = net.out_begin[j + 1];
                const double c = net.final_demand[j];
                double d = c;
                for (std::uint32_t k = o0; k < o1; ++k) {
                    d += order[net.out_link[k]];
                }
                const double p = std::min(limit[j], d);
                production[j] = p;
                double c_star = c;
                double sent = 0.0;
                if (p >= d) {
                    for (std::uint32_t k = o0; k < o1; ++k) {
                        const std::uint32_t e = net.out_link[k];
                        delivered[e] = order[e];
                        sent += order[e];
                    }
                } else if (opt.rationing == Rationing::Proportional) {
                    const double f = d > 0.0 ? p / d : 0.0;
                    for (std::uint32_t k = o0; k < o1; ++k) {
                        const std::uint32_t e = net.out_link[k];
                        delivered[e] = order[e] * f;
                        sent += delivered[e];
                    }
                    c_star = c * f;
                } else {
                    // Water-filling: customers whose relative order O/A is below the level
                    // lambda get their whole order, the others lambda * A.
                    auto& items = scratch[worker];
                    items.clear();
                    for (std::uint32_t k = o0; k < o1; ++k) {
                        const std::uint32_t e = net.out_link[k];
                        items.push_back({order[e] / net.amount[e], net.amount[e], e});
                    }
                    if (c > 0.0) {
                        items.push_back({1.0, c, kFinal});
                    }
                    const double lambda = internal::water_level(items, p);
                    for (const auto& it : items) {
                        const double part = std::min(it.rho, lambda) * it.weight;
                        if (it.key == kFinal) {
                            c_star = part;
                        } else {
                            delivered[it.key] = part;
                            sent += part;
                        }
                    }
                }
                sent += c_star;
                res = std::max(res, std::fabs(sent - p) / std::max(pini[j], 1e-300));
                sum_p += p;
                sum_va += va[j] * p;
                sum_c += c_star;
                const double p0 = pini[j];
                if (p0 > 0.0) {
                    out.firm_loss[j] += p0 - p;
                    const double ratio = p / p0;
                    if (ratio < out.firm_min_ratio[j]) {
                        out.firm_min_ratio[j] = ratio;
                        out.firm_min_day[j] = day_int;
                    }
                }
            }
            block_p[b] = sum_p;
            block_va[b] = sum_va;
            block_c[b] = sum_c;
            block_res[b] = res;
        });
        totals(day);
        if (std::find(opt.snapshot_days.begin(), opt.snapshot_days.end(), day_int) !=
            opt.snapshot_days.end()) {
            out.snapshots.push_back({day_int, production});
        }
    }
    return out;
}

}  // namespace lodestone::firmnet
