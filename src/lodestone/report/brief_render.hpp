// lodestone/report/brief_render.hpp: the brief as a terminal summary and as ONE self-contained
// HTML file (inline CSS, inline SVG charts, the data as embedded JSON; no script or network fetch),
// so that it opens offline, prints, and can be mailed.
// Example: write_file("brief.html", render_html(assemble_brief(world, options)));
#pragma once

#include <string>
#include <vector>

#include "lodestone/report/brief.hpp"
#include "lodestone/report/table.hpp"

namespace lodestone::report {

/// Plain-text summary for a terminal: headline, what binds, what changes soon, top materials,
/// BOM and scenario sections (or why they are absent). `html_path`, when given, is named at the
/// end. Tables are trimmed to `max_width` columns (0 = no limit; render_text).
[[nodiscard]] std::string render_terminal(const Brief& brief,
                                          const std::string& html_path = {},
                                          std::size_t max_width = 0);

/// The brief's tables (named binding, suspended, upcoming, risk, bom, exposure, scenario; the last
/// three when available), for CSV output: one tidy table each.
[[nodiscard]] std::vector<Table> brief_tables(const Brief& brief);

/// The whole brief as a standalone HTML document. The JSON payload (to_json) is embedded in
/// <script type="application/json" id="lodestone-brief">.
[[nodiscard]] std::string render_html(const Brief& brief);

}  // namespace lodestone::report
