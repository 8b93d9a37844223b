#include "lodestone/metrics/panel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

namespace lodestone::metrics {

namespace {

/// Average ranks (1 = largest) for Spearman's rho.
std::vector<double> average_ranks(std::span<const double> v) {
    std::vector<std::size_t> idx(v.size());
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::stable_sort(idx.begin(), idx.end(),
                     [&](std::size_t a, std::size_t b) { return v[a] > v[b]; });
    std::vector<double> out(v.size());
    for (std::size_t i = 0; i < idx.size();) {
        std::size_t j = i;
        while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]]) {
            ++j;
        }
        const double avg = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
        for (std::size_t k = i; k <= j; ++k) {
            out[idx[k]] = avg;
        }
        i = j + 1;
    }
    return out;
}

}  // namespace

std::string PanelRow::name() const {
    return by_stage ? material->material + "/" + stage->stage : material->material;
}

std::string_view to_string(Method method) {
    switch (method) {
        case Method::Eu:
            return "eu";
        case Method::GeoPolRisk:
            return "geopolrisk";
        case Method::Usgs:
            return "usgs";
        case Method::Hhi:
            return "hhi";
    }
    return "eu";
}

std::optional<Method> parse_method(std::string_view text) {
    for (const auto m : kAllMethods) {
        if (to_string(m) == text) {
            return m;
        }
    }
    return std::nullopt;
}

double stage_score(const StageRisk& stage, Method method) {
    switch (method) {
        case Method::Eu:
            return stage.sr;
        case Method::GeoPolRisk:
            return stage.geopolrisk;
        case Method::Usgs:
            return stage.usgs_score;
        case Method::Hhi:
            return stage.hhi;
    }
    return 0.0;
}

std::vector<int> competition_ranks(std::span<const double> scores) {
    std::vector<int> out(scores.size());
    for (std::size_t i = 0; i < scores.size(); ++i) {
        int above = 0;
        for (const double s : scores) {
            above += s > scores[i] ? 1 : 0;
        }
        out[i] = above + 1;
    }
    return out;
}

std::optional<double> spearman(std::span<const double> a, std::span<const double> b) {
    if (a.size() != b.size() || a.size() < 2) {
        return std::nullopt;
    }
    const auto ra = average_ranks(a);
    const auto rb = average_ranks(b);
    const double n = static_cast<double>(a.size());
    const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n;
    const double mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
    double sab = 0.0, saa = 0.0, sbb = 0.0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        sab += (ra[i] - ma) * (rb[i] - mb);
        saa += (ra[i] - ma) * (ra[i] - ma);
        sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    if (saa <= 0.0 || sbb <= 0.0) {
        return std::nullopt;
    }
    return sab / std::sqrt(saa * sbb);
}

std::vector<PanelRow> panel_rows(const std::vector<MaterialRisk>& risks,
                                 bool by_stage,
                                 std::span<const Method> methods) {
    std::vector<PanelRow> rows;
    for (const auto& m : risks) {
        if (by_stage) {
            for (const auto& s : m.stages) {
                PanelRow r{&m, &s, {}, {}, {}, 0, true};
                for (const auto method : methods) {
                    r.score[method] = stage_score(s, method);
                    r.peak[method] = s.stage;
                }
                rows.push_back(std::move(r));
            }
            continue;
        }
        PanelRow r{&m, &m.bottleneck_stage(), {}, {}, {}, 0, false};
        for (const auto method : methods) {
            const StageRisk* best = &m.stages.front();
            for (const auto& s : m.stages) {
                if (stage_score(s, method) > stage_score(*best, method)) {
                    best = &s;
                }
            }
            r.score[method] = stage_score(*best, method);
            r.peak[method] = best->stage;
            if (method == methods.front()) {
                r.stage = best;  // the row shows the stage where the ranking method peaks
            }
        }
        rows.push_back(std::move(r));
    }
    for (const auto method : methods) {
        std::vector<double> scores;
        scores.reserve(rows.size());
        for (const auto& r : rows) {
            scores.push_back(r.score.at(method));
        }
        const auto ranks = competition_ranks(scores);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            rows[i].rank[method] = ranks[i];
        }
    }
    for (auto& r : rows) {
        int lo = 0, hi = 0;
        for (const auto& [method, rank] : r.rank) {
            lo = lo == 0 ? rank : std::min(lo, rank);
            hi = std::max(hi, rank);
        }
        r.rank_spread = hi - lo;
    }
    const Method primary = methods.front();
    std::stable_sort(rows.begin(), rows.end(), [&](const PanelRow& a, const PanelRow& b) {
        if (a.rank.at(primary) != b.rank.at(primary)) {
            return a.rank.at(primary) < b.rank.at(primary);
        }
        if (a.material->material != b.material->material) {
            return a.material->material < b.material->material;
        }
        return a.stage->order < b.stage->order;
    });
    return rows;
}

std::vector<MethodAgreement> agreement(const std::vector<PanelRow>& rows,
                                       std::span<const Method> methods) {
    std::vector<MethodAgreement> out;
    if (methods.empty()) {
        return out;
    }
    const Method primary = methods.front();
    std::vector<double> base;
    base.reserve(rows.size());
    for (const auto& r : rows) {
        base.push_back(r.score.at(primary));
    }
    for (const auto method : methods.subspan(1)) {
        MethodAgreement a;
        a.method = method;
        std::vector<double> other;
        long total = 0;
        for (const auto& r : rows) {
            other.push_back(r.score.at(method));
            const int shift = std::abs(r.rank.at(method) - r.rank.at(primary));
            total += shift;
            if (shift > a.max_shift) {
                a.max_shift = shift;
                a.max_shift_row = r.name();
            }
        }
        a.spearman = spearman(base, other);
        a.mean_abs_shift =
            rows.empty() ? 0.0 : static_cast<double>(total) / static_cast<double>(rows.size());
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace lodestone::metrics
