// fuzz/world_fixture.hpp: the World the user-input targets validate against: the embedded default
// dataset (data/world), loaded once per process, as the CLI and `lodestone serve` load it.
#pragma once

#include "lodestone/io/dataset_reader.hpp"

namespace lodestone::fuzz {

inline const io::LoadedWorld& default_world() {
    static const io::LoadedWorld loaded = io::load_world(io::embedded_world());
    return loaded;
}

}  // namespace lodestone::fuzz
