#include "lodestone/report/svg_chart.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "lodestone/report/html.hpp"

namespace lodestone::report::svg {

namespace {

using html::Html;
using html::Literal;

constexpr int kRowHeight = 22;
constexpr int kBarHeight = 14;
constexpr const char* kDefaultColor = "#2f6f9f";
constexpr Literal kFont{"font-family=\"system-ui,-apple-system,Segoe UI,Roboto,sans-serif\""};

/// <text> at (x, y) with the attributes `extra` (markup from the source) and `content` escaped.
Html text(double x, double y, std::string_view content, Literal extra = "") {
    return html::format("<text x=\"{:.1f}\" y=\"{:.1f}\" {}>{}</text>", x, y, extra, content);
}

/// Width of a character of the 12 px chart font, px (an average of the sans-serif faces).
constexpr double kCharPx = 7.0;

/// The label, cut with "…" to about `px` pixels (the full text stays in the bar's tooltip).
std::string fit_label(const std::string& label, int px) {
    const auto chars = static_cast<std::size_t>(std::max(4.0, px / kCharPx));
    if (label.size() <= chars) {
        return label;
    }
    std::size_t cut = chars - 1;
    while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) {
        --cut;  // not inside a UTF-8 sequence
    }
    return label.substr(0, cut) + "\u2026";
}

/// Scales with its container (a phone, a printed page) down from its natural width; the
/// viewBox keeps the proportions.
Html open_svg(int width, int height, std::string_view label) {
    return html::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" width=\"{}\" "
        "height=\"{}\" "
        "viewBox=\"0 0 {} {}\" preserveAspectRatio=\"xMinYMin meet\" "
        "style=\"width:100%;max-width:{}px;height:auto\" {} font-size=\"12\">",
        label, width, height, width, height, width, kFont);
}

/// "Nice" tick step for a range: 1, 2 or 5 times a power of ten.
double nice_step(double range, int target_ticks) {
    if (range <= 0) {
        return 1.0;
    }
    const double raw = range / target_ticks;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * power >= raw) {
            return m * power;
        }
    }
    return 10.0 * power;
}

std::string tick_text(double v) {
    if (v != 0.0 && (std::fabs(v) >= 1e6 || std::fabs(v) < 1e-3)) {
        return fmt::format("{:.1e}", v);
    }
    return fmt::format("{:g}", v);
}

}  // namespace

std::string country_color(std::string_view iso3) {
    // Fixed colours for the countries that dominate critical-mineral supply; a hash for the rest.
    static const std::vector<std::pair<std::string_view, std::string_view>> fixed_colors{
        {"CHN", "#c0392b"}, {"USA", "#2f6f9f"}, {"AUS", "#e6a117"}, {"COD", "#6c3483"},
        {"IDN", "#1e8449"}, {"CHL", "#d35400"}, {"RUS", "#7f8c8d"}, {"ZAF", "#16a085"},
        {"JPN", "#ad1457"}, {"BRA", "#558b2f"}, {"ARG", "#0097a7"}, {"MMR", "#8d6e63"},
        {"ROW", "#b0b7bf"}, {"KOR", "#3949ab"}, {"CAN", "#ef6c00"}, {"VNM", "#9e9d24"},
        {"PHL", "#00897b"}, {"GAB", "#5d4037"}, {"MOZ", "#f06292"}, {"MDG", "#7cb342"}};
    for (const auto& [code, color] : fixed_colors) {
        if (code == iso3) {
            return std::string(color);
        }
    }
    static const std::vector<std::string_view> palette{"#4e79a7", "#f28e2b", "#76b7b2", "#59a14f",
                                                       "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
                                                       "#86bcb6", "#d37295"};
    std::size_t h = 0;
    for (const char c : iso3) {
        h = h * 31 + static_cast<unsigned char>(c);
    }
    return std::string(palette[h % palette.size()]);
}

