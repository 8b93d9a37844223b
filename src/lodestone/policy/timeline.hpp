// lodestone/policy/timeline.hpp: which measures bind on a date, and what changes between dates
// (docs/policies.md). Dates are inclusive; a suspension's window effective..expires switches off
// the measures it names; when the window ends they bind again the next day. Example: auto binding =
// in_force(world.measures, *Date::parse("2026-11-28"));
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lodestone/model/world.hpp"

namespace lodestone::policy {

/// While alive, the functions below answer questions about exactly this `all` (the same span) from
/// an index built once (the suspensions naming each id, each id's measure) instead of scanning
/// every measure per question: a report over n measures then costs O(n), not O(n^2). Per thread;
/// scopes nest. in_force, changes_between and transitions_between open one themselves.
/// Pre: `all` is not changed while the scope lives.
/// Example: MeasureIndexScope scope(all); for (const auto& m : all) status_until(m, all, as_of);
class MeasureIndexScope {
public:
    explicit MeasureIndexScope(std::span<const model::Measure> all);
    ~MeasureIndexScope();
    MeasureIndexScope(const MeasureIndexScope&) = delete;
    MeasureIndexScope& operator=(const MeasureIndexScope&) = delete;
    struct Index;

private:
    std::unique_ptr<Index> index_;
    const Index* previous_;
};

enum class Status {
    Inactive,   ///< not yet effective, or expired
    InForce,    ///< effective and not suspended
    Suspended,  ///< effective but inside a suspension window
};

[[nodiscard]] std::string_view to_string(Status status);

/// Status of one measure on a date, given all measures (for suspensions).
/// A suspension row itself is InForce during its window.
[[nodiscard]] Status status_on(const model::Measure& measure,
                               std::span<const model::Measure> all,
                               Date date);

/// Measures binding on the date: in force and not suspended (suspension rows excluded).
[[nodiscard]] std::vector<const model::Measure*> in_force(std::span<const model::Measure> all,
                                                          Date date);

/// The suspensions whose window covers the date and that suspend `measure`.
[[nodiscard]] std::vector<const model::Measure*> suspensions_of(const model::Measure& measure,
                                                                std::span<const model::Measure> all,
                                                                Date date);

enum class ChangeKind { Started, Ended, Suspended, Resumed };
/// "started", "ended", "suspended", "resumed".
[[nodiscard]] std::string_view to_string(ChangeKind kind);
[[nodiscard]] std::optional<ChangeKind> parse_change_kind(std::string_view text);

/// One transition of a measure's status. `date` is the first day of the new status;
/// `date - 1` is the last day of the old one.
struct Change {
    Date date;
    ChangeKind kind = ChangeKind::Started;
    const model::Measure* measure = nullptr;
    const model::Measure* cause = nullptr;  ///< the suspension behind Suspended/Resumed, if any
};

/// Transitions on days in (from, to], in date order then id order.
[[nodiscard]] std::vector<Change> changes_between(std::span<const model::Measure> all,
                                                  Date from,
                                                  Date to);

/// The latest transition of one measure dated on or before `date` (the start of its current
/// status), or nullopt if it never changed status by then.
[[nodiscard]] std::optional<Change> last_change(const model::Measure& measure,
                                                std::span<const model::Measure> all,
                                                Date date);

/// The last day on which the measure keeps the status it has on `date`; nullopt if it keeps it
/// indefinitely (open-ended, no later event). E.g. a ban suspended until 2026-11-27 -> 2026-11-27.
[[nodiscard]] std::optional<Date> status_until(const model::Measure& measure,
                                               std::span<const model::Measure> all,
                                               Date date);

/// True if the measure was in force (binding, not suspended) on some day before `date`.
[[nodiscard]] bool has_bound_before(const model::Measure& measure,
                                    std::span<const model::Measure> all,
                                    Date date);

/// A Change seen with its consequences, as shown in "what changed" and "what comes up" lists.
struct Transition {
    Change change;
    Date last_day;  ///< change.date - 1: the last day of the old status (inclusive)
    /// For a suspension whose window ends (kind Ended): the measures it suspended that bind
    /// again from change.date, and those that stay suspended by another, overlapping suspension.
    std::vector<const model::Measure*> binds_again;
    std::vector<const model::Measure*> still_suspended;
};

/// Transitions dated in (from, to], in date order then id order (see changes_between).
[[nodiscard]] std::vector<Transition> transitions_between(std::span<const model::Measure> all,
                                                          Date from,
                                                          Date to);

/// What starts, ends, is suspended or binds again within `days` days after `date`: transitions
/// dated in (date, date + days], i.e. whose old status has its last day in [date, date+days-1].
/// Example: as of 2026-11-27 a suspension whose last day is 2026-11-27 gives an Ended transition
/// dated 2026-11-28 whose binds_again lists the measures it suspended.
[[nodiscard]] std::vector<Transition> upcoming(std::span<const model::Measure> all,
                                               Date date,
                                               int days);

/// `base` with `overlay` applied: an overlay measure replaces the base measure with the same id,
/// new ids are appended in overlay order (e.g. dataset measures + workspace events).
[[nodiscard]] std::vector<model::Measure> overlay_measures(std::span<const model::Measure> base,
                                                           std::span<const model::Measure> overlay);

/// True if the measure covers the destination country (ISO3): ALL, listed (directly or through
/// a bloc it belongs to), or ALL_EXCEPT without it.
[[nodiscard]] bool covers_destination(const model::World& world,
                                      const model::Measure& measure,
                                      const std::string& iso3);
/// True if the measure covers the country, or for a bloc at least one of its members.
[[nodiscard]] bool covers_any_destination(const model::World& world,
                                          const model::Measure& measure,
                                          const std::string& country_or_bloc);
/// True if the measure covers the material (and stage, when given; empty stages = all stages).
[[nodiscard]] bool covers_material(const model::Measure& measure,
                                   const std::string& material,
                                   const std::string& stage = {});

/// Measures of `kind`s that restrict exports (ban, licensing, quota, tax).
[[nodiscard]] bool is_export_restriction(model::MeasureKind kind);

}  // namespace lodestone::policy
