#include "lodestone/model/world.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace lodestone::model {

namespace {
template <class T, class Pred>
const T* find_if_ptr(const std::vector<T>& items, Pred pred) {
    const auto it = std::find_if(items.begin(), items.end(), pred);
    return it == items.end() ? nullptr : &*it;
}

constexpr std::array<std::pair<MeasureKind, std::string_view>, 12> kKindNames{{
    {MeasureKind::ExportLicensing, "export_licensing"},
    {MeasureKind::ExportBan, "export_ban"},
    {MeasureKind::ExportQuota, "export_quota"},
    {MeasureKind::ExportTax, "export_tax"},
    {MeasureKind::Suspension, "suspension"},
    {MeasureKind::StockpilePurchase, "stockpile_purchase"},
    {MeasureKind::StockpileRelease, "stockpile_release"},
    {MeasureKind::CapacityChange, "capacity_change"},
    {MeasureKind::Tariff, "tariff"},
    {MeasureKind::DemandShift, "demand_shift"},
    {MeasureKind::TechnologyControl, "technology_control"},
    {MeasureKind::Other, "other"},
}};
}  // namespace

const Country* World::find_country(std::string_view iso3) const {
    return find_if_ptr(countries, [&](const Country& c) { return c.iso3 == iso3; });
}

const Material* World::find_material(std::string_view id) const {
    return find_if_ptr(materials, [&](const Material& m) { return m.id == id; });
}

const Stage* World::find_stage(std::string_view material, std::string_view stage) const {
    return find_if_ptr(stages,
                       [&](const Stage& s) { return s.material == material && s.stage == stage; });
}

const Measure* World::find_measure(std::string_view id) const {
    return find_if_ptr(measures, [&](const Measure& m) { return m.id == id; });
}

const Sector* World::find_sector(std::string_view id) const {
    return find_if_ptr(sectors, [&](const Sector& s) { return s.id == id; });
}

std::vector<const Stage*> World::stages_of(std::string_view material) const {
    std::vector<const Stage*> out;
    for (const auto& s : stages) {
        if (s.material == material) {
            out.push_back(&s);
        }
    }
    std::sort(out.begin(), out.end(),
              [](const Stage* a, const Stage* b) { return a->order < b->order; });
    return out;
}

std::vector<const Production*> World::production_of(std::string_view material,
                                                    std::string_view stage) const {
    std::vector<const Production*> out;
    for (const auto& p : production) {
        if (p.material == material && p.stage == stage) {
            out.push_back(&p);
        }
    }
    return out;
}

bool World::is_bloc(std::string_view code) const {
    return std::any_of(countries.begin(), countries.end(), [&](const Country& c) {
        return std::find(c.blocs.begin(), c.blocs.end(), code) != c.blocs.end();
    });
}

std::vector<std::string> World::members(std::string_view code) const {
    if (find_country(code) != nullptr) {
        return {std::string(code)};
    }
    std::vector<std::string> out;
    for (const auto& c : countries) {
        if (std::find(c.blocs.begin(), c.blocs.end(), code) != c.blocs.end()) {
            out.push_back(c.iso3);
        }
    }
    return out;
}

std::string_view to_string(MeasureKind kind) {
    for (const auto& [k, name] : kKindNames) {
        if (k == kind) {
            return name;
        }
    }
    return "other";
}

std::optional<MeasureKind> parse_measure_kind(std::string_view text) {
    for (const auto& [k, name] : kKindNames) {
        if (name == text) {
            return k;
        }
    }
    return std::nullopt;
}

namespace {
constexpr std::pair<ProjectStatus, std::string_view> kProjectStatusNames[] = {
    {ProjectStatus::Announced, "announced"},
    {ProjectStatus::Construction, "construction"},
    {ProjectStatus::Operating, "operating"}};
}  // namespace

std::string_view to_string(ProjectStatus status) {
    for (const auto& [s, name] : kProjectStatusNames) {
        if (s == status) {
            return name;
        }
    }
    return "announced";
}

std::optional<ProjectStatus> parse_project_status(std::string_view text) {
    for (const auto& [s, name] : kProjectStatusNames) {
        if (name == text) {
            return s;
        }
    }
    return std::nullopt;
}

}  // namespace lodestone::model
