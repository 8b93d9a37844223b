#include "lodestone/policy/overlay.hpp"

#include <algorithm>

#include "lodestone/core/diagnostic.hpp"

namespace lodestone::policy {

const std::vector<std::string>& changeable_measure_fields() {
    static const std::vector<std::string> field_names{
        "kind",         "country",   "materials", "stages",        "destinations",
        "end_users",    "effective", "expires",   "approval_rate", "lead_time_days",
        "quota_tonnes", "tax_rate",  "tonnes",    "suspends"};
    return field_names;
}

namespace {

void copy_field(const std::string& field, const model::Measure& from, model::Measure& to) {
    if (field == "kind") {
        to.kind = from.kind;
    } else if (field == "country") {
        to.country = from.country;
    } else if (field == "materials") {
        to.materials = from.materials;
    } else if (field == "stages") {
        to.stages = from.stages;
    } else if (field == "destinations") {
        to.destinations = from.destinations;
    } else if (field == "end_users") {
        to.end_users = from.end_users;
    } else if (field == "effective") {
        to.effective = from.effective;
    } else if (field == "expires") {
        to.expires = from.expires;
    } else if (field == "approval_rate") {
        to.approval_rate = from.approval_rate;
    } else if (field == "lead_time_days") {
        to.lead_time_days = from.lead_time_days;
    } else if (field == "quota_tonnes") {
        to.quota_tonnes = from.quota_tonnes;
    } else if (field == "tax_rate") {
        to.tax_rate = from.tax_rate;
    } else if (field == "tonnes") {
        to.tonnes = from.tonnes;
    } else if (field == "suspends") {
        to.suspends = from.suspends;
    } else {
        throw InputError(ErrorCode::Internal,
                         "apply_overlay: unknown measure field '" + field + "'");
    }
}

}  // namespace

std::vector<model::Measure> apply_overlay(std::span<const model::Measure> base,
                                          std::span<const model::MeasureEdit> edits) {
    std::vector<model::Measure> out(base.begin(), base.end());
    auto find = [&](const std::string& id) {
        return std::find_if(out.begin(), out.end(),
                            [&](const model::Measure& m) { return m.id == id; });
    };
    for (const auto& edit : edits) {
        auto it = find(edit.id);
        switch (edit.action) {
            case model::MeasureEdit::Action::Add: {
                if (it != out.end()) {
                    throw InputError(ErrorCode::Duplicate, "scenario adds measure '" + edit.id +
                                                               "', which already exists");
                }
                model::Measure m = edit.measure;
                m.id = edit.id;
                out.push_back(std::move(m));
                break;
            }
            case model::MeasureEdit::Action::Lift: {
                if (it == out.end()) {
                    throw InputError(
                        ErrorCode::UnknownMeasure,
                        "scenario lifts measure '" + edit.id + "', which does not exist");
                }
                if (!edit.lift_from) {
                    out.erase(it);
                } else if (!it->expires || *it->expires >= *edit.lift_from) {
                    it->expires = edit.lift_from->plus_days(-1);
                }
                break;
            }
            case model::MeasureEdit::Action::Change: {
                if (it == out.end()) {
                    throw InputError(
                        ErrorCode::UnknownMeasure,
                        "scenario changes measure '" + edit.id + "', which does not exist");
                }
                for (const auto& field : edit.changed) {
                    copy_field(field, edit.measure, *it);
                }
                break;
            }
        }
    }
    return out;
}

}  // namespace lodestone::policy
