// lodestone/network/basis.hpp: how a sourcing mix or a stage's flows were found. One vocabulary for
// every layer: the supply network finds Derived, Partial or Observed (none, some or all of the
// flows and use from trade.csv / consumption.csv); the metrics layer replaces a derived mix by a
// published sourcing table (Published) or by USGS's import figures (Usgs); a look-through across
// stages of different bases is Mixed. Outputs print to_string(basis).
#pragma once

#include <cstdint>
#include <string_view>

namespace lodestone::network {

enum class Basis : std::uint8_t { Derived, Partial, Observed, Published, Usgs, Mixed };

/// "derived", "partial", "observed", "published", "usgs" or "mixed".
[[nodiscard]] std::string_view to_string(Basis basis);

}  // namespace lodestone::network
