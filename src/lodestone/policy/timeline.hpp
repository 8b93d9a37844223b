// lodestone/policy/timeline.hpp: which measures bind on a date, and what changes between dates
// (DESIGN §5). Dates are inclusive; a suspension's window effective..expires switches off the
// measures it names; when the window ends they bind again the next day.
// Example: auto binding = in_force(world.measures, *Date::parse("2026-11-28"));
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lodestone/model/world.hpp"

namespace lodestone::policy {

enum class Status {
    Inactive,   ///< not yet effective, or expired
    InForce,    ///< effective and not suspended
    Suspended,  ///< effective but inside a suspension window
};

[[nodiscard]] std::string_view to_string(Status status);

/// Status of one measure on a date, given all measures (for suspensions).
/// A suspension row itself is InForce during its window.
[[nodiscard]] Status status_on(const model::Measure& measure, std::span<const model::Measure> all,
                               Date date);

/// Measures binding on the date: in force and not suspended (suspension rows excluded).
[[nodiscard]] std::vector<const model::Measure*> in_force(std::span<const model::Measure> all, Date date);

/// The suspensions whose window covers the date and that suspend `measure`.
[[nodiscard]] std::vector<const model::Measure*> suspensions_of(const model::Measure& measure,
                                                                std::span<const model::Measure> all,
                                                                Date date);

enum class ChangeKind { Started, Ended, Suspended, Resumed };
[[nodiscard]] std::string_view to_string(ChangeKind kind);

/// One transition of a measure's status. `date` is the first day of the new status;
/// `date - 1` is the last day of the old one.
struct Change {
    Date date;
    ChangeKind kind = ChangeKind::Started;
    const model::Measure* measure = nullptr;
    const model::Measure* cause = nullptr;  ///< the suspension behind Suspended/Resumed, if any
};

/// Transitions on days in (from, to], in date order then id order.
[[nodiscard]] std::vector<Change> changes_between(std::span<const model::Measure> all, Date from, Date to);

/// True if the measure covers the destination country (ISO3): ALL, listed (directly or through
/// a bloc it belongs to), or ALL_EXCEPT without it.
[[nodiscard]] bool covers_destination(const model::World& world, const model::Measure& measure,
                                      const std::string& iso3);
/// True if the measure covers the material (and stage, when given; empty stages = all stages).
[[nodiscard]] bool covers_material(const model::Measure& measure, const std::string& material,
                                   const std::string& stage = {});

/// Measures of `kind`s that restrict exports (ban, licensing, quota, tax).
[[nodiscard]] bool is_export_restriction(model::MeasureKind kind);

}  // namespace lodestone::policy
