// lodestone/report/table_fit.hpp: a text table that fits a terminal. Long text columns (titles,
// source URLs) would wrap every row; here the widest text columns are trimmed instead, cells ending
// in "…", numbers never cut. The full text stays in CSV and JSON.
// Example: std::fputs(render_text_fitted(table, 100).c_str(), stdout);
#pragma once

#include <cstddef>
#include <string>

#include "lodestone/report/table.hpp"

namespace lodestone::report {

/// render_text with every row at most max_width columns wide (code points) when the text columns
/// can be trimmed to 8; max_width 0 = no limit (render_text). Title and notes are not trimmed.
[[nodiscard]] std::string render_text_fitted(const Table& table, std::size_t max_width);

}  // namespace lodestone::report
