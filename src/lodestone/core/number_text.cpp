#include "lodestone/core/number_text.hpp"

#include <cmath>

#include <fmt/format.h>

namespace lodestone {

std::string significant(double v, int digits) {
    if (std::isnan(v)) {
        return "nan";
    }
    if (std::isinf(v)) {
        return v > 0 ? "inf" : "-inf";
    }
    return fmt::format("{:.{}g}", v, digits);
}

std::string percent(double share, int decimals) {
    return fmt::format("{:.{}f} %", share * 100.0, decimals);
}

}  // namespace lodestone
