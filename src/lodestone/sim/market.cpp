#include "lodestone/sim/market.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include "lodestone/core/assert.hpp"
#include "lodestone/core/diagnostic.hpp"
#include "lodestone/policy/timeline.hpp"
#include "lodestone/sim/random.hpp"

namespace lodestone::sim {

using internal::kNoNode;
using internal::MaterialModel;
using internal::Rule;
using internal::StageNode;
using internal::Treatment;
using model::MeasureKind;

namespace {

constexpr double kWeeksPerYear = network::kWeeksPerYear;
constexpr double kWeeksPerMonth = kWeeksPerYear / 12.0;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kShortfallThreshold = 1e-9;  // share of need: below this a week has no shortfall
constexpr const char* kDefenceSector = "defence";

std::uint32_t u32(std::size_t n) { return static_cast<std::uint32_t>(n); }

bool is_restriction(MeasureKind k) {
    return k == MeasureKind::ExportBan || k == MeasureKind::ExportLicensing ||
           k == MeasureKind::ExportQuota || k == MeasureKind::ExportTax || k == MeasureKind::Tariff;
}

bool is_modelled(MeasureKind k) {
    return is_restriction(k) || k == MeasureKind::StockpilePurchase ||
           k == MeasureKind::StockpileRelease || k == MeasureKind::CapacityChange;
}

/// The measure's window [effective, expires] meets [from, to].
bool window_meets(const model::Measure& m, Date from, Date to) {
    return m.effective && *m.effective <= to && (!m.expires || *m.expires >= from);
}

const model::MeasureEdit* edit_of(const model::ScenarioSpec& spec, const std::string& id) {
    const model::MeasureEdit* found = nullptr;
    for (const auto& e : spec.measures) {
        if (e.id == id) {
            found = &e;
        }
    }
    return found;
}

/// Index of the first week that starts on or after d (may be <= 0 or beyond the horizon).
int first_week_from(Date start, Date d) {
    const int days = days_between(start, d);
    return days >= 0 ? (days + 6) / 7 : -(-days / 7);
}

}  // namespace

std::string_view to_string(Metric metric) {
    switch (metric) {
        case Metric::ShortfallShare: return "shortfall_share";
        case Metric::ShortfallTonnes: return "shortfall_t";
        case Metric::PriceMultiple: return "price_multiple";
        case Metric::InventoryWeeks: return "inventory_weeks";
        case Metric::StockTonnes: return "strategic_stock_t";
        case Metric::CostUsd: return "cost_usd";
        case Metric::CostPctOutput: return "cost_pct_output";
    }
    return "shortfall_share";
}

std::string_view unit_of(Metric metric) {
    switch (metric) {
        case Metric::ShortfallShare: return "share";
        case Metric::ShortfallTonnes: return "t/week";
        case Metric::PriceMultiple: return "x";
        case Metric::InventoryWeeks: return "weeks";
        case Metric::StockTonnes: return "t";
        case Metric::CostUsd: return "USD/week";
        case Metric::CostPctOutput: return "%";
    }
    return "";
}

std::string_view to_string(SummaryMetric metric) {
    switch (metric) {
        case SummaryMetric::PeakShortfallShare: return "peak_shortfall_share";
        case SummaryMetric::FirstShortfallWeek: return "first_shortfall_week";
        case SummaryMetric::PeakPriceMultiple: return "peak_price_multiple";
        case SummaryMetric::CumulativeShortfallTonnes: return "cumulative_shortfall_t";
        case SummaryMetric::CumulativeCostUsd: return "cumulative_cost_usd";
        case SummaryMetric::PeakCostPctOutput: return "peak_cost_pct_output";
    }
    return "";
}

// ------------------------------------------------------------------------------------------
// compile
// ------------------------------------------------------------------------------------------

namespace {

constexpr Metric kMaterialMetrics[] = {Metric::ShortfallShare, Metric::ShortfallTonnes, Metric::PriceMultiple,
                                       Metric::InventoryWeeks, Metric::StockTonnes};
constexpr Metric kSectorMetrics[] = {Metric::ShortfallShare, Metric::CostUsd, Metric::CostPctOutput};
constexpr SummaryMetric kMaterialSummaries[] = {
    SummaryMetric::PeakShortfallShare, SummaryMetric::FirstShortfallWeek, SummaryMetric::PeakPriceMultiple,
    SummaryMetric::CumulativeShortfallTonnes, SummaryMetric::CumulativeCostUsd};
constexpr SummaryMetric kSectorSummaries[] = {SummaryMetric::PeakShortfallShare, SummaryMetric::FirstShortfallWeek,
                                              SummaryMetric::CumulativeCostUsd, SummaryMetric::PeakCostPctOutput};
constexpr std::size_t kNMaterialMetrics = std::size(kMaterialMetrics);
constexpr std::size_t kNSectorMetrics = std::size(kSectorMetrics);
constexpr std::size_t kNMaterialSummaries = std::size(kMaterialSummaries);
constexpr std::size_t kNSectorSummaries = std::size(kSectorSummaries);

/// Upper end of a parameter for histogram ranges: the support's max, or median·e^{4σ} for lognormal.
double upper(const model::Param& p, double fallback) {
    if (!p) {
        return fallback;
    }
    const double hi = support_max(*p);
    return std::isfinite(hi) ? hi : p->median * std::exp(4.0 * p->sigma);
}

class Compiler {
public:
    Compiler(const model::World& world, const model::ScenarioSpec& spec, int horizon) : spec_(spec) {
        sim_.spec = spec;
        sim_.world = apply_world_overrides(world, spec);
        sim_.horizon_weeks = horizon > 0 ? horizon : spec.horizon_weeks;
        sim_.price_cap_multiple = spec.price_cap_multiple.value_or(sim_.world.methods.price_cap_multiple);
    }

    Simulation run() {
        const auto& w = sim_.world;
        for (int t = 0; t < sim_.horizon_weeks; ++t) {
            sim_.week_dates.push_back(spec_.start.plus_days(7 * t));
        }
        end_ = spec_.start.plus_days(7 * sim_.horizon_weeks - 1);
        sim_.net = network::compile(w, spec_.start);
        for (const auto& n : sim_.net.notes) {
            sim_.notes.push_back("network: " + n);
        }
        // Structure of the run's measure list: the same ids in the same order for every run.
        auto rng = run_stream(spec_.seed, ~0ULL);
        const auto drawn = draw_scenario(spec_, rng);
        measures_ = scenario_measures(w, drawn);
        choose_rules();
        choose_materials();
        keep_simulated_materials();
        sectors();
        for (const auto& id : sim_.materials) {
            build_material(id);
        }
        cover_rules();
        regions();
        layout();
        return std::move(sim_);
    }

private:
    // Which measures the model applies and how (status quo: in force at start = baseline).
    void choose_rules() {
        const auto& w = sim_.world;
        for (std::size_t i = 0; i < measures_.size(); ++i) {
            const auto& m = measures_[i];
            const auto* edit = edit_of(spec_, m.id);
            const auto* base = w.find_measure(m.id);
            const bool in_force_at_start =
                base != nullptr && policy::status_on(*base, w.measures, spec_.start) == policy::Status::InForce;
            Treatment treatment = Treatment::Applied;
            if (!spec_.free_trade_baseline && in_force_at_start) {
                treatment = edit == nullptr ? Treatment::Absorbed : Treatment::Relative;
            }
            const bool relevant = window_meets(m, spec_.start, end_);
            if (!is_modelled(m.kind)) {
                if (relevant && (edit != nullptr || !in_force_at_start) && !m.materials.empty() &&
                    m.kind != MeasureKind::Suspension) {
                    not_modelled_.push_back(m.id + " (" + std::string(model::to_string(m.kind)) + ")");
                }
                continue;
            }
            if (!relevant) {
                continue;
            }
            std::string how = "applied";
            if (treatment == Treatment::Absorbed) {
                how = "absorbed in the baseline (in force on the start date, unchanged)";
            } else if (treatment == Treatment::Relative) {
                how = "change applied relative to its values on the start date";
            }
            sim_.measures.push_back({m.id, std::string(model::to_string(m.kind)), how});
            if (treatment == Treatment::Absorbed) {
                continue;
            }
            Rule r;
            r.id = m.id;
            r.index = i;
            r.kind = m.kind;
            r.treatment = treatment;
            r.military = m.end_users == "military";
            r.materials = m.materials;
            if (treatment == Treatment::Relative) {
                r.old_approval = base->kind == MeasureKind::ExportBan ? 0.0 : base->approval_rate.value_or(1.0);
                r.old_quota = base->quota_tonnes.value_or(0.0);
                r.old_tax = base->tax_rate.value_or(0.0);
            }
            if (m.kind == MeasureKind::ExportLicensing && !m.approval_rate) {
                sim_.notes.push_back("measure " + m.id + " has no approval_rate: taken as 1 (no volume effect)");
            }
            if (m.kind == MeasureKind::StockpilePurchase && !m.tonnes) {
                sim_.notes.push_back("measure " + m.id + " has no tonnes: no purchase modelled");
            }
            sim_.rules.push_back(std::move(r));
        }
        if (!not_modelled_.empty()) {
            std::string list;
            for (const auto& s : not_modelled_) {
                list += (list.empty() ? "" : ", ") + s;
            }
            sim_.notes.push_back("measures not modelled by the market model (no volume or price rule): " + list);
        }
    }

