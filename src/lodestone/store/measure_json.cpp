#include "lodestone/store/measure_json.hpp"

#include <cstdio>

#include "lodestone/core/diagnostic.hpp"

namespace lodestone::store {

using nlohmann::json;

std::string destinations_text(const model::DestinationSet& set) {
    std::string out;
    for (const auto& code : set.codes) {
        out += (out.empty() ? "" : ";") + code;
    }
    switch (set.mode) {
        case model::DestinationSet::Mode::All:
            return "ALL";
        case model::DestinationSet::Mode::Listed:
            return out;
        case model::DestinationSet::Mode::AllExcept:
            return "ALL_EXCEPT:" + out;
    }
    return "ALL";
}

json measure_to_json(const model::Measure& m) {
    json j = json::object();
    auto text = [&](const char* key, const std::string& v) {
        if (!v.empty()) {
            j[key] = v;
        }
    };
    auto list = [&](const char* key, const std::vector<std::string>& v) {
        if (!v.empty()) {
            j[key] = v;
        }
    };
    auto date = [&](const char* key, const std::optional<Date>& v) {
        if (v) {
            j[key] = v->to_string();
        }
    };
    auto number = [&](const char* key, const std::optional<double>& v) {
        if (v) {
            j[key] = *v;
        }
    };
    j["id"] = m.id;
    j["kind"] = std::string(model::to_string(m.kind));
    text("country", m.country);
    list("materials", m.materials);
    list("stages", m.stages);
    j["destinations"] = destinations_text(m.destinations);
    text("end_users", m.end_users);
    date("announced", m.announced);
    date("effective", m.effective);
    date("expires", m.expires);
    list("suspends", m.suspends);
    number("approval_rate", m.approval_rate);
    number("lead_time_days", m.lead_time_days);
    number("quota_tonnes", m.quota_tonnes);
    number("tax_rate", m.tax_rate);
    number("tonnes", m.tonnes);
    text("status", m.status);
    text("title", m.title);
    text("source", m.source);
    text("notes", m.notes);
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
        m.notes = text("notes");
    } catch (const json::exception& e) {
        return fail(e.what());
    }
    return m;
}

}  // namespace lodestone::store
