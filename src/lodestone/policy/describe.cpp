#include "lodestone/policy/describe.hpp"

#include <algorithm>

#include "lodestone/core/text.hpp"

namespace lodestone::policy {

using model::Measure;

namespace {

/// One clause about measures that bind after a suspension ends, again or for the first time.
std::string bind_clause(const std::vector<const Measure*>& ms,
                        std::span<const Measure> all,
                        Date day,
                        bool future) {
    std::vector<const Measure*> again;
    std::vector<const Measure*> first;
    for (const auto* m : ms) {
        (policy::has_bound_before(*m, all, day) ? again : first).push_back(m);
    }
    std::string out;
    const std::string d = day.to_string();
    auto verb = [](const std::vector<const Measure*>& v) {
        return v.size() == 1 ? "binds" : "bind";
    };
    if (!again.empty()) {
        out +=
            measure_ids(again) + " " + verb(again) + " again " + (future ? "from " : "since ") + d;
    }
    if (!first.empty()) {
        out += (out.empty() ? "" : "; ") + measure_ids(first) + " " + verb(first) +
               (future ? " from " : " since ") + d + " for the first time";
    }
    if (future && !out.empty()) {
        out += " unless a later event extends the suspension";
    }
    return out;
}

}  // namespace

std::string describe(const policy::Transition& t, std::span<const Measure> all, Date as_of) {
    const auto& c = t.change;
    const Measure& m = *c.measure;
    const bool future = c.date > as_of;
    const std::string day = c.date.to_string();
    const std::string last = t.last_day.to_string();
    const std::string cause = c.cause != nullptr ? "suspension " + c.cause->id : "a suspension";
    if (m.kind == model::MeasureKind::Suspension) {
        switch (c.kind) {
            case ChangeKind::Started:
                return "suspension " + m.id + (future ? " starts on " : " in effect since ") + day +
                       ": suspends " + join(m.suspends, ", ") +
                       (m.expires ? " to " + m.expires->to_string() + " (last day)"
                                  : " with no end date");
            case ChangeKind::Ended: {
                std::string out =
                    future ? "suspension " + m.id + " has its last day on " + last
                           : "suspension " + m.id + " ended on " + last + " (its last day)";
                if (const auto clause = bind_clause(t.binds_again, all, c.date, future);
                    !clause.empty()) {
                    out += "; " + clause;
                }
                if (!t.still_suspended.empty()) {
                    out += "; " + measure_ids(t.still_suspended) +
                           (t.still_suspended.size() == 1 ? " stays" : " stay") +
                           " suspended by another suspension";
                }
                return out;
            }
            default:
                return std::string(policy::to_string(c.kind));
        }
    }
    switch (c.kind) {
        case ChangeKind::Started:
            return (future ? "starts to bind on " : "started to bind on ") + day;
        case ChangeKind::Ended:
            return future ? "has its last day on " + last + "; no longer binds from " + day
                          : "ended on " + last + " (its last day)";
        case ChangeKind::Suspended: {
            const auto until = policy::status_until(m, all, c.date);
            return (future ? "will be suspended by " : "suspended by ") + cause + " from " + day +
                   (until ? " to " + until->to_string() + " (last day)" : "");
        }
        case ChangeKind::Resumed: {
            const bool again = policy::has_bound_before(m, all, c.date);
            if (future) {
                return std::string(again ? "binds again from " : "binds for the first time from ") +
                       day + ": " + cause + " has its last day on " + last +
                       ", unless a later event extends it";
            }
            return std::string(again ? "binds again since " : "binds for the first time since ") +
                   day + " (" + cause + " ended on " + last + ")";
        }
    }
    return {};
}

Transition explain(const Change& c, std::span<const Measure> all) {
    for (auto& t : transitions_between(all, c.date.plus_days(-1), c.date)) {
        if (t.change.measure == c.measure && t.change.kind == c.kind) {
            return t;
        }
    }
    return Transition{c, c.date.plus_days(-1), {}, {}};
}

std::string measure_ids(const std::vector<const Measure*>& measures) {
    std::vector<std::string> out;
    out.reserve(measures.size());
    for (const auto* m : measures) {
        out.push_back(m->id);
    }
    return join(out, ", ");
}

}  // namespace lodestone::policy