    void choose_materials() {
        std::set<std::string> ids(spec_.materials.begin(), spec_.materials.end());
        if (ids.empty()) {
            for (const auto& r : sim_.rules) {
                ids.insert(r.materials.begin(), r.materials.end());
            }
            for (const auto& s : spec_.stockpiles) {
                ids.insert(s.material);
            }
        }
        for (const auto& id : ids) {
            const auto* mat = sim_.world.find_material(id);
            bool in_net = false;
            for (const auto& mi : sim_.net.materials) {
                in_net = in_net || mi.id == id;
            }
            if (mat != nullptr && in_net) {
                sim_.materials.push_back(id);
            }
        }
        if (sim_.materials.empty()) {
            throw InputError({{Severity::Error, ErrorCode::Required, spec_.file, 0, 0, "scenario.materials",
                               "scenario.materials: the scenario touches no material with supply data in its "
                               "horizon; list the materials to simulate"}});
        }
    }

    /// Drops rules and listed measures that touch none of the simulated materials.
    void keep_simulated_materials() {
        auto touches = [&](const std::vector<std::string>& materials) {
            return std::any_of(materials.begin(), materials.end(), [&](const std::string& m) {
                return std::find(sim_.materials.begin(), sim_.materials.end(), m) != sim_.materials.end();
            });
        };
        std::erase_if(sim_.rules, [&](const Rule& r) { return !touches(r.materials); });
        std::erase_if(sim_.measures, [&](const AppliedMeasure& a) {
            const auto it = std::find_if(measures_.begin(), measures_.end(),
                                         [&](const model::Measure& m) { return m.id == a.id; });
            return it == measures_.end() || !touches(it->materials);
        });
    }

    void sectors() {
        std::set<std::string> ids;
        for (const auto& e : sim_.world.end_use) {
            if (std::find(sim_.materials.begin(), sim_.materials.end(), e.material) != sim_.materials.end() &&
                e.share > 0) {
                ids.insert(e.sector);
            }
        }
        sim_.sectors.assign(ids.begin(), ids.end());
    }

    std::uint32_t sector_index(const std::string& id) const {
        const auto it = std::find(sim_.sectors.begin(), sim_.sectors.end(), id);
        return it == sim_.sectors.end() ? kNoNode : u32(static_cast<std::size_t>(it - sim_.sectors.begin()));
    }

