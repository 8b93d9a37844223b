#include "lodestone/report/html.hpp"

namespace lodestone::report::html {

std::string detail::escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

Html escape(std::string_view text) {
    return {detail::escaped(text), Html::Checked{}};
}

Html json_script(Literal id, std::string_view json) {
    std::string out = "<script type=\"application/json\" id=\"";
    out += detail::escaped(id.text());
    out += "\">";
    out.reserve(out.size() + json.size() + 9);
    for (const char c : json) {
        if (c == '<') {
            out += "\\u003c";
        } else {
            out += c;
        }
    }
    out += "</script>";
    return {std::move(out), Html::Checked{}};
}

}  // namespace lodestone::report::html
