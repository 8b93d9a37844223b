// lodestone/report/html.hpp: HTML that cannot carry unescaped text by accident. A report's HTML is
// an html::Html, and an Html is made only from
//   - markup written in the source: a string literal (html::Literal checks at compile time that
//     it is one; a runtime string does not compile),
//   - text, escaped on the way in (html::escape, or any text argument of html::format),
//   - other Html values (+, +=, html::format arguments), and
//   - JSON for a <script type="application/json"> element (html::json_script).
// There is no way to append a std::string to an Html as markup, so a missed escape is a compile
// error instead of a script injection in a file people forward. Names of products, measures and
// scenarios come from user files (a BOM, a dataset folder, scenario TOMLs), so this matters.
// Example: Html row = html::format("<tr data-id=\"{}\"><td>{}</td></tr>", m.id, pill(m.kind));
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

namespace lodestone::report::html {

/// Markup known at compile time: a string literal or a constexpr char array. The constructor is
/// consteval, so a string built at run time cannot become a Literal.
class Literal {
public:
    consteval Literal(const char* markup) : text_(markup) {}  // NOLINT(google-explicit-constructor)
    [[nodiscard]] constexpr std::string_view text() const { return text_; }

private:
    std::string_view text_;
};

class Html;

namespace detail {

/// A text argument of html::format, escaped when formatted.
struct EscapedText {
    std::string_view text;
};
/// An Html (or Literal) argument of html::format, written as it is.
struct Markup {
    std::string_view text;
};

template <typename T>
inline constexpr bool kAlwaysFalse = false;

template <typename T>
constexpr bool kIsChar =
    std::is_same_v<T, char> || std::is_same_v<T, signed char> || std::is_same_v<T, unsigned char> ||
    std::is_same_v<T, wchar_t> || std::is_same_v<T, char8_t> || std::is_same_v<T, char16_t> ||
    std::is_same_v<T, char32_t>;

/// What html::format hands to fmt for one argument: Html and Literal as markup, text escaped,
/// numbers as they are; anything else does not compile.
template <typename T>
constexpr auto format_arg(const T& value) {
    using D = std::remove_cvref_t<T>;
    if constexpr (std::is_same_v<D, Html>) {
        return Markup{value.str()};
    } else if constexpr (std::is_same_v<D, Literal>) {
        return Markup{value.text()};
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
        return EscapedText{std::string_view(value)};
    } else if constexpr (std::is_arithmetic_v<D> && !kIsChar<D>) {
        return value;
    } else {
        static_assert(kAlwaysFalse<T>, "html::format takes text (escaped), numbers and html::Html");
    }
}

/// The escaped text, for the formatter below.
std::string escaped(std::string_view text);

template <typename T>
using format_arg_t = decltype(format_arg(std::declval<const T&>()));

}  // namespace detail

template <typename... Args>
using FormatString = fmt::format_string<detail::format_arg_t<std::remove_cvref_t<Args>>...>;

/// A piece of HTML: markup from the source, escaped text and other pieces, nothing else.
class Html {
public:
    Html() = default;
    explicit Html(Literal markup) : text_(markup.text()) {}

    Html& operator+=(const Html& more) {
        text_ += more.text_;
        return *this;
    }
    Html& operator+=(Literal markup) {
        text_ += markup.text();
        return *this;
    }

    /// The HTML text, for writing it out (a file, an HTTP body) or testing it.
    [[nodiscard]] const std::string& str() const { return text_; }
    [[nodiscard]] bool empty() const { return text_.empty(); }

    friend Html escape(std::string_view text);
    friend Html json_script(Literal id, std::string_view json);
    template <typename... Args>
    friend Html format(FormatString<Args...> markup, Args&&... args);

private:
    struct Checked {};
    Html(std::string text, Checked /*made here from escaped text or markup*/)
        : text_(std::move(text)) {}

    std::string text_;
};

/// `text` as HTML text or a quoted attribute value: &, <, >, " and ' escaped.
[[nodiscard]] Html escape(std::string_view text);

/// <script type="application/json" id="ID">JSON</script>. Every "<" in the JSON is written as
/// \u003c (it only occurs inside JSON strings, where JSON.parse reads it back), so the payload can
/// neither end the element ("</script>") nor open a comment in it.
[[nodiscard]] Html json_script(Literal id, std::string_view json);

/// fmt::format for HTML: the format string is markup (a literal, checked at compile time as fmt
/// does), Html arguments are inserted as they are, text arguments (std::string, string_view,
/// const char*) are escaped, numbers are formatted with their format spec.
template <typename... Args>
[[nodiscard]] Html format(FormatString<Args...> markup, Args&&... args) {
    return Html(fmt::format(markup, detail::format_arg(args)...), Html::Checked{});
}

[[nodiscard]] inline Html operator+(Html a, const Html& b) {
    return a += b;
}
[[nodiscard]] inline Html operator+(Html a, Literal b) {
    return a += b;
}
[[nodiscard]] inline Html operator+(Literal a, const Html& b) {
    return Html(a) += b;
}

}  // namespace lodestone::report::html

template <>
struct fmt::formatter<lodestone::report::html::detail::EscapedText>
    : fmt::formatter<std::string_view> {
    template <typename FormatContext>
    auto format(const lodestone::report::html::detail::EscapedText& t, FormatContext& ctx) const {
        return fmt::formatter<std::string_view>::format(
            lodestone::report::html::detail::escaped(t.text), ctx);
    }
};

template <>
struct fmt::formatter<lodestone::report::html::detail::Markup> : fmt::formatter<std::string_view> {
    template <typename FormatContext>
    auto format(const lodestone::report::html::detail::Markup& m, FormatContext& ctx) const {
        return fmt::formatter<std::string_view>::format(m.text, ctx);
    }
};
