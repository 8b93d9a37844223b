#include "lodestone/policy/timeline.hpp"

#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_map>

namespace lodestone::policy {

struct MeasureIndexScope::Index {
    std::span<const model::Measure> all;
    /// Suspension rows by the id they name, in input order (any dates).
    std::unordered_map<std::string_view, std::vector<const model::Measure*>> naming;
    /// The first measure of each id.
    std::unordered_map<std::string_view, const model::Measure*> by_id;
};

namespace {
thread_local const MeasureIndexScope::Index* t_index = nullptr;

const MeasureIndexScope::Index* index_for(std::span<const model::Measure> all) {
    return t_index != nullptr && t_index->all.data() == all.data() &&
                   t_index->all.size() == all.size()
               ? t_index
               : nullptr;
}

/// The suspension rows that name `m` (any dates): from the scope's index, else by a scan.
std::vector<const model::Measure*> naming(const model::Measure& m,
                                          std::span<const model::Measure> all) {
    if (const auto* idx = index_for(all)) {
        const auto it = idx->naming.find(m.id);
        return it == idx->naming.end() ? std::vector<const model::Measure*>{} : it->second;
    }
    std::vector<const model::Measure*> out;
    for (const auto& s : all) {
        if (s.kind == model::MeasureKind::Suspension &&
            std::find(s.suspends.begin(), s.suspends.end(), m.id) != s.suspends.end()) {
            out.push_back(&s);
        }
    }
    return out;
}

const model::Measure* find_id(const std::string& id, std::span<const model::Measure> all) {
    if (const auto* idx = index_for(all)) {
        const auto it = idx->by_id.find(id);
        return it == idx->by_id.end() ? nullptr : it->second;
    }
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const model::Measure& m) { return m.id == id; });
    return it == all.end() ? nullptr : &*it;
}

bool window_covers(const model::Measure& m, Date date) {
    return m.effective && *m.effective <= date && (!m.expires || date <= *m.expires);
}

/// Days on which the measure's status can change: its own start/end+1 and its suspensions'.
std::set<int> candidate_days(const model::Measure& m, std::span<const model::Measure> all) {
    std::set<int> days;
    auto add_window = [&](const model::Measure& w) {
        if (w.effective) {
            days.insert(w.effective->days());
        }
        if (w.expires) {
            days.insert(w.expires->days() + 1);
        }
    };
    add_window(m);
    for (const auto* s : naming(m, all)) {
        add_window(*s);
    }
    return days;
}
}  // namespace

MeasureIndexScope::MeasureIndexScope(std::span<const model::Measure> all)
    : index_(std::make_unique<Index>()), previous_(t_index) {
    index_->all = all;
    for (const auto& m : all) {
        index_->by_id.emplace(m.id, &m);
        if (m.kind == model::MeasureKind::Suspension) {
            for (const auto& id : m.suspends) {
                auto& list = index_->naming[id];
                if (list.empty() || list.back() != &m) {
                    list.push_back(&m);
                }
            }
        }
    }
    t_index = index_.get();
}

MeasureIndexScope::~MeasureIndexScope() {
    t_index = previous_;
}

namespace {
/// The transition of `m` on day d (status on d-1 differs from status on d), if any.
std::optional<Change> change_on(const model::Measure& m,
                                std::span<const model::Measure> all,
                                Date d) {
    const Status before = status_on(m, all, d.plus_days(-1));
    const Status after = status_on(m, all, d);
    if (before == after) {
        return std::nullopt;
    }
    Change c{d, ChangeKind::Started, &m, nullptr};
    if (after == Status::Suspended) {
        c.kind = ChangeKind::Suspended;
    } else if (before == Status::Suspended && after == Status::InForce) {
        c.kind = ChangeKind::Resumed;
    } else if (after == Status::Inactive) {
        c.kind = ChangeKind::Ended;
    }
    if (c.kind == ChangeKind::Suspended || c.kind == ChangeKind::Resumed) {
        const Date probe = c.kind == ChangeKind::Suspended ? d : d.plus_days(-1);
        const auto active = suspensions_of(m, all, probe);
        c.cause = active.empty() ? nullptr : active.front();
    }
    return c;
}
}  // namespace