    void build_material(const std::string& id) {
        const auto& w = sim_.world;
        const auto& net = sim_.net;
        const auto* mat = w.find_material(id);
        MaterialModel mm;
        mm.id = id;
        if (mat->price_usd_t && *mat->price_usd_t > 0) {
            mm.p0 = *mat->price_usd_t;
        } else {
            sim_.notes.push_back(id + ": no price in the dataset; costs are 0 and prices are indices of 1");
            mm.p0 = 0.0;
        }
        for (const auto& e : w.end_use) {
            if (e.material == id && e.sector == kDefenceSector) {
                mm.defence_share = e.share;
            }
        }
        mm.intensity.assign(sim_.sectors.size(), 0.0);
        for (const auto& x : w.intensity) {
            const auto k = sector_index(x.sector);
            if (x.material == id && k != kNoNode) {
                mm.intensity[k] += x.kg_per_musd;
            }
        }
        std::size_t mi = 0;
        while (net.materials[mi].id != id) {
            ++mi;
        }
        const auto& minfo = net.materials[mi];
        std::map<network::NodeId, std::uint32_t> local;
        std::vector<network::NodeId> global_of;
        for (std::uint32_t s = 0; s < minfo.stage_count; ++s) {
            const auto& st = net.stages[minfo.first_stage + s];
            internal::StageModel sm;
            sm.id = st.stage;
            sm.final = st.final;
            sm.first = u32(mm.nodes.size());
            std::vector<network::NodeId> ids;
            for (network::NodeId v = st.first; v < st.last; ++v) {
                if (net.nodes[v].kind == network::NodeKind::Stage) {
                    ids.push_back(v);
                }
            }
            std::sort(ids.begin(), ids.end(), [&](network::NodeId a, network::NodeId b) {
                return net.countries[net.nodes[a].country] < net.countries[net.nodes[b].country];
            });
            for (const auto v : ids) {
                const auto& n = net.nodes[v];
                StageNode node;
                node.country = n.country;
                node.stage = s;
                node.out0 = n.output_t_week;
                node.use0 = n.use_t_week;
                node.dom0 = n.domestic_t_week;
                node.cap0 = capacity_of(id, st.stage, net.countries[n.country]);
                local[v] = u32(mm.nodes.size());
                global_of.push_back(v);
                mm.nodes.push_back(std::move(node));
            }
            sm.last = u32(mm.nodes.size());
            mm.stages.push_back(sm);
        }
        // Edges, in canonical order: buyers by (stage, country), sellers by country code.
        for (std::uint32_t lv = 0; lv < mm.nodes.size(); ++lv) {
            const network::NodeId gv = global_of[lv];
            auto& node = mm.nodes[lv];
            std::vector<std::pair<std::string, internal::TradeEdge>> trade;
            double imports = 0.0;
            for (auto e = net.in_offsets[gv]; e < net.in_offsets[gv + 1]; ++e) {
                const auto& edge = net.edges[e];
                const auto it = local.find(edge.from);
                if (it == local.end()) {
                    continue;
                }
                if (edge.kind == network::EdgeKind::Trade) {
                    trade.push_back({net.countries[net.nodes[edge.from].country], {it->second, lv, edge.t_week}});
                    imports += edge.t_week;
                } else if (edge.kind == network::EdgeKind::Transform) {
                    node.prev = it->second;
                    mm.nodes[it->second].next = lv;
                    if (edge.t_week > 0 && node.out0 > 0) {
                        node.conversion = node.out0 / edge.t_week;
                    } else if (node.out0 > 0) {
                        node.conversion = 1.0;
                    }
                }
            }
            std::sort(trade.begin(), trade.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
            for (auto& [code, te] : trade) {
                node.in_edges.push_back(u32(mm.edges.size()));
                mm.nodes[te.from].out_edges.push_back(u32(mm.edges.size()));
                mm.edges.push_back(te);
            }
            node.supply0 = node.dom0 + imports;
            if (mm.stages[node.stage].final) {
                for (auto k = net.out_offsets[gv]; k < net.out_offsets[gv + 1]; ++k) {
                    const auto& edge = net.edges[net.out_edges[k]];
                    if (edge.kind != network::EdgeKind::Demand) {
                        continue;
                    }
                    const auto& dn = net.nodes[edge.to];
                    const auto sector = sector_index(net.sectors[dn.sector]);
                    if (sector != kNoNode && edge.t_week > 0) {
                        node.demand.emplace_back(sector, edge.t_week);
                    }
                }
                std::sort(node.demand.begin(), node.demand.end());
            }
            if (node.prev == kNoNode && node.out0 > 0 && node.stage > 0) {
                sim_.notes.push_back(id + "/" + mm.stages[node.stage].id + "/" + net.countries[node.country] +
                                     ": output without an input node; treated as unconstrained by inputs");
            }
        }
        stocks_and_projects(mm);
        sim_.models.push_back(std::move(mm));
    }

    double capacity_of(const std::string& material, const std::string& stage, const std::string& country) const {
        for (const auto& p : sim_.world.production) {
            if (p.material == material && p.stage == stage && p.country == country && p.capacity_tonnes) {
                return *p.capacity_tonnes / kWeeksPerYear;
            }
        }
        return -1.0;
    }

    /// Nodes of `stage` in the member countries of `code`, with positive use (buyers).
    std::vector<std::uint32_t> buyers(const MaterialModel& mm, std::uint32_t stage, const std::string& code) const {
        const auto members = sim_.world.members(code);
        std::vector<std::uint32_t> out;
        for (auto v = mm.stages[stage].first; v < mm.stages[stage].last; ++v) {
            const auto& c = sim_.net.countries[mm.nodes[v].country];
            if (mm.nodes[v].use0 > 0 && std::find(members.begin(), members.end(), c) != members.end()) {
                out.push_back(v);
            }
        }
        return out;
    }

    std::uint32_t stage_index(const MaterialModel& mm, const std::string& stage) const {
        if (stage.empty()) {
            return u32(mm.stages.size() - 1);
        }
        for (std::uint32_t s = 0; s < mm.stages.size(); ++s) {
            if (mm.stages[s].id == stage) {
                return s;
            }
        }
        return kNoNode;
    }

    void stocks_and_projects(MaterialModel& mm) {
        const auto& w = sim_.world;
        // Strategic stocks of the dataset.
        for (const auto& st : w.stockpiles) {
            if (st.material != mm.id) {
                continue;
            }
            internal::Stock s;
            s.label = st.holder + " (" + st.bloc_or_country + ")";
            s.stage = stage_index(mm, st.stage);
            if (s.stage == kNoNode) {
                continue;
            }
            s.nodes = buyers(mm, s.stage, st.bloc_or_country);
            s.tonnes = st.tonnes;
            s.release_weeks = -1.0;  // the scenario's stockpile_release_weeks unless the rule says
            if (const auto days = parse_duration_days(st.release_rule); days && *days > 0) {
                s.release_weeks = *days / 7.0;
            }
            if (s.nodes.empty()) {
                sim_.notes.push_back("stockpile " + s.label + " of " + mm.id + ": no buyers to serve");
            }
            mm.stocks.push_back(std::move(s));
        }
        for (std::size_t i = 0; i < spec_.stockpiles.size(); ++i) {
            const auto& st = spec_.stockpiles[i];
            if (st.material != mm.id) {
                continue;
            }
            internal::Stock s;
            s.label = st.holder + " (" + st.country + ")";
            s.stage = stage_index(mm, st.stage);
            s.nodes = buyers(mm, s.stage, st.country);
            s.tonnes_param = static_cast<int>(i);
            s.release_param = st.release_weeks ? static_cast<int>(i) : -1;
            s.release_weeks = -1.0;
            if (s.nodes.empty()) {
                sim_.notes.push_back("stockpile " + s.label + " of " + mm.id + ": no buyers to serve");
            }
            mm.stocks.push_back(std::move(s));
        }
        // Projects: capacity at existing nodes.
        for (const auto& p : w.projects) {
            if (p.material != mm.id || !p.start) {
                continue;
            }
            const auto s = stage_index(mm, p.stage);
            if (s == kNoNode) {
                continue;
            }
            std::uint32_t node = kNoNode;
            for (auto v = mm.stages[s].first; v < mm.stages[s].last; ++v) {
                if (sim_.net.countries[mm.nodes[v].country] == p.country) {
                    node = v;
                }
            }
            if (node == kNoNode) {
                skipped_projects_.push_back(p.id);
                continue;
            }
            mm.projects.push_back({node, p.capacity_tonnes / kWeeksPerYear, p.status, p.probability,
                                   p.start->days(), p.ramp_months * 30.4375});
        }
        // Purchases, releases and capacity changes of the rules.
        for (std::uint32_t r = 0; r < sim_.rules.size(); ++r) {
            const auto& rule = sim_.rules[r];
            const auto& m = measures_[rule.index];
            if (std::find(m.materials.begin(), m.materials.end(), mm.id) == m.materials.end()) {
                continue;
            }
            std::vector<std::uint32_t> stages;
            if (m.stages.empty()) {
                stages.push_back(u32(mm.stages.size() - 1));
            } else {
                for (const auto& st : m.stages) {
                    if (const auto s = stage_index(mm, st); s != kNoNode) {
                        stages.push_back(s);
                    }
                }
            }
            if (m.kind == MeasureKind::StockpilePurchase || m.kind == MeasureKind::StockpileRelease) {
                for (const auto s : stages) {
                    const auto nodes = buyers(mm, s, m.country);
                    double total = 0.0;
                    for (const auto v : nodes) {
                        total += mm.nodes[v].use0;
                    }
                    if (nodes.empty() || total <= 0) {
                        sim_.notes.push_back("measure " + m.id + ": " + m.country + " has no buyers of " + mm.id +
                                             "/" + mm.stages[s].id + "; not modelled");
                        continue;
                    }
                    if (m.kind == MeasureKind::StockpilePurchase) {
                        internal::Purchase p;
                        p.rule = r;
                        p.stage = s;
                        for (const auto v : nodes) {
                            p.nodes.emplace_back(v, mm.nodes[v].use0 / total);
                        }
                        mm.purchases.push_back(std::move(p));
                    } else {
                        internal::Stock st;
                        st.label = "release " + m.id;
                        st.stage = s;
                        st.nodes = nodes;
                        st.unconditional = true;
                        st.rule = r;
                        mm.stocks.push_back(std::move(st));
                    }
                }
            } else if (m.kind == MeasureKind::CapacityChange) {
                const auto members = sim_.world.members(m.country);
                for (const auto s : stages) {
                    double total = 0.0;
                    std::vector<std::uint32_t> nodes;
                    for (auto v = mm.stages[s].first; v < mm.stages[s].last; ++v) {
                        const auto& c = sim_.net.countries[mm.nodes[v].country];
                        if (std::find(members.begin(), members.end(), c) != members.end()) {
                            nodes.push_back(v);
                            total += mm.nodes[v].out0;
                        }
                    }
                    for (const auto v : nodes) {
                        const double share = total > 0 ? mm.nodes[v].out0 / total : 1.0 / static_cast<double>(nodes.size());
                        mm.capacity_changes.push_back({r, v, share});
                    }
                    if (nodes.empty()) {
                        sim_.notes.push_back("measure " + m.id + ": " + m.country + " has no " + mm.id + "/" +
                                             mm.stages[s].id + " node; capacity change not modelled");
                    }
                }
            }
        }
    }

    // Pair coverage of every restrictive rule, per material and stage.
    void cover_rules() {
        const auto& w = sim_.world;
        const auto& countries = sim_.net.countries;
        const std::size_t nc = countries.size();
        for (std::uint32_t r = 0; r < sim_.rules.size(); ++r) {
            auto& rule = sim_.rules[r];
            if (!is_restriction(rule.kind)) {
                continue;
            }
            const auto& m = measures_[rule.index];
            const auto members = w.members(m.country);
            std::vector<std::uint8_t> imposer(nc, 0);
            std::vector<std::uint8_t> target(nc, 0);
            for (std::size_t c = 0; c < nc; ++c) {
                imposer[c] = std::find(members.begin(), members.end(), countries[c]) != members.end() ? 1 : 0;
                target[c] = policy::covers_destination(w, m, countries[c]) ? 1 : 0;
            }
            const bool tariff = rule.kind == MeasureKind::Tariff;
            rule.cover.resize(sim_.models.size());
            rule.export0.resize(sim_.models.size());
            for (std::size_t mi = 0; mi < sim_.models.size(); ++mi) {
                auto& mm = sim_.models[mi];
                rule.cover[mi].resize(mm.stages.size());
                rule.export0[mi].assign(mm.stages.size(), 0.0);
                bool any = false;
                for (std::uint32_t s = 0; s < mm.stages.size(); ++s) {
                    if (!policy::covers_material(m, mm.id, mm.stages[s].id)) {
                        continue;
                    }
                    auto& cover = rule.cover[mi][s];
                    cover.assign(nc * nc, 0);
                    for (std::size_t a = 0; a < nc; ++a) {
                        for (std::size_t b = 0; b < nc; ++b) {
                            const bool hit = tariff ? (imposer[b] != 0 && target[a] != 0) : (imposer[a] != 0 && target[b] != 0);
                            if (hit && a != b) {
                                cover[a * nc + b] = 1;
                                any = true;
                            }
                        }
                    }
                    for (auto v = mm.stages[s].first; v < mm.stages[s].last; ++v) {
                        for (const auto e : mm.nodes[v].in_edges) {
                            const auto& te = mm.edges[e];
                            if (cover[mm.nodes[te.from].country * nc + mm.nodes[te.to].country] != 0) {
                                rule.export0[mi][s] += te.base;
                            }
                        }
                    }
                }
                if (any) {
                    mm.rules.push_back(r);
                }
            }
        }
        if (!skipped_projects_.empty()) {
            sim_.notes.push_back(std::to_string(skipped_projects_.size()) +
                                 " projects are in countries with no node at their stage and add no capacity");
        }
    }

    void regions() {
        const auto& countries = sim_.net.countries;
        sim_.regions.push_back("WORLD");
        sim_.region_members.emplace_back(countries.size(), 1);
        for (const auto& code : spec_.regions) {
            const auto members = sim_.world.members(code);
            std::vector<std::uint8_t> in(countries.size(), 0);
            for (std::size_t c = 0; c < countries.size(); ++c) {
                in[c] = std::find(members.begin(), members.end(), countries[c]) != members.end() ? 1 : 0;
            }
            sim_.regions.push_back(code);
            sim_.region_members.push_back(std::move(in));
        }
    }

    void layout() {
        double inventory_hi = upper(spec_.params.inventory_weeks, Defaults::kInventoryWeeks);
        double stock_hi = 0.0;
        for (const auto& [id, p] : spec_.material_params) {
            inventory_hi = std::max(inventory_hi, upper(p.inventory_weeks, 0.0));
        }
        for (const auto& s : spec_.stockpiles) {
            stock_hi += upper(s.tonnes, 0.0);
        }
        for (const auto& s : sim_.world.stockpiles) {
            stock_hi += s.tonnes;
        }
        for (const auto& r : sim_.rules) {
            const auto* e = edit_of(spec_, r.id);
            if (r.kind == MeasureKind::StockpilePurchase) {
                stock_hi += e != nullptr && e->tonnes ? upper(e->tonnes, 0.0) : measures_[r.index].tonnes.value_or(0.0);
            }
        }
        const double cap = sim_.price_cap_multiple;
        const double price_hi = cap * (1.0 + 1.0 + upper(spec_.params.leakage_markup, Defaults::kLeakageMarkup));
        for (std::size_t r = 0; r < sim_.regions.size(); ++r) {
            const auto& in = sim_.region_members[r];
            for (const auto& mm : sim_.models) {
                double final_use = 0.0;
                for (const auto& n : mm.nodes) {
                    if (mm.stages[n.stage].final && in[n.country] != 0) {
                        final_use += n.use0;
                    }
                }
                for (const auto metric : kMaterialMetrics) {
                    BinSpec bins{0.0, 1.0, 1000};
                    if (metric == Metric::ShortfallTonnes) {
                        bins.hi = std::max(final_use, 1e-9);
                    } else if (metric == Metric::PriceMultiple) {
                        bins = {1.0, std::max(cap, 1.0 + 1e-9), 1000};
                    } else if (metric == Metric::InventoryWeeks) {
                        bins.hi = 2.0 * inventory_hi + 4.0;
                    } else if (metric == Metric::StockTonnes) {
                        bins.hi = std::max(stock_hi, 1e-9);
                    }
                    sim_.series.push_back({sim_.regions[r], false, mm.id, metric, bins});
                }
                for (const auto metric : kMaterialSummaries) {
                    sim_.summaries.push_back({sim_.regions[r], false, mm.id, metric});
                }
            }
            for (std::uint32_t k = 0; k < sim_.sectors.size(); ++k) {
                double cost_hi = 0.0;
                double pct_hi = 0.0;
                for (const auto& mm : sim_.models) {
                    for (const auto& n : mm.nodes) {
                        for (const auto& [sector, t] : n.demand) {
                            if (sector == k && in[n.country] != 0) {
                                cost_hi += (price_hi - 1.0) * mm.p0 * t;
                            }
                        }
                    }
                    pct_hi += mm.intensity[k] / 1e9 * (price_hi - 1.0) * mm.p0 * 100.0;
                }
                for (const auto metric : kSectorMetrics) {
                    BinSpec bins{0.0, 1.0, 1000};
                    if (metric == Metric::CostUsd) {
                        bins.hi = std::max(cost_hi, 1e-9);
                    } else if (metric == Metric::CostPctOutput) {
                        bins.hi = std::max(pct_hi, 1e-9);
                    }
                    sim_.series.push_back({sim_.regions[r], true, sim_.sectors[k], metric, bins});
                }
                for (const auto metric : kSectorSummaries) {
                    sim_.summaries.push_back({sim_.regions[r], true, sim_.sectors[k], metric});
                }
            }
        }
        sim_.notes.push_back("measures are evaluated on the first day of each week; a week is 7 days from " +
                             spec_.start.to_string());
    }

    const model::ScenarioSpec& spec_;
    Simulation sim_;
    Date end_;
    std::vector<model::Measure> measures_;
    std::vector<std::string> not_modelled_;
    std::vector<std::string> skipped_projects_;
};

}  // namespace

Simulation compile_simulation(const model::World& world, const model::ScenarioSpec& spec, int horizon_weeks) {
    return Compiler(world, spec, horizon_weeks).run();
}

// ------------------------------------------------------------------------------------------
// one run
// ------------------------------------------------------------------------------------------

namespace {

/// A rule's numbers for one week of one run.
struct RuleWeek {
    bool active = false;
    double alpha = 1.0;       ///< volume multiplier on covered edges (ban, licensing)
    double quota_week = kInf; ///< total covered exports allowed this week, t (before the stage split)
    double tax = 0.0;         ///< price add-on, fraction
};

/// Per-run numbers of the rules, [rule][week].
std::vector<std::vector<RuleWeek>> schedule(const Simulation& sim, const model::ScenarioSpec& drawn,
                                            const std::vector<model::Measure>& measures) {
    std::vector<std::vector<RuleWeek>> out(sim.rules.size(), std::vector<RuleWeek>(sim.week_dates.size()));
    for (std::size_t r = 0; r < sim.rules.size(); ++r) {
        const auto& rule = sim.rules[r];
        const auto& m = measures[rule.index];
        for (std::size_t t = 0; t < sim.week_dates.size(); ++t) {
            const Date d = sim.week_dates[t];
            auto& rw = out[r][t];
            rw.active = policy::status_on(m, measures, d) == policy::Status::InForce;
            if (!rw.active) {
                continue;
            }
            switch (rule.kind) {
                case MeasureKind::ExportBan:
                    rw.alpha = rule.treatment == Treatment::Relative && rule.old_approval <= 0.0 ? 1.0 : 0.0;
                    break;
                case MeasureKind::ExportLicensing: {
                    const double rate = m.approval_rate.value_or(1.0);
                    if (rule.treatment == Treatment::Relative) {
                        rw.alpha = rule.old_approval > 0 ? std::min(1.0, rate / rule.old_approval) : 1.0;
                    } else {
                        const double lead = m.lead_time_days.value_or(0.0);
                        const bool waiting = m.effective && days_between(*m.effective, d) < lead;
                        rw.alpha = waiting ? 0.0 : rate;
                    }
                    break;
                }
                case MeasureKind::ExportQuota: {
                    const double q = m.quota_tonnes.value_or(kInf);
                    const auto* edit = edit_of(drawn, rule.id);
                    if (edit != nullptr && edit->quota_share) {  // a share of the covered baseline exports
                        rw.quota_week = -edit->quota_share->value;
                    } else if (rule.treatment == Treatment::Relative) {
                        rw.quota_week = rule.old_quota > 0 ? -std::min(1.0, q / rule.old_quota) : kInf;
                    } else {
                        rw.quota_week = q / kWeeksPerYear;
                    }
                    break;
                }
                case MeasureKind::ExportTax:
                case MeasureKind::Tariff:
                    rw.tax = std::max(0.0, m.tax_rate.value_or(0.0) -
                                               (rule.treatment == Treatment::Relative ? rule.old_tax : 0.0));
                    break;
                default:
                    break;
            }
        }
    }
    return out;
}

/// Accumulators of one region for the sector series of one week.
struct SectorWeek {
    std::vector<double> want;   ///< [material * sectors + sector], t
    std::vector<double> short_; ///< t
    std::vector<double> cost;   ///< USD
};

class Runner {
public:
    Runner(const Simulation& sim, std::uint64_t seed, std::uint64_t run)
        : sim_(sim), rng_(run_stream(seed, run)), drawn_(draw_scenario(sim.spec, rng_)) {
        measures_ = scenario_measures(sim.world, drawn_);
        weeks_ = sim.week_dates.size();
        result_.values.assign(sim.series.size() * weeks_, 0.0);
        result_.summaries.assign(sim.summaries.size(), 0.0);
        for (const auto& site : param_sites(drawn_)) {
            result_.draws.push_back({site.path, site.dist.value});
        }
        rules_ = schedule(sim, drawn_, measures_);
        const std::size_t nr = sim.regions.size();
        const std::size_t nm = sim.models.size();
        const std::size_t ns = sim.sectors.size();
        sector_want_.assign(nr * nm * ns * weeks_, 0.0);
        sector_short_.assign(nr * nm * ns * weeks_, 0.0);
        sector_cost_.assign(nr * nm * ns * weeks_, 0.0);
        region_dprice_.assign(nr * nm * weeks_, 0.0);
    }

