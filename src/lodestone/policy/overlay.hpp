// lodestone/policy/overlay.hpp: a scenario's measures laid over the dataset's (docs/scenarios.md).
// A plain function: base measures plus the scenario's added, lifted and changed ones give the
// measure list the timeline functions (status_on, in_force) then evaluate as usual.
// Example: auto measures = apply_overlay(world.measures, spec.measures);  // after
// sim::draw_scenario
#pragma once

#include <span>
#include <vector>

#include "lodestone/model/scenario.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::policy {

/// Applies the edits in order. Add appends `edit.measure` (id = edit.id); Lift removes the measure
/// (or, with lift_from, makes its last day lift_from - 1); Change copies the fields named in
/// `edit.changed` from `edit.measure` onto the measure with that id. The edits' Params are not
/// read here: sim::draw_scenario copies their draws into `edit.measure` and `edit.changed` first.
/// Throws InputError (E-UNKNOWN-MEASURE / E-DUPLICATE) for an id that is missing or already used.
[[nodiscard]] std::vector<model::Measure> apply_overlay(std::span<const model::Measure> base,
                                                        std::span<const model::MeasureEdit> edits);

/// Field names a Change may set, in the spelling of measures.csv.
[[nodiscard]] const std::vector<std::string>& changeable_measure_fields();

}  // namespace lodestone::policy