std::optional<Change> last_change(const model::Measure& measure,
                                  std::span<const model::Measure> all,
                                  Date date) {
    const auto days = candidate_days(measure, all);
    for (auto it = days.rbegin(); it != days.rend(); ++it) {
        if (*it > date.days()) {
            continue;
        }
        if (auto c = change_on(measure, all, Date::from_days(*it))) {
            return c;
        }
    }
    return std::nullopt;
}

std::string_view to_string(Status status) {
    switch (status) {
        case Status::Inactive:
            return "inactive";
        case Status::InForce:
            return "in_force";
        case Status::Suspended:
            return "suspended";
    }
    return "inactive";
}

std::string_view to_string(ChangeKind kind) {
    switch (kind) {
        case ChangeKind::Started:
            return "started";
        case ChangeKind::Ended:
            return "ended";
        case ChangeKind::Suspended:
            return "suspended";
        case ChangeKind::Resumed:
            return "resumed";
    }
    return "started";
}

std::optional<ChangeKind> parse_change_kind(std::string_view text) {
    for (const auto kind :
         {ChangeKind::Started, ChangeKind::Ended, ChangeKind::Suspended, ChangeKind::Resumed}) {
        if (to_string(kind) == text) {
            return kind;
        }
    }
    return std::nullopt;
}

std::vector<const model::Measure*> suspensions_of(const model::Measure& measure,
                                                  std::span<const model::Measure> all,
                                                  Date date) {
    std::vector<const model::Measure*> out;
    for (const auto* s : naming(measure, all)) {
        if (window_covers(*s, date)) {
            out.push_back(s);
        }
    }
    return out;
}

Status status_on(const model::Measure& measure, std::span<const model::Measure> all, Date date) {
    if (!window_covers(measure, date)) {
        return Status::Inactive;
    }
    if (measure.kind != model::MeasureKind::Suspension &&
        !suspensions_of(measure, all, date).empty()) {
        return Status::Suspended;
    }
    return Status::InForce;
}

std::vector<const model::Measure*> in_force(std::span<const model::Measure> all, Date date) {
    std::optional<MeasureIndexScope> scope;
    if (index_for(all) == nullptr) {
        scope.emplace(all);
    }
    std::vector<const model::Measure*> out;
    for (const auto& m : all) {
        if (m.kind != model::MeasureKind::Suspension &&
            status_on(m, all, date) == Status::InForce) {
            out.push_back(&m);
        }
    }
    return out;
}

std::vector<Change> changes_between(std::span<const model::Measure> all, Date from, Date to) {
    std::vector<Change> out;
    if (to <= from) {
        return out;
    }
    std::optional<MeasureIndexScope> scope;
    if (index_for(all) == nullptr) {
        scope.emplace(all);
    }
    for (const auto& m : all) {
        const std::set<int> days = candidate_days(m, all);
        for (const int day : days) {
            if (day <= from.days() || day > to.days()) {
                continue;
            }
            if (auto c = change_on(m, all, Date::from_days(day))) {
                out.push_back(*c);
            }
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Change& a, const Change& b) {
        return a.date != b.date ? a.date < b.date : a.measure->id < b.measure->id;
    });
    return out;
}

std::optional<Date> status_until(const model::Measure& measure,
                                 std::span<const model::Measure> all,
                                 Date date) {
    const Status now = status_on(measure, all, date);
    for (const int day : candidate_days(measure, all)) {
        if (day > date.days() && status_on(measure, all, Date::from_days(day)) != now) {
            return Date::from_days(day - 1);
        }
    }
    return std::nullopt;
}

bool has_bound_before(const model::Measure& measure,
                      std::span<const model::Measure> all,
                      Date date) {
    // Status is constant between candidate days, so checking each of them is enough.
    for (const int day : candidate_days(measure, all)) {
        if (day < date.days() && status_on(measure, all, Date::from_days(day)) == Status::InForce) {
            return true;
        }
    }
    return false;
}

