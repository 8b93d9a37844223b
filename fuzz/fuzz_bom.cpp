// fuzz/fuzz_bom.cpp: io::parse_bom on a BOM CSV and an optional products CSV (the part
// "@@ products.csv"; bytes before it are bom.csv), against the embedded dataset.
// Contract: a Bom with finite numbers, or an InputError with located errors.
#include <cstddef>
#include <cstdint>
#include <exception>

#include "contract.hpp"
#include "lodestone/io/bom_reader.hpp"
#include "world_fixture.hpp"

using namespace lodestone;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& world = fuzz::default_world().world;
    auto parts =
        fuzz::split_parts(std::string_view(reinterpret_cast<const char*>(data), size), "bom.csv");
    const auto products = parts.find("products.csv");
    const bool has_products = products != parts.end();
    fuzz::read_or_located_error([&] {
        const auto bom =
            io::parse_bom(parts["bom.csv"], "bom.csv", has_products ? products->second : "",
                          has_products ? "products.csv" : "", world);
        for (const auto& line : bom.lines) {
            fuzz::finite(line.kg_per_unit, "bom kg_per_unit");
        }
        for (const auto& p : bom.products) {
            fuzz::finite(p.units_per_year, "bom units_per_year");
            fuzz::finite(p.unit_price_usd, "bom unit_price_usd");
            fuzz::finite(p.inventory_weeks, "bom inventory_weeks");
        }
    });
    return 0;
}