    RunResult run() {
        for (std::size_t mi = 0; mi < sim_.models.size(); ++mi) {
            run_material(mi);
        }
        sector_series();
        summaries();
        return std::move(result_);
    }

private:
    std::size_t series_index(std::size_t region, bool sector, std::size_t group, std::size_t metric) const {
        const std::size_t per_region =
            sim_.models.size() * kNMaterialMetrics + sim_.sectors.size() * kNSectorMetrics;
        std::size_t i = region * per_region;
        if (!sector) {
            return i + group * kNMaterialMetrics + metric;
        }
        return i + sim_.models.size() * kNMaterialMetrics + group * kNSectorMetrics + metric;
    }
    std::size_t summary_index(std::size_t region, bool sector, std::size_t group, std::size_t metric) const {
        const std::size_t per_region =
            sim_.models.size() * kNMaterialSummaries + sim_.sectors.size() * kNSectorSummaries;
        std::size_t i = region * per_region;
        if (!sector) {
            return i + group * kNMaterialSummaries + metric;
        }
        return i + sim_.models.size() * kNMaterialSummaries + group * kNSectorSummaries + metric;
    }
    double& value(std::size_t series, std::size_t week) { return result_.values[series * weeks_ + week]; }
    std::size_t sector_slot(std::size_t r, std::size_t mi, std::size_t k, std::size_t t) const {
        return ((r * sim_.models.size() + mi) * sim_.sectors.size() + k) * weeks_ + t;
    }

