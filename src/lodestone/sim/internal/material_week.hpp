// lodestone/sim/internal/material_week.hpp: one material's weekly market in one run. Each week,
// stage by stage (upstream first): capacity, production, the measures' throughput on every zone
// link, contracted flows with leakage, strategic releases and purchases, the zones' curves, the
// clearing (zone_clearing.hpp), then stocks, prices and the slow responses (demand over the
// substitution lag, capacity after its lag). See docs/market_model.md.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "lodestone/sim/internal/rule_schedule.hpp"
#include "lodestone/sim/internal/zone_clearing.hpp"
#include "lodestone/sim/market.hpp"

namespace lodestone::sim::internal {

/// What one run's material markets read: the compiled model, the run's drawn scenario, its measure
/// list and the measures' schedule.
struct RunInputs {
    const Simulation& sim;
    const model::ScenarioSpec& drawn;
    const std::vector<model::Measure>& measures;
    const RuleSchedule& rules;
};

/// The measures' effect on the zone links [a * Z + b] of one stage in one week.
struct LinkMeasures {
    std::vector<double> alpha;  ///< throughput of the contracted flow, [0,1]
    std::vector<double> tax;    ///< price wedge on what is shipped, fraction
    std::vector<std::uint8_t>
        restricted;  ///< a measure restricts the link (no arbitrage beyond it)
};

/// Combines the active rules of material `mi` at stage `s`, week `t`, given this week's output q
/// per zone (a quota in tonnes allows a share of what its covered flows would carry).
void link_measures(const RunInputs& in,
                   std::size_t mi,
                   std::size_t s,
                   std::size_t t,
                   std::span<const double> q,
                   LinkMeasures& out);

/// Where one stage's output goes this week, per zone, t/week.
struct StageFlows {
    std::vector<double> supply;    ///< own output kept + contracted and leaked arrivals
    std::vector<double> arrivals;  ///< contracted and leaked arrivals
    std::vector<double> taxed;  ///< tax rate x tonnes shipped in (for the buyer's effective price)
    std::vector<double> leak_in;  ///< leaked arrivals (they carry the leakage markup)
};

/// Ships output q of stage s in the baseline pattern through the measures; of what is blocked,
/// `leakage` arrives anyway, ramping in over `leakage_delay_weeks` from the week each link was
/// first restricted (leak_start[s * Z * Z + link], set here; -1 = never).
void contracted_flows(const MaterialModel& mm,
                      const MaterialParams& par,
                      std::size_t s,
                      std::size_t t,
                      std::span<const double> q,
                      const LinkMeasures& links,
                      std::vector<int>& leak_start,
                      StageFlows& out);

/// Linear ramp from 0 at week `start` to 1 after `weeks`; 0 before start (start < 0: not started).
[[nodiscard]] double ramp(int start, std::size_t t, double weeks);

/// One material's state through a run, advanced a week at a time. State per (stage, zone) is
/// indexed [stage * Z + zone].
class MaterialWeek {
public:
    MaterialWeek(const RunInputs& in, std::size_t mi, const MaterialParams& par);

    /// Advances week t; counts a capped clearing and the mass-balance residual in `result`.
    void step(std::size_t t, RunResult& result);

    // After step(t): what the week's records read.
    [[nodiscard]] const std::vector<double>& price() const { return price_; }
    [[nodiscard]] const std::vector<double>& stock() const { return stock_; }
    [[nodiscard]] const std::vector<double>& short_share() const {
        return short_share_;
    }                                                                                  ///< [zone]
    [[nodiscard]] const std::vector<double>& price_add() const { return price_add_; }  ///< [zone]
    [[nodiscard]] const std::vector<double>& strategic() const { return strategic_; }  ///< [stock]
    [[nodiscard]] const std::vector<double>& purchased() const {
        return purchased_;
    }  ///< [purchase]

private:
    void init_strategic_stocks();
    void init_purchases();
    void init_precaution();
    void capacity(std::size_t t);
    void strategic_flows(std::size_t s, std::size_t t);
    void zone_curves(std::size_t s, std::size_t t, bool precautious);
    /// Books the clearing of stage s: stocks, prices, shortfall, purchases of the next stage and
    /// the slow responses; returns the stage's relative mass-balance residual.
    double settle(std::size_t s, const Clearing& cleared);
    [[nodiscard]] bool precautious(std::size_t t) const;

    RunInputs in_;
    const MaterialModel& mm_;
    std::size_t mi_;
    MaterialParams par_;
    std::size_t nz_, ns_;
    double tau_sub_, tau_cap_;
    // State per (stage, zone).
    std::vector<double> stock_, price_, slow_, lag1_, lag2_, lag3_, planned_, cap0_, growth_, cap_,
        bought_;
    std::vector<int> leak_start_, reroute_start_;
    // Strategic stocks [stock] and purchases [purchase].
    std::vector<double> strategic_, release_rate_, purchased_, purchase_rate_;
    std::vector<std::pair<int, int>> purchase_window_;
    std::vector<std::pair<int, int>> precaution_;  ///< weeks [from, to) of precautionary buying
    // This week's temporaries.
    std::vector<double> q_, release_, purchase_, short_share_, price_add_;
    LinkMeasures links_;
    StageFlows flows_;
    std::vector<ZoneCurve> curves_;
};

}  // namespace lodestone::sim::internal