std::vector<Transition> transitions_between(std::span<const model::Measure> all,
                                            Date from,
                                            Date to) {
    std::optional<MeasureIndexScope> scope;
    if (index_for(all) == nullptr) {
        scope.emplace(all);
    }
    std::vector<Transition> out;
    for (const auto& c : changes_between(all, from, to)) {
        Transition t{c, c.date.plus_days(-1), {}, {}};
        if (c.kind == ChangeKind::Ended && c.measure->kind == model::MeasureKind::Suspension) {
            for (const auto& id : c.measure->suspends) {
                const auto* target = find_id(id, all);
                if (target == nullptr) {
                    continue;
                }
                const Status after = status_on(*target, all, c.date);
                if (after == Status::InForce &&
                    status_on(*target, all, t.last_day) == Status::Suspended) {
                    t.binds_again.push_back(target);
                } else if (after == Status::Suspended) {
                    t.still_suspended.push_back(target);
                }
            }
        }
        out.push_back(std::move(t));
    }
    return out;
}

std::vector<Transition> upcoming(std::span<const model::Measure> all, Date date, int days) {
    return transitions_between(all, date, date.plus_days(days));
}

std::vector<model::Measure> overlay_measures(std::span<const model::Measure> base,
                                             std::span<const model::Measure> overlay) {
    std::vector<model::Measure> out(base.begin(), base.end());
    out.reserve(base.size() + overlay.size());
    std::unordered_map<std::string, std::size_t> position;  // first measure of each id in `out`
    for (std::size_t i = 0; i < out.size(); ++i) {
        position.emplace(out[i].id, i);
    }
    for (const auto& m : overlay) {
        if (const auto it = position.find(m.id); it != position.end()) {
            out[it->second] = m;
        } else {
            position.emplace(m.id, out.size());
            out.push_back(m);
        }
    }
    return out;
}

bool covers_any_destination(const model::World& world,
                            const model::Measure& measure,
                            const std::string& country_or_bloc) {
    if (measure.destinations.mode == model::DestinationSet::Mode::Listed &&
        std::find(measure.destinations.codes.begin(), measure.destinations.codes.end(),
                  country_or_bloc) != measure.destinations.codes.end()) {
        return true;
    }
    const auto members = world.members(country_or_bloc);
    return std::any_of(members.begin(), members.end(), [&](const std::string& iso3) {
        return covers_destination(world, measure, iso3);
    });
}

bool covers_destination(const model::World& world,
                        const model::Measure& measure,
                        const std::string& iso3) {
    auto listed = [&] {
        const auto* country = world.find_country(iso3);
        return std::any_of(measure.destinations.codes.begin(), measure.destinations.codes.end(),
                           [&](const std::string& code) {
                               if (code == iso3) {
                                   return true;
                               }
                               return country != nullptr &&
                                      std::find(country->blocs.begin(), country->blocs.end(),
                                                code) != country->blocs.end();
                           });
    };
    switch (measure.destinations.mode) {
        case model::DestinationSet::Mode::All:
            return true;
        case model::DestinationSet::Mode::Listed:
            return listed();
        case model::DestinationSet::Mode::AllExcept:
            return !listed();
    }
    return true;
}

bool covers_material(const model::Measure& measure,
                     const std::string& material,
                     const std::string& stage) {
    if (std::find(measure.materials.begin(), measure.materials.end(), material) ==
        measure.materials.end()) {
        return false;
    }
    return stage.empty() || measure.stages.empty() ||
           std::find(measure.stages.begin(), measure.stages.end(), stage) != measure.stages.end();
}

bool is_export_restriction(model::MeasureKind kind) {
    return kind == model::MeasureKind::ExportBan || kind == model::MeasureKind::ExportLicensing ||
           kind == model::MeasureKind::ExportQuota || kind == model::MeasureKind::ExportTax;
}

}  // namespace lodestone::policy
