#include "lodestone/firmnet/summary.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <tuple>
#include <utility>

namespace lodestone::firmnet {

namespace {
double days_of(const PropagateResult& r) {
    return r.production.empty() ? 0.0 : static_cast<double>(r.production.size() - 1);
}
}  // namespace

std::vector<FirmLoss> hardest_hit(const FirmNetwork& net, const PropagateResult& r, std::size_t k) {
    const std::size_t n = net.firms();
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    k = std::min(k, n);
    std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end(),
                      [&](std::size_t a, std::size_t b) {
                          return r.firm_loss[a] > r.firm_loss[b] ||
                                 (r.firm_loss[a] == r.firm_loss[b] && a < b);
                      });
    std::vector<FirmLoss> out;
    const double days = days_of(r);
    for (std::size_t q = 0; q < k; ++q) {
        const std::size_t i = idx[q];
        const double base = net.initial_production[i] * days;
        out.push_back({i, r.firm_loss[i], r.value_added_share[i] * r.firm_loss[i],
                       base > 0 ? r.firm_loss[i] / base : 0.0, r.firm_min_ratio[i],
                       r.firm_min_day[i]});
    }
    return out;
}

std::vector<GroupLoss> group_losses(const FirmNetwork& net, const PropagateResult& r) {
    std::map<std::pair<std::int32_t, std::int32_t>, GroupLoss> groups;
    const double days = days_of(r);
    for (std::size_t i = 0; i < net.firms(); ++i) {
        auto& g = groups[{net.country[i], net.sector[i]}];
        ++g.firms;
        g.baseline_production += net.initial_production[i] * days;
        g.production_loss += r.firm_loss[i];
        g.value_added_loss += r.value_added_share[i] * r.firm_loss[i];
    }
    std::vector<GroupLoss> out;
    for (auto& [key, g] : groups) {
        g.country = net.country_names[static_cast<std::size_t>(key.first)];
        g.sector = net.sector_names[static_cast<std::size_t>(key.second)];
        g.loss_share = g.baseline_production > 0 ? g.production_loss / g.baseline_production : 0.0;
        out.push_back(std::move(g));
    }
    std::stable_sort(out.begin(), out.end(), [](const GroupLoss& a, const GroupLoss& b) {
        if (a.production_loss != b.production_loss) {
            return a.production_loss > b.production_loss;
        }
        return std::tie(a.country, a.sector) < std::tie(b.country, b.sector);
    });
    return out;
}

}  // namespace lodestone::firmnet
