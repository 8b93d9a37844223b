// apps/cli/options_util.hpp: small option helpers shared by assess and leverage.
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/io/dataset_reader.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::cli {

/// The world's methods, overridden by a methods.toml given with --methods (empty = none).
inline model::MethodParams methods_with_override(const model::World& world, const std::string& path) {
    if (path.empty()) {
        return world.methods;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw InputError(ErrorCode::FileMissing, "--methods: cannot read '" + path + "'");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return io::load_methods(text.str(), path, world.methods);
}

/// Parses repeated "KEY=NUMBER" options; every bad one is reported at once (E-USAGE).
inline std::map<std::string, double> key_values(const std::vector<std::string>& items,
                                                const std::string& option) {
    std::map<std::string, double> out;
    Diagnostics diags;
    for (const auto& item : items) {
        const auto eq = item.find('=');
        std::size_t used = 0;
        double value = 0.0;
        bool ok = eq != std::string::npos && eq > 0 && eq + 1 < item.size();
        if (ok) {
            try {
                value = std::stod(item.substr(eq + 1), &used);
                ok = used == item.size() - eq - 1;
            } catch (const std::exception&) {
                ok = false;
            }
        }
        if (!ok) {
            diags.add({Severity::Error, ErrorCode::Usage, {}, 0, 0, option,
                       option + ": expected MATERIAL=NUMBER, got '" + item + "'"});
            continue;
        }
        out[item.substr(0, eq)] = value;
    }
    diags.throw_if_errors();
    return out;
}

}  // namespace lodestone::cli