Html hbar_chart(const std::vector<Bar>& bars, const BarOptions& o) {
    const int top = 8;
    const int axis_h = o.axis_label.empty() ? 22 : 38;
    const int height = top + static_cast<int>(bars.size()) * kRowHeight + axis_h;
    // Room right of the longest bar for the longest value text, so the top bar's text is never
    // cut by the chart's edge (~7 px per character at 12 px).
    std::size_t value_chars = 0;
    for (const auto& b : bars) {
        value_chars = std::max(value_chars, b.value_text.size());
    }
    const double value_room = 12.0 + kCharPx * static_cast<double>(value_chars);
    const double plot_w = std::max(60.0, o.width - o.label_width - value_room);
    const double max_value = o.max_value > 0 ? o.max_value : 1.0;
    Html s = open_svg(o.width, height, o.axis_label.empty() ? "bar chart" : o.axis_label);
    const double x0 = o.label_width;
    const double y_axis = top + static_cast<double>(bars.size()) * kRowHeight;
    const double step = nice_step(max_value, 5);
    for (double v = 0; v <= max_value + 1e-12; v += step) {
        const double x = x0 + plot_w * v / max_value;
        s += html::format(
            "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e3e6ea\"/>", x,
            top, x, y_axis);
        s += text(x, y_axis + 14, tick_text(v), "text-anchor=\"middle\" fill=\"#555\"");
    }
    if (!o.axis_label.empty()) {
        s += text(x0 + plot_w / 2, y_axis + 32, o.axis_label,
                  "text-anchor=\"middle\" fill=\"#333\"");
    }
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto& b = bars[i];
        const double y = top + static_cast<double>(i) * kRowHeight;
        const double w = std::max(0.0, plot_w * std::min(b.value, max_value) / max_value);
        s += text(x0 - 8, y + 15, fit_label(b.label, o.label_width - 12),
                  "text-anchor=\"end\" fill=\"#222\"");
        s += html::format(
            "<rect class=\"bar\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" "
            "fill=\"{}\">"
            "<title>{}</title></rect>",
            x0, y + 4, w, kBarHeight, b.color.empty() ? kDefaultColor : b.color,
            b.tooltip.empty() ? b.label + ": " + b.value_text : b.tooltip);
        s += text(x0 + w + 6, y + 15, b.value_text, "fill=\"#222\"");
    }
    s += html::format("<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#888\"/>",
                      x0, top, x0, y_axis);
    return s + "</svg>";
}

Html tornado_chart(const std::vector<TornadoBar>& bars, const TornadoOptions& o) {
    constexpr const char* kLowColor = "#2874a6";
    constexpr const char* kHighColor = "#c0392b";
    const int top = 24;  // legend row
    const int axis_h = o.axis_label.empty() ? 22 : 38;
    const int height = top + static_cast<int>(bars.size()) * kRowHeight + axis_h;
    const double x0 = o.label_width;
    const double px = x0 + 60.0;  // room for the end texts on both sides
    const double plot_w = o.width - px - 60.0;
    double lo = o.base;
    double hi = o.base;
    for (const auto& b : bars) {
        lo = std::min({lo, b.low, b.high});
        hi = std::max({hi, b.low, b.high});
    }
    const double step = nice_step(hi - lo, 5);
    lo = std::floor(lo / step) * step;
    hi = std::max(lo + step, std::ceil(hi / step) * step);
    auto x_of = [&](double v) { return px + plot_w * (v - lo) / (hi - lo); };
    Html s = open_svg(o.width, height, o.axis_label.empty() ? "tornado chart" : o.axis_label);
    const double y_axis = top + static_cast<double>(bars.size()) * kRowHeight;
    s += html::format("<rect x=\"{:.1f}\" y=\"4\" width=\"10\" height=\"10\" fill=\"{}\"/>", x0,
                      kLowColor);
    s += text(x0 + 14, 13, o.low_label, "fill=\"#333\"");
    s += html::format("<rect x=\"{:.1f}\" y=\"4\" width=\"10\" height=\"10\" fill=\"{}\"/>",
                      x0 + 160, kHighColor);
    s += text(x0 + 174, 13, o.high_label, "fill=\"#333\"");
    for (double v = lo; v <= hi + step * 1e-9; v += step) {
        const double x = x_of(v);
        s += html::format(
            "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e3e6ea\"/>", x,
            top, x, y_axis);
        s += text(x, y_axis + 14, tick_text(v), "text-anchor=\"middle\" fill=\"#555\"");
    }
    if (!o.axis_label.empty()) {
        s += text(px + plot_w / 2, y_axis + 32, o.axis_label,
                  "text-anchor=\"middle\" fill=\"#333\"");
    }
    const double xb = x_of(o.base);
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto& b = bars[i];
        const double y = top + static_cast<double>(i) * kRowHeight;
        s += text(x0 - 8, y + 15, b.label, "text-anchor=\"end\" fill=\"#222\"");
        // The longer side first, so a shorter one on the same side of the base stays visible.
        std::vector<std::pair<double, const char*>> ends{{b.low, kLowColor}, {b.high, kHighColor}};
        if (std::fabs(b.high - o.base) > std::fabs(b.low - o.base)) {
            std::swap(ends[0], ends[1]);
        }
        for (const auto& [v, color] : ends) {
            const double x = x_of(v);
            s += html::format(
                "<rect class=\"tornado-bar\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
                "height=\"{}\" "
                "fill=\"{}\"><title>{}</title></rect>",
                std::min(x, xb), y + 4, std::max(1.0, std::fabs(x - xb)), kBarHeight, color,
                b.tooltip.empty() ? b.label : b.tooltip);
        }
        const bool low_left = b.low <= b.high;
        const double left = x_of(std::min({b.low, b.high, o.base}));
        const double right = x_of(std::max({b.low, b.high, o.base}));
        s += text(left - 4, y + 15, low_left ? b.low_text : b.high_text,
                  "text-anchor=\"end\" fill=\"#555\" font-size=\"10\"");
        s += text(right + 4, y + 15, low_left ? b.high_text : b.low_text,
                  "fill=\"#555\" font-size=\"10\"");
    }
    s += html::format("<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333\"/>",
                      xb, top, xb, y_axis);
    return s + "</svg>";
}

