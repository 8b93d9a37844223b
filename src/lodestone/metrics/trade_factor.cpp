#include "lodestone/metrics/trade_factor.hpp"

#include <algorithm>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/policy/timeline.hpp"

namespace lodestone::metrics {

double trade_factor(const model::MethodParams& params, model::MeasureKind kind) {
    const std::string key(model::to_string(kind));
    const auto it = params.trade_factor.find(key);
    if (it == params.trade_factor.end()) {
        throw InputError(ErrorCode::Toml,
                         "methods: trade_factor." + key +
                             " is not set: every export restriction kind needs a factor");
    }
    return it->second;
}

std::vector<TradeRestriction> trade_restrictions(const model::World& world,
                                                 const model::MethodParams& params,
                                                 const std::string& material,
                                                 const std::string& stage,
                                                 Date date,
                                                 std::span<const std::string> destinations) {
    std::vector<TradeRestriction> out;
    for (const auto* m : policy::in_force(world.measures, date)) {
        if (!policy::is_export_restriction(m->kind) ||
            !policy::covers_material(*m, material, stage)) {
            continue;
        }
        if (!destinations.empty() &&
            std::none_of(destinations.begin(), destinations.end(), [&](const std::string& iso3) {
                return policy::covers_destination(world, *m, iso3);
            })) {
            continue;
        }
        const double factor = trade_factor(params, m->kind);
        auto it = std::find_if(out.begin(), out.end(),
                               [&](const TradeRestriction& r) { return r.country == m->country; });
        if (it == out.end()) {
            out.push_back({m->country, factor, m->id, m->kind});
        } else if (factor > it->factor || (factor == it->factor && m->id < it->measure_id)) {
            *it = {m->country, factor, m->id, m->kind};
        }
    }
    std::sort(out.begin(), out.end(), [](const TradeRestriction& a, const TradeRestriction& b) {
        return a.country < b.country;
    });
    return out;
}

double trade_factor_of(std::span<const TradeRestriction> restrictions, std::string_view country) {
    for (const auto& r : restrictions) {
        if (r.country == country) {
            return r.factor;
        }
    }
    return 1.0;
}

}  // namespace lodestone::metrics
