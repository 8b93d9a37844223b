// lodestone/policy/describe.hpp: one plain-English sentence per timeline transition, in the past
// or future tense as seen from a date, so that the CLI, alerts and the API say the same thing.
// Example: "suspension CN-2025-SUSP46 has its last day on 2026-11-27; CN-2024-046-2 binds again
// from 2026-11-28 unless a later event extends the suspension"
#pragma once

#include <span>
#include <string>

#include "lodestone/policy/timeline.hpp"

namespace lodestone::policy {

/// What the transition means, seen from `as_of`: future tense if it is dated after as_of.
/// Names the suspension behind a Suspended/Resumed change, the last day (inclusive) of the old
/// status, and tells "binds again" from "binds for the first time".
[[nodiscard]] std::string describe(const Transition& transition,
                                   std::span<const model::Measure> all,
                                   Date as_of);

/// The Transition of a Change (binds_again / still_suspended filled for a suspension's end).
/// The measures' ids, comma-separated ("CN-2024-046-2, CN-2024-046-3").
[[nodiscard]] std::string measure_ids(const std::vector<const model::Measure*>& measures);

[[nodiscard]] Transition explain(const Change& change, std::span<const model::Measure> all);

}  // namespace lodestone::policy