Html timeline_chart(const std::vector<TimelineBar>& bars, const TimelineOptions& o) {
    const int top = 26;
    const int height = top + static_cast<int>(bars.size()) * kRowHeight + 10;
    const double x0 = o.label_width;
    const double plot_w = o.width - o.label_width - 16.0;
    const int span_days = std::max(1, days_between(o.from, o.to) + 1);
    auto x_of = [&](Date d) {
        const int clamped = std::clamp(days_between(o.from, d), 0, span_days);
        return x0 + plot_w * clamped / span_days;
    };
    Html s = open_svg(o.width, height, "policy timeline");
    s += "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
         "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/>"
         "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#888\" "
         "stroke-width=\"3\"/></pattern></defs>";
    const double bottom = top + static_cast<double>(bars.size()) * kRowHeight;
    // Year ticks (and quarters when the window is short).
    const bool quarters = span_days <= 2 * 366;
    for (int year = o.from.year(); year <= o.to.year(); ++year) {
        for (unsigned month = 1; month <= 12; month += quarters ? 3 : 12) {
            const Date d = Date::from_ymd(year, month, 1);
            if (d < o.from || d > o.to) {
                continue;
            }
            const double x = x_of(d);
            const bool jan = month == 1;
            s += html::format(
                "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\"/>", x,
                top - 4, x, bottom, jan ? "#d5d9de" : "#eef0f2");
            s += text(x + 2, top - 8,
                      jan ? std::to_string(year) : fmt::format("Q{}", (month - 1) / 3 + 1),
                      jan ? Literal{"fill=\"#444\""} : Literal{"fill=\"#999\" font-size=\"10\""});
        }
    }
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto& b = bars[i];
        const double y = top + static_cast<double>(i) * kRowHeight;
        s += text(
            x0 - 8, y + 15, b.label,
            b.emphasis
                ? Literal{"text-anchor=\"end\" font-size=\"11\" font-weight=\"600\" fill=\"#111\""}
                : Literal{"text-anchor=\"end\" font-size=\"11\" fill=\"#666\""});
        const Date start = b.span.from.value_or(o.from);
        const bool open = !b.span.to || *b.span.to >= o.to;
        const Date end = b.span.to ? std::min(*b.span.to, o.to) : o.to;
        const double xa = x_of(std::max(start, o.from));
        const double xb = x_of(end.plus_days(1));
        s += html::format("<g class=\"measure\"><title>{}</title>", b.tooltip);
        s += html::format(
            "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" rx=\"2\" fill=\"{}\"/>",
            xa, y + 4, std::max(1.5, xb - xa), kBarHeight,
            b.color.empty() ? kDefaultColor : b.color);
        for (const auto& [g0, g1] : b.gaps) {
            const double ga = x_of(std::max(g0, o.from));
            const double gb = x_of(std::min(g1, o.to).plus_days(1));
            if (gb > ga) {
                s += html::format(
                    "<rect class=\"suspended\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
                    "height=\"{}\" "
                    "fill=\"url(#hatch)\" opacity=\"0.85\"/>",
                    ga, y + 4, gb - ga, kBarHeight);
            }
        }
        if (open) {
            s += html::format("<path d=\"M{:.1f} {:.1f} l7 7 l-7 7 z\" fill=\"{}\"/>", xb, y + 4,
                              b.color.empty() ? kDefaultColor : b.color);
        } else if (b.span.to && *b.span.to >= o.from) {
            s += html::format(
                "<line class=\"expiry\" x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" "
                "stroke=\"#111\" stroke-width=\"2\"/>",
                xb, y + 2, xb, y + 20);
        }
        s += "</g>";
    }
    const double xt = x_of(o.today);
    s += html::format(
        "<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#d62728\" "
        "stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
        xt, top - 18, xt, bottom);
    const bool near_right = xt > x0 + plot_w * 0.8;
    s += text(near_right ? xt - 4 : xt + 4, 10, "as of " + o.today.to_string(),
              near_right ? Literal{"text-anchor=\"end\" fill=\"#d62728\" font-weight=\"600\""}
                         : Literal{"fill=\"#d62728\" font-weight=\"600\""});
    return s + "</svg>";
}

