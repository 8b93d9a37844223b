// lodestone/exposure/portfolio.cpp: scenario cost impact on holdings (see the header).
#include "lodestone/exposure/portfolio.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "lodestone/exposure/bom_exposure.hpp"
#include "lodestone/optimize/stockpile.hpp"
#include "lodestone/sim/market.hpp"
#include "lodestone/sim/run_paths.hpp"

namespace lodestone::exposure {

PortfolioReport portfolio_exposure(const model::World& world,
                                   const std::vector<io::Holding>& holdings,
                                   const std::vector<model::ScenarioSpec>& scenarios,
                                   const PortfolioOptions& opt) {
    PortfolioReport rep;
    rep.pass_through = opt.pass_through;
    rep.alpha = opt.alpha;
    // Cost shares of every holding.
    for (const auto& h : holdings) {
        HoldingResult r;
        r.id = h.id;
        r.weight = h.weight;
        r.region = h.country.empty() ? "WORLD" : h.country;
        r.cogs_share = h.cogs_share.value_or(kDefaultCogsShare);
        r.cogs_basis =
            h.cogs_share ? "holdings file" : "ASSUMPTION: default cost of goods / revenue 0.7";
        if (!h.sector.empty()) {
            r.basis = "sector " + h.sector + " (intensity.csv x price)";
            for (const auto& in : world.intensity) {
                const auto* m = world.find_material(in.material);
                if (in.sector != h.sector || m == nullptr || !m->price_usd_t) {
                    continue;
                }
                const double share = in.kg_per_musd * *m->price_usd_t / 1e9 / r.cogs_share;
                auto it = std::find_if(r.cost_shares.begin(), r.cost_shares.end(),
                                       [&](const auto& p) { return p.first == in.material; });
                if (it == r.cost_shares.end()) {
                    r.cost_shares.emplace_back(in.material, share);
                } else {
                    it->second += share;
                }
            }
        } else {
            r.basis = "own cost shares";
            r.cost_shares = h.cost_shares;
        }
        rep.holdings.push_back(std::move(r));
    }
    // Pooled per-run outcomes: [holding][pooled run], and run probabilities.
    std::vector<std::vector<double>> margin(holdings.size());
    std::vector<std::vector<double>> contrib(
        holdings.size());  // [holding][material] expected Δcost share
    for (std::size_t i = 0; i < holdings.size(); ++i) {
        contrib[i].assign(rep.holdings[i].cost_shares.size(), 0.0);
    }
    std::vector<double> prob;
    std::vector<double> cost_sum(holdings.size(), 0.0);
    for (const auto& spec_in : scenarios) {
        auto spec = spec_in;
        for (const auto& r : rep.holdings) {
            if (r.region != "WORLD" && std::find(spec.regions.begin(), spec.regions.end(),
                                                 r.region) == spec.regions.end()) {
                spec.regions.push_back(r.region);
            }
        }
        const auto sim = sim::compile_simulation(world, spec);
        std::vector<sim::SeriesKey> keys;
        std::map<std::pair<std::string, std::string>, std::size_t> key_of;
        for (const auto& r : rep.holdings) {
            for (const auto& [m, s] : r.cost_shares) {
                if (key_of.emplace(std::make_pair(r.region, m), keys.size()).second) {
                    keys.push_back({r.region, false, m, sim::Metric::PriceMultiple});
                }
            }
        }
        sim::PathOptions po;
        po.runs = opt.runs;
        po.threads = opt.threads;
        po.cancel = opt.cancel;
        po.progress = opt.progress;
        const auto paths = sim::run_paths(sim, keys, po);
        rep.cancelled = rep.cancelled || paths.cancelled;
        rep.scenarios.push_back(spec.name + " (" + spec.file + ", seed " +
                                std::to_string(paths.seed) + ", " + std::to_string(paths.runs) +
                                " runs)");
        const double pi =
            paths.runs > 0
                ? 1.0 / (static_cast<double>(paths.runs) * static_cast<double>(scenarios.size()))
                : 0.0;
        // Mean price multiple over the horizon, per key and run.
        std::vector<std::vector<double>> mean_mult(keys.size(),
                                                   std::vector<double>(paths.runs, 1.0));
        for (std::size_t k = 0; k < keys.size(); ++k) {
            if (!paths.found[k] || paths.weeks == 0) {
                continue;
            }
            for (std::size_t w = 0; w < paths.runs; ++w) {
                double s = 0;
                for (std::size_t t = 0; t < paths.weeks; ++t) {
                    const double v = paths.values[k][w * paths.weeks + t];
                    s += std::isfinite(v) && v > 0 ? v : 1.0;
                }
                mean_mult[k][w] = s / static_cast<double>(paths.weeks);
            }
        }
        for (std::size_t i = 0; i < holdings.size(); ++i) {
            auto& r = rep.holdings[i];
            HoldingScenario hs;
            hs.scenario = spec.name;
            std::vector<double> here;
            for (std::size_t w = 0; w < paths.runs; ++w) {
                double cost_pct = 0;
                for (std::size_t j = 0; j < r.cost_shares.size(); ++j) {
                    const auto k = key_of[{r.region, r.cost_shares[j].first}];
                    const double d = 100.0 * r.cost_shares[j].second * (mean_mult[k][w] - 1.0);
                    cost_pct += d;
                    contrib[i][j] += pi * d;
                }
                const double m = -cost_pct * r.cogs_share * (1.0 - opt.pass_through);
                hs.cost_pct_cogs_mean += cost_pct / static_cast<double>(paths.runs);
                hs.margin_pp_mean += m / static_cast<double>(paths.runs);
                cost_sum[i] += pi * cost_pct;
                here.push_back(m);
                margin[i].push_back(m);
            }
            hs.margin_pp_p5 = band_of(here).p5;
            r.scenarios.push_back(std::move(hs));
        }
        prob.insert(prob.end(), paths.runs, pi);
        for (const auto& n : sim.notes) {
            rep.notes.push_back(spec.name + ": " + n);
        }
    }
    const double mass = std::accumulate(prob.begin(), prob.end(), 0.0);
    for (auto& p : prob) {
        p /= mass > 0 ? mass : 1.0;
    }
    std::vector<double> portfolio(prob.size(), 0.0);
    for (std::size_t i = 0; i < holdings.size(); ++i) {
        auto& r = rep.holdings[i];
        std::vector<double> loss;
        for (std::size_t w = 0; w < prob.size(); ++w) {
            r.margin_pp_mean += prob[w] * margin[i][w];
            loss.push_back(-margin[i][w]);
            portfolio[w] += r.weight * margin[i][w];
        }
        r.cost_pct_cogs_mean = mass > 0 ? cost_sum[i] / mass : 0.0;
        r.margin_cvar_pp = -optimize::cvar(loss, prob, opt.alpha);
        const double total = std::accumulate(contrib[i].begin(), contrib[i].end(), 0.0);
        for (std::size_t j = 0; j < contrib[i].size(); ++j) {
            if (total > 0 && contrib[i][j] / total > r.driver_share) {
                r.driver_share = contrib[i][j] / total;
                r.driver_material = r.cost_shares[j].first;
            }
        }
    }
    std::vector<double> loss;
    for (std::size_t w = 0; w < prob.size(); ++w) {
        rep.margin_pp_mean += prob[w] * portfolio[w];
        loss.push_back(-portfolio[w]);
    }
    rep.margin_cvar_pp = -optimize::cvar(loss, prob, opt.alpha);
    std::vector<std::size_t> order(rep.holdings.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return rep.holdings[a].margin_pp_mean < rep.holdings[b].margin_pp_mean;
    });
    for (std::size_t k = 0; k < order.size(); ++k) {
        rep.holdings[order[k]].rank = static_cast<int>(k + 1);
    }
    return rep;
}

}  // namespace lodestone::exposure
