// apps/cli/options_util.hpp: the --methods override shared by assess and leverage.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/io/dataset_reader.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::cli {

/// The world's methods, overridden by a methods.toml given with --methods (empty = none).
inline model::MethodParams methods_with_override(const model::World& world,
                                                 const std::string& path) {
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

}  // namespace lodestone::cli