Html stacked_chart(const std::vector<StackedRow>& rows, int width, int label_width) {
    // Legend: every segment label once, in order of first appearance.
    std::vector<std::pair<std::string, std::string>> legend;
    for (const auto& r : rows) {
        for (const auto& seg : r.segments) {
            if (std::none_of(legend.begin(), legend.end(),
                             [&](const auto& l) { return l.first == seg.label; })) {
                legend.emplace_back(seg.label,
                                    seg.color.empty() ? country_color(seg.label) : seg.color);
            }
        }
    }
    const int legend_per_row = std::max(1, (width - 20) / 90);
    const int legend_rows =
        static_cast<int>((legend.size() + static_cast<std::size_t>(legend_per_row) - 1) /
                         static_cast<std::size_t>(legend_per_row));
    const int top = 6;
    const double plot_w = width - label_width - 16.0;
    const double bars_bottom = top + static_cast<double>(rows.size()) * kRowHeight;
    const int height = static_cast<int>(bars_bottom) + 10 + legend_rows * 18;
    Html s = open_svg(width, height, "stacked shares");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        const double y = top + static_cast<double>(i) * kRowHeight;
        s += text(label_width - 8, y + 15, r.label, "text-anchor=\"end\" fill=\"#222\"");
        double x = label_width;
        for (const auto& seg : r.segments) {
            const double w = plot_w * std::clamp(seg.value, 0.0, 1.0);
            const std::string color = seg.color.empty() ? country_color(seg.label) : seg.color;
            s += html::format(
                "<rect class=\"segment\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" "
                "fill=\"{}\"><title>{}: {} {:.1f} %</title></rect>",
                x, y + 4, w, kBarHeight, color, r.label, seg.label, seg.value * 100.0);
            if (w > 34) {
                s += text(x + 4, y + 15, fmt::format("{} {:.0f}%", seg.label, seg.value * 100.0),
                          "fill=\"#fff\" font-size=\"10\"");
            }
            x += w;
        }
    }
    for (std::size_t i = 0; i < legend.size(); ++i) {
        const auto col = static_cast<int>(i % static_cast<std::size_t>(legend_per_row));
        const auto row = static_cast<int>(i / static_cast<std::size_t>(legend_per_row));
        const double lx = 10 + col * 90;
        const double ly = bars_bottom + 8 + row * 18;
        s +=
            html::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"12\" height=\"12\" fill=\"{}\"/>",
                         lx, ly, legend[i].second);
        s += text(lx + 16, ly + 10, legend[i].first, "fill=\"#333\"");
    }
    return s + "</svg>";
}

