#include "lodestone/io/material_numbers.hpp"

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/core/number_text.hpp"
#include "lodestone/core/text.hpp"
#include "lodestone/io/csv.hpp"
#include "lodestone/model/lookup.hpp"

namespace lodestone::io {

std::map<std::string, double> parse_material_numbers(const model::World& world,
                                                     const std::vector<std::string>& items,
                                                     const std::string& option,
                                                     NumberBounds bounds) {
    std::map<std::string, double> out;
    std::map<std::string, std::string> first_item;  // material id -> the item that gave it
    Diagnostics diags;
    auto bad = [&](ErrorCode code, const std::string& message) {
        diags.add({Severity::Error, code, {}, 0, 0, option, option + ": " + message});
    };
    for (const auto& item : items) {
        const auto eq = item.find('=');
        const auto value = eq == std::string::npos
                               ? std::nullopt
                               : parse_number(std::string_view(item).substr(eq + 1));
        if (eq == std::string::npos || eq == 0 || !value) {
            bad(ErrorCode::Usage, "expected MATERIAL=NUMBER, got '" + item + "'");
            continue;
        }
        const std::string name = item.substr(0, eq);
        const auto id = model::resolve_material(world, name);
        if (!id) {
            const auto ids = model::material_ids(world);
            const auto near = model::nearest(name, ids);
            bad(ErrorCode::UnknownMaterial,
                "unknown material '" + name + "' in '" + item + "'" +
                    (near.empty() ? "" : "; did you mean " + join(near, " or ") + "?") +
                    " (materials: " + join(ids, ", ") + ")");
            continue;
        }
        if (!(*value >= bounds.min && *value <= bounds.max)) {
            bad(ErrorCode::Usage, "expected a number in [" + significant(bounds.min, 6) + ", " +
                                      significant(bounds.max, 6) + "] for " + *id + ", got '" +
                                      item + "'");
            continue;
        }
        if (const auto [it, fresh] = first_item.emplace(*id, item); !fresh) {
            bad(ErrorCode::Usage, *id + " given twice ('" + it->second + "' and '" + item + "')");
            continue;
        }
        out[*id] = *value;
    }
    diags.throw_if_errors();
    return out;
}

}  // namespace lodestone::io