    double stock_tonnes(const model::ScenarioSpec& drawn, const internal::Stock& s) const {
        if (s.unconditional) {
            return 0.0;
        }
        return s.tonnes_param >= 0 ? drawn.stockpiles[static_cast<std::size_t>(s.tonnes_param)].tonnes->value : s.tonnes;
    }

    void run_material(std::size_t mi) {
        const auto& mm = sim_.models[mi];
        const auto* mat = sim_.world.find_material(mm.id);
        const MaterialParams par = resolve_params(drawn_, *mat);
        const std::size_t n = mm.nodes.size();
        const std::size_t ne = mm.edges.size();
        const std::size_t nc = sim_.net.countries.size();
        const std::size_t nr = sim_.regions.size();
        const double p0 = mm.p0;
        const auto leak_delay = static_cast<std::size_t>(std::max(0L, std::lround(par.leakage_delay_weeks)));
        const std::size_t ring = leak_delay + 1;
        const double cap_mult = sim_.price_cap_multiple;
        const double tau_sub = par.substitution_lag_months * kWeeksPerMonth;
        const double cap_lag = par.capacity_lag_months * kWeeksPerMonth;

        // State.
        std::vector<double> k_base(n), k_growth(n, 0.0), cap(n), inv(n), desired(n), pipeline(n * ring, 0.0);
        std::vector<int> unmet_weeks(n, 0);
        for (std::size_t v = 0; v < n; ++v) {
            const auto& node = mm.nodes[v];
            k_base[v] = node.cap0 >= 0 ? std::max(node.cap0, node.out0) : node.out0 * (1.0 + par.spare_capacity);
            inv[v] = par.inventory_weeks * node.use0;
            desired[v] = node.out0;
        }
        std::vector<double> stock(mm.stocks.size());
        std::vector<double> stock_rate(mm.stocks.size());
        for (std::size_t k = 0; k < mm.stocks.size(); ++k) {
            const auto& s = mm.stocks[k];
            stock[k] = stock_tonnes(drawn_, s);
            double weeks = s.release_weeks > 0 ? s.release_weeks : par.stockpile_release_weeks;
            if (s.release_param >= 0) {
                weeks = drawn_.stockpiles[static_cast<std::size_t>(s.release_param)].release_weeks->value;
            }
            stock_rate[k] = stock[k] / std::max(1.0, weeks);
            if (s.unconditional) {
                const auto& m = measures_[sim_.rules[s.rule].index];
                const double total = m.tonnes.value_or(0.0);
                const double w = m.expires && m.effective ? (days_between(*m.effective, *m.expires) + 1) / 7.0
                                                          : par.stockpile_release_weeks;
                stock_rate[k] = total / std::max(1.0, w);
            }
        }
        std::vector<double> purchased_stock(mm.purchases.size(), 0.0);
        std::vector<double> purchase_rate(mm.purchases.size(), 0.0);
        std::vector<std::pair<int, int>> purchase_window(mm.purchases.size());
        for (std::size_t k = 0; k < mm.purchases.size(); ++k) {
            const auto& rule = sim_.rules[mm.purchases[k].rule];
            const auto& m = measures_[rule.index];
            const auto* edit = edit_of(drawn_, rule.id);
            double weeks = par.purchase_weeks;
            if (edit != nullptr && edit->purchase_weeks) {
                weeks = edit->purchase_weeks->value;
            } else if (m.expires && m.effective) {
                weeks = (days_between(*m.effective, *m.expires) + 1) / 7.0;
            }
            // Spread evenly over whole weeks from the first week starting on or after `effective`.
            const int count = std::max(1, static_cast<int>(std::lround(weeks)));
            purchase_rate[k] = m.tonnes.value_or(0.0) / count;
            const int first = m.effective ? first_week_from(sim_.spec.start, *m.effective) : 0;
            purchase_window[k] = {first, first + count};
        }

        // Tonnes of purchase k wanted at node v in week t.
        const auto purchase_of = [&](std::size_t k, std::size_t v, std::size_t t) {
            const auto& p = mm.purchases[k];
            const int ti = static_cast<int>(t);
            if (ti < purchase_window[k].first || ti >= purchase_window[k].second || !rules_[p.rule][t].active) {
                return 0.0;
            }
            double out = 0.0;
            for (const auto& [pv, share] : p.nodes) {
                if (pv == v) {
                    out += share * purchase_rate[k];
                }
            }
            return out;
        };

        // Temporaries.
        std::vector<double> want(n), need(n), pwant(n), self_order(n), self_ship(n), pmax(n), gfac(n), spare(n);
        std::vector<double> arrivals(n), leak_in(n), release(n), prod(n), reship(n), requested(n), gap(n);
        std::vector<double> tax_paid(n), order(ne), ship_req(ne), leak_req(ne), ship(ne), leak(ne), alpha(ne), tax(ne);
        std::vector<std::uint8_t> restricted(ne);
        std::vector<double> need_c(nc), avail_c(nc), price_c(nc, p0), weight_c(nc, 0.0), peff(n, p0);
        for (const auto& node : mm.nodes) {
            weight_c[node.country] += node.use0;
        }
        std::vector<std::uint8_t> restricting(nc);
        struct Request {
            std::uint32_t supplier;
            std::uint32_t buyer;
            double tonnes;
        };
        std::vector<Request> requests;
        int first_shock = -1;

        const auto& material_series = [&](std::size_t r, std::size_t metric) {
            return series_index(r, false, mi, metric);
        };

        for (std::size_t t = 0; t < weeks_; ++t) {
            const Date date = sim_.week_dates[t];
            const int day = date.days();
            // Capacity this week.
            for (std::size_t v = 0; v < n; ++v) {
                cap[v] = k_base[v] + k_growth[v];
            }
            for (const auto& p : mm.projects) {
                double weight = p.status == "operating"      ? par.project_weight_operating
                                : p.status == "construction" ? par.project_weight_construction
                                                             : par.project_weight_announced;
                weight *= p.probability;
                const double ramp =
                    day < p.start_day ? 0.0
                    : p.ramp_days <= 0 ? 1.0
                                       : std::min(1.0, (day - p.start_day) / p.ramp_days);
                cap[p.node] += weight * ramp * p.t_week;
            }
            for (const auto& c : mm.capacity_changes) {
                if (rules_[c.rule][t].active) {
                    cap[c.node] += c.share * measures_[sim_.rules[c.rule].index].tonnes.value_or(0.0) / kWeeksPerYear;
                }
            }
            std::fill(restricting.begin(), restricting.end(), 0);
            for (const auto r : mm.rules) {
                if (rules_[r][t].active && (rules_[r][t].alpha < 1.0 || rules_[r][t].quota_week < kInf)) {
                    const auto& m = measures_[sim_.rules[r].index];
                    for (const auto& code : sim_.world.members(m.country)) {
                        if (const auto c = sim_.net.find_country(code)) {
                            restricting[*c] = 1;
                        }
                    }
                }
            }
            std::fill(need_c.begin(), need_c.end(), 0.0);
            std::fill(avail_c.begin(), avail_c.end(), 0.0);
            std::fill(reship.begin(), reship.end(), 0.0);
            const std::size_t slot_now = t % ring;

            // Mass balance bookkeeping per stage.
            std::vector<double> inv_before(mm.stages.size(), 0.0), pipe_before(mm.stages.size(), 0.0);
            std::vector<double> produced(mm.stages.size(), 0.0), consumed(mm.stages.size(), 0.0);
            std::vector<double> to_stock(mm.stages.size(), 0.0), from_stock(mm.stages.size(), 0.0);
            for (std::size_t v = 0; v < n; ++v) {
                const auto s = mm.nodes[v].stage;
                inv_before[s] += inv[v];
                for (std::size_t k = 0; k < ring; ++k) {
                    pipe_before[s] += pipeline[v * ring + k];
                }
            }

            for (std::uint32_t s = 0; s < mm.stages.size(); ++s) {
                const auto& st = mm.stages[s];
                // 1. wants and needs
                for (auto v = st.first; v < st.last; ++v) {
                    const auto& node = mm.nodes[v];
                    double u = node.use0;
                    if (!st.final && node.next != kNoNode) {
                        const auto w = node.next;
                        u = std::min(cap[w], desired[w]) / mm.nodes[w].conversion;
                    }
                    want[v] = u;
                    const double restock = (par.inventory_weeks * node.use0 - inv[v]) / par.restock_weeks;
                    pwant[v] = 0.0;
                    for (std::size_t k = 0; k < mm.purchases.size(); ++k) {
                        pwant[v] += purchase_of(k, v, t);
                    }
                    need[v] = std::max(0.0, u + restock) + pwant[v];
                    // 2. orders in the baseline mix
                    if (node.supply0 > 0) {
                        self_order[v] = need[v] * node.dom0 / node.supply0;
                        for (const auto e : node.in_edges) {
                            order[e] = need[v] * mm.edges[e].base / node.supply0;
                        }
                    } else {
                        self_order[v] = node.out0 > 0 ? need[v] : 0.0;
                        for (const auto e : node.in_edges) {
                            order[e] = 0.0;
                        }
                    }
                }
                // α per edge from the active rules; taxes
                for (auto v = st.first; v < st.last; ++v) {
                    for (const auto e : mm.nodes[v].in_edges) {
                        const auto& te = mm.edges[e];
                        const std::size_t pair = mm.nodes[te.from].country * nc + mm.nodes[te.to].country;
                        double a = 1.0;
                        double tx = 0.0;
                        for (const auto r : mm.rules) {
                            const auto& rw = rules_[r][t];
                            const auto& cover = sim_.rules[r].cover[mi][s];
                            if (!rw.active || cover.empty() || cover[pair] == 0) {
                                continue;
                            }
                            const double m_share = sim_.rules[r].military ? mm.defence_share : 1.0;
                            a *= 1.0 - (1.0 - rw.alpha) * m_share;
                            tx += rw.tax * m_share;
                        }
                        alpha[e] = a;
                        tax[e] = tx;
                        restricted[e] = a < 1.0 ? 1 : 0;
                        ship_req[e] = a * order[e];
                        leak_req[e] = par.leakage * (1.0 - a) * order[e];
                    }
                }
                // quotas: pro rata cap on the covered exports of this stage
                for (const auto r : mm.rules) {
                    const auto& rw = rules_[r][t];
                    const auto& rule = sim_.rules[r];
                    const auto& cover = rule.cover[mi][s];
                    if (!rw.active || rule.kind != MeasureKind::ExportQuota || cover.empty()) {
                        continue;
                    }
                    double total0 = 0.0;
                    for (const auto& stage_exports : rule.export0[mi]) {
                        total0 += stage_exports;
                    }
                    double cap_week = kInf;
                    if (rw.quota_week < 0) {  // relative: a share of the baseline exports
                        cap_week = -rw.quota_week * rule.export0[mi][s];
                    } else if (total0 > 0) {
                        cap_week = rw.quota_week * rule.export0[mi][s] / total0;
                    }
                    double total = 0.0;
                    for (auto v = st.first; v < st.last; ++v) {
                        for (const auto e : mm.nodes[v].in_edges) {
                            const auto& te = mm.edges[e];
                            if (cover[mm.nodes[te.from].country * nc + mm.nodes[te.to].country] != 0) {
                                total += ship_req[e];
                            }
                        }
                    }
                    if (total > cap_week) {
                        const double f = total > 0 ? cap_week / total : 1.0;
                        for (auto v = st.first; v < st.last; ++v) {
                            for (const auto e : mm.nodes[v].in_edges) {
                                const auto& te = mm.edges[e];
                                if (cover[mm.nodes[te.from].country * nc + mm.nodes[te.to].country] != 0) {
                                    const double blocked = (1.0 - f) * ship_req[e];
                                    ship_req[e] -= blocked;
                                    leak_req[e] += par.leakage * blocked;
                                    restricted[e] = 1;
                                }
                            }
                        }
                    }
                }
                // 3. supplier limits: capacity and inputs
                for (auto u = st.first; u < st.last; ++u) {
                    const auto& node = mm.nodes[u];
                    double pm = cap[u];
                    if (node.prev != kNoNode) {
                        pm = std::min(pm, std::max(0.0, inv[node.prev]) * node.conversion);
                    }
                    pmax[u] = pm;
                    double d = self_order[u];
                    for (const auto e : node.out_edges) {
                        d += ship_req[e] + leak_req[e];
                    }
                    gfac[u] = d > pm ? (d > 0 ? pm / d : 1.0) : 1.0;
                    spare[u] = std::max(0.0, pm - gfac[u] * d);
                    requested[u] = d;
                    self_ship[u] = gfac[u] * self_order[u];
                }
                for (auto v = st.first; v < st.last; ++v) {
                    leak_in[v] = 0.0;
                    for (const auto e : mm.nodes[v].in_edges) {
                        const double g = gfac[mm.edges[e].from];
                        ship[e] = g * ship_req[e];
                        leak[e] = g * leak_req[e];
                        leak_in[v] += leak[e];
                    }
                }
                // 4. unmet orders and re-orders to unrestricted spare capacity
                requests.clear();
                for (auto v = st.first; v < st.last; ++v) {
                    const auto& node = mm.nodes[v];
                    double delivered = self_ship[v];
                    for (const auto e : node.in_edges) {
                        delivered += ship[e];
                    }
                    const double unmet = std::max(0.0, need[v] - delivered);
                    // leakage arriving this week (with no delay: what leaks this week)
                    const double arriving = leak_delay == 0 ? leak_in[v] : pipeline[v * ring + slot_now];
                    if (unmet > 1e-12 * std::max(1.0, need[v])) {
                        ++unmet_weeks[v];
                    } else {
                        unmet_weeks[v] = 0;
                    }
                    const double reorder = std::max(0.0, unmet - arriving);
                    if (reorder <= 0.0 || unmet_weeks[v] <= par.reorder_delay_weeks) {
                        continue;
                    }
                    double total_spare = 0.0;
                    const std::size_t first_req = requests.size();
                    for (auto u = st.first; u < st.last; ++u) {
                        if (spare[u] <= 0.0) {
                            continue;
                        }
                        const std::size_t pair = mm.nodes[u].country * nc + node.country;
                        bool free = true;
                        if (u != v) {
                            for (const auto r : mm.rules) {
                                const auto& rw = rules_[r][t];
                                const auto& cover = sim_.rules[r].cover[mi][s];
                                if (rw.active && !cover.empty() && cover[pair] != 0 &&
                                    (rw.alpha < 1.0 || rw.quota_week < kInf)) {
                                    free = false;
                                    break;
                                }
                            }
                        }
                        if (free) {
                            requests.push_back({u, v, spare[u]});
                            total_spare += spare[u];
                        }
                    }
                    for (std::size_t k = first_req; k < requests.size(); ++k) {
                        requests[k].tonnes = reorder * requests[k].tonnes / total_spare;
                    }
                }
                std::fill(prod.begin() + st.first, prod.begin() + st.last, 0.0);
                {
                    std::vector<double> asked(n, 0.0);
                    for (const auto& q : requests) {
                        asked[q.supplier] += q.tonnes;
                    }
                    for (auto& q : requests) {
                        const double f = asked[q.supplier] > spare[q.supplier] ? spare[q.supplier] / asked[q.supplier] : 1.0;
                        const double shipped = q.tonnes * f;
                        reship[q.buyer] += shipped;
                        prod[q.supplier] += shipped;
                    }
                    for (const auto& q : requests) {
                        requested[q.supplier] += q.tonnes;
                    }
                }
                // 5. production and input use
                for (auto u = st.first; u < st.last; ++u) {
                    const auto& node = mm.nodes[u];
                    double d = self_order[u];
                    for (const auto e : node.out_edges) {
                        d += ship_req[e] + leak_req[e];
                    }
                    prod[u] += gfac[u] * d;
                    produced[s] += prod[u];
                    if (node.prev != kNoNode) {
                        const double input = prod[u] / node.conversion;
                        inv[node.prev] -= input;
                        consumed[s - 1] += input;
                    }
                    desired[u] = requested[u];
                }
                // 6. leakage into the pipeline; 7. arrivals, releases, purchases, consumption
                for (auto v = st.first; v < st.last; ++v) {
                    const auto& node = mm.nodes[v];
                    const double arriving = pipeline[v * ring + slot_now];
                    pipeline[v * ring + slot_now] = 0.0;
                    pipeline[v * ring + (t + leak_delay) % ring] += leak_in[v];
                    double a = self_ship[v] + reship[v];
                    double taxed = 0.0;
                    for (const auto e : node.in_edges) {
                        a += ship[e];
                        taxed += tax[e] * ship[e];
                    }
                    // leak shipped with delay 0 arrives at once (slot_now == slot of t + 0)
                    const double leak_now = leak_delay == 0 ? pipeline[v * ring + slot_now] : 0.0;
                    if (leak_delay == 0) {
                        pipeline[v * ring + slot_now] = 0.0;
                    }
                    arrivals[v] = a + arriving + leak_now;
                    tax_paid[v] = taxed;
                    leak_in[v] = arriving + leak_now;  // now: leak arrivals of this week
                    gap[v] = std::max(0.0, want[v] - (inv[v] + arrivals[v]));
                    release[v] = 0.0;
                }
                for (std::size_t k = 0; k < mm.stocks.size(); ++k) {
                    const auto& sk = mm.stocks[k];
                    if (sk.stage != s || sk.nodes.empty()) {
                        continue;
                    }
                    if (sk.unconditional) {
                        if (!rules_[sk.rule][t].active) {
                            continue;
                        }
                        double total = 0.0;
                        for (const auto v : sk.nodes) {
                            total += mm.nodes[v].use0;
                        }
                        for (const auto v : sk.nodes) {
                            release[v] += stock_rate[k] * mm.nodes[v].use0 / total;
                        }
                        from_stock[s] += stock_rate[k];
                        continue;
                    }
                    double g = 0.0;
                    for (const auto v : sk.nodes) {
                        g += gap[v];
                    }
                    const double out = std::min({stock_rate[k], stock[k], g});
                    if (out <= 0.0) {
                        continue;
                    }
                    for (const auto v : sk.nodes) {
                        const double part = out * gap[v] / g;
                        release[v] += part;
                        gap[v] -= part;
                    }
                    stock[k] -= out;
                    from_stock[s] += out;
                }
                for (auto v = st.first; v < st.last; ++v) {
                    const auto& node = mm.nodes[v];
                    inv[v] += arrivals[v] + release[v];
                    if (pwant[v] > 0) {
                        const double bought = std::min(pwant[v], std::max(0.0, inv[v] - want[v]));
                        inv[v] -= bought;
                        to_stock[s] += bought;
                        for (std::size_t k = 0; k < mm.purchases.size(); ++k) {
                            purchased_stock[k] += bought * purchase_of(k, v, t) / pwant[v];
                        }
                    }
                    // Price tightness (§7.1 step 5): what buyers order this week (use, restocking,
                    // purchases) against what arrives (shipments, leakage, releases).
                    need_c[node.country] += need[v];
                    avail_c[node.country] += arrivals[v] + release[v];
                }
                if (st.final) {
                    final_stage(mi, s, t, inv, want, arrivals, tax_paid, leak_in, par, consumed);
                }
            }
            // Prices per buyer country.
            double eps = par.elasticity_demand_short;
            bool shocked = false;
            for (std::size_t c = 0; c < nc; ++c) {
                if (need_c[c] > avail_c[c] * (1.0 + 1e-9)) {
                    shocked = true;
                }
            }
            if (shocked && first_shock < 0) {
                first_shock = static_cast<int>(t);
            }
            if (first_shock >= 0 && tau_sub > 0) {
                const double tau = static_cast<double>(static_cast<int>(t) - first_shock);
                eps += (par.elasticity_demand_long - par.elasticity_demand_short) * (1.0 - std::exp(-tau / tau_sub));
            } else if (first_shock >= 0) {
                eps = par.elasticity_demand_long;
            }
            const double inv_eps = 1.0 / std::max(1e-6, std::fabs(eps));
            for (std::size_t c = 0; c < nc; ++c) {
                double mult = 1.0;
                if (need_c[c] > 0) {
                    if (avail_c[c] <= 0) {
                        mult = cap_mult;
                    } else {
                        const double ratio = need_c[c] / avail_c[c];
                        mult = ratio > 1.0 + 1e-12 ? std::min(cap_mult, std::pow(ratio, inv_eps)) : 1.0;
                    }
                }
                price_c[c] = p0 * mult;
            }
            costs(mi, t, price_c, peff);
            // Capacity responds to high prices outside the restricting countries, after the lag.
            double world_price = 0.0;
            double world_weight = 0.0;
            for (std::size_t c = 0; c < nc; ++c) {
                world_price += weight_c[c] * price_c[c];
                world_weight += weight_c[c];
            }
            world_price = world_weight > 0 ? world_price / world_weight : p0;
            if (first_shock >= 0 && static_cast<double>(static_cast<int>(t) - first_shock) >= cap_lag && p0 > 0) {
                const double growth = std::max(0.0, par.elasticity_supply_long * (world_price / p0 - 1.0));
                for (std::size_t v = 0; v < n; ++v) {
                    if (restricting[mm.nodes[v].country] == 0) {
                        k_growth[v] += growth * k_base[v] / kWeeksPerYear;
                    }
                }
            }
            // Mass balance per stage: produced + released = consumed + Δinventory + Δpipeline + purchased.
            std::vector<double> inv_after(mm.stages.size(), 0.0), pipe_after(mm.stages.size(), 0.0),
                scale(mm.stages.size(), 0.0);
            for (std::size_t v = 0; v < n; ++v) {
                const auto s = mm.nodes[v].stage;
                inv_after[s] += inv[v];
                scale[s] += mm.nodes[v].use0 + mm.nodes[v].out0;
                for (std::size_t k = 0; k < ring; ++k) {
                    pipe_after[s] += pipeline[v * ring + k];
                }
            }
            for (std::size_t s = 0; s < mm.stages.size(); ++s) {
                const double residual = produced[s] + from_stock[s] - consumed[s] - (inv_after[s] - inv_before[s]) -
                                        (pipe_after[s] - pipe_before[s]) - to_stock[s];
                const double denom = std::max({scale[s], produced[s], inv_after[s], 1e-300});
                result_.max_mass_residual = std::max(result_.max_mass_residual, std::fabs(residual) / denom);
            }
            // Material series of this week.
            for (std::size_t r = 0; r < nr; ++r) {
                const auto& in = sim_.region_members[r];
                double short_t = 0.0, use_t = 0.0, pw = 0.0, ww = 0.0, inv_t = 0.0, use_all = 0.0, dp = 0.0,
                       dw = 0.0;
                for (std::size_t v = 0; v < n; ++v) {
                    const auto& node = mm.nodes[v];
                    if (in[node.country] == 0) {
                        continue;
                    }
                    inv_t += inv[v];
                    use_all += node.use0;
                    if (mm.stages[node.stage].final) {
                        short_t += last_shortfall_[v];
                        use_t += want[v];
                        dp += node.use0 * (peff[v] - p0);
                        dw += node.use0;
                    }
                }
                for (std::size_t c = 0; c < nc; ++c) {
                    if (in[c] != 0) {
                        pw += weight_c[c] * price_c[c];
                        ww += weight_c[c];
                    }
                }
                double stock_t = 0.0;
                for (std::size_t k = 0; k < mm.stocks.size(); ++k) {
                    for (const auto v : mm.stocks[k].nodes) {
                        if (in[mm.nodes[v].country] != 0) {
                            stock_t += stock[k];
                            break;
                        }
                    }
                }
                for (std::size_t k = 0; k < mm.purchases.size(); ++k) {
                    for (const auto& [v, share] : mm.purchases[k].nodes) {
                        if (in[mm.nodes[v].country] != 0) {
                            stock_t += purchased_stock[k];
                            break;
                        }
                    }
                }
                value(material_series(r, 0), t) = use_t > 0 ? short_t / use_t : 0.0;
                value(material_series(r, 1), t) = short_t;
                value(material_series(r, 2), t) = ww > 0 && p0 > 0 ? pw / ww / p0 : 1.0;
                value(material_series(r, 3), t) = use_all > 0 ? inv_t / use_all : 0.0;
                value(material_series(r, 4), t) = stock_t;
                region_dprice_[(r * sim_.models.size() + mi) * weeks_ + t] = dw > 0 ? dp / dw : 0.0;
            }
        }
    }

