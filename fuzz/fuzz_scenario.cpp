// fuzz/fuzz_scenario.cpp: io::read_scenario on scenario TOML, against the embedded dataset.
// Contract: a ScenarioSpec with finite numbers, or an InputError with located errors.
#include <cstddef>
#include <cstdint>
#include <exception>

#include "contract.hpp"
#include "lodestone/io/scenario_reader.hpp"
#include "world_fixture.hpp"

using namespace lodestone;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& world = fuzz::default_world().world;
    fuzz::read_or_located_error([&] {
        const auto spec = io::read_scenario(std::string(reinterpret_cast<const char*>(data), size),
                                            "fuzz.toml", world);
        fuzz::check_scenario(spec);
    });
    return 0;
}
