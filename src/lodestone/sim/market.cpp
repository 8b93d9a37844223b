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
#include "lodestone/sim/internal/market_common.hpp"
#include "lodestone/sim/internal/market_zones.hpp"
#include "lodestone/sim/random.hpp"

namespace lodestone::sim {

using internal::kNoNode;
using internal::MaterialModel;
using internal::Rule;
using internal::StageNode;
using internal::Treatment;
using model::MeasureKind;
using namespace internal;  // NOLINT: the model's own internals

namespace {

std::uint32_t u32(std::size_t n) {
    return static_cast<std::uint32_t>(n);
}

bool is_modelled(MeasureKind k) {
    return is_restriction(k) || k == MeasureKind::StockpilePurchase ||
           k == MeasureKind::StockpileRelease || k == MeasureKind::CapacityChange;
}

/// The measure's window [effective, expires] meets [from, to].
bool window_meets(const model::Measure& m, Date from, Date to) {
    return m.effective && *m.effective <= to && (!m.expires || *m.expires >= from);
}

}  // namespace

std::string_view to_string(Metric metric) {
    switch (metric) {
        case Metric::ShortfallShare:
            return "shortfall_share";
        case Metric::ShortfallTonnes:
            return "shortfall_t";
        case Metric::PriceMultiple:
            return "price_multiple";
        case Metric::InventoryWeeks:
            return "inventory_weeks";
        case Metric::StockTonnes:
            return "strategic_stock_t";
        case Metric::CostUsd:
            return "cost_usd";
        case Metric::CostPctOutput:
            return "cost_pct_output";
        case Metric::PriceInside:
            return "price_inside";
        case Metric::PriceOutside:
            return "price_outside";
    }
    return "shortfall_share";
}

std::string_view unit_of(Metric metric) {
    switch (metric) {
        case Metric::ShortfallShare:
            return "share";
        case Metric::ShortfallTonnes:
            return "t/week";
        case Metric::PriceMultiple:
            return "x";
        case Metric::InventoryWeeks:
            return "weeks";
        case Metric::StockTonnes:
            return "t";
        case Metric::CostUsd:
            return "USD/week";
        case Metric::CostPctOutput:
            return "%";
        case Metric::PriceInside:
        case Metric::PriceOutside:
            return "x";
    }
    return "";
}

std::string_view to_string(SummaryMetric metric) {
    switch (metric) {
        case SummaryMetric::PeakShortfallShare:
            return "peak_shortfall_share";
        case SummaryMetric::FirstShortfallWeek:
            return "first_shortfall_week";
        case SummaryMetric::PeakPriceMultiple:
            return "peak_price_multiple";
        case SummaryMetric::CumulativeShortfallTonnes:
            return "cumulative_shortfall_t";
        case SummaryMetric::CumulativeCostUsd:
            return "cumulative_cost_usd";
        case SummaryMetric::PeakCostPctOutput:
            return "peak_cost_pct_output";
    }
    return "";
}

// ------------------------------------------------------------------------------------------
// compile
// ------------------------------------------------------------------------------------------

namespace {

constexpr Metric kMaterialMetrics[] = {Metric::ShortfallShare, Metric::ShortfallTonnes,
                                       Metric::PriceMultiple, Metric::InventoryWeeks,
                                       Metric::StockTonnes};
constexpr Metric kSectorMetrics[] = {Metric::ShortfallShare, Metric::CostUsd,
                                     Metric::CostPctOutput};
constexpr SummaryMetric kMaterialSummaries[] = {
    SummaryMetric::PeakShortfallShare, SummaryMetric::FirstShortfallWeek,
    SummaryMetric::PeakPriceMultiple, SummaryMetric::CumulativeShortfallTonnes,
    SummaryMetric::CumulativeCostUsd};
constexpr SummaryMetric kSectorSummaries[] = {
    SummaryMetric::PeakShortfallShare, SummaryMetric::FirstShortfallWeek,
    SummaryMetric::CumulativeCostUsd, SummaryMetric::PeakCostPctOutput};

/// Upper end of a parameter for histogram ranges: the support's max, or median·e^{4σ} for
/// lognormal.
double upper(const model::Param& p, double fallback) {
    if (!p) {
        return fallback;
    }
    const double hi = support_max(*p);
    return std::isfinite(hi) ? hi : p->median * std::exp(4.0 * p->sigma);
}

class Compiler {
public:
    Compiler(const model::World& world, const model::ScenarioSpec& spec, int horizon)
        : spec_(spec) {
        sim_.spec = spec;
        if (has_world_overrides(spec)) {
            sim_.overridden =
                std::make_shared<const model::World>(apply_world_overrides(world, spec));
            sim_.world = sim_.overridden.get();
        } else {
            sim_.world = &world;
        }
        sim_.horizon_weeks = horizon > 0 ? horizon : spec.horizon_weeks;
        sim_.price_cap_multiple =
            spec.price_cap_multiple.value_or(sim_.world->methods.price_cap_multiple);
    }

