#include "lodestone/firmnet/market_shock.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace lodestone::firmnet {

std::vector<double> median_shortfall(const sim::Simulation& sim,
                                     const sim::MonteCarloResult& mc,
                                     const std::string& region,
                                     const std::string& material) {
    for (std::size_t s = 0; s < sim.series.size(); ++s) {
        const auto& info = sim.series[s];
        if (!info.sector && info.region == region && info.group == material &&
            info.metric == sim::Metric::ShortfallShare) {
            std::vector<double> out;
            for (const auto& week : mc.bands.at(s)) {
                const double q = week.quantile(0.5, info.bins);
                out.push_back(std::isfinite(q) ? std::clamp(q, 0.0, 1.0) : 0.0);
            }
            return out;
        }
    }
    return {};
}

std::vector<double> weekly_to_daily(const std::vector<double>& weekly) {
    std::vector<double> out;
    out.reserve(weekly.size() * 7);
    for (const double w : weekly) {
        out.insert(out.end(), 7, w);
    }
    return out;
}

MarketShocks market_shocks(const sim::Simulation& sim,
                           const sim::MonteCarloResult& mc,
                           const std::string& material,
                           const FirmNetwork& net,
                           const std::vector<std::string>& sectors) {
    if (std::find(sim.materials.begin(), sim.materials.end(), material) == sim.materials.end()) {
        std::string known;
        for (const auto& m : sim.materials) {
            known += (known.empty() ? "" : ", ") + m;
        }
        throw InputError(ErrorCode::UnknownMaterial,
                         "--material: the scenario does not simulate '" + material +
                             "' (it simulates: " + known + ")");
    }
    std::vector<std::uint8_t> chosen(net.sector_names.size(), 0);
    std::vector<Diagnostic> bad;
    for (const auto& s : sectors) {
        const auto it = std::find(net.sector_names.begin(), net.sector_names.end(), s);
        if (it == net.sector_names.end()) {
            bad.push_back({Severity::Error,
                           ErrorCode::UnknownSector,
                           {},
                           0,
                           0,
                           "--material-sectors",
                           "--material-sectors: no firm has sector '" + s + "'"});
        } else {
            chosen[static_cast<std::size_t>(it - net.sector_names.begin())] = 1;
        }
    }
    if (!bad.empty()) {
        throw InputError(std::move(bad));
    }
    MarketShocks out;
    std::map<std::int32_t, std::vector<double>> path_of_country;
    for (std::size_t i = 0; i < net.firms(); ++i) {
        if (chosen[static_cast<std::size_t>(net.sector[i])] == 0) {
            continue;
        }
        auto it = path_of_country.find(net.country[i]);
        if (it == path_of_country.end()) {
            const auto& country = net.country_names[static_cast<std::size_t>(net.country[i])];
            const bool is_region =
                std::find(sim.regions.begin(), sim.regions.end(), country) != sim.regions.end();
            const std::string region = is_region ? country : "WORLD";
            out.notes.push_back("firms of " + country + ": median weekly shortfall share of " +
                                material + " in " + region +
                                (is_region ? "" : " (not a region of the scenario)"));
            it = path_of_country
                     .emplace(net.country[i],
                              weekly_to_daily(median_shortfall(sim, mc, region, material)))
                     .first;
        }
        out.shocks.push_back({static_cast<std::int32_t>(i), 0.0, 1, 0, it->second});
    }
    return out;
}

}  // namespace lodestone::firmnet
