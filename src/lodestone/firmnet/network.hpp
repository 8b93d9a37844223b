// lodestone/firmnet/network.hpp: a firm-level supply network in CSR arrays, for the daily
// propagation model (propagate.hpp). Firms are dense integer ids 0..n-1; a link j -> i carries the
// daily flow A_ij from supplier j to client i. In-links are stored by client and, inside a client,
// grouped by the supplier's sector (the Leontief inputs); out-links index the same link arrays by
// supplier. Built once from validated input; the daily loop never looks up a string.
// Example: auto net = build_network(std::move(input), diags); net.in_begin[i]..net.in_begin[i+1]
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lodestone/core/diagnostic.hpp"

namespace lodestone::firmnet {

/// Links as read, before compilation; firm indices refer to FirmInput's firm order.
struct FirmInput {
    std::vector<std::string> ids;            ///< firm id per firm
    std::vector<std::string> country_names;  ///< dictionary of countries ("" when unknown)
    std::vector<std::string> sector_names;   ///< dictionary of sectors
    std::vector<std::int32_t> country;       ///< per firm, index into country_names
    std::vector<std::int32_t> sector;        ///< per firm, index into sector_names
    std::vector<double> final_demand;        ///< c_i, money per day, >= 0
    std::vector<double> inventory_days;      ///< n_i per firm; empty = the run's default
    /// P^ini_i given by the input (the Inoue format's initial production); empty = D_i at start.
    std::vector<double> initial_production;
    std::vector<std::int32_t> link_supplier;
    std::vector<std::int32_t> link_client;
    std::vector<double> link_amount;      ///< A_ij, money per day, > 0
    std::vector<std::int32_t> link_line;  ///< line of the link in link_file (diagnostics)
    std::string link_file;
};

/// The compiled network. Link arrays are in in-link order: by client, then supplier sector,
/// then supplier index.
struct FirmNetwork {
    std::vector<std::string> ids;
    std::vector<std::string> country_names;
    std::vector<std::string> sector_names;
    std::vector<std::int32_t> country;
    std::vector<std::int32_t> sector;
    std::vector<double> final_demand;        ///< c_i per day
    std::vector<double> inventory_days;      ///< n_i (empty = default)
    std::vector<double> initial_production;  ///< P^ini_i per day
    std::vector<double> input_total;         ///< sum_j A_ij per day

    std::vector<std::uint32_t> in_begin;     ///< [n+1] -> links of client i
    std::vector<std::uint32_t> group_begin;  ///< [n+1] -> input groups (client, supplier sector)
    std::vector<std::uint32_t> group_link;   ///< [groups+1] -> links of a group
    std::vector<double> group_amount;        ///< A_is per group
    std::vector<std::int32_t> supplier;      ///< [links] supplier of each in-link
    std::vector<double> amount;              ///< [links] A_ij
    std::vector<std::uint32_t> out_begin;    ///< [n+1] -> out_link of supplier j
    std::vector<std::uint32_t> out_link;     ///< in-link index of each out-link, by client index

    [[nodiscard]] std::size_t firms() const { return ids.size(); }
    [[nodiscard]] std::size_t links() const { return amount.size(); }
};

/// Compiles the CSR arrays. Reports a duplicate (supplier, client) pair (E-DUPLICATE at the
/// second line) and a firm that buys inputs but has neither clients nor final demand (E-RANGE,
/// its production would be undefined). Consumes the link arrays of `input`.
[[nodiscard]] FirmNetwork build_network(FirmInput&& input, Diagnostics& diags);

}  // namespace lodestone::firmnet
