#include "lodestone/store/measure_json.hpp"

#include <cstdio>
#include <type_traits>
#include <variant>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/model/measure_fields.hpp"

namespace lodestone::store {

using nlohmann::json;

json measure_to_json(const model::Measure& m) {
    json j = json::object();
    for (const auto& f : model::measure_fields()) {
        const std::string key(f.name);
        std::visit(
            [&](const auto& v) {
                using V = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<V, std::optional<Date>>) {
                    if (v) {
                        j[key] = v->to_string();
                    }
                } else if constexpr (std::is_same_v<V, std::optional<double>>) {
                    if (v) {
                        j[key] = *v;
                    }
                } else if (!v.empty()) {
                    j[key] = v;
                }
            },
            model::field_value(m, f.field));
    }
    return j;
}

model::Measure measure_from_json(const json& j) {
    auto fail = [&](const std::string& why) -> model::Measure {
        throw InputError(ErrorCode::Store, "stored event is not a measure: " + why);
    };
    if (!j.is_object()) {
        return fail("not a JSON object");
    }
    model::Measure m;
    try {
        m.id = j.at("id").get<std::string>();
        const auto kind = model::parse_measure_kind(j.at("kind").get<std::string>());
        if (!kind) {
            return fail("unknown kind '" + j.at("kind").get<std::string>() + "'");
        }
        m.kind = *kind;
        auto text = [&](const char* key) {
            return j.contains(key) ? j[key].get<std::string>() : std::string{};
        };
        auto list = [&](const char* key) {
            return j.contains(key) ? j[key].get<std::vector<std::string>>()
                                   : std::vector<std::string>{};
        };
        auto date = [&](const char* key) -> std::optional<Date> {
            if (!j.contains(key)) {
                return std::nullopt;
            }
            auto d = Date::parse(j[key].get<std::string>());
            if (!d) {
                fail(std::string(key) + " is not a date");
            }
            return d;
        };
        auto number = [&](const char* key) -> std::optional<double> {
            return j.contains(key) ? std::optional<double>(j[key].get<double>()) : std::nullopt;
        };
        m.country = text("country");
        m.materials = list("materials");
        m.stages = list("stages");
        const std::string dest = text("destinations");
        if (dest.empty() || dest == "ALL") {
            m.destinations.mode = model::DestinationSet::Mode::All;
        } else {
            std::string_view rest = dest;
            constexpr std::string_view kExcept = "ALL_EXCEPT:";
            m.destinations.mode = model::DestinationSet::Mode::Listed;
            if (rest.substr(0, kExcept.size()) == kExcept) {
                m.destinations.mode = model::DestinationSet::Mode::AllExcept;
                rest.remove_prefix(kExcept.size());
            }
            std::size_t pos = 0;
            while (pos <= rest.size()) {
                const auto end = std::min(rest.find(';', pos), rest.size());
                if (end > pos) {
                    m.destinations.codes.emplace_back(rest.substr(pos, end - pos));
                }
                pos = end + 1;
            }
        }
        m.end_users = text("end_users");
        if (m.end_users.empty()) {
            m.end_users = "all";
        }
        m.announced = date("announced");
        m.effective = date("effective");
        m.expires = date("expires");
        m.suspends = list("suspends");
        m.approval_rate = number("approval_rate");
        m.lead_time_days = number("lead_time_days");
        m.quota_tonnes = number("quota_tonnes");
        m.tax_rate = number("tax_rate");
        m.tonnes = number("tonnes");
        m.status = text("status");
        m.title = text("title");
        m.source = text("source");
        m.verified = date("verified");
        m.notes = text("notes");
    } catch (const json::exception& e) {
        return fail(e.what());
    }
    return m;
}

}  // namespace lodestone::store
