// lodestone/optimize/stockpile_scenario.cpp: scenario Monte Carlo -> stockpile LP (see the header).
#include "lodestone/optimize/stockpile_scenario.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/core/number_text.hpp"
#include "lodestone/core/text.hpp"
#include "lodestone/sim/market.hpp"
#include "lodestone/sim/run_paths.hpp"

namespace lodestone::optimize {

namespace {

std::string final_stage(const model::World& world, const std::string& material) {
    const auto stages = world.stages_of(material);
    return stages.empty() ? std::string() : stages.back()->stage;
}

}  // namespace

LostSupplyValue default_value_of_lost_supply(const model::World& world,
                                             const std::string& material,
                                             const std::vector<std::string>& served_first) {
    const std::string stage = final_stage(world, material);
    double share_sum = 0;
    double value = 0;
    std::vector<std::string> parts;
    for (const auto& eu : world.end_use) {
        if (eu.material != material || eu.share <= 0 ||
            std::find(served_first.begin(), served_first.end(), eu.sector) != served_first.end()) {
            continue;
        }
        // The intensity row of the final stage, else the material's only row for the sector.
        const model::Intensity* row = nullptr;
        for (const auto& in : world.intensity) {
            if (in.sector == eu.sector && in.material == material && in.kg_per_musd > 0 &&
                (row == nullptr || in.stage == stage)) {
                row = &in;
            }
        }
        if (row == nullptr) {
            continue;
        }
        share_sum += eu.share;
        value += eu.share * 1e9 / row->kg_per_musd;
        parts.push_back(eu.sector + " " + significant(eu.share, 6) + " x 1e9/" +
                        significant(row->kg_per_musd, 6));
    }
    if (share_sum <= 0) {
        return {};
    }
    return {value / share_sum,
            "default: sector output lost per tonne short, sum of end-use share x 1e9 / kg_per_musd "
            "(intensity.csv) over " +
                join(parts, ", ") + (share_sum < 1 - 1e-9 ? ", shares renormalised" : "") +
                (served_first.empty()
                     ? ""
                     : "; priority sectors served first left out: " + join(served_first, ", "))};
}

StockpileReport plan_stockpile(const model::World& world,
                               const StockpileRequest& req,
                               const Solver& solver) {
    Diagnostics diags;
    auto error = [&](ErrorCode code, const std::string& field, const std::string& message) {
        diags.add({Severity::Error, code, {}, 0, 0, field, message});
    };
    if (world.members(req.holder).empty()) {
        error(ErrorCode::UnknownCountry, "holder",
              "--holder: '" + req.holder + "' is not an ISO3 code or bloc of the dataset");
    }
    if (req.scenarios.empty()) {
        error(ErrorCode::Usage, "scenario", "give at least one --scenario");
    }
    diags.throw_if_errors();

    StockpileReport report;
    // Starting stocks: the holder's rows at the final stage; they leave the simulated world.
    model::World sim_world = world;
    std::map<std::string, double> start;
    std::map<std::string, std::vector<std::string>> start_rows;
    std::erase_if(sim_world.stockpiles, [&](const model::Stockpile& s) {
        if (s.bloc_or_country != req.holder) {
            return false;
        }
        if (s.stage != final_stage(world, s.material)) {
            report.notes.push_back("stockpile of " + s.holder + " (" + s.material + "/" + s.stage +
                                   ") not counted: the LP holds the final stage " +
                                   final_stage(world, s.material));
            return false;
        }
        start[s.material] += s.tonnes;
        start_rows[s.material].push_back(s.holder + " " + significant(s.tonnes, 6) + " t" +
                                         (s.as_of ? " as of " + s.as_of->to_string() : ""));
        return true;
    });

    // Compile every scenario with the holder as a region.
    std::vector<sim::Simulation> sims;
    std::set<std::string> simulated;
    std::size_t total_runs = 0;
    for (auto spec : req.scenarios) {
        if (std::find(spec.regions.begin(), spec.regions.end(), req.holder) == spec.regions.end()) {
            spec.regions.push_back(req.holder);
        }
        sims.push_back(sim::compile_simulation(sim_world, spec));
        simulated.insert(sims.back().materials.begin(), sims.back().materials.end());
        total_runs += req.runs > 0 ? req.runs : static_cast<std::size_t>(spec.runs);
    }
    std::vector<std::string> materials =
        req.materials.empty() ? std::vector<std::string>(simulated.begin(), simulated.end())
                              : req.materials;
    for (const auto& m : materials) {
        if (simulated.count(m) == 0) {
            error(ErrorCode::UnknownMaterial, "materials",
                  "--materials: '" + m + "' is not simulated by any scenario (simulated: " +
                      join(std::vector<std::string>(simulated.begin(), simulated.end()), ", ") +
                      ")");
        }
    }
    for (const auto& [m, v] : req.value_usd_t) {
        if (std::find(materials.begin(), materials.end(), m) == materials.end()) {
            error(ErrorCode::UnknownMaterial, "value-of-lost-supply",
                  "--value-of-lost-supply: '" + m + "' is not among the materials stocked (" +
                      join(materials, ", ") + ")");
        }
    }
    diags.throw_if_errors();

    std::size_t weeks = 0;
    for (const auto& s : sims) {
        weeks = std::max(weeks, static_cast<std::size_t>(s.horizon_weeks));
    }
    auto& p = report.problem;
    p.weeks = weeks;
    p.budget_usd = req.budget_usd;
    p.objective = req.objective;
    p.alpha = req.alpha;
    const double years = static_cast<double>(weeks) / 52.0;
    std::vector<std::string> served_first;
    for (const auto& s : req.scenarios) {
        if (s.sector_priority) {
            for (const auto& k : s.priority_sectors) {
                if (std::find(served_first.begin(), served_first.end(), k) == served_first.end()) {
                    served_first.push_back(k);
                }
            }
        }
    }
    for (const auto& m : materials) {
        const auto* mat = world.find_material(m);
        MaterialBasis b;
        b.id = m;
        b.stage = final_stage(world, m);
        // 0 = no price (a plain double: GCC 12 -O2 reads std::optional here as
        // maybe-uninitialized).
        double price = mat != nullptr ? mat->price_usd_t.value_or(0.0) : 0.0;
        b.price_source = mat != nullptr && mat->price_year
                             ? "materials.csv (" + std::to_string(*mat->price_year) + ")"
                             : "materials.csv";
        for (const auto& s : req.scenarios) {
            if (const auto it = s.price_usd_t.find(m); it != s.price_usd_t.end()) {
                price = it->second;
                b.price_source = "scenario " + s.name + " override";
            }
        }
        if (!(price > 0)) {
            error(ErrorCode::Required, "price_usd_t",
                  "material '" + m + "' has no price in materials.csv: cannot cost its stock");
            continue;
        }
        b.price_usd_t = price;
        b.holding_usd_t = price * req.holding_cost_per_year * years;
        if (const auto it = req.value_usd_t.find(m); it != req.value_usd_t.end()) {
            b.value_usd_t = it->second;
            b.value_basis = "override (--value-of-lost-supply)";
        } else {
            const auto v = default_value_of_lost_supply(world, m, served_first);
            if (v.basis.empty()) {
                error(ErrorCode::Required, "value-of-lost-supply",
                      "material '" + m +
                          "': no sector with an end-use share and an intensity row to value lost "
                          "supply; "
                          "give --value-of-lost-supply " +
                          m + "=USD_PER_T");
                continue;
            }
            b.value_usd_t = v.usd_per_t;
            b.value_basis = v.basis;
        }
        b.start_tonnes = start.count(m) != 0 ? start[m] : 0.0;
        b.start_source = start_rows.count(m) != 0 ? "stockpiles.csv: " + join(start_rows[m], "; ")
                                                  : "none in stockpiles.csv for " + req.holder;
        report.basis.push_back(std::move(b));
    }
    diags.throw_if_errors();

    // Monte Carlo paths of every scenario.
    for (const auto& b : report.basis) {
        StockpileMaterial sm;
        sm.id = b.id;
        sm.cost_usd_t = b.price_usd_t + b.holding_usd_t;
        sm.value_usd_t = b.value_usd_t;
        sm.start_tonnes = b.start_tonnes;
        sm.release_weeks = req.release_weeks;
        p.materials.push_back(std::move(sm));
    }
    std::size_t done_before = 0;
    for (std::size_t si = 0; si < sims.size(); ++si) {
        const auto& s = sims[si];
        std::vector<sim::SeriesKey> keys;
        keys.reserve(report.basis.size());
        for (const auto& b : report.basis) {
            keys.push_back({req.holder, false, b.id, sim::Metric::ShortfallTonnes});
        }
        sim::PathOptions opt;
        opt.runs = req.runs;
        opt.threads = req.threads;
        opt.cancel = req.cancel;
        if (req.progress) {
            opt.progress = [&](std::size_t done, std::size_t) {
                req.progress(done_before + done, total_runs);
            };
        }
        const auto paths = sim::run_paths(s, keys, opt);
        done_before += paths.runs;
        report.cancelled = report.cancelled || paths.cancelled;
        report.scenarios.push_back(s.spec.name + " (" + s.spec.file + ", seed " +
                                   std::to_string(paths.seed) + ", " + std::to_string(paths.runs) +
                                   " runs, " + std::to_string(s.horizon_weeks) + " weeks)");
        const double pi =
            paths.runs > 0
                ? 1.0 / (static_cast<double>(paths.runs) * static_cast<double>(sims.size()))
                : 0.0;
        for (std::size_t w = 0; w < paths.runs; ++w) {
            p.probability.push_back(pi);
            for (std::size_t k = 0; k < keys.size(); ++k) {
                auto& d = p.materials[k].shortfall;
                for (std::size_t t = 0; t < weeks; ++t) {
                    const double v = t < paths.weeks ? paths.values[k][w * paths.weeks + t] : 0.0;
                    d.push_back(std::isfinite(v) && v > 0 ? v : 0.0);
                }
            }
        }
        p.runs += paths.runs;
        for (const auto& n : s.notes) {
            report.notes.push_back(s.spec.name + ": " + n);
        }
    }
    // Renormalise when a cancelled scenario left fewer runs than planned.
    double mass = 0;
    for (const double v : p.probability) {
        mass += v;
    }
    for (auto& v : p.probability) {
        v /= mass > 0 ? mass : 1.0;
    }
    for (std::size_t k = 0; k < report.basis.size(); ++k) {
        double e = 0;
        for (std::size_t w = 0; w < p.runs; ++w) {
            for (std::size_t t = 0; t < weeks; ++t) {
                e += p.probability[w] * p.materials[k].shortfall[w * weeks + t];
            }
        }
        report.basis[k].expected_shortfall_t = e;
    }
    report.plan = solve_stockpile(p, solver, req.method);
    return report;
}

}  // namespace lodestone::optimize