    /// Consumption at the final stage and its split across sectors (priority or pro rata). Costs
    /// wait for this week's prices (costs()).
    void final_stage(std::size_t mi, std::uint32_t s, std::size_t t, std::vector<double>& inv,
                     const std::vector<double>& want, const std::vector<double>& arrivals,
                     const std::vector<double>& tax_paid, const std::vector<double>& leak_in,
                     const MaterialParams& par, std::vector<double>& consumed) {
        const auto& mm = sim_.models[mi];
        const auto& st = mm.stages[s];
        const std::size_t ns = sim_.sectors.size();
        last_shortfall_.assign(mm.nodes.size(), 0.0);
        price_add_.assign(mm.nodes.size(), 0.0);
        got_.assign(mm.nodes.size() * ns, 0.0);
        std::vector<double> sector_want(ns);
        const auto& prio = sim_.spec.priority_sectors;
        for (auto v = st.first; v < st.last; ++v) {
            const auto& node = mm.nodes[v];
            const double c = std::min(want[v], std::max(0.0, inv[v]));
            inv[v] -= c;
            consumed[s] += c;
            last_shortfall_[v] = want[v] - c;
            if (arrivals[v] > 0) {
                price_add_[v] = (tax_paid[v] + par.leakage_markup * leak_in[v]) / arrivals[v];
            }
            double total_demand = 0.0;
            for (const auto& [k, d] : node.demand) {
                total_demand += d;
            }
            if (total_demand <= 0) {
                continue;
            }
            std::fill(sector_want.begin(), sector_want.end(), 0.0);
            for (const auto& [k, d] : node.demand) {
                sector_want[k] += d / total_demand * want[v];
            }
            double* got = &got_[v * ns];
            if (sim_.spec.sector_priority) {
                double left = c;
                double rest = 0.0;
                for (const auto& id : prio) {
                    const auto it = std::find(sim_.sectors.begin(), sim_.sectors.end(), id);
                    if (it != sim_.sectors.end()) {
                        const auto k = static_cast<std::size_t>(it - sim_.sectors.begin());
                        got[k] = std::min(sector_want[k], left);
                        left -= got[k];
                    }
                }
                for (std::size_t k = 0; k < ns; ++k) {
                    if (std::find(prio.begin(), prio.end(), sim_.sectors[k]) == prio.end()) {
                        rest += sector_want[k];
                    }
                }
                for (std::size_t k = 0; k < ns; ++k) {
                    if (rest > 0 && std::find(prio.begin(), prio.end(), sim_.sectors[k]) == prio.end()) {
                        got[k] = sector_want[k] * std::min(1.0, std::max(0.0, left) / rest);
                    }
                }
            } else {
                const double f = want[v] > 0 ? c / want[v] : 1.0;
                for (std::size_t k = 0; k < ns; ++k) {
                    got[k] = sector_want[k] * f;
                }
            }
            for (std::size_t r = 0; r < sim_.regions.size(); ++r) {
                if (sim_.region_members[r][node.country] == 0) {
                    continue;
                }
                for (std::size_t k = 0; k < ns; ++k) {
                    if (sector_want[k] > 0) {
                        const std::size_t slot = sector_slot(r, mi, k, t);
                        sector_want_[slot] += sector_want[k];
                        sector_short_[slot] += sector_want[k] - got[k];
                    }
                }
            }
        }
    }

