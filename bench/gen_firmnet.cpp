// gen_firmnet: writes a reproducible scale-free firm network (firms, links, shocks) in both input
// formats of `lodestone propagate`: DIR/csv/{firms,links,shocks}.csv and
// DIR/inoue/{transactions,final_consumption,initial_production,affiliation,delta}.txt.
// Usage: gen_firmnet --firms N [--seed S] [--mean-degree K] [--max-degree M] [--shocked-share X]
// --out DIR
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lodestone/firmnet/generate.hpp"

int main(int argc, char** argv) {
    lodestone::firmnet::GenerateOptions opt;
    std::string out;
    for (int k = 1; k + 1 < argc; k += 2) {
        const std::string_view key = argv[k];
        const char* value = argv[k + 1];
        if (key == "--firms") {
            opt.firms = std::strtoull(value, nullptr, 10);
        } else if (key == "--seed") {
            opt.seed = std::strtoull(value, nullptr, 10);
        } else if (key == "--mean-degree") {
            opt.mean_degree = std::strtod(value, nullptr);
        } else if (key == "--max-degree") {
            opt.max_degree = std::strtod(value, nullptr);
        } else if (key == "--shocked-share") {
            opt.shocked_share = std::strtod(value, nullptr);
        } else if (key == "--out") {
            out = value;
        } else {
            std::fprintf(stderr, "gen_firmnet: unknown option %s\n", argv[k]);
            return 2;
        }
    }
    if (out.empty() || opt.firms < 2 || !(opt.mean_degree >= 1.0)) {
        std::fprintf(stderr,
                     "usage: gen_firmnet --firms N (>= 2) [--seed S] [--mean-degree K >= 1] "
                     "[--max-degree M] [--shocked-share X] --out DIR\n");
        return 2;
    }
    const auto g = lodestone::firmnet::generate_network(opt);
    lodestone::firmnet::write_csv_files(g, out + "/csv");
    lodestone::firmnet::write_inoue_files(g, out + "/inoue");
    std::printf("%zu firms, %zu links, %zu shocks written to %s\n", g.input.ids.size(),
                g.input.link_amount.size(), g.shocks.size(), out.c_str());
    return 0;
}
