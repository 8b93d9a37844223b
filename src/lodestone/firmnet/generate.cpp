#include "lodestone/firmnet/generate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "lodestone/core/number_text.hpp"

namespace lodestone::firmnet {

namespace {

/// splitmix64 (Steele, Lea and Flood 2014): tiny, and the same numbers everywhere.
struct SplitMix {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31U);
    }
    /// Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }
};

/// The number "%.17g": read back to the same double.
/// Round-trips a double exactly.
std::string exact(double v) {
    return significant(v, 17);
}

struct File {
    std::FILE* f;
    explicit File(const std::filesystem::path& p) : f(std::fopen(p.string().c_str(), "wb")) {
        if (f == nullptr) {
            throw std::runtime_error("cannot write " + p.string());
        }
    }
    ~File() { std::fclose(f); }
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    void put(const std::string& s) const { std::fwrite(s.data(), 1, s.size(), f); }
};

}  // namespace

GeneratedNetwork generate_network(const GenerateOptions& opt) {
    GeneratedNetwork g;
    auto& in = g.input;
    const std::size_t n = opt.firms;
    SplitMix rng{opt.seed};
    for (int s = 0; s < opt.sectors; ++s) {
        in.sector_names.push_back("s" + std::to_string(s));
    }
    for (int c = 0; c < opt.countries; ++c) {
        in.country_names.push_back("C" + std::to_string(c));
    }
    in.ids.reserve(n);
    std::vector<double> weight(n);
    const double cap =
        opt.max_degree > 0 ? opt.max_degree : 10.0 * std::sqrt(static_cast<double>(n));
    for (std::size_t i = 0; i < n; ++i) {
        in.ids.push_back("f" + std::to_string(i));
        in.sector.push_back(
            static_cast<std::int32_t>(rng.next() % static_cast<std::uint64_t>(opt.sectors)));
        in.country.push_back(
            static_cast<std::int32_t>(rng.next() % static_cast<std::uint64_t>(opt.countries)));
        in.final_demand.push_back(1.0 + 9.0 * rng.uniform());
        weight[i] = std::pow(1.0 - rng.uniform(), -1.0 / opt.pareto_alpha);
    }
    // Scale the weights so that the expected clients of a firm are weight * mean_degree / mean
    // weight, and cap them at `cap`.
    double total = 0.0;
    for (const double w : weight) {
        total += w;
    }
    const double mean_w = total / static_cast<double>(std::max<std::size_t>(n, 1));
    const double w_cap = cap * mean_w / opt.mean_degree;
    std::vector<double> cumulative(n);
    double run = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        run += std::min(weight[i], w_cap);
        cumulative[i] = run;
    }
    // Suppliers per client: 1 + geometric with mean (mean_degree - 1).
    const double q = 1.0 / opt.mean_degree;  // success probability of the geometric
    std::vector<std::int32_t> picked;
    for (std::size_t i = 0; i < n && n > 1; ++i) {
        std::size_t k = 1;
        while (rng.uniform() >= q && k < n - 1 && k < 1000) {
            ++k;
        }
        picked.clear();
        for (std::size_t tries = 0; picked.size() < k && tries < 4 * k; ++tries) {
            const double u = rng.uniform() * run;
            auto j = static_cast<std::size_t>(
                std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
            j = std::min(j, n - 1);
            if (j == i || std::find(picked.begin(), picked.end(), static_cast<std::int32_t>(j)) !=
                              picked.end()) {
                continue;
            }
            picked.push_back(static_cast<std::int32_t>(j));
            in.link_supplier.push_back(static_cast<std::int32_t>(j));
            in.link_client.push_back(static_cast<std::int32_t>(i));
            in.link_amount.push_back(0.5 + 1.5 * rng.uniform());
            in.link_line.push_back(static_cast<std::int32_t>(in.link_line.size() + 2));
        }
    }
    in.link_file = "links.csv";
    for (std::size_t i = 0; i < n; ++i) {
        if (rng.uniform() < opt.shocked_share) {
            const double delta = 0.2 + 0.8 * rng.uniform();
            const int start = 1 + static_cast<int>(rng.next() % 3U);
            g.shocks.push_back({static_cast<std::int32_t>(i), delta, start, -1, {}});
        }
    }
    return g;
}

void write_csv_files(const GeneratedNetwork& g, const std::string& dir) {
    namespace fs = std::filesystem;
    fs::create_directories(dir);
    const auto& in = g.input;
    {
        File f(fs::path(dir) / "firms.csv");
        f.put("id,country,sector,final_demand\n");
        for (std::size_t i = 0; i < in.ids.size(); ++i) {
            f.put(in.ids[i] + "," + in.country_names[static_cast<std::size_t>(in.country[i])] +
                  "," + in.sector_names[static_cast<std::size_t>(in.sector[i])] + "," +
                  exact(in.final_demand[i]) + "\n");
        }
    }
    {
        File f(fs::path(dir) / "links.csv");
        f.put("supplier,client,daily_amount\n");
        for (std::size_t e = 0; e < in.link_amount.size(); ++e) {
            f.put(in.ids[static_cast<std::size_t>(in.link_supplier[e])] + "," +
                  in.ids[static_cast<std::size_t>(in.link_client[e])] + "," +
                  exact(in.link_amount[e]) + "\n");
        }
    }
    {
        File f(fs::path(dir) / "shocks.csv");
        f.put("firm,capacity_loss,start_day\n");
        for (const auto& s : g.shocks) {
            f.put(in.ids[static_cast<std::size_t>(s.firm)] + "," + exact(s.delta) + "," +
                  std::to_string(s.start_day) + "\n");
        }
    }
}

void write_inoue_files(const GeneratedNetwork& g, const std::string& dir) {
    namespace fs = std::filesystem;
    fs::create_directories(dir);
    const auto& in = g.input;
    std::vector<double> pini(in.final_demand);
    {
        File f(fs::path(dir) / "transactions.txt");
        for (std::size_t e = 0; e < in.link_amount.size(); ++e) {
            pini[static_cast<std::size_t>(in.link_supplier[e])] += in.link_amount[e];
            f.put(in.ids[static_cast<std::size_t>(in.link_supplier[e])] + " " +
                  in.ids[static_cast<std::size_t>(in.link_client[e])] + " " +
                  exact(in.link_amount[e]) + "\n");
        }
    }
    {
        File c(fs::path(dir) / "final_consumption.txt");
        File p(fs::path(dir) / "initial_production.txt");
        File a(fs::path(dir) / "affiliation.txt");
        for (std::size_t i = 0; i < in.ids.size(); ++i) {
            c.put(in.ids[i] + " " + exact(in.final_demand[i]) + "\n");
            p.put(in.ids[i] + " " + exact(pini[i]) + "\n");
            a.put(in.ids[i] + " " + in.sector_names[static_cast<std::size_t>(in.sector[i])] + "\n");
        }
    }
    {
        File f(fs::path(dir) / "delta.txt");
        for (const auto& s : g.shocks) {
            f.put(in.ids[static_cast<std::size_t>(s.firm)] + " " + exact(s.delta) + " " +
                  std::to_string(s.start_day) + "\n");
        }
    }
}

}  // namespace lodestone::firmnet
