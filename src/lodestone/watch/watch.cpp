#include "lodestone/watch/watch.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "lodestone/io/csv.hpp"
#include "lodestone/io/measure_row.hpp"
#include "lodestone/metrics/concentration.hpp"
#include "lodestone/policy/describe.hpp"
#include "lodestone/policy/timeline.hpp"
#include "lodestone/store/measure_json.hpp"

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

std::string percent(double share) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * share);
    return buf;
}

/// Stages of the item's material that the measure covers, at or upstream of the item's stage.
std::vector<const model::Stage*> covered_stages(const model::World& world, const Measure& m,
                                                const store::WatchItem& item) {
    std::vector<const model::Stage*> out;
    const auto* last = item.stage.empty() ? nullptr : world.find_stage(item.material, item.stage);
    for (const auto* s : world.stages_of(item.material)) {
        if (last != nullptr && s->order > last->order) {
            continue;
        }
        if (policy::covers_material(m, item.material, s->stage)) {
            out.push_back(s);
        }
    }
    return out;
}

/// The origin's share of world output at one stage (members summed for a bloc); nullopt if the
/// stage has no production.
std::optional<double> world_share(const model::World& world, const std::string& material,
                                  const std::string& stage, const std::string& origin) {
    try {
        const auto shares = metrics::stage_shares(world, material, stage);
        const auto members = world.members(origin);
        double sum = 0.0;
        for (const auto& c : shares.countries) {
            if (std::find(members.begin(), members.end(), c.country) != members.end()) {
                sum += c.share;
            }
        }
        return sum;
    } catch (const InputError&) {
        return std::nullopt;  // a stage without production has no shares; it touches nothing
    }
}

}  // namespace

Touch share_touched(const model::World& world, const Measure& measure, const store::WatchItem& item,
                    const std::string& destination) {
    Touch best;
    const auto stages = covered_stages(world, measure, item);
    if (!item.supplier_country.empty() && !item.stage.empty()) {
        const auto members = world.members(measure.country);
        const bool from_origin = std::find(members.begin(), members.end(), item.supplier_country) != members.end();
        const bool covered = std::any_of(stages.begin(), stages.end(),
                                         [&](const model::Stage* s) { return s->stage == item.stage; });
        if (from_origin && covered) {
            return {1.0, item.stage,
                    "BOM line " + item.product + "/" + item.part + " is supplied from " +
                        item.supplier_country + " at stage " + item.stage};
        }
    }
    for (const auto* s : stages) {
        const auto share = world_share(world, item.material, s->stage, measure.country);
        if (share && (best.stage.empty() || *share > best.share)) {
            best.share = *share;
            best.stage = s->stage;
        }
    }
    if (!best.stage.empty()) {
        best.basis = measure.country + " share of world " + item.material + "/" + best.stage +
                     " output " + percent(best.share) +
                     (destination.empty() ? std::string{}
                                          : " (proxy for " + destination + "'s sourcing mix)");
    }
    return best;
}

namespace {

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
    std::string out;
    for (const auto& s : items) {
        out += (out.empty() ? "" : sep) + s;
    }
    return out;
}

std::string describe_measure(const Measure& m) {
    std::string out = m.id + " (" + std::string(model::to_string(m.kind)) + " by " + m.country;
    if (!m.materials.empty()) {
        out += " on " + join(m.materials);
    }
    out += " to " + store::destinations_text(m.destinations);
    if (m.end_users == "military") {
        out += ", military end users only";
    }
    return out + ")";
}

}  // namespace

