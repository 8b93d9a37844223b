// Compile-fail cases for html::Html (lodestone/report/html.hpp): each LODE_CASE is a way of putting
// unescaped text into HTML, and must not compile. Built by the ctests build.html_misuse_* with
// -fsyntax-only; build.html_misuse_0 (no case) must compile, so a failure is the case's own.
#include <string>

#include "lodestone/report/html.hpp"

using lodestone::report::html::Html;
using lodestone::report::html::Literal;
namespace html = lodestone::report::html;

Html page(const std::string& name, bool flag) {
    Html h{"<p>"};
    h += html::escape(name);
    h += html::format("<b title=\"{}\">{}</b>", name, 1);
    h += flag ? Literal{"<i>"} : Literal{"<u>"};
#if LODE_CASE == 1
    h += name;  // a std::string appended as markup
#elif LODE_CASE == 2
    h += html::format(name.c_str());  // a runtime format string
#elif LODE_CASE == 3
    h += Html{Literal{name.c_str()}};  // a runtime string as a literal
#elif LODE_CASE == 4
    h += "<b>" + name;  // markup + std::string
#elif LODE_CASE == 5
    h += flag ? "<i>" : "<u>";  // a choice made at run time is not a literal
#elif LODE_CASE == 6
    return Html{name};  // Html from text without escaping
#endif
    return h;
}
