// fuzz/fuzz_holdings.cpp: io::parse_holdings on a portfolio's holdings CSV, against the embedded
// dataset. Contract: holdings with finite numbers (weights summing to 1), or an InputError with
// located errors.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>

#include "contract.hpp"
#include "lodestone/io/holdings_reader.hpp"
#include "world_fixture.hpp"

using namespace lodestone;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto& world = fuzz::default_world().world;
    fuzz::read_or_located_error([&] {
        const auto holdings = io::parse_holdings(
            std::string_view(reinterpret_cast<const char*>(data), size), "holdings.csv", world);
        double sum = 0;
        for (const auto& h : holdings) {
            fuzz::finite(h.weight, "holding weight");
            fuzz::finite(h.cogs_share, "holding cogs_share");
            for (const auto& [material, share] : h.cost_shares) {
                fuzz::finite(share, "holding cost share");
            }
            sum += h.weight;
        }
        if (!holdings.empty() && std::abs(sum - 1.0) > 1e-9) {
            fuzz::violated("holding weights sum to " + std::to_string(sum) + ", not 1");
        }
    });
    return 0;
}
