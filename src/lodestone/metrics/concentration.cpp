#include "lodestone/metrics/concentration.hpp"

#include <algorithm>
#include <functional>
#include <numeric>

#include "lodestone/core/diagnostic.hpp"

namespace lodestone::metrics {

StageShares stage_shares(const model::World& world, const std::string& material,
                         const std::string& stage) {
    if (world.find_stage(material, stage) == nullptr) {
        throw InputError(ErrorCode::UnknownStage,
                         "unknown stage '" + stage + "' of material '" + material + "'");
    }
    StageShares out;
    out.material = material;
    out.stage = stage;
    for (const auto* p : world.production_of(material, stage)) {
        out.year = std::max(out.year, p->year);
        out.world_tonnes += p->tonnes;
        if (p->country == model::kRestOfWorld) {
            out.residual_tonnes += p->tonnes;
        } else if (p->tonnes > 0) {
            out.countries.push_back({p->country, p->tonnes, 0.0});
        }
    }
    if (out.world_tonnes <= 0) {
        throw InputError(ErrorCode::EmptyStage, "stage '" + material + "/" + stage +
                                                    "' has no production: shares are undefined");
    }
    for (auto& c : out.countries) {
        c.share = c.tonnes / out.world_tonnes;
    }
    out.residual_share = out.residual_tonnes / out.world_tonnes;
    std::sort(out.countries.begin(), out.countries.end(), [](const auto& a, const auto& b) {
        return a.share != b.share ? a.share > b.share : a.country < b.country;
    });
    return out;
}

double hhi(std::span<const double> shares) {
    return std::transform_reduce(shares.begin(), shares.end(), 0.0, std::plus<>(),
                                 [](double s) { return s * s; });
}

double concentration_ratio(std::span<const double> shares, std::size_t n) {
    std::vector<double> sorted(shares.begin(), shares.end());
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    n = std::min(n, sorted.size());
    return std::accumulate(sorted.begin(), sorted.begin() + static_cast<long>(n), 0.0);
}

std::vector<double> share_values(const StageShares& s) {
    std::vector<double> out;
    out.reserve(s.countries.size());
    for (const auto& c : s.countries) {
        out.push_back(c.share);
    }
    return out;
}

}  // namespace lodestone::metrics
