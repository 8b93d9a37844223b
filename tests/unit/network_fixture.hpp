// Small in-memory datasets for the network, look-through and BOM tests: hand-computable worlds.
#pragma once

#include <map>
#include <string>

#include "lodestone/io/dataset_reader.hpp"

namespace lodestone::testing {

/// A dataset of three countries AAA, BBB (bloc XB), CCC (bloc XB) and one material "ore" with the
/// given stages, production and optional extra files; every file can be replaced through `files`.
inline io::DatasetFiles tiny_dataset(std::map<std::string, std::string> files) {
    io::DatasetFiles d;
    d.root = "tiny";
    d.files = {
        {"dataset.toml", "name = \"tiny\"\nversion = \"1\"\nas_of = 2025-01-01\n"},
        {"countries.csv",
         "iso3,name,region,wgi,blocs\nAAA,Aland,X,6,\nBBB,Bland,X,2,XB\nCCC,Cland,X,4,XB\n"},
        {"materials.csv", "id,name\nore,Ore\n"},
        {"stages.csv", "material,stage,order,yield\nore,mine,1,1\n"},
        {"production.csv", "material,stage,country,year,tonnes\nore,mine,AAA,2024,100\n"},
        {"measures.csv", "id,kind,country,materials,destinations,effective\n"},
    };
    for (auto& [name, text] : files) {
        if (text.empty()) {
            d.files.erase(name);
        } else {
            d.files[name] = std::move(text);
        }
    }
    return d;
}

/// Loads a tiny dataset (throws InputError like load_world).
inline model::World tiny_world(std::map<std::string, std::string> files) {
    return io::load_world(tiny_dataset(std::move(files))).world;
}

/// The three-stage chain of the tests: mine in AAA (100 t), separation in BBB (50 t, yield 0.5),
/// magnet in AAA (40 t, yield 0.8); final demand AAA 0.5, BBB 0.5.
inline std::map<std::string, std::string> chain_files() {
    return {
        {"stages.csv",
         "material,stage,order,yield\nore,mine,1,1\nore,separation,2,0.5\nore,magnet,3,0.8\n"},
        {"production.csv",
         "material,stage,country,year,tonnes\nore,mine,AAA,2024,100\nore,separation,BBB,2024,50\n"
         "ore,magnet,AAA,2024,40\n"},
        {"demand.csv", "material,country,weight\n*,AAA,0.5\n*,BBB,0.5\n"},
    };
}

}  // namespace lodestone::testing
