// html::Html (lodestone/report/html.hpp): text is escaped on the way in, in element content and in
// attribute values; markup comes only from literals and other Html; JSON in a script element
// cannot end it. That a std::string cannot be appended as markup is checked by the compile-fail
// tests build.html_misuse_* (tests/unit/html_misuse.cpp).
#include "lodestone/report/html.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace lodestone::report;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const std::string kPayload = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>'&amp;";
const std::string kEscaped =
    "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x "
    "onerror=alert(1)&gt;&#39;&amp;amp;";

}  // namespace

TEST(Html, EscapeCoversTextAndQuotedAttributes) {
    EXPECT_EQ(html::escape("a<b>&\"c'").str(), "a&lt;b&gt;&amp;&quot;c&#39;");
    EXPECT_EQ(html::escape(kPayload).str(), kEscaped);
    EXPECT_EQ(html::escape("").str(), "");
    EXPECT_EQ(html::escape("gallium · 98 %").str(), "gallium · 98 %");  // UTF-8 passes through
}

TEST(Html, FormatEscapesEveryTextArgument) {
    const std::string name = kPayload;
    const std::string_view view = kPayload;
    const auto h = html::format("<td title=\"{}\" data-x=\"{}\">{} {}</td>", name, view,
                                kPayload.c_str(), "a&b");
    EXPECT_EQ(h.str(), "<td title=\"" + kEscaped + "\" data-x=\"" + kEscaped + "\">" + kEscaped +
                           " a&amp;b</td>");
}

TEST(Html, FormatKeepsNumbersAndTheirSpecs) {
    EXPECT_EQ(html::format("<b>{}</b> {:.2f} {:.0f}% {}", std::size_t{3}, 3.14159, 98.4, -2).str(),
              "<b>3</b> 3.14 98% -2");
}

TEST(Html, HtmlAndLiteralsAreInsertedAsMarkup) {
    const html::Html cell = html::format("<td>{}</td>", "<x>");
    const bool touch = cell.str().size() > 3;
    const auto row = html::format(
        "<tr{}>{}</tr>", touch ? html::Literal{" class=\"touch\""} : html::Literal{""}, cell);
    EXPECT_EQ(row.str(), "<tr class=\"touch\"><td>&lt;x&gt;</td></tr>");
    html::Html h{"<ul>"};
    h += "<li>" + html::escape("a & b") + "</li>";
    h += html::Html{"</ul>"};
    EXPECT_EQ(h.str(), "<ul><li>a &amp; b</li></ul>");
    EXPECT_TRUE(html::Html().empty());
}

TEST(Html, JsonScriptCannotBeEndedByItsPayload) {
    const nlohmann::json j = {{"title", "</script><script>alert(1)</script><!-- &amp;"}};
    const auto h = html::json_script("lodestone-brief", j.dump()).str();
    const std::string open = "<script type=\"application/json\" id=\"lodestone-brief\">";
    ASSERT_EQ(h.rfind(open, 0), 0U);
    ASSERT_EQ(h.find("</script>"), h.size() - 9);  // the only end tag is its own
    EXPECT_THAT(h, Not(HasSubstr("<!--")));
    EXPECT_EQ(nlohmann::json::parse(h.substr(open.size(), h.size() - open.size() - 9)), j);
}
