#include "lodestone/io/measure_row.hpp"

#include <algorithm>

#include "lodestone/model/measure_fields.hpp"

namespace lodestone::io {

const CsvSchema& measure_schema() {
    static const CsvSchema schema = [] {
        CsvSchema s;
        for (const auto& f : model::measure_fields()) {
            (f.required ? s.required : s.optional).emplace_back(f.name);
        }
        return s;
    }();
    return schema;
}

bool check_material(FieldReader& r,
                    const model::World& world,
                    std::string_view column,
                    const std::string& id) {
    if (id.empty()) {
        return false;
    }
    if (world.find_material(id) == nullptr) {
        r.error(ErrorCode::UnknownMaterial, column, "unknown material '" + id + "'");
        return false;
    }
    return true;
}

bool check_stage(FieldReader& r,
                 const model::World& world,
                 std::string_view column,
                 const std::string& material,
                 const std::string& stage) {
    if (stage.empty()) {
        return false;
    }
    if (world.find_stage(material, stage) == nullptr) {
        r.error(ErrorCode::UnknownStage, column,
                "unknown stage '" + stage + "' of material '" + material + "'");
        return false;
    }
    return true;
}

bool check_country(FieldReader& r,
                   const model::World& world,
                   std::string_view column,
                   const std::string& code,
                   bool allow_row,
                   bool allow_bloc) {
    if (code.empty()) {
        return false;
    }
    if ((allow_row && code == model::kRestOfWorld) || world.find_country(code) != nullptr ||
        (allow_bloc && world.is_bloc(code))) {
        return true;
    }
    r.error(
        ErrorCode::UnknownCountry, column,
        "unknown " + std::string(allow_bloc ? "country or bloc" : "country") + " '" + code + "'");
    return false;
}

namespace {

model::DestinationSet read_destinations(FieldReader& r, const model::World& world, bool& ok) {
    model::DestinationSet set;
    const std::string text = r.text("destinations");
    if (text.empty() || text == "ALL" || text == "all") {
        return set;
    }
    std::string_view list = text;
    constexpr std::string_view kExcept = "ALL_EXCEPT:";
    if (list.substr(0, kExcept.size()) == kExcept) {
        set.mode = model::DestinationSet::Mode::AllExcept;
        list.remove_prefix(kExcept.size());
    } else {
        set.mode = model::DestinationSet::Mode::Listed;
    }
    for (auto& code : split_list(list)) {
        if (check_country(r, world, "destinations", code, false, true)) {
            set.codes.push_back(code);
        } else {
            ok = false;
        }
    }
    if (set.codes.empty() && ok) {
        r.error(ErrorCode::Required, "destinations",
                "expected ALL, a ';'-list of ISO3 codes or blocs, or ALL_EXCEPT:list, got '" +
                    text + "'");
        ok = false;
    }
    return set;
}

}  // namespace

namespace {

// read_measure_row is split into the groups of columns below, each easier to follow alone.

/// id, kind, country, materials, stages, destinations, end users.
bool read_scope(FieldReader& r, const model::World& world, model::Measure& m) {
    bool ok = true;
    m.id = r.text("id", true);
    ok &= !m.id.empty();
    const std::string kind = r.text("kind", true);
    if (auto k = model::parse_measure_kind(kind)) {
        m.kind = *k;
    } else {
        if (!kind.empty()) {
            r.error(
                ErrorCode::Enum, "kind",
                "unknown kind '" + kind +
                    "'; expected one of export_licensing, export_ban, "
                    "export_quota, export_tax, suspension, stockpile_purchase, stockpile_release, "
                    "capacity_change, tariff, demand_shift, technology_control, other");
        }
        ok = false;
    }
    m.country = r.text("country", true);
    ok &= check_country(r, world, "country", m.country, false, true);
    m.materials = r.list("materials");
    for (const auto& id : m.materials) {
        ok &= check_material(r, world, "materials", id);
    }
    m.stages = r.list("stages");
    for (const auto& st : m.stages) {
        const bool any = std::any_of(m.materials.begin(), m.materials.end(), [&](const auto& id) {
            return world.find_stage(id, st) != nullptr;
        });
        if (!any && !m.materials.empty()) {
            r.error(ErrorCode::UnknownStage, "stages",
                    "stage '" + st + "' belongs to none of the measure's materials");
            ok = false;
        }
    }
    m.destinations = read_destinations(r, world, ok);
    m.end_users = r.text("end_users");
    if (m.end_users.empty()) {
        m.end_users = "all";
    } else if (m.end_users != "all" && m.end_users != "military") {
        r.error(ErrorCode::Enum, "end_users",
                "expected 'all' or 'military', got '" + m.end_users + "'");
        ok = false;
    }
    return ok;
}

/// announced, effective (required) and expires, which may not come before effective.
bool read_dates(FieldReader& r, model::Measure& m) {
    m.announced = r.date("announced");
    m.effective = r.date("effective", true);
    m.expires = r.date("expires");
    bool ok = m.effective.has_value();
    ok &= r.text("announced").empty() || m.announced.has_value();
    ok &= r.text("expires").empty() || m.expires.has_value();
    if (m.effective && m.expires && *m.expires < *m.effective) {
        r.error(ErrorCode::DateOrder, "expires",
                "ends " + m.expires->to_string() + " before it starts " + m.effective->to_string());
        ok = false;
    }
    return ok;
}

/// The optional numbers of a measure: approval rate, lead time, quota, tax rate, tonnes.
bool read_numbers(FieldReader& r, model::Measure& m) {
    bool ok = true;
    auto checked = [&](std::string_view column, std::optional<double> value) {
        ok &= r.text(column).empty() || value.has_value();
        return value;
    };
    m.approval_rate = checked("approval_rate", r.share("approval_rate"));
    m.lead_time_days =
        checked("lead_time_days", r.in_range("lead_time_days", 0, 7300));  // as in scenarios
    m.quota_tonnes = checked("quota_tonnes", r.non_negative("quota_tonnes"));
    m.tax_rate = checked("tax_rate", r.non_negative("tax_rate"));
    m.tonnes = checked("tonnes", r.non_negative("tonnes"));
    return ok;
}

/// A suspension names what it suspends, and only a suspension does.
bool check_suspension_kind(FieldReader& r, const model::Measure& m) {
    if (m.kind == model::MeasureKind::Suspension && m.suspends.empty()) {
        r.error(ErrorCode::Required, "suspends", "a suspension must name the ids it suspends");
        return false;
    }
    if (m.kind != model::MeasureKind::Suspension && !m.suspends.empty()) {
        r.error(ErrorCode::Enum, "suspends",
                "only a measure of kind 'suspension' may suspend others, this one is '" +
                    std::string(model::to_string(m.kind)) + "'");
        return false;
    }
    return true;
}

}  // namespace

std::optional<model::Measure> read_measure_row(FieldReader& r, const model::World& world) {
    model::Measure m;
    bool ok = read_scope(r, world, m);
    ok &= read_dates(r, m);
    m.suspends = r.list("suspends");
    ok &= read_numbers(r, m);
    m.status = r.text("status");
    m.title = r.text("title");
    m.source = r.text("source");
    m.verified = r.date("verified");
    ok &= r.text("verified").empty() || m.verified.has_value();
    m.notes = r.text("notes");
    ok &= check_suspension_kind(r, m);
    if (!ok) {
        return std::nullopt;
    }
    return m;
}

bool check_suspends(FieldReader& r,
                    const std::string& own_id,
                    const std::vector<std::string>& suspends,
                    const std::function<bool(const std::string&)>& known) {
    bool ok = true;
    for (const auto& id : suspends) {
        if (id == own_id) {
            r.error(ErrorCode::UnknownMeasure, "suspends", "a measure cannot suspend itself");
            ok = false;
        } else if (!known(id)) {
            r.error(ErrorCode::UnknownMeasure, "suspends", "suspends unknown measure '" + id + "'");
            ok = false;
        }
    }
    return ok;
}

}  // namespace lodestone::io
