// lodestone/io/dataset_reader.hpp: reads a dataset folder (docs/dataset.md) into a validated World.
// Validation covers the whole dataset and reports every problem at once; a dataset with any
// error is refused (InputError carrying all diagnostics) and nothing of it is returned.
// Example: auto loaded = load_world(read_dataset_dir("data/world"));
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::io {

/// The raw bytes of a dataset's files, by file name, plus problems met while reading them.
struct DatasetFiles {
    std::string root;  ///< prefix for diagnostics, e.g. "data/world"
    std::map<std::string, std::string> files;
    std::vector<Diagnostic> read_errors;
};

/// Reads every known dataset file of a folder. Throws InputError if dir is missing or not a folder.
[[nodiscard]] DatasetFiles read_dataset_dir(const std::filesystem::path& dir);

/// The default dataset compiled into the binary (data/world at build time).
[[nodiscard]] DatasetFiles embedded_world();
/// The curated scenarios compiled into the binary (data/scenarios/*.toml at build time);
/// root "embedded:data/scenarios". Both live in lodestone::world_data.
[[nodiscard]] DatasetFiles embedded_scenarios();

struct LoadedWorld {
    model::World world;
    std::vector<Diagnostic> warnings;
};

/// Parses and validates. Throws InputError with every error found.
[[nodiscard]] LoadedWorld load_world(const DatasetFiles& files);

/// Reads a methods.toml (trade factors, thresholds); throws InputError on a bad key or value.
[[nodiscard]] model::MethodParams load_methods(const std::string& toml_text,
                                               const std::string& file,
                                               model::MethodParams base = {});

/// Names of the files a dataset may hold, required ones first.
[[nodiscard]] const std::vector<std::string>& dataset_file_names();

}  // namespace lodestone::io
