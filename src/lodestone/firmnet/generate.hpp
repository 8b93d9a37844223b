// lodestone/firmnet/generate.hpp: a reproducible synthetic firm network for tests and benchmarks.
// Scale-free in the Chung-Lu way: each firm draws a weight from a Pareto law (capped, so no hub
// exceeds `max_degree` clients in expectation) and clients pick suppliers with probability
// proportional to the weight; a client's number of suppliers is 1 + a geometric draw with mean
// mean_degree - 1. The same seed gives the same bytes on every platform (splitmix64, no <random>
// distributions). Also writes the network in both input formats of reader.hpp.
// Example: auto g = generate_network({.firms = 100000, .seed = 7}); write_csv_files(g, "out/");
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lodestone/firmnet/network.hpp"
#include "lodestone/firmnet/propagate.hpp"

namespace lodestone::firmnet {

struct GenerateOptions {
    std::size_t firms = 1000;
    std::uint64_t seed = 1;
    double mean_degree = 5.0;   ///< mean number of suppliers per firm
    double pareto_alpha = 1.5;  ///< tail index of the supplier weights (out-degree power law)
    double max_degree = 0.0;    ///< cap on a supplier's expected clients; 0 = sqrt(firms) * 10
    int sectors = 20;
    int countries = 5;
    double shocked_share = 0.01;  ///< share of firms with a capacity loss
};

struct GeneratedNetwork {
    FirmInput input;  ///< links in generation order, link_line = 2 + link index
    std::vector<Shock> shocks;
};

[[nodiscard]] GeneratedNetwork generate_network(const GenerateOptions& options);

/// Writes firms.csv, links.csv, shocks.csv in `dir` (created if missing).
void write_csv_files(const GeneratedNetwork& g, const std::string& dir);
/// Writes transactions.txt, final_consumption.txt, initial_production.txt, affiliation.txt and
/// delta.txt in `dir`; the initial production is c_i + sum_k A_ki (the model's steady state).
void write_inoue_files(const GeneratedNetwork& g, const std::string& dir);

}  // namespace lodestone::firmnet
