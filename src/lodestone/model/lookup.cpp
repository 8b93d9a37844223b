#include "lodestone/model/lookup.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace lodestone::model {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

/// "rare earths", "Rare-Earths" and "rare_earths" compare equal.
std::string folded(std::string_view s) {
    std::string out = lower(s);
    std::replace_if(
        out.begin(), out.end(), [](char c) { return c == ' ' || c == '-'; }, '_');
    return out;
}

}  // namespace

std::optional<std::string> resolve_country(const World& world, std::string_view text) {
    const std::string key = folded(text);
    if (key.empty()) {
        return std::nullopt;
    }
    for (const auto& code : country_codes(world)) {
        if (folded(code) == key) {
            return code;
        }
    }
    for (const auto& c : world.countries) {
        if (folded(c.name) == key) {
            return c.iso3;
        }
    }
    return std::nullopt;
}

std::optional<std::string> resolve_material(const World& world, std::string_view text) {
    const std::string key = folded(text);
    for (const auto& m : world.materials) {
        if (folded(m.id) == key || (!m.name.empty() && folded(m.name) == key)) {
            return m.id;
        }
    }
    return std::nullopt;
}

std::size_t edit_distance(std::string_view a_text, std::string_view b_text) {
    const std::string a = lower(a_text);
    const std::string b = lower(b_text);
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::vector<std::string> nearest(std::string_view text,
                                 const std::vector<std::string>& candidates,
                                 std::size_t max) {
    const std::size_t limit = std::max<std::size_t>(1, text.size() / 3);
    const std::string key = lower(text);
    std::vector<std::pair<std::size_t, std::string>> scored;
    for (const auto& c : candidates) {
        const std::size_t d = edit_distance(text, c);
        const bool prefix = key.size() >= 3 && lower(c).rfind(key, 0) == 0;
        if (d <= limit || prefix) {
            scored.emplace_back(prefix ? std::size_t{0} : d, c);
        }
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<std::string> out;
    for (const auto& candidate : scored) {
        if (out.size() == max) {
            break;
        }
        out.push_back(candidate.second);
    }
    return out;
}

std::vector<std::string> country_codes(const World& world) {
    std::vector<std::string> codes;
    std::set<std::string> blocs;
    for (const auto& c : world.countries) {
        codes.push_back(c.iso3);
        blocs.insert(c.blocs.begin(), c.blocs.end());
    }
    std::sort(codes.begin(), codes.end());
    codes.insert(codes.end(), blocs.begin(), blocs.end());
    return codes;
}

std::vector<std::string> material_ids(const World& world) {
    std::vector<std::string> ids;
    ids.reserve(world.materials.size());
    for (const auto& m : world.materials) {
        ids.push_back(m.id);
    }
    return ids;
}

}  // namespace lodestone::model
