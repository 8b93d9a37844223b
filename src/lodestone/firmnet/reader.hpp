// lodestone/firmnet/reader.hpp: reads a firm network and its shocks, validating every row and
// reporting every problem at once (file:line:column, stable codes), then compiles the CSR arrays.
// Two input formats:
//  - CSV (header row, '#' comments, RFC 4180 quotes on one line): firms.csv
//    `id,country,sector,final_demand[,inventory_days]`, links.csv `supplier,client,daily_amount`,
//    shocks.csv `firm,capacity_loss[,start_day][,recovery_days]` where `firm` is a firm id or a
//    selector `country=CHN;sector=magnets` (',' also separates keys inside a quoted field).
//  - the whitespace text files of Inoue's published simulator (ProductionNetworkSimulator): the
//    transaction table `supplier client amount`, final consumption `firm value`, initial
//    production `firm value`, affiliation `firm sector [ignored...]` and deltas
//    `firm delta [start_day]`.
// The readers stream lines and keep only the link arrays, so 5e6 links fit in a few hundred MB.
// Example: auto in = read_csv_files({"firms.csv", "links.csv", "shocks.csv"});
#pragma once

#include <string>
#include <vector>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/firmnet/network.hpp"
#include "lodestone/firmnet/propagate.hpp"

namespace lodestone::firmnet {

/// A file's name (for diagnostics) and its bytes.
struct TextFile {
    std::string name;
    std::string bytes;
};

struct LoadedFirmNet {
    FirmNetwork network;
    std::vector<Shock> shocks;  ///< of the first shock file (empty without one)
    /// A set of shocks: one entry per shock file, in the order given (shock_sets[0] == shocks);
    /// each is an independent scenario (`propagate --shock A --shock B`).
    std::vector<std::vector<Shock>> shock_sets;
    std::vector<Diagnostic> warnings;
};

/// CSV format; `shocks` may have an empty name (no shocks); `more_shocks` are further shock files
/// of a set. Throws InputError with every error of every file.
[[nodiscard]] LoadedFirmNet read_csv(const TextFile& firms,
                                     const TextFile& links,
                                     const TextFile& shocks,
                                     const std::vector<TextFile>& more_shocks = {});

struct InoueFiles {
    TextFile transactions;              ///< supplier client amount
    TextFile final_consumption;         ///< firm value
    TextFile initial_production;        ///< firm value
    TextFile affiliation;               ///< firm sector [...]
    TextFile delta;                     ///< firm delta [start_day]; empty name = no shocks
    std::vector<TextFile> more_deltas;  ///< further delta files of a set of shocks
};
/// Inoue simulator format. Throws InputError with every error.
[[nodiscard]] LoadedFirmNet read_inoue(const InoueFiles& files);

/// Reads a file into a TextFile; reports E-FILE-MISSING / E-NOT-FILE / E-FILE-READ into diags.
[[nodiscard]] TextFile load_text(const std::string& path, Diagnostics& diags);

}  // namespace lodestone::firmnet