std::vector<store::Alert> evaluate(const model::World& world, const store::WatchRule& rule,
                                   const Options& opt) {
    const std::span<const Measure> all = world.measures;
    const Date from = opt.as_of.plus_days(-opt.lookback_days);
    const Date to = opt.as_of.plus_days(opt.horizon_days);
    const auto window = policy::changes_between(all, from, to);
    std::vector<store::Alert> out;
    for (const auto& m : all) {
        if (m.kind == model::MeasureKind::Suspension) {
            continue;  // a suspension shows as Suspended/Resumed of the measures it names
        }
        if (!rule.destination.empty()) {
            const auto members = world.members(m.country);
            if (std::find(members.begin(), members.end(), rule.destination) != members.end() ||
                !policy::covers_destination(world, m, rule.destination)) {
                continue;
            }
        }
        // The watched items the measure touches, and the largest share among them.
        std::vector<std::string> materials;
        std::vector<std::string> parts;
        Touch worst;
        bool touched = false;
        for (const auto& item : rule.items) {
            if (covered_stages(world, m, item).empty()) {
                continue;
            }
            touched = true;
            if (std::find(materials.begin(), materials.end(), item.material) == materials.end()) {
                materials.push_back(item.material);
            }
            if (!item.part.empty()) {
                parts.push_back(item.product.empty() ? item.part : item.product + "/" + item.part);
            }
            if (restricts_supply(m.kind)) {
                const Touch t = share_touched(world, m, item, rule.destination);
                if (!t.stage.empty() && (worst.stage.empty() || t.share > worst.share)) {
                    worst = t;
                }
            }
        }
        if (!touched) {
            continue;
        }
        std::optional<double> share;
        store::AlertSeverity severity = store::AlertSeverity::Low;
        std::string basis;
        if (!restricts_supply(m.kind)) {
            basis = "informational: a " + std::string(model::to_string(m.kind)) +
                    " does not restrict supply";
        } else if (worst.stage.empty()) {
            basis = "no production data for the covered stages";
        } else {
            share = worst.share;
            severity = severity_for_share(worst.share);
            basis = worst.basis;
        }
        if (!parts.empty()) {
            basis += "; parts: " + join(parts);
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
            a.change = std::string(policy::to_string(c.kind));
            a.date = c.date;
            a.severity = severity;
            a.share = share;
            a.basis = basis;
            a.materials = join(materials, ";");
            a.message = describe_measure(m) + ": " + policy::describe(policy::explain(c, all), all, opt.as_of);
            a.as_of = opt.as_of;
            out.push_back(std::move(a));
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const store::Alert& a, const store::Alert& b) {
        return std::tuple(b.severity, a.date, a.measure_id) < std::tuple(a.severity, b.date, b.measure_id);
    });
    return out;
}

std::vector<store::WatchItem> read_bom_items(std::string_view bytes, const std::string& file,
                                             const model::World& world) {
    Diagnostics diags;
    const auto t = io::parse_csv(bytes, file,
                                 {{"material"},
                                  {"product", "part", "stage", "kg_per_unit", "supplier", "supplier_country",
                                   "tier", "parent", "units_per_year", "unit_price_usd", "inventory_weeks",
                                   "notes", "source"}},
                                 diags);
    std::vector<store::WatchItem> out;
    for (const auto& row : t.rows) {
        io::FieldReader r(t, row, diags);
        store::WatchItem item;
        item.material = r.text("material", true);
        item.product = r.text("product");
        item.part = r.text("part");
        item.stage = r.text("stage");
        item.supplier_country = r.text("supplier_country");
        const auto kg = r.non_negative("kg_per_unit");
        bool ok = io::check_material(r, world, "material", item.material);
        if (ok && !item.stage.empty()) {
            ok &= io::check_stage(r, world, "stage", item.material, item.stage);
        }
        if (!item.supplier_country.empty()) {
            ok &= io::check_country(r, world, "supplier_country", item.supplier_country, false);
        }
        ok &= r.text("kg_per_unit").empty() || kg.has_value();
        if (ok) {
            item.kg_per_unit = kg.value_or(0.0);
            out.push_back(std::move(item));
        }
    }
    if (t.header_ok && t.rows.empty() && !diags.has_errors()) {
        diags.error(ErrorCode::FileEmpty, file, 0, 0, "the BOM has no lines");
    }
    diags.throw_if_errors();
    return out;
}

}  // namespace lodestone::watch