    Simulation run() {
        const auto& w = *sim_.world;
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
        for (std::size_t mi = 0; mi < sim_.models.size(); ++mi) {
            internal::build_zones(sim_.models[mi], mi, sim_.rules, sim_.net.countries);
            if (sim_.models[mi].zones.size() > 1) {
                std::string names;
                for (std::size_t z = 1; z < sim_.models[mi].zones.size(); ++z) {
                    names += (z > 1 ? ", " : "") + sim_.models[mi].zones[z].name;
                }
                sim_.notes.push_back(sim_.models[mi].id + ": price zones " + names +
                                     " and the rest of the world");
            }
        }
        regions();
        layout();
        return std::move(sim_);
    }

private:
    // Which measures the model applies and how (status quo: in force at start = baseline).
    void choose_rules() {
        const auto& w = *sim_.world;
        for (std::size_t i = 0; i < measures_.size(); ++i) {
            const auto& m = measures_[i];
            const auto* edit = edit_of(spec_, m.id);
            const auto* base = w.find_measure(m.id);
            const bool in_force_at_start =
                base != nullptr &&
                policy::status_on(*base, w.measures, spec_.start) == policy::Status::InForce;
            Treatment treatment = Treatment::Applied;
            if (!spec_.free_trade_baseline && in_force_at_start) {
                treatment = edit == nullptr ? Treatment::Absorbed : Treatment::Relative;
            }
            const bool relevant = window_meets(m, spec_.start, end_);
            if (!is_modelled(m.kind)) {
                if (relevant && (edit != nullptr || !in_force_at_start) && !m.materials.empty() &&
                    m.kind != MeasureKind::Suspension) {
                    not_modelled_.push_back(m.id + " (" + std::string(model::to_string(m.kind)) +
                                            ")");
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
                r.old_approval =
                    base->kind == MeasureKind::ExportBan ? 0.0 : base->approval_rate.value_or(1.0);
                r.old_quota = base->quota_tonnes.value_or(0.0);
                r.old_tax = base->tax_rate.value_or(0.0);
            }
            if (m.kind == MeasureKind::ExportLicensing && !m.approval_rate) {
                sim_.notes.push_back("measure " + m.id +
                                     " has no approval_rate: taken as 1 (no volume effect)");
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
            sim_.notes.push_back(
                "measures not modelled by the market model (no volume or price rule): " + list);
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
            const auto* mat = sim_.world->find_material(id);
            bool in_net = false;
            for (const auto& mi : sim_.net.materials) {
                in_net = in_net || mi.id == id;
            }
            if (mat != nullptr && in_net) {
                sim_.materials.push_back(id);
            }
        }
        if (sim_.materials.empty()) {
            throw InputError(
                {{Severity::Error, ErrorCode::Required, spec_.file, 0, 0, "scenario.materials",
                  "scenario.materials: the scenario touches no material with supply data in its "
                  "horizon; list the materials to simulate"}});
        }
    }

    /// Drops rules and listed measures that touch none of the simulated materials.
    void keep_simulated_materials() {
        auto touches = [&](const std::vector<std::string>& materials) {
            return std::any_of(materials.begin(), materials.end(), [&](const std::string& m) {
                return std::find(sim_.materials.begin(), sim_.materials.end(), m) !=
                       sim_.materials.end();
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
        for (const auto& e : sim_.world->end_use) {
            if (std::find(sim_.materials.begin(), sim_.materials.end(), e.material) !=
                    sim_.materials.end() &&
                e.share > 0) {
                ids.insert(e.sector);
            }
        }
        sim_.sectors.assign(ids.begin(), ids.end());
    }

    std::uint32_t sector_index(const std::string& id) const {
        const auto it = std::find(sim_.sectors.begin(), sim_.sectors.end(), id);
        return it == sim_.sectors.end() ? kNoNode
                                        : u32(static_cast<std::size_t>(it - sim_.sectors.begin()));
    }

    void build_material(const std::string& id) {
        const auto& w = *sim_.world;
        const auto& net = sim_.net;
        const auto* mat = w.find_material(id);
        MaterialModel mm;
        mm.id = id;
        if (mat->price_usd_t && *mat->price_usd_t > 0) {
            mm.p0 = *mat->price_usd_t;
        } else {
            sim_.notes.push_back(
                id + ": no price in the dataset; costs are 0 and prices are indices of 1");
            mm.p0 = 0.0;
        }
        for (const auto& e : w.end_use) {
            const auto* sector = w.find_sector(e.sector);
            if (e.material == id && sector != nullptr && sector->serves_military) {
                mm.defence_share += e.share;  // every sector that serves armed forces (sectors.csv)
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
                    trade.push_back({net.countries[net.nodes[edge.from].country],
                                     {it->second, lv, edge.t_week}});
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
            std::sort(trade.begin(), trade.end(),
                      [](const auto& a, const auto& b) { return a.first < b.first; });
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
                sim_.notes.push_back(
                    id + "/" + mm.stages[node.stage].id + "/" + net.countries[node.country] +
                    ": output without an input node; treated as unconstrained by inputs");
            }
        }
        stocks_and_projects(mm);
        sim_.models.push_back(std::move(mm));
    }

    double capacity_of(const std::string& material,
                       const std::string& stage,
                       const std::string& country) const {
        for (const auto& p : sim_.world->production) {
            if (p.material == material && p.stage == stage && p.country == country &&
                p.capacity_tonnes) {
                return *p.capacity_tonnes / kWeeksPerYear;
            }
        }
        return -1.0;
    }

    /// Nodes of `stage` in the member countries of `code`, with positive use (buyers).
    std::vector<std::uint32_t> buyers(const MaterialModel& mm,
                                      std::uint32_t stage,
                                      const std::string& code) const {
        const auto members = sim_.world->members(code);
        std::vector<std::uint32_t> out;
        for (auto v = mm.stages[stage].first; v < mm.stages[stage].last; ++v) {
            const auto& c = sim_.net.countries[mm.nodes[v].country];
            if (mm.nodes[v].use0 > 0 &&
                std::find(members.begin(), members.end(), c) != members.end()) {
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
        const auto& w = *sim_.world;
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
                sim_.notes.push_back("stockpile " + s.label + " of " + mm.id +
                                     ": no buyers to serve");
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
                sim_.notes.push_back("stockpile " + s.label + " of " + mm.id +
                                     ": no buyers to serve");
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
            // Capacity belongs to the country's zone, so a project in a country with no output
            // yet (a new separation plant) still adds capacity.
            const auto& codes = sim_.net.countries;
            const auto it = std::find(codes.begin(), codes.end(), p.country);
            if (it == codes.end()) {
                skipped_projects_.push_back(p.id);
                continue;
            }
            mm.projects.push_back({s, u32(static_cast<std::size_t>(it - codes.begin())),
                                   p.capacity_tonnes / kWeeksPerYear, p.status, p.probability,
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
            if (m.kind == MeasureKind::StockpilePurchase ||
                m.kind == MeasureKind::StockpileRelease) {
                for (const auto s : stages) {
                    const auto nodes = buyers(mm, s, m.country);
                    double total = 0.0;
                    for (const auto v : nodes) {
                        total += mm.nodes[v].use0;
                    }
                    if (nodes.empty() || total <= 0) {
                        sim_.notes.push_back("measure " + m.id + ": " + m.country +
                                             " has no buyers of " + mm.id + "/" + mm.stages[s].id +
                                             "; not modelled");
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
                const auto members = sim_.world->members(m.country);
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
                        const double share = total > 0 ? mm.nodes[v].out0 / total
                                                       : 1.0 / static_cast<double>(nodes.size());
                        mm.capacity_changes.push_back({r, v, share});
                    }
                    if (nodes.empty()) {
                        sim_.notes.push_back("measure " + m.id + ": " + m.country + " has no " +
                                             mm.id + "/" + mm.stages[s].id +
                                             " node; capacity change not modelled");
                    }
                }
            }
        }
    }

    // Pair coverage of every restrictive rule, per material and stage.
    void cover_rules() {
        const auto& w = *sim_.world;
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
                imposer[c] =
                    std::find(members.begin(), members.end(), countries[c]) != members.end() ? 1
                                                                                             : 0;
                target[c] = policy::covers_destination(w, m, countries[c]) ? 1 : 0;
                if (imposer[c] != 0) {
                    rule.imposers.push_back(u32(c));
                }
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
                            const bool hit = tariff ? (imposer[b] != 0 && target[a] != 0)
                                                    : (imposer[a] != 0 && target[b] != 0);
                            if (hit && a != b) {
                                cover[a * nc + b] = 1;
                                any = true;
                            }
                        }
                    }
                    for (auto v = mm.stages[s].first; v < mm.stages[s].last; ++v) {
                        for (const auto e : mm.nodes[v].in_edges) {
                            const auto& te = mm.edges[e];
                            if (cover[mm.nodes[te.from].country * nc + mm.nodes[te.to].country] !=
                                0) {
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
            sim_.notes.push_back(
                std::to_string(skipped_projects_.size()) +
                " projects are in countries outside the network and add no capacity");
        }
    }

    void regions() {
        const auto& countries = sim_.net.countries;
        sim_.regions.emplace_back("WORLD");
        sim_.region_members.emplace_back(countries.size(), 1);
        for (const auto& code : spec_.regions) {
            const auto members = sim_.world->members(code);
            std::vector<std::uint8_t> in(countries.size(), 0);
            for (std::size_t c = 0; c < countries.size(); ++c) {
                in[c] = std::find(members.begin(), members.end(), countries[c]) != members.end()
                            ? 1
                            : 0;
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
        for (const auto& s : sim_.world->stockpiles) {
            stock_hi += s.tonnes;
        }
        for (const auto& r : sim_.rules) {
            const auto* e = edit_of(spec_, r.id);
            if (r.kind == MeasureKind::StockpilePurchase) {
                stock_hi += e != nullptr && e->tonnes ? upper(e->tonnes, 0.0)
                                                      : measures_[r.index].tonnes.value_or(0.0);
            }
        }
        const double cap = sim_.price_cap_multiple;
        const double price_hi =
            cap * (1.0 + 1.0 + upper(spec_.params.leakage_markup, Defaults::kLeakageMarkup));
        // Price bands: 0.01 x wide up to the guard (sparse bins), so medians are read to 1 %.
        const BinSpec price_bins{
            0.0, std::max(cap, 1.0 + 1e-9),
            static_cast<std::uint32_t>(std::clamp(cap * 100.0, 1000.0, 100000.0))};
        for (std::size_t r = 0; r < sim_.regions.size(); ++r) {
            const auto& in = sim_.region_members[r];
            for (const auto& mm : sim_.models) {
                double final_use = 0.0;
                for (const auto& n : mm.nodes) {
                    if (mm.stages[n.stage].final && in[n.country] != 0) {
                        final_use += n.use0;
                    }
                }
                const std::string& final_stage = mm.stages.back().id;
                for (const auto metric : kMaterialMetrics) {
                    BinSpec bins{0.0, 1.0, 1000};
                    if (metric == Metric::ShortfallTonnes) {
                        bins.hi = std::max(final_use, 1e-9);
                    } else if (metric == Metric::PriceMultiple) {
                        bins = price_bins;
                    } else if (metric == Metric::InventoryWeeks) {
                        bins.hi = 2.0 * inventory_hi + 4.0;
                    } else if (metric == Metric::StockTonnes) {
                        bins.hi = std::max(stock_hi, 1e-9);
                    }
                    const std::string stage =
                        metric == Metric::PriceMultiple ? final_stage : std::string();
                    sim_.series.push_back({sim_.regions[r], false, mm.id, metric, bins, stage});
                }
                for (std::size_t s = 0; s + 1 < mm.stages.size(); ++s) {
                    sim_.series.push_back({sim_.regions[r], false, mm.id, Metric::PriceMultiple,
                                           price_bins, mm.stages[s].id});
                }
                if (r == 0) {  // the two tiers, world-wide, final stage first
                    for (std::size_t k = 0; k < mm.stages.size(); ++k) {
                        const auto& st = mm.stages[mm.stages.size() - 1 - k];
                        sim_.series.push_back({sim_.regions[r], false, mm.id, Metric::PriceInside,
                                               price_bins, st.id});
                        sim_.series.push_back({sim_.regions[r], false, mm.id, Metric::PriceOutside,
                                               price_bins, st.id});
                    }
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
                    sim_.series.push_back(
                        {sim_.regions[r], true, sim_.sectors[k], metric, bins, {}});
                }
                for (const auto metric : kSectorSummaries) {
                    sim_.summaries.push_back({sim_.regions[r], true, sim_.sectors[k], metric});
                }
            }
        }
        sim_.notes.push_back(
            "measures are evaluated on the first day of each week; a week is 7 days from " +
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

Simulation compile_simulation(const model::World& world,
                              const model::ScenarioSpec& spec,
                              int horizon_weeks) {
    return Compiler(world, spec, horizon_weeks).run();
}

std::size_t Simulation::find_series(std::string_view region,
                                    bool sector,
                                    std::string_view group,
                                    Metric metric,
                                    std::string_view stage) const {
    for (std::size_t i = 0; i < series.size(); ++i) {
        const auto& s = series[i];
        if (s.region == region && s.sector == sector && s.group == group && s.metric == metric &&
            (stage.empty() || s.stage == stage)) {
            return i;
        }
    }
    return series.size();
}

}  // namespace lodestone::sim
