// apps/cli/scenario_arg.cpp: see scenario_arg.hpp.
#include "scenario_arg.hpp"

#include <filesystem>

#include "lodestone/io/scenario_reader.hpp"

namespace lodestone::cli {

model::ScenarioSpec read_scenario_arg(const std::string& arg, const model::World& world) {
    std::error_code ec;
    if (!std::filesystem::exists(arg, ec)) {
        for (const auto& t : io::scenario_texts(io::embedded_scenarios())) {
            if (t.id == arg) {
                return io::read_scenario(t.toml, t.file, world);
            }
        }
    }
    return io::read_scenario_file(arg, world);
}

}  // namespace lodestone::cli
