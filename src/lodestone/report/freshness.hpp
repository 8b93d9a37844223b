// lodestone/report/freshness.hpp: how old the data are on the date a user asks about. Every command
// evaluates on a date (default: today); the dataset was compiled on its as-of date. When the two
// differ the user must be told, in days, because measures announced since are not in the data.
// One place for these notes, so that further checks (e.g. a date up to which the policy data were
// verified) are added here and reach every command and the brief at once.
// Example: for (auto& n : freshness_notes(world, Date::today())) std::fprintf(stderr, "%s\n",
// n.c_str());
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lodestone/core/date.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::report {

struct Freshness {
    std::optional<Date> dataset_as_of;  ///< dataset.toml as_of
    Date asked;                         ///< the date the analysis is evaluated on
    std::optional<int> data_age_days;   ///< asked - dataset_as_of (negative: asked is earlier)
    std::vector<std::string> notes;     ///< sentences for a human; empty when the dates agree
};

/// The dataset's age on `asked`, with a note when asked differs from the dataset's as-of date (or
/// the dataset has none).
[[nodiscard]] Freshness freshness(const model::World& world, Date asked);

}  // namespace lodestone::report
