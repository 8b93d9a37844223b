#include "lodestone/metrics/concentration.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <numeric>

#include "lodestone/core/date.hpp"
#include "lodestone/core/diagnostic.hpp"

namespace lodestone::metrics {

namespace {

constexpr double kDaysPerMonth = 30.4375;  // as the market model ramps projects

/// Days from a project's start during which its ramped fraction has accumulated by day t: the
/// integral of clamp((x - start) / ramp, 0, 1) dx up to t.
double ramp_integral(double t, double start, double ramp) {
    if (t <= start) {
        return 0.0;
    }
    if (ramp <= 0.0) {
        return t - start;
    }
    if (t < start + ramp) {
        return (t - start) * (t - start) / (2.0 * ramp);
    }
    return ramp / 2.0 + (t - start - ramp);
}

/// The calendar year in which a project reaches full capacity (0 without a start date).
int full_capacity_year(const model::Project& p) {
    if (!p.start) {
        return 0;
    }
    const auto ramp_days = static_cast<int>(std::ceil(p.ramp_months * kDaysPerMonth));
    return p.start->plus_days(ramp_days).year();
}

/// Largest share first, ties by ISO3: the order of every StageShares.
void largest_first(std::vector<CountryShare>& countries) {
    std::sort(countries.begin(), countries.end(), [](const auto& a, const auto& b) {
        return a.share != b.share ? a.share > b.share : a.country < b.country;
    });
}

}  // namespace

StageShares stage_shares(const model::World& world,
                         const std::string& material,
                         const std::string& stage) {
    if (world.find_stage(material, stage) == nullptr) {
        throw InputError(ErrorCode::UnknownStage,
                         "unknown stage '" + stage + "' of material '" + material + "'");
    }
    StageShares out;
    out.material = material;
    out.stage = stage;
    for (const auto* p : world.production_of(material, stage)) {
        out.year = std::max(out.year, p->year);
        out.world_tonnes += p->tonnes;
        if (p->country == model::kRestOfWorld) {
            out.residual_tonnes += p->tonnes;
        } else if (p->tonnes > 0) {
            out.countries.push_back({p->country, p->tonnes, 0.0});
        }
    }
    if (out.world_tonnes <= 0) {
        throw InputError(ErrorCode::EmptyStage, "stage '" + material + "/" + stage +
                                                    "' has no production: shares are undefined");
    }
    for (auto& c : out.countries) {
        c.share = c.tonnes / out.world_tonnes;
    }
    out.residual_share = out.residual_tonnes / out.world_tonnes;
    largest_first(out.countries);
    out.data_year = out.year;
    return out;
}

std::optional<StageShares> published_world_shares(const model::World& world,
                                                  const std::string& material,
                                                  const std::string& stage,
                                                  int before_year) {
    int year = 0;
    for (const auto& s : world.sourcing_shares) {
        if (s.perspective == model::kWorldPerspective && s.material == material &&
            s.stage == stage && s.year < before_year) {
            year = std::max(year, s.year);
        }
    }
    if (year == 0) {
        return std::nullopt;
    }
    StageShares out;
    out.material = material;
    out.stage = stage;
    out.year = year;
    out.data_year = year;
    for (const auto& s : world.sourcing_shares) {
        if (s.perspective != model::kWorldPerspective || s.material != material ||
            s.stage != stage || s.year != year) {
            continue;
        }
        if (s.country == model::kRestOfWorld) {
            out.residual_share += s.share;
        } else if (s.share > 0) {
            out.countries.push_back({s.country, 0.0, s.share});
        }
    }
    largest_first(out.countries);
    return out;
}

YearRange stage_years(const model::World& world,
                      const std::string& material,
                      const std::string& stage) {
    const auto shares = stage_shares(world, material, stage);
    YearRange r{shares.year, shares.year};
    for (const auto& p : world.projects) {
        r.last = std::max(r.last, full_capacity_year(p));
    }
    return r;
}

double project_online_fraction(const model::Project& p, int year) {
    if (!p.start) {
        return 0.0;
    }
    const double a = Date::from_ymd(year, 1, 1).days();
    const double b = Date::from_ymd(year + 1, 1, 1).days();
    const double start = p.start->days();
    const double ramp = p.ramp_months * kDaysPerMonth;
    return p.probability * (ramp_integral(b, start, ramp) - ramp_integral(a, start, ramp)) /
           (b - a);
}

StageShares stage_shares_in_year(const model::World& world,
                                 const std::string& material,
                                 const std::string& stage,
                                 int year) {
    const auto range = stage_years(world, material, stage);
    if (year < range.first || year > range.last) {
        throw InputError(
            {{Severity::Error,
              ErrorCode::Range,
              {},
              0,
              0,
              "year",
              "year: " + std::to_string(year) + " is outside the years of " + material + "/" +
                  stage + " (" + std::to_string(range.first) + "-" + std::to_string(range.last) +
                  ": production data of " + std::to_string(range.first) + ", projects to " +
                  std::to_string(range.last) + ")"}});
    }
    auto base = stage_shares(world, material, stage);
    StageShares out;
    out.material = material;
    out.stage = stage;
    out.year = year;
    out.data_year = base.year;
    out.residual_tonnes = base.residual_tonnes;
    out.countries = std::move(base.countries);
    for (const auto& p : world.projects) {
        if (p.material != material || p.stage != stage || p.country == model::kRestOfWorld) {
            continue;
        }
        const double added = p.capacity_tonnes * (project_online_fraction(p, year) -
                                                  project_online_fraction(p, out.data_year));
        if (added <= 0.0) {
            continue;
        }
        auto it = std::find_if(out.countries.begin(), out.countries.end(),
                               [&](const CountryShare& c) { return c.country == p.country; });
        if (it == out.countries.end()) {
            out.countries.push_back({p.country, 0.0, 0.0});
            it = std::prev(out.countries.end());
        }
        it->tonnes += added;
        it->project_tonnes += added;
        out.project_tonnes += added;
    }
    out.world_tonnes = out.residual_tonnes;
    for (const auto& c : out.countries) {
        out.world_tonnes += c.tonnes;
    }
    for (auto& c : out.countries) {
        c.share = c.tonnes / out.world_tonnes;
    }
    out.residual_share = out.residual_tonnes / out.world_tonnes;
    largest_first(out.countries);
    return out;
}

double hhi(std::span<const double> shares) {
    return std::transform_reduce(shares.begin(), shares.end(), 0.0, std::plus<>(),
                                 [](double s) { return s * s; });
}

double concentration_ratio(std::span<const double> shares, std::size_t n) {
    std::vector<double> sorted(shares.begin(), shares.end());
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    n = std::min(n, sorted.size());
    return std::accumulate(sorted.begin(), sorted.begin() + static_cast<long>(n), 0.0);
}

std::vector<double> share_values(const StageShares& s) {
    std::vector<double> out;
    out.reserve(s.countries.size());
    for (const auto& c : s.countries) {
        out.push_back(c.share);
    }
    return out;
}

}  // namespace lodestone::metrics
