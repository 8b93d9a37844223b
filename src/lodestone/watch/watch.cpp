#include "lodestone/watch/watch.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "lodestone/core/number_text.hpp"
#include "lodestone/core/text.hpp"
#include "lodestone/exposure/lookthrough_report.hpp"
#include "lodestone/metrics/concentration.hpp"
#include "lodestone/model/measure_fields.hpp"
#include "lodestone/network/sourcing.hpp"
#include "lodestone/network/supply_network.hpp"
#include "lodestone/policy/describe.hpp"
#include "lodestone/policy/timeline.hpp"

namespace lodestone::watch {

using model::Measure;
using policy::ChangeKind;

store::AlertSeverity severity_for_share(double share) {
    if (share >= 0.5) {
        return store::AlertSeverity::High;
    }
    if (share >= 0.2) {
        return store::AlertSeverity::Medium;
    }
    return store::AlertSeverity::Low;
}

bool restricts_supply(model::MeasureKind kind) {
    return policy::is_export_restriction(kind) || kind == model::MeasureKind::TechnologyControl ||
           kind == model::MeasureKind::Other;
}

namespace {

bool is_member(const std::vector<std::string>& members, const std::string& code) {
    return std::find(members.begin(), members.end(), code) != members.end();
}

/// The imposing country's share of world output at one stage; nullopt if there is no output.
std::optional<double> world_share(const model::World& world,
                                  const std::string& material,
                                  const std::string& stage,
                                  const std::vector<std::string>& origin) {
    try {
        const auto shares = metrics::stage_shares(world, material, stage);
        double sum = 0.0;
        for (const auto& c : shares.countries) {
            if (is_member(origin, c.country)) {
                sum += c.share;
            }
        }
        return sum;
    } catch (const InputError&) {
        return std::nullopt;  // a stage without production has no shares
    }
}

/// Keeps the larger of two touches (the first one measured wins ties).
void keep_larger(Touch& best, Touch candidate) {
    if (!candidate.stage.empty() && (best.stage.empty() || candidate.share > best.share)) {
        best = std::move(candidate);
    }
}

}  // namespace

Touch material_share(const model::World& world,
                     const Measure& measure,
                     const std::string& material,
                     const std::string& destination) {
    Touch best;
    const auto origin = world.members(measure.country);
    for (const auto* s : world.stages_of(material)) {
        if (!policy::covers_material(measure, material, s->stage)) {
            continue;
        }
        const std::string where = material + "/" + s->stage;
        if (!destination.empty()) {
            const auto mix = network::sourcing_mix(world, material, s->stage, destination);
            if (mix.use_tonnes > 0) {
                double share = 0.0;
                for (const auto& o : mix.origins) {
                    if (is_member(origin, o.country)) {
                        share += o.share;
                    }
                }
                keep_larger(
                    best,
                    {share, s->stage,
                     measure.country + " supplies " + percent(share) + " of " + destination +
                         "'s " + where + " (" + std::string(network::to_string(mix.basis)) +
                         " sourcing mix, import reliance " + percent(mix.import_reliance) + ")"});
                continue;
            }
        }
        if (const auto share = world_share(world, material, s->stage, origin)) {
            keep_larger(
                best, {*share, s->stage,
                       measure.country + " share of world " + where + " output " + percent(*share) +
                           (destination.empty()
                                ? std::string{}
                                : " (" + destination + " has no recorded use of " + where + ")")});
        }
    }
    return best;
}

namespace {

/// Largest share of a BOM's look-through origins that passes through the measure's country at a
/// stage it covers.
Touch bom_share(const model::World& world,
                const Measure& measure,
                const std::vector<exposure::ProductMaterial>& lookthrough) {
    Touch best;
    const auto origin = world.members(measure.country);
    for (const auto& pm : lookthrough) {
        for (const auto& so : pm.origins) {
            if (!policy::covers_material(measure, pm.material, so.stage)) {
                continue;
            }
            double share = 0.0;
            for (const auto& c : so.countries) {
                if (is_member(origin, c.country)) {
                    share += c.share;
                }
            }
            keep_larger(best, {share, so.stage,
                               "look-through: " + percent(share) + " of the " + pm.material +
                                   " in " + pm.product + " passed through " + measure.country +
                                   " at stage " + so.stage});
        }
    }
    return best;
}

/// True if the measure covers the item's material at its stage or upstream of it.
bool covers_item(const model::World& world, const Measure& m, const store::WatchItem& item) {
    const auto* own = item.stage.empty() ? nullptr : world.find_stage(item.material, item.stage);
    const auto stages = world.stages_of(item.material);
    return std::any_of(stages.begin(), stages.end(), [&](const model::Stage* s) {
        return (own == nullptr || s->order <= own->order) &&
               policy::covers_material(m, item.material, s->stage);
    });
}

std::string describe_measure(const Measure& m) {
    std::string out = m.id + " (" + std::string(model::to_string(m.kind)) + " by " + m.country;
    if (!m.materials.empty()) {
        out += " on " + join(m.materials, ", ");
    }
    out += " to " + model::to_string(m.destinations);
    if (m.end_users == "military") {
        out += ", military end users only";
    }
    return out + ")";
}

}  // namespace

std::vector<std::string> rule_destinations(const store::WatchRule& rule) {
    if (!rule.destination.empty()) {
        return {rule.destination};
    }
    std::vector<std::string> out;
    for (const auto& item : rule.items) {
        for (const auto* code : {&item.supplier_country, &item.product_country}) {
            if (!code->empty() && !is_member(out, *code)) {
                out.push_back(*code);
            }
        }
    }
    return out;
}

std::vector<store::WatchItem> items_from_bom(const io::Bom& bom) {
    std::vector<store::WatchItem> out;
    for (const auto& line : bom.lines) {
        if (line.material.empty()) {
            continue;
        }
        std::string made_in;
        for (const auto& p : bom.products) {
            if (p.id == line.product) {
                made_in = p.country;
            }
        }
        out.push_back({line.material, line.stage, line.product, line.part, line.supplier_country,
                       line.kg_per_unit, made_in});
    }
    return out;
}

io::Bom bom_from_items(const store::WatchRule& rule) {
    io::Bom bom;
    int n = 0;
    for (const auto& item : rule.items) {
        io::BomLine line;
        line.file = rule.source;
        line.line = ++n;
        line.product = item.product;
        line.part = item.part;
        line.material = item.material;
        line.stage = item.stage;
        line.kg_per_unit = item.kg_per_unit;
        line.supplier_country = item.supplier_country;
        bom.lines.push_back(std::move(line));
        if (std::none_of(bom.products.begin(), bom.products.end(),
                         [&](const io::BomProduct& p) { return p.id == item.product; })) {
            io::BomProduct p;
            p.id = item.product;
            p.country = item.product_country;
            bom.products.push_back(std::move(p));
        }
    }
    return bom;
}

std::vector<store::Alert> evaluate(const model::World& world,
                                   const store::WatchRule& rule,
                                   const Options& opt) {
    const std::span<const Measure> all = world.measures;
    const policy::MeasureIndexScope index(all);  // per-measure questions in O(1), not O(measures)
    const auto window = policy::changes_between(all, opt.as_of.plus_days(-opt.lookback_days),
                                                opt.as_of.plus_days(opt.horizon_days));
    // A BOM rule is measured on the look-through of its products (computed once per rule).
    std::vector<exposure::ProductMaterial> lookthrough;
    if (rule.kind == store::RuleKind::Bom) {
        const auto net = network::compile(world, opt.as_of);
        const network::LookThrough lt(net);
        lookthrough =
            exposure::bom_lookthrough(world, lt, bom_from_items(rule), opt.as_of, rule.destination);
    }
    const auto destinations = rule_destinations(rule);
    std::vector<store::Alert> out;
    for (const auto& m : all) {
        if (m.kind == model::MeasureKind::Suspension) {
            continue;  // a suspension shows as Suspended/Resumed of the measures it names
        }
        if (!destinations.empty()) {
            const auto imposer = world.members(m.country);
            if (std::none_of(destinations.begin(), destinations.end(),
                             [&](const std::string& dest) {
                                 return !is_member(imposer, dest) &&
                                        policy::covers_destination(world, m, dest);
                             })) {
                continue;  // covers none of the rule's destinations (its own exports do not count)
            }
        }
        std::vector<std::string> materials;
        std::vector<std::string> parts;
        for (const auto& item : rule.items) {
            const bool covered = covers_item(world, m, item);
            if (!covered) {
                continue;
            }
            if (!is_member(materials, item.material)) {
                materials.push_back(item.material);
            }
            if (!item.part.empty()) {
                const std::string part = item.product + "/" + item.part;
                if (!is_member(parts, part)) {
                    parts.push_back(part);
                }
            }
        }
        if (materials.empty()) {
            continue;
        }
        Touch touch;
        if (restricts_supply(m.kind)) {
            if (rule.kind == store::RuleKind::Bom) {
                touch = bom_share(world, m, lookthrough);
            } else {
                for (const auto& material : materials) {
                    keep_larger(touch, material_share(world, m, material, rule.destination));
                }
            }
        }
        std::optional<double> share;
        store::AlertSeverity severity = store::AlertSeverity::Low;
        std::string basis;
        if (!restricts_supply(m.kind)) {
            basis = "informational: a " + std::string(model::to_string(m.kind)) +
                    " does not restrict supply";
        } else if (touch.stage.empty()) {
            basis = "no production data for the covered stages";
        } else {
            share = touch.share;
            severity = severity_for_share(touch.share);
            basis = touch.basis;
        }
        if (!parts.empty()) {
            basis += "; parts: " + join(parts, ", ");
        }
        if (severity < rule.min_severity) {
            continue;
        }
        // The start of the current status, then every transition in the window.
        std::vector<policy::Change> changes;
        if (policy::status_on(m, all, opt.as_of) != policy::Status::Inactive) {
            if (auto c = policy::last_change(m, all, opt.as_of)) {
                changes.push_back(*c);
            }
        }
        for (const auto& c : window) {
            if (c.measure == &m) {
                changes.push_back(c);
            }
        }
        std::set<std::pair<int, ChangeKind>> seen;
        for (const auto& c : changes) {
            if (!seen.insert({c.date.days(), c.kind}).second) {
                continue;
            }
            store::Alert a;
            a.rule_id = rule.id;
            a.rule_name = rule.name;
            a.measure_id = m.id;
            a.change = c.kind;
            a.date = c.date;
            a.severity = severity;
            a.share = share;
            a.basis = basis;
            a.materials = join(materials, ";");
            a.message = describe_measure(m) + ": " +
                        policy::describe(policy::explain(c, all), all, opt.as_of);
            a.as_of = opt.as_of;
            out.push_back(std::move(a));
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const store::Alert& a, const store::Alert& b) {
        return std::tuple(b.severity, a.date, a.measure_id) <
               std::tuple(a.severity, b.date, b.measure_id);
    });
    return out;
}

namespace {

/// What both kinds of rule share: the rule's head, and the problems with its name and destination.
std::vector<Diagnostic> rule_head(store::WatchRule& rule,
                                  const model::World& world,
                                  const std::string& name,
                                  store::RuleKind kind,
                                  const std::string& destination,
                                  store::AlertSeverity min_severity,
                                  const std::string& flag) {
    rule.name = name;
    rule.kind = kind;
    rule.destination = destination;
    rule.min_severity = min_severity;
    std::vector<Diagnostic> bad;
    if (name.empty()) {
        bad.push_back({Severity::Error,
                       ErrorCode::Usage,
                       {},
                       0,
                       0,
                       flag + "name",
                       flag + "name: a rule needs a name"});
    }
    if (!destination.empty() && world.find_country(destination) == nullptr) {
        bad.push_back(
            {Severity::Error,
             ErrorCode::UnknownCountry,
             {},
             0,
             0,
             flag + "destination",
             flag + "destination: unknown country '" + destination + "' (expected an ISO3 code)"});
    }
    return bad;
}

}  // namespace

store::WatchRule materials_rule(const model::World& world,
                                const std::string& name,
                                const std::vector<std::string>& materials,
                                const std::string& destination,
                                store::AlertSeverity min_severity,
                                const std::string& flag) {
    store::WatchRule rule;
    auto bad =
        rule_head(rule, world, name, store::RuleKind::Materials, destination, min_severity, flag);
    if (materials.empty()) {
        bad.push_back({Severity::Error,
                       ErrorCode::Usage,
                       {},
                       0,
                       0,
                       flag + "materials",
                       flag + "materials: give at least one material id"});
    }
    for (const auto& id : materials) {
        if (world.find_material(id) == nullptr) {
            bad.push_back({Severity::Error,
                           ErrorCode::UnknownMaterial,
                           {},
                           0,
                           0,
                           flag + "materials",
                           flag + "materials: unknown material '" + id + "'"});
        } else if (std::none_of(rule.items.begin(), rule.items.end(),
                                [&](const store::WatchItem& i) { return i.material == id; })) {
            store::WatchItem item;
            item.material = id;
            rule.items.push_back(std::move(item));
        }
    }
    if (!bad.empty()) {
        throw InputError(std::move(bad));
    }
    return rule;
}

store::WatchRule bom_rule(const model::World& world,
                          const std::string& name,
                          const io::Bom& bom,
                          const std::string& source,
                          const std::string& destination,
                          store::AlertSeverity min_severity,
                          const std::string& flag) {
    store::WatchRule rule;
    auto bad = rule_head(rule, world, name, store::RuleKind::Bom, destination, min_severity, flag);
    rule.source = source;
    rule.items = items_from_bom(bom);
    if (rule.items.empty()) {
        bad.push_back({Severity::Error,
                       ErrorCode::FileEmpty,
                       source,
                       0,
                       0,
                       {},
                       "the BOM has no material lines"});
    }
    if (!bad.empty()) {
        throw InputError(std::move(bad));
    }
    return rule;
}

RunOutcome run_rules(const model::World& world,
                     store::Workspace& ws,
                     const std::vector<store::WatchRule>& rules,
                     const Options& opt) {
    std::vector<store::Alert> candidates;
    for (const auto& r : rules) {
        auto a = evaluate(world, r, opt);
        candidates.insert(candidates.end(), a.begin(), a.end());
    }
    RunOutcome out;
    out.fresh = ws.raise_alerts(candidates);
    out.already_raised = candidates.size() - out.fresh.size();
    return out;
}

}  // namespace lodestone::watch
