#include "lodestone/firmnet/network.hpp"

#include <algorithm>
#include <numeric>

namespace lodestone::firmnet {

FirmNetwork build_network(FirmInput&& input, Diagnostics& diags) {
    FirmNetwork net;
    const std::size_t n = input.ids.size();
    const std::size_t n_links = input.link_amount.size();

    // Counting sort of the links by client, then by (supplier sector, supplier, line) inside.
    std::vector<std::uint32_t> begin(n + 1, 0);
    for (const auto c : input.link_client) {
        ++begin[static_cast<std::size_t>(c) + 1];
    }
    std::partial_sum(begin.begin(), begin.end(), begin.begin());
    std::vector<std::uint32_t> order(n_links);
    {
        std::vector<std::uint32_t> next(begin.begin(), begin.end() - 1);
        for (std::size_t e = 0; e < n_links; ++e) {
            order[next[static_cast<std::size_t>(input.link_client[e])]++] =
                static_cast<std::uint32_t>(e);
        }
    }
    const auto& sup = input.link_supplier;
    const auto& sector = input.sector;
    auto key_less = [&](std::uint32_t a, std::uint32_t b) {
        const auto sa = sector[static_cast<std::size_t>(sup[a])];
        const auto sb = sector[static_cast<std::size_t>(sup[b])];
        if (sa != sb) {
            return sa < sb;
        }
        if (sup[a] != sup[b]) {
            return sup[a] < sup[b];
        }
        return input.link_line[a] < input.link_line[b];
    };
    for (std::size_t i = 0; i < n; ++i) {
        std::sort(order.begin() + begin[i], order.begin() + begin[i + 1], key_less);
    }

    net.in_begin = begin;
    net.supplier.resize(n_links);
    net.amount.resize(n_links);
    net.group_begin.assign(n + 1, 0);
    net.input_total.assign(n, 0.0);
    std::vector<std::int32_t> first_line(n, 0);  // a link line of each client, for diagnostics
    for (std::size_t i = 0; i < n; ++i) {
        net.group_begin[i] = static_cast<std::uint32_t>(net.group_amount.size());
        double total = 0.0;
        for (std::uint32_t e = begin[i]; e < begin[i + 1]; ++e) {
            const std::uint32_t src = order[e];
            const auto j = sup[src];
            if (e > begin[i] && sup[order[e - 1]] == j) {
                diags.error(ErrorCode::Duplicate, input.link_file, input.link_line[src], 1,
                            "link " + input.ids[static_cast<std::size_t>(j)] + " -> " +
                                input.ids[i] + " already given on line " +
                                std::to_string(input.link_line[order[e - 1]]));
            }
            if (e == begin[i] || sector[static_cast<std::size_t>(sup[order[e - 1]])] !=
                                     sector[static_cast<std::size_t>(j)]) {
                net.group_link.push_back(e);
                net.group_amount.push_back(0.0);
            }
            net.supplier[e] = j;
            net.amount[e] = input.link_amount[src];
            net.group_amount.back() += input.link_amount[src];
            total += input.link_amount[src];
            first_line[i] = first_line[i] == 0 ? input.link_line[src] : first_line[i];
        }
        net.input_total[i] = total;
    }
    net.group_begin[n] = static_cast<std::uint32_t>(net.group_amount.size());
    net.group_link.push_back(static_cast<std::uint32_t>(n_links));
    order = {};

    // Out-links: for each supplier, its in-link indices in client order.
    net.out_begin.assign(n + 1, 0);
    for (const auto j : net.supplier) {
        ++net.out_begin[static_cast<std::size_t>(j) + 1];
    }
    std::partial_sum(net.out_begin.begin(), net.out_begin.end(), net.out_begin.begin());
    net.out_link.resize(n_links);
    {
        std::vector<std::uint32_t> next(net.out_begin.begin(), net.out_begin.end() - 1);
        for (std::size_t e = 0; e < n_links; ++e) {
            net.out_link[next[static_cast<std::size_t>(net.supplier[e])]++] =
                static_cast<std::uint32_t>(e);
        }
    }

    net.initial_production = std::move(input.initial_production);
    if (net.initial_production.empty()) {
        net.initial_production = input.final_demand;
        for (std::size_t j = 0; j < n; ++j) {
            for (std::uint32_t k = net.out_begin[j]; k < net.out_begin[j + 1]; ++k) {
                net.initial_production[j] += net.amount[net.out_link[k]];
            }
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (net.input_total[i] > 0.0 && !(net.initial_production[i] > 0.0)) {
            diags.error(
                ErrorCode::Range, input.link_file, first_line[i], 1,
                "firm " + input.ids[i] +
                    " buys inputs but has no initial production (no clients and no final demand)");
        }
    }
    net.ids = std::move(input.ids);
    net.country_names = std::move(input.country_names);
    net.sector_names = std::move(input.sector_names);
    net.country = std::move(input.country);
    net.sector = std::move(input.sector);
    net.final_demand = std::move(input.final_demand);
    net.inventory_days = std::move(input.inventory_days);
    input.link_supplier = {};
    input.link_client = {};
    input.link_amount = {};
    input.link_line = {};
    return net;
}

}  // namespace lodestone::firmnet
