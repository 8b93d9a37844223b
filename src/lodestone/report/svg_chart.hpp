// lodestone/report/svg_chart.hpp: small inline-SVG charts for self-contained HTML reports
// (no script, no external resource: they render offline, print, and show tooltips via <title>).
// Each function returns one <svg> element as html::Html: labels, tooltips and colours are text,
// escaped when drawn (html.hpp), so a product or measure name cannot become markup.
// Example: hbar_chart({{"gallium", 0.98, "98 %", "refined: CHN 98 %"}}, {.max_value = 1.0})
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lodestone/core/date.hpp"
#include "lodestone/report/html.hpp"

namespace lodestone::report::svg {

struct Bar {
    std::string label;       ///< left of the bar
    double value = 0.0;      ///< bar length in chart units
    std::string value_text;  ///< right of the bar
    std::string tooltip;     ///< <title> of the bar
    std::string color;       ///< CSS colour; empty = default
};

struct BarOptions {
    double max_value = 1.0;  ///< value drawn at full width
    int width = 900;         ///< px
    int label_width = 260;   ///< px
    std::string axis_label;  ///< under the axis
};

/// Horizontal bars, one per row, with an axis from 0 to max_value.
[[nodiscard]] html::Html hbar_chart(const std::vector<Bar>& bars, const BarOptions& options);

struct Span {
    std::optional<Date> from;  ///< none = before the chart
    std::optional<Date> to;    ///< inclusive last day; none = open-ended
};

struct TimelineBar {
    std::string label;
    std::string tooltip;
    std::string color;
    bool emphasis = false;  ///< bold label
    Span span;
    std::vector<std::pair<Date, Date>> gaps;  ///< inclusive windows drawn hatched (suspended)
};

struct TimelineOptions {
    Date from;
    Date to;
    Date today;  ///< vertical "as of" line
    int width = 960;
    int label_width = 330;
};

/// A Gantt-like timeline of windows between from and to, with an "as of" line, open-ended bars
/// drawn with an arrow and expiries inside the chart marked.
[[nodiscard]] html::Html timeline_chart(const std::vector<TimelineBar>& bars,
                                        const TimelineOptions& options);

struct Segment {
    std::string label;   ///< legend text, e.g. "CHN"
    double value = 0.0;  ///< fraction of the row, 0-1
    std::string color;
};

struct StackedRow {
    std::string label;
    std::vector<Segment> segments;
};

/// Horizontal 100 % stacked bars (e.g. origin shares per stage) with a legend.
[[nodiscard]] html::Html stacked_chart(const std::vector<StackedRow>& rows,
                                       int width = 900,
                                       int label_width = 220);

struct BandPoint {
    double x = 0.0;
    double p5 = 0.0;
    double p50 = 0.0;
    double p95 = 0.0;
};

struct FanOptions {
    std::string title;
    std::string x_label;  ///< e.g. "week"
    std::string y_label;  ///< e.g. "shortfall, t"
    int width = 440;
    int height = 240;
    std::string color = "#c0392b";
};

/// A fan chart: the P5-P95 band shaded, the median as a line.
[[nodiscard]] html::Html fan_chart(const std::vector<BandPoint>& points, const FanOptions& options);

struct TornadoBar {
    std::string label;     ///< the parameter
    double low = 0.0;      ///< the output with the parameter at its low end
    double high = 0.0;     ///< ... at its high end
    std::string low_text;  ///< printed at the low end's bar tip
    std::string high_text;
    std::string tooltip;
};

struct TornadoOptions {
    double base = 0.0;       ///< the output without pinning: the vertical line the bars start from
    std::string axis_label;  ///< e.g. "median peak shortfall share, USA gallium"
    std::string low_label = "parameter at P5";
    std::string high_label = "parameter at P95";
    int width = 900;
    int label_width = 300;
};

/// A tornado chart: per row, a bar from the base to the output at the parameter's low end (blue)
/// and one to its high end (red); rows in the given order (largest swing first).
[[nodiscard]] html::Html tornado_chart(const std::vector<TornadoBar>& bars,
                                       const TornadoOptions& options);

/// A fixed colour per country code (stable across charts), from a small palette.
[[nodiscard]] std::string country_color(std::string_view iso3);

}  // namespace lodestone::report::svg
