// fuzz/fuzz_dataset.cpp: io::load_world on in-memory dataset files (CSVs, dataset.toml,
// methods.toml). The input overrides files of the loader corpus' base dataset (tests/loader/base):
// each part
// "@@ NAME" replaces file NAME with the bytes that follow; "@@ -NAME" deletes it (contract.hpp,
// split_parts). Contract: a World with finite numbers, or an InputError with located errors.
#include <cstddef>
#include <cstdint>
#include <exception>

#include "contract.hpp"
#include "lodestone/io/dataset_reader.hpp"

using namespace lodestone;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const io::DatasetFiles base = [] {
        auto f = io::read_dataset_dir(LODE_SOURCE_DIR "/tests/loader/base");
        f.root = "fuzz";
        return f;
    }();
    io::DatasetFiles files = base;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    for (auto& [name, content] : fuzz::split_parts(input, "")) {
        if (name.empty()) {
            continue;
        }
        if (name.front() == '-') {
            files.files.erase(name.substr(1));
        } else {
            files.files[name] = std::move(content);
        }
    }
    fuzz::read_or_located_error([&] {
        const auto loaded = io::load_world(files);
        fuzz::check_world(loaded.world);
    });
    return 0;
}
