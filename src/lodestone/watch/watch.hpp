// lodestone/watch/watch.hpp: which policy events touch a user's watch rule, and how much.
// A rule watches materials (or a BOM's lines) for a destination. For every measure that covers
// them, evaluate() proposes alerts keyed by (measure, change, date): the start of its current
// status (in force since..., suspended since...) and each transition in a window around the
// date (what just changed, what comes up: "binds again from 2026-11-28"). The store raises each
// key once. Severity grows with the share of the watched supply that originates in the country
// imposing the measure (share_touched); thresholds in severity_for_share.
// Example: auto alerts = evaluate(world, rule, {*Date::parse("2026-11-27"), 30, 30});
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lodestone/model/world.hpp"
#include "lodestone/store/workspace.hpp"

namespace lodestone::watch {

struct Options {
    Date as_of;
    int horizon_days = 30;   ///< transitions up to as_of + horizon are announced ahead
    int lookback_days = 30;  ///< transitions since as_of - lookback are reported as recent
};

/// low below 0.2, medium from 0.2, high from 0.5 (share of the watched supply touched, 0-1).
[[nodiscard]] store::AlertSeverity severity_for_share(double share);

/// How much of a watched item's supply a measure imposed by `origin` touches.
struct Touch {
    double share = 0.0;  ///< 0-1
    std::string stage;   ///< the stage where the share was taken
    std::string basis;   ///< how it was estimated, in words
};

/// Share of the supply of `item` (its material, up to its stage when given) for `destination`
/// (ISO3; empty = the world) that originates in `origin` at the stages the measure covers; the
/// largest over those stages. A BOM line supplied from `origin` at a covered stage counts fully.
/// Proxy until the network's sourcing mix is available: the origin's share of world output.
[[nodiscard]] Touch share_touched(const model::World& world, const model::Measure& measure,
                                  const store::WatchItem& item, const std::string& destination);

/// True if the measure restricts supply from its country (export ban, licensing, quota, tax,
/// technology control, other); the rest (stockpiles, capacity, tariffs, demand) is informational.
[[nodiscard]] bool restricts_supply(model::MeasureKind kind);

/// The alerts the rule gives on opt.as_of over world.measures (dataset + workspace events),
/// before deduplication, at or above the rule's min_severity; most severe first.
[[nodiscard]] std::vector<store::Alert> evaluate(const model::World& world, const store::WatchRule& rule,
                                                 const Options& opt);

/// BOM lines as watch items: CSV with columns material (required), product, part, stage,
/// kg_per_unit, supplier_country (others ignored). Throws InputError with every bad line.
[[nodiscard]] std::vector<store::WatchItem> read_bom_items(std::string_view bytes, const std::string& file,
                                                           const model::World& world);

}  // namespace lodestone::watch
