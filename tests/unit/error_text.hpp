// tests/unit/error_text.hpp: what an InputError says, one diagnostic per line, for assertions on
// the exact messages a user sees.
#pragma once

#include <functional>
#include <string>

#include "lodestone/core/diagnostic.hpp"

namespace lodestone::testing {

/// Runs f; returns every diagnostic of the InputError it throws ("file:line:col: message (CODE)"
/// per line), or "no error" when it throws none.
inline std::string error_text(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        std::string out;
        for (const auto& d : e.diagnostics()) {
            out += d.to_string() + "\n";
        }
        return out;
    }
    return "no error";
}

}  // namespace lodestone::testing
