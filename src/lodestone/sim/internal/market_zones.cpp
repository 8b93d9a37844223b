#include "lodestone/sim/internal/market_zones.hpp"

#include <algorithm>
#include <map>

#include "lodestone/sim/internal/market_common.hpp"

namespace lodestone::sim::internal {

namespace {

std::string join_codes(const std::vector<std::uint32_t>& members,
                       const std::vector<std::string>& countries) {
    std::string out;
    for (const auto c : members) {
        out += (out.empty() ? "" : "+") + countries[c];
    }
    return out;
}

}  // namespace

void build_zones(MaterialModel& mm,
                 std::size_t material_index,
                 const std::vector<Rule>& rules,
                 const std::vector<std::string>& countries) {
    const std::size_t nc = countries.size();
    mm.zones = {{"rest of world", false, false}};
    mm.zone_of.assign(nc, 0);
    // Country sets, in rule order: imposers first (their price is the inside tier), then the
    // destinations a rule singles out. A country keeps the first zone it is put in.
    std::vector<std::pair<std::vector<std::uint32_t>, bool>> sets;  // (members, imposer)
    for (const auto r : mm.rules) {
        const auto& rule = rules[r];
        if (!is_restriction(rule.kind)) {
            continue;
        }
        sets.emplace_back(rule.imposers, true);
    }
    for (const auto r : mm.rules) {
        const auto& rule = rules[r];
        if (!is_restriction(rule.kind) || rule.kind == model::MeasureKind::Tariff) {
            continue;
        }
        std::vector<std::uint8_t> hit(nc, 0);
        for (const auto& cover : rule.cover[material_index]) {
            for (std::size_t a = 0; a < nc && !cover.empty(); ++a) {
                for (std::size_t b = 0; b < nc; ++b) {
                    hit[b] = static_cast<std::uint8_t>(hit[b] | cover[a * nc + b]);
                }
            }
        }
        std::vector<std::uint32_t> targets;
        std::size_t others = 0;
        for (std::uint32_t c = 0; c < nc; ++c) {
            const bool imposer =
                std::find(rule.imposers.begin(), rule.imposers.end(), c) != rule.imposers.end();
            others += imposer ? 0 : 1;
            if (hit[c] != 0 && !imposer) {
                targets.push_back(c);
            }
        }
        if (!targets.empty() && targets.size() < others) {
            sets.emplace_back(std::move(targets), false);
        }
    }
    std::vector<std::uint8_t> placed(nc, 0);
    for (auto& [members, imposer] : sets) {
        std::vector<std::uint32_t> free;
        for (const auto c : members) {
            if (placed[c] == 0) {
                free.push_back(c);
            }
        }
        if (free.empty()) {
            continue;
        }
        const auto z = static_cast<std::uint32_t>(mm.zones.size());
        mm.zones.push_back({join_codes(free, countries), imposer, !imposer});
        for (const auto c : free) {
            mm.zone_of[c] = z;
            placed[c] = 1;
        }
    }

    const std::size_t nz = mm.zones.size();
    const std::size_t ns = mm.stages.size();
    mm.zone_stage.assign(ns * nz, ZoneStage{});
    mm.flow0.assign(ns * nz * nz, 0.0);
    std::vector<double> input0(ns * nz, 0.0);  // baseline input drawn from the previous stage
    for (const auto& node : mm.nodes) {
        auto& zs = mm.zone_stage[node.stage * nz + mm.zone_of[node.country]];
        zs.out0 += node.out0;
        zs.use0 += node.use0;
        if (node.cap0 >= 0) {
            zs.cap_known += std::max(node.cap0, node.out0);
        } else {
            zs.out_unknown += node.out0;
        }
        if (node.out0 > 0 && node.conversion > 0) {
            input0[node.stage * nz + mm.zone_of[node.country]] += node.out0 / node.conversion;
        }
    }
    for (std::size_t s = 0; s < ns; ++s) {
        double out = 0.0;
        double in = 0.0;
        for (std::size_t z = 0; z < nz; ++z) {
            out += mm.zone_stage[s * nz + z].out0;
            in += input0[s * nz + z];
        }
        const double world = in > 0 ? out / in : 1.0;  // for zones with no output of this stage yet
        for (std::size_t z = 0; z < nz; ++z) {
            auto& zs = mm.zone_stage[s * nz + z];
            zs.conversion = input0[s * nz + z] > 0 ? zs.out0 / input0[s * nz + z] : world;
        }
    }
    for (const auto& e : mm.edges) {
        const auto& from = mm.nodes[e.from];
        const auto a = mm.zone_of[from.country];
        const auto b = mm.zone_of[mm.nodes[e.to].country];
        if (a != b) {
            mm.flow0[from.stage * nz * nz + a * nz + b] += e.base;
        }
    }
    // Coverage of each rule on each zone link, weighted by the baseline country flows.
    mm.rule_share.assign(mm.rules.size(), std::vector<double>(ns * nz * nz, 0.0));
    mm.rule_touch.assign(mm.rules.size(), std::vector<std::uint8_t>(ns * nz * nz, 0));
    for (std::size_t k = 0; k < mm.rules.size(); ++k) {
        const auto& rule = rules[mm.rules[k]];
        if (rule.cover.size() <= material_index) {
            continue;
        }
        for (std::size_t s = 0; s < ns; ++s) {
            const auto& cover = rule.cover[material_index][s];
            if (cover.empty()) {
                continue;
            }
            for (std::size_t a = 0; a < nc; ++a) {
                for (std::size_t b = 0; b < nc; ++b) {
                    if (cover[a * nc + b] != 0 && mm.zone_of[a] != mm.zone_of[b]) {
                        mm.rule_touch[k][s * nz * nz + mm.zone_of[a] * nz + mm.zone_of[b]] = 1;
                    }
                }
            }
            for (const auto& e : mm.edges) {
                const auto& from = mm.nodes[e.from];
                if (from.stage != s) {
                    continue;
                }
                const auto ca = from.country;
                const auto cb = mm.nodes[e.to].country;
                const auto a = mm.zone_of[ca];
                const auto b = mm.zone_of[cb];
                const std::size_t link = s * nz * nz + a * nz + b;
                if (a != b && cover[ca * nc + cb] != 0 && mm.flow0[link] > 0) {
                    mm.rule_share[k][link] += e.base / mm.flow0[link];
                }
            }
        }
    }
    // Strategic stocks serve the zone holding most of their buyers' use; purchases split by use.
    mm.stock_zone.assign(mm.stocks.size(), 0);
    for (std::size_t k = 0; k < mm.stocks.size(); ++k) {
        std::map<std::uint32_t, double> use;
        for (const auto v : mm.stocks[k].nodes) {
            use[mm.zone_of[mm.nodes[v].country]] += mm.nodes[v].use0;
        }
        double best = -1.0;
        for (const auto& [z, u] : use) {
            if (u > best) {
                best = u;
                mm.stock_zone[k] = z;
            }
        }
    }
    mm.purchase_zone_share.assign(mm.purchases.size(), std::vector<double>(nz, 0.0));
    for (std::size_t k = 0; k < mm.purchases.size(); ++k) {
        for (const auto& [v, share] : mm.purchases[k].nodes) {
            mm.purchase_zone_share[k][mm.zone_of[mm.nodes[v].country]] += share;
        }
    }
}

}  // namespace lodestone::sim::internal
