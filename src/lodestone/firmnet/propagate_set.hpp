// lodestone/firmnet/propagate_set.hpp: a set of shock scenarios on one network, each an
// independent propagate() run (`lodestone propagate --shock A --shock B ...`). Under MPI
// (parallel/ranks.hpp) scenario s runs on rank s mod K and rank 0 receives every result bit for
// bit, so the results do not depend on the number of ranks (nor, as for propagate(), on threads).
// Example: auto results = propagate_set(net, {shocks_a, shocks_b}, opt, ctx.ranks);
#pragma once

#include <vector>

#include "lodestone/firmnet/propagate.hpp"
#include "lodestone/parallel/ranks.hpp"

namespace lodestone::firmnet {

/// One PropagateResult per shock set, in order, on rank 0 (and with ranks == nullptr); the other
/// ranks get an empty vector. Collective when ranks is given: every rank calls it.
[[nodiscard]] std::vector<PropagateResult> propagate_set(
    const FirmNetwork& net,
    const std::vector<std::vector<Shock>>& shock_sets,
    const PropagateOptions& options,
    parallel::Ranks* ranks = nullptr);

}  // namespace lodestone::firmnet