    /// Effective buyer prices at the final stage (market price plus export taxes and the leakage
    /// markup on their shares of arrivals) and the extra cost of what the sectors got.
    void costs(std::size_t mi, std::size_t t, const std::vector<double>& price_c, std::vector<double>& peff) {
        const auto& mm = sim_.models[mi];
        const auto& st = mm.stages.back();
        const std::size_t ns = sim_.sectors.size();
        for (auto v = st.first; v < st.last; ++v) {
            const auto& node = mm.nodes[v];
            peff[v] = price_c[node.country] * (1.0 + price_add_[v]);
            const double dp = peff[v] - mm.p0;
            for (std::size_t r = 0; r < sim_.regions.size(); ++r) {
                if (sim_.region_members[r][node.country] == 0) {
                    continue;
                }
                for (std::size_t k = 0; k < ns; ++k) {
                    sector_cost_[sector_slot(r, mi, k, t)] += dp * got_[v * ns + k];
                }
            }
        }
    }

    void sector_series() {
        const std::size_t nm = sim_.models.size();
        for (std::size_t r = 0; r < sim_.regions.size(); ++r) {
            for (std::size_t k = 0; k < sim_.sectors.size(); ++k) {
                for (std::size_t t = 0; t < weeks_; ++t) {
                    double share = 0.0, cost = 0.0, pct = 0.0;
                    for (std::size_t mi = 0; mi < nm; ++mi) {
                        const std::size_t slot = sector_slot(r, mi, k, t);
                        if (sector_want_[slot] > 0) {
                            share = std::max(share, sector_short_[slot] / sector_want_[slot]);
                        }
                        cost += sector_cost_[slot];
                        pct += sim_.models[mi].intensity[k] / 1e9 * region_dprice_[(r * nm + mi) * weeks_ + t] * 100.0;
                    }
                    value(series_index(r, true, k, 0), t) = share;
                    value(series_index(r, true, k, 1), t) = cost;
                    value(series_index(r, true, k, 2), t) = pct;
                }
            }
        }
    }

