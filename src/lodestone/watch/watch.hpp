// lodestone/watch/watch.hpp: which policy events touch a user's watch rule, and how much.
// A rule watches materials (or a BOM's lines) for a destination. For every measure that covers
// them, evaluate() proposes alerts keyed by (measure, change, date): the start of its current
// status (in force since..., suspended since...) and each transition in a window around the
// date (what just changed, what comes up: "binds again from 2026-11-28"). The store raises each
// key once. Severity grows with the share of the watched supply that originates in the country
// imposing the measure, at the stages the measure covers (thresholds in severity_for_share):
//  - materials rule with a destination: that country's sourcing mix (network::sourcing_mix);
//  - materials rule without one: the imposing country's share of world output;
//  - BOM rule: the look-through origin of each product's material (exposure::bom_lookthrough).
// Example: auto alerts = evaluate(world, rule, {*Date::parse("2026-11-27"), 30, 30});
#pragma once

#include <string>
#include <vector>

#include "lodestone/io/bom_reader.hpp"
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

/// How much of a watched supply a measure touches.
struct Touch {
    double share = 0.0;  ///< 0-1
    std::string
        stage;  ///< the covered stage where the share is largest; empty = nothing to measure
    std::string basis;  ///< how it was estimated, in words
};

/// Share of `destination`'s supply of `material` (ISO3; empty = the world's) that comes from the
/// measure's country (members summed for a bloc), the largest over the stages the measure covers.
[[nodiscard]] Touch material_share(const model::World& world,
                                   const model::Measure& measure,
                                   const std::string& material,
                                   const std::string& destination);

/// True if the measure restricts supply from its country (export ban, licensing, quota, tax,
/// technology control, other); the rest (stockpiles, capacity, tariffs, demand) is informational.
[[nodiscard]] bool restricts_supply(model::MeasureKind kind);

/// The alerts the rule gives on opt.as_of over world.measures (dataset + workspace events),
/// before deduplication, at or above the rule's min_severity; most severe first.
[[nodiscard]] std::vector<store::Alert> evaluate(const model::World& world,
                                                 const store::WatchRule& rule,
                                                 const Options& opt);

/// Destinations a measure must cover to concern the rule: its --destination; else, for a BOM rule,
/// its supplier and product countries (as the BOM look-through does); empty = any destination.
/// A measure's own country is never a destination of its export measures.
[[nodiscard]] std::vector<std::string> rule_destinations(const store::WatchRule& rule);

/// The BOM's material lines as watch items (assembly lines have no material and are left out).
[[nodiscard]] std::vector<store::WatchItem> items_from_bom(const io::Bom& bom);

/// A BOM rebuilt from a rule's items, for the look-through.
[[nodiscard]] io::Bom bom_from_items(const store::WatchRule& rule);

/// A rule over materials (each once, in the order given). Throws InputError with every problem:
/// no name, no material, an unknown material (E-UNKNOWN-MATERIAL) or destination
/// (E-UNKNOWN-COUNTRY). `flag` prefixes messages ("--" for the CLI, "" for the API).
[[nodiscard]] store::WatchRule materials_rule(const model::World& world,
                                              const std::string& name,
                                              const std::vector<std::string>& materials,
                                              const std::string& destination,
                                              store::AlertSeverity min_severity,
                                              const std::string& flag = "--");
/// A rule over a BOM's material lines; throws InputError (E-FILE-EMPTY) if it has none.
[[nodiscard]] store::WatchRule bom_rule(const model::World& world,
                                        const std::string& name,
                                        const io::Bom& bom,
                                        const std::string& source,
                                        const std::string& destination,
                                        store::AlertSeverity min_severity,
                                        const std::string& flag = "--");

/// What one evaluation of rules raised.
struct RunOutcome {
    std::vector<store::Alert> fresh;  ///< stored now, with ids
    std::size_t already_raised = 0;   ///< proposed again, raised before
};

/// Evaluates the rules on `world` (the dataset merged with the workspace's events) and stores
/// the alerts not raised before, in one transaction.
RunOutcome run_rules(const model::World& world,
                     store::Workspace& ws,
                     const std::vector<store::WatchRule>& rules,
                     const Options& opt);

}  // namespace lodestone::watch
