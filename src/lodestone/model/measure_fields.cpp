#include "lodestone/model/measure_fields.hpp"

#include <array>

#include "lodestone/core/text.hpp"

namespace lodestone::model {

namespace {

using F = MeasureField;
using T = FieldType;

constexpr std::array kFields{
    MeasureFieldInfo{F::Id, "id", T::Text, true},
    MeasureFieldInfo{F::Kind, "kind", T::Text, true},
    MeasureFieldInfo{F::Country, "country", T::Text, true},
    MeasureFieldInfo{F::Materials, "materials", T::List, true},
    MeasureFieldInfo{F::Stages, "stages", T::List, false},
    MeasureFieldInfo{F::Destinations, "destinations", T::Text, true},
    MeasureFieldInfo{F::EndUsers, "end_users", T::Text, false},
    MeasureFieldInfo{F::Announced, "announced", T::Date, false},
    MeasureFieldInfo{F::Effective, "effective", T::Date, true},
    MeasureFieldInfo{F::Expires, "expires", T::Date, false},
    MeasureFieldInfo{F::Suspends, "suspends", T::List, false},
    MeasureFieldInfo{F::ApprovalRate, "approval_rate", T::Number, false},
    MeasureFieldInfo{F::LeadTimeDays, "lead_time_days", T::Number, false},
    MeasureFieldInfo{F::QuotaTonnes, "quota_tonnes", T::Number, false},
    MeasureFieldInfo{F::TaxRate, "tax_rate", T::Number, false},
    MeasureFieldInfo{F::Tonnes, "tonnes", T::Number, false},
    MeasureFieldInfo{F::Status, "status", T::Text, false},
    MeasureFieldInfo{F::Title, "title", T::Text, false},
    MeasureFieldInfo{F::Source, "source", T::Text, false},
    MeasureFieldInfo{F::Verified, "verified", T::Date, false},
    MeasureFieldInfo{F::Notes, "notes", T::Text, false},
};

// The enum and the table are in the same order, so a field's info is kFields[field].
constexpr bool in_enum_order() {
    for (std::size_t i = 0; i < kFields.size(); ++i) {
        if (static_cast<std::size_t>(kFields[i].field) != i) {
            return false;
        }
    }
    return true;
}
static_assert(in_enum_order());
static_assert(kFields.size() == static_cast<std::size_t>(F::Notes) + 1);

}  // namespace

std::span<const MeasureFieldInfo> measure_fields() {
    return kFields;
}

const MeasureFieldInfo& field_info(MeasureField field) {
    return kFields.at(static_cast<std::size_t>(field));
}

const MeasureFieldInfo* find_field(std::string_view name) {
    for (const auto& f : kFields) {
        if (f.name == name) {
            return &f;
        }
    }
    return nullptr;
}

FieldValue field_value(const Measure& m, MeasureField field) {
    switch (field) {
        case F::Id:
            return m.id;
        case F::Kind:
            return std::string(to_string(m.kind));
        case F::Country:
            return m.country;
        case F::Materials:
            return m.materials;
        case F::Stages:
            return m.stages;
        case F::Destinations:
            return to_string(m.destinations);
        case F::EndUsers:
            return m.end_users;
        case F::Announced:
            return m.announced;
        case F::Effective:
            return m.effective;
        case F::Expires:
            return m.expires;
        case F::Suspends:
            return m.suspends;
        case F::ApprovalRate:
            return m.approval_rate;
        case F::LeadTimeDays:
            return m.lead_time_days;
        case F::QuotaTonnes:
            return m.quota_tonnes;
        case F::TaxRate:
            return m.tax_rate;
        case F::Tonnes:
            return m.tonnes;
        case F::Status:
            return m.status;
        case F::Title:
            return m.title;
        case F::Source:
            return m.source;
        case F::Verified:
            return m.verified;
        case F::Notes:
            return m.notes;
    }
    return std::string();
}

std::string to_string(const DestinationSet& destinations) {
    switch (destinations.mode) {
        case DestinationSet::Mode::All:
            return "ALL";
        case DestinationSet::Mode::Listed:
            return join(destinations.codes, ";");
        case DestinationSet::Mode::AllExcept:
            return "ALL_EXCEPT:" + join(destinations.codes, ";");
    }
    return "ALL";
}

}  // namespace lodestone::model