    void summaries() {
        const std::size_t nm = sim_.models.size();
        for (std::size_t r = 0; r < sim_.regions.size(); ++r) {
            for (std::size_t mi = 0; mi < nm; ++mi) {
                double peak = 0.0, first = kInf, price = 1.0, cum_t = 0.0, cost = 0.0;
                for (std::size_t t = 0; t < weeks_; ++t) {
                    const double sh = value(series_index(r, false, mi, 0), t);
                    peak = std::max(peak, sh);
                    if (sh > kShortfallThreshold && !std::isfinite(first)) {
                        first = static_cast<double>(t);
                    }
                    price = std::max(price, value(series_index(r, false, mi, 2), t));
                    cum_t += value(series_index(r, false, mi, 1), t);
                    for (std::size_t k = 0; k < sim_.sectors.size(); ++k) {
                        cost += sector_cost_[sector_slot(r, mi, k, t)];
                    }
                }
                const double vals[] = {peak, first, price, cum_t, cost};
                for (std::size_t j = 0; j < kNMaterialSummaries; ++j) {
                    result_.summaries[summary_index(r, false, mi, j)] = vals[j];
                }
            }
            for (std::size_t k = 0; k < sim_.sectors.size(); ++k) {
                double peak = 0.0, first = kInf, cost = 0.0, pct = 0.0;
                for (std::size_t t = 0; t < weeks_; ++t) {
                    const double sh = value(series_index(r, true, k, 0), t);
                    peak = std::max(peak, sh);
                    if (sh > kShortfallThreshold && !std::isfinite(first)) {
                        first = static_cast<double>(t);
                    }
                    cost += value(series_index(r, true, k, 1), t);
                    pct = std::max(pct, value(series_index(r, true, k, 2), t));
                }
                const double vals[] = {peak, first, cost, pct};
                for (std::size_t j = 0; j < kNSectorSummaries; ++j) {
                    result_.summaries[summary_index(r, true, k, j)] = vals[j];
                }
            }
        }
    }

    const Simulation& sim_;
    Rng rng_;
    model::ScenarioSpec drawn_;
    std::vector<model::Measure> measures_;
    std::vector<std::vector<RuleWeek>> rules_;
    std::size_t weeks_ = 0;
    RunResult result_;
    std::vector<double> last_shortfall_;  ///< final-stage shortfall of this week, by node
    std::vector<double> price_add_;       ///< tax + markup share of this week's arrivals, by node
    std::vector<double> got_;             ///< [node * sectors + sector] t consumed this week
    std::vector<double> sector_want_, sector_short_, sector_cost_, region_dprice_;
};

}  // namespace

RunResult simulate_run(const Simulation& sim, std::uint64_t seed, std::uint64_t run) {
    return Runner(sim, seed, run).run();
}

}  // namespace lodestone::sim
