// lodestone/io/scenario_reader.hpp: reads a scenario TOML file (docs/scenarios.md) into a plain
// model::ScenarioSpec, checked against the World it will run on. Every problem is reported at
// once, each with its line, column and key path, then the scenario is refused:
//   "s.toml:14:17: scenario.measures[2].approval_rate: expected a number in [0,1] (E-RANGE)"
// Example: auto spec = read_scenario_file("data/scenarios/magnet_ban.toml", world);
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "lodestone/io/dataset_reader.hpp"
#include "lodestone/model/scenario.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::io {

/// Parses and validates scenario text. `file` names it in diagnostics and in spec.file.
/// Throws InputError with every diagnostic (E-TOML syntax and unknown keys, E-RANGE, E-ENUM,
/// E-DATE, E-DATE-ORDER, E-REQUIRED, E-UNKNOWN-MATERIAL/-STAGE/-COUNTRY/-SECTOR/-MEASURE,
/// E-DUPLICATE).
[[nodiscard]] model::ScenarioSpec read_scenario(const std::string& toml_text,
                                                const std::string& file,
                                                const model::World& world);

/// Reads the file, then read_scenario. Throws InputError (E-FILE-MISSING, E-FILE-READ, ...).
[[nodiscard]] model::ScenarioSpec read_scenario_file(const std::filesystem::path& path,
                                                     const model::World& world);

/// A scenario's TOML text, not yet read: what the brief and `serve` offer as curated scenarios.
struct ScenarioText {
    std::string id;    ///< file name without .toml, e.g. "cn_magnet_ban_us_eu"
    std::string file;  ///< for diagnostics, e.g. "embedded:data/scenarios/cn_magnet_ban_us_eu.toml"
    std::string toml;
};

/// Every *.toml of a folder, sorted by id. Throws InputError (E-FILE-MISSING if dir is not a
/// folder, E-FILE-READ for a file that cannot be read).
[[nodiscard]] std::vector<ScenarioText> read_scenario_texts(const std::filesystem::path& dir);

/// The *.toml files of a bundle such as embedded_scenarios(), sorted by id.
[[nodiscard]] std::vector<ScenarioText> scenario_texts(const DatasetFiles& files);

}  // namespace lodestone::io