Html fan_chart(const std::vector<BandPoint>& points, const FanOptions& o) {
    const double left = 56;
    const double right = 12;
    const double top = o.title.empty() ? 10 : 26;
    const double bottom = 38;
    const double plot_w = o.width - left - right;
    const double plot_h = o.height - top - bottom;
    Html s = open_svg(o.width, o.height, o.title.empty() ? "fan chart" : o.title);
    if (!o.title.empty()) {
        s += text(left, 16, o.title, "font-weight=\"600\" fill=\"#222\"");
    }
    if (points.empty()) {
        return s + text(left, top + plot_h / 2, "no data", "fill=\"#777\"") + "</svg>";
    }
    double x_min = points.front().x;
    double x_max = points.front().x;
    double y_min = 0.0;
    double y_max = 0.0;
    for (const auto& p : points) {
        x_min = std::min(x_min, p.x);
        x_max = std::max(x_max, p.x);
        y_min = std::min({y_min, p.p5, p.p50});
        y_max = std::max({y_max, p.p95, p.p50});
    }
    if (x_max <= x_min) {
        x_max = x_min + 1;
    }
    if (y_max <= y_min) {
        y_max = y_min + 1;
    }
    const double y_step = nice_step(y_max - y_min, 4);
    y_max = std::ceil(y_max / y_step) * y_step;
    auto px = [&](double x) { return left + plot_w * (x - x_min) / (x_max - x_min); };
    auto py = [&](double y) { return top + plot_h * (1.0 - (y - y_min) / (y_max - y_min)); };
    for (double v = y_min; v <= y_max + 1e-9 * y_step; v += y_step) {
        s += html::format(
            "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#eceff1\"/>",
            left, py(v), left + plot_w, py(v));
        s += text(left - 6, py(v) + 4, tick_text(v),
                  "text-anchor=\"end\" fill=\"#555\" font-size=\"10\"");
    }
    const double x_step = nice_step(x_max - x_min, 6);
    for (double v = std::ceil(x_min / x_step) * x_step; v <= x_max + 1e-9; v += x_step) {
        s += text(px(v), top + plot_h + 14, tick_text(v),
                  "text-anchor=\"middle\" fill=\"#555\" font-size=\"10\"");
    }
    std::string band = "M";
    for (std::size_t i = 0; i < points.size(); ++i) {
        band += fmt::format("{}{:.1f} {:.1f}", i ? " L" : "", px(points[i].x), py(points[i].p95));
    }
    for (std::size_t i = points.size(); i-- > 0;) {
        band += fmt::format(" L{:.1f} {:.1f}", px(points[i].x), py(points[i].p5));
    }
    s += html::format(
        "<path class=\"band\" d=\"{} Z\" fill=\"{}\" "
        "fill-opacity=\"0.22\"><title>P5-P95</title></path>",
        band, o.color);
    std::string median = "M";
    for (std::size_t i = 0; i < points.size(); ++i) {
        median += fmt::format("{}{:.1f} {:.1f}", i ? " L" : "", px(points[i].x), py(points[i].p50));
    }
    s += html::format(
        "<path class=\"median\" d=\"{}\" fill=\"none\" stroke=\"{}\" "
        "stroke-width=\"2\"><title>P50</title></path>",
        median, o.color);
    s += html::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#888\"/>", left,
        top + plot_h, left + plot_w, top + plot_h);
    if (!o.x_label.empty()) {
        s += text(left + plot_w / 2, o.height - 6, o.x_label,
                  "text-anchor=\"middle\" fill=\"#333\" font-size=\"11\"");
    }
    if (!o.y_label.empty()) {
        s += html::format(
            "<text transform=\"translate(12 {:.1f}) rotate(-90)\" text-anchor=\"middle\" "
            "fill=\"#333\" "
            "font-size=\"11\">{}</text>",
            top + plot_h / 2, o.y_label);
    }
    return s + "</svg>";
}

}  // namespace lodestone::report::svg
