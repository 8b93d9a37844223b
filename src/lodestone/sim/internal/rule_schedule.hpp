// lodestone/sim/internal/rule_schedule.hpp: the numbers of every measure the model applies, week by
// week, for one run (after the run's draws): whether it is in force, the throughput it leaves on
// the flows it covers, its quota and its price wedge. See docs/market_model.md.
#pragma once

#include <vector>

#include "lodestone/model/scenario.hpp"
#include "lodestone/sim/market.hpp"

namespace lodestone::sim::internal {

/// A quota as the model applies it: tonnes per week, or a share of the covered baseline flows.
struct Quota {
    enum class Kind { None, TonnesPerWeek, ShareOfBaseline };
    Kind kind = Kind::None;
    double value = 0.0;
};

/// A rule's numbers for one week of one run.
struct RuleWeek {
    bool active = false;
    double alpha = 1.0;  ///< throughput of covered flows (ban 0, licensing ramp x approval rate)
    Quota quota;
    double tax = 0.0;  ///< price wedge on covered flows, fraction
};

/// [rule][week], rules as in Simulation::rules.
using RuleSchedule = std::vector<std::vector<RuleWeek>>;

/// The schedule of sim's rules under the run's drawn scenario and its measure list.
[[nodiscard]] RuleSchedule schedule(const Simulation& sim,
                                    const model::ScenarioSpec& drawn,
                                    const std::vector<model::Measure>& measures);

}  // namespace lodestone::sim::internal
