// lodestone/core/limits.hpp: the largest quantity a user's input may state. Readers refuse a
// larger one with a located error that names this bound, so that a typo such as 1e308 cannot
// reach the model: a few such values multiplied (kg per unit x units per year x price) or summed
// over a network would overflow to inf, and every output would be inf or NaN.
// 1e15 is above every real figure the inputs hold (world output of any material in tonnes, a
// price in USD per tonne, a sector's value added in USD, units a year), and a product of up to
// twenty such numbers is still finite.
// Example: FieldReader::non_negative refuses tonnes = 1e16 with "expected a number in [0,1e+15]".
#pragma once

#include <string>

#include "lodestone/core/number_text.hpp"

namespace lodestone {

inline constexpr double kMaxInputQuantity = 1e15;

/// The allowed range of a quantity as messages print it, "[0,1e+15]", derived from the bound.
[[nodiscard]] inline std::string input_quantity_range() {
    return "[0," + significant(kMaxInputQuantity) + "]";
}

}  // namespace lodestone
