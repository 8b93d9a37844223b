// lodestone/core/number_text.hpp: the one way numbers become text in messages, tables and files.
// Example: significant(0.1234567, 4) == "0.1235"; percent(0.1234) == "12.3 %"
#pragma once

#include <string>

namespace lodestone {

/// printf "%.{digits}g": at most `digits` significant digits, trailing zeros dropped; non-finite
/// values as "inf", "-inf" and "nan".
[[nodiscard]] std::string significant(double v, int digits = 10);

/// A share (0-1) as a percentage with `decimals` decimals and a space before the sign: "12.3 %".
[[nodiscard]] std::string percent(double share, int decimals = 1);

}  // namespace lodestone
