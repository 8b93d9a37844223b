// lodestone/core/text.hpp: small text helpers every presenter needs.
// Example: join({"gallium", "germanium"}, ", ") == "gallium, germanium"
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lodestone {

/// The items with `sep` between them; "" for none. Leading empty items add no separator.
[[nodiscard]] inline std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) {
            out += sep;
        }
        out += s;
    }
    return out;
}

}  // namespace lodestone
