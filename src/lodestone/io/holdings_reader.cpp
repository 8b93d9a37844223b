// lodestone/io/holdings_reader.cpp: holdings.csv -> validated holdings (see the header).
#include "lodestone/io/holdings_reader.hpp"

#include <algorithm>
#include <set>

#include "lodestone/io/csv.hpp"

namespace lodestone::io {

std::vector<Holding> parse_holdings(std::string_view csv,
                                    const std::string& file,
                                    const model::World& world) {
    Diagnostics diags;
    const auto table = parse_csv(
        csv, file,
        {{"holding", "weight"}, {"sector", "cost_shares", "country", "cogs_share", "note"}}, diags);
    std::vector<Holding> out;
    std::set<std::string> seen;
    double total = 0;
    for (const auto& row : table.rows) {
        FieldReader f(table, row, diags);
        Holding h;
        h.line = row.line;
        h.id = f.text("holding", true);
        const auto w = f.non_negative("weight", true);
        h.weight = w.value_or(0.0);
        h.sector = f.text("sector");
        h.country = f.text("country");
        h.note = f.text("note");
        if (const auto c = f.number("cogs_share"); c) {
            if (!(*c > 0 && *c <= 1)) {
                f.error(ErrorCode::Range, "cogs_share",
                        "cogs_share " + std::to_string(*c) + " outside (0,1]");
            } else {
                h.cogs_share = c;
            }
        }
        if (!h.id.empty() && !seen.insert(h.id).second) {
            f.error(ErrorCode::Duplicate, "holding", "holding '" + h.id + "' listed twice");
        }
        if (!h.sector.empty() && world.find_sector(h.sector) == nullptr) {
            f.error(ErrorCode::UnknownSector, "sector", "unknown sector '" + h.sector + "'");
        }
        if (!h.country.empty() && world.members(h.country).empty()) {
            f.error(ErrorCode::UnknownCountry, "country",
                    "unknown country or bloc '" + h.country + "'");
        }
        for (const auto& item : f.list("cost_shares")) {
            const auto eq = item.find('=');
            const std::string m = item.substr(0, eq);
            std::optional<double> share;
            if (eq != std::string::npos) {
                try {
                    std::size_t used = 0;
                    const double v = std::stod(item.substr(eq + 1), &used);
                    if (used == item.size() - eq - 1) {
                        share = v;
                    }
                } catch (const std::exception&) {
                    share.reset();
                }
            }
            if (!share) {
                f.error(ErrorCode::Number, "cost_shares",
                        "expected MATERIAL=SHARE, got '" + item + "'");
            } else if (!(*share >= 0 && *share <= 1)) {
                f.error(ErrorCode::ShareRange, "cost_shares",
                        "cost share of " + m + " outside [0,1]");
            } else if (world.find_material(m) == nullptr) {
                f.error(ErrorCode::UnknownMaterial, "cost_shares", "unknown material '" + m + "'");
            } else {
                h.cost_shares.emplace_back(m, *share);
            }
        }
        const bool has_sector = !f.text("sector").empty();
        const bool has_shares = !f.text("cost_shares").empty();
        if (has_sector == has_shares) {
            f.error(ErrorCode::Required, has_sector ? "cost_shares" : "sector",
                    "give either sector or cost_shares for holding '" + h.id + "'");
        }
        total += h.weight;
        out.push_back(std::move(h));
    }
    if (table.header_ok && !out.empty() && total <= 0) {
        diags.add(
            {Severity::Error, ErrorCode::Range, file, 0, 0, "weight", "the weights sum to 0"});
    }
    if (table.header_ok && out.empty()) {
        diags.add({Severity::Error, ErrorCode::Required, file, 0, 0, {}, "no holdings"});
    }
    diags.throw_if_errors();
    // Scaled by the largest weight first: weights near the largest double would sum to infinity
    // and normalise to 0.
    double largest = 0;
    for (const auto& h : out) {
        largest = std::max(largest, h.weight);
    }
    double scaled_total = 0;
    for (const auto& h : out) {
        scaled_total += h.weight / largest;
    }
    for (auto& h : out) {
        h.weight = h.weight / largest / scaled_total;
    }
    return out;
}

std::vector<Holding> load_holdings(const std::filesystem::path& path, const model::World& world) {
    return parse_holdings(read_input_file(path, "holdings"), path.string(), world);
}

}  // namespace lodestone::io
