#include "lodestone/sim/internal/rule_schedule.hpp"

#include <algorithm>
#include <cmath>

#include "lodestone/policy/timeline.hpp"
#include "lodestone/sim/internal/market_common.hpp"

namespace lodestone::sim::internal {

using model::MeasureKind;

RuleSchedule schedule(const Simulation& sim,
                      const model::ScenarioSpec& drawn,
                      const std::vector<model::Measure>& measures) {
    RuleSchedule out(sim.rules.size(), std::vector<RuleWeek>(sim.week_dates.size()));
    for (std::size_t r = 0; r < sim.rules.size(); ++r) {
        const auto& rule = sim.rules[r];
        const auto& m = measures[rule.index];
        const bool relative = rule.treatment == Treatment::Relative;
        for (std::size_t t = 0; t < sim.week_dates.size(); ++t) {
            const Date d = sim.week_dates[t];
            auto& rw = out[r][t];
            rw.active = policy::status_on(m, measures, d) == policy::Status::InForce;
            if (!rw.active) {
                continue;
            }
            switch (rule.kind) {
                case MeasureKind::ExportBan:
                    rw.alpha = relative && rule.old_approval <= 0.0 ? 1.0 : 0.0;
                    break;
                case MeasureKind::ExportLicensing: {
                    const double rate = m.approval_rate.value_or(1.0);
                    if (relative) {
                        rw.alpha =
                            rule.old_approval > 0 ? std::min(1.0, rate / rule.old_approval) : 1.0;
                    } else {
                        // Licences are granted over the lead time (processing times spread evenly
                        // over it), so licensed volume ramps up to the approval rate.
                        const double lead = m.lead_time_days.value_or(0.0);
                        const double days = m.effective ? days_between(*m.effective, d) : lead;
                        rw.alpha = rate * (lead > 0 ? std::clamp(days / lead, 0.0, 1.0) : 1.0);
                    }
                    break;
                }
                case MeasureKind::ExportQuota: {
                    const double q = m.quota_tonnes.value_or(kInf);
                    const auto* edit = edit_of(drawn, rule.id);
                    if (edit != nullptr && edit->quota_share) {
                        rw.quota = {Quota::Kind::ShareOfBaseline, edit->quota_share->value};
                    } else if (relative) {
                        if (rule.old_quota > 0) {
                            rw.quota = {Quota::Kind::ShareOfBaseline,
                                        std::min(1.0, q / rule.old_quota)};
                        }
                    } else if (std::isfinite(q)) {
                        rw.quota = {Quota::Kind::TonnesPerWeek, q / kWeeksPerYear};
                    }
                    break;
                }
                case MeasureKind::ExportTax:
                case MeasureKind::Tariff:
                    rw.tax =
                        std::max(0.0, m.tax_rate.value_or(0.0) - (relative ? rule.old_tax : 0.0));
                    break;
                default:
                    break;
            }
        }
    }
    return out;
}

}  // namespace lodestone::sim::internal
