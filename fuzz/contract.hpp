// fuzz/contract.hpp: what every fuzz target asserts about a reader, and the small helpers they
// share. A reader's contract: it returns a result whose numbers are all finite, or it throws
// InputError carrying at least one located error diagnostic (a file name and a stable code other
// than E-INTERNAL). Anything else (another exception, a crash, a sanitizer report, a NaN in a
// result) is a defect: the target prints why and aborts, which libFuzzer records as a crash and the
// replay test (replay_main.cpp) reports as a failure. Example: contract::expect_located(error,
// "fuzz/scenario.toml");
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/model/scenario.hpp"
#include "lodestone/model/world.hpp"

namespace lodestone::fuzz {

/// Prints the broken promise and aborts (a libFuzzer crash, a failed replay).
[[noreturn]] inline void violated(const std::string& what) {
    std::fprintf(stderr, "fuzz contract violated: %s\n", what.c_str());
    std::abort();
}

inline void finite(double v, std::string_view what) {
    if (!std::isfinite(v)) {
        violated("non-finite number in the result: " + std::string(what));
    }
}
inline void finite(const std::optional<double>& v, std::string_view what) {
    if (v) {
        finite(*v, what);
    }
}

/// An InputError must say where and what: at least one error, each with a file and a real code.
inline void expect_located(const InputError& e) {
    bool any_error = false;
    for (const auto& d : e.diagnostics()) {
        if (d.severity != Severity::Error) {
            continue;
        }
        any_error = true;
        if (d.code == ErrorCode::Internal) {
            violated("E-INTERNAL from bad input: " + d.to_string());
        }
        if (d.file.empty()) {
            violated("diagnostic without a file: " + d.to_string());
        }
        if (d.line < 0 || d.column < 0) {
            violated("negative line or column: " + d.to_string());
        }
    }
    if (!any_error) {
        violated(std::string("InputError without an error diagnostic: ") + e.what());
    }
}

/// Runs one read: it returns normally (its own checks inside), or throws a located InputError;
/// any other exception breaks the contract.
template <class Read>
void read_or_located_error(Read&& read) {
    try {
        read();
    } catch (const InputError& e) {
        expect_located(e);
    } catch (const std::exception& e) {
        violated(std::string("exception other than InputError: ") + e.what());
    }
}

inline void check_measure(const model::Measure& m) {
    finite(m.approval_rate, "measure.approval_rate");
    finite(m.lead_time_days, "measure.lead_time_days");
    finite(m.quota_tonnes, "measure.quota_tonnes");
    finite(m.tax_rate, "measure.tax_rate");
    finite(m.tonnes, "measure.tonnes");
}

inline void check_world(const model::World& w) {
    for (const auto& c : w.countries) {
        finite(c.wgi, "country.wgi");
    }
    for (const auto& m : w.materials) {
        finite(m.price_usd_t, "material.price_usd_t");
        finite(m.eol_rir, "material.eol_rir");
        for (double v :
             {m.si_sr, m.si_ei, m.elasticity_demand_short, m.elasticity_demand_long,
              m.elasticity_supply_long, m.substitution_lag_months, m.capacity_lag_months}) {
            finite(v, "material parameter");
        }
    }
    for (const auto& s : w.stages) {
        finite(s.yield, "stage.yield");
    }
    for (const auto& p : w.production) {
        finite(p.tonnes, "production.tonnes");
        finite(p.capacity_tonnes, "production.capacity_tonnes");
    }
    for (const auto& t : w.trade) {
        finite(t.tonnes, "trade.tonnes");
    }
    for (const auto& c : w.consumption) {
        finite(c.tonnes, "consumption.tonnes");
    }
    for (const auto& r : w.import_reliance) {
        finite(r.net_import_reliance, "import_reliance");
    }
    for (const auto& s : w.import_sources) {
        finite(s.share, "import_sources.share");
    }
    for (const auto& s : w.sourcing_shares) {
        finite(s.share, "sourcing_shares.share");
    }
    for (const auto& s : w.sectors) {
        finite(s.value_added_usd, "sector.value_added_usd");
    }
    for (const auto& e : w.end_use) {
        finite(e.share, "end_use.share");
    }
    for (const auto& i : w.intensity) {
        finite(i.kg_per_musd, "intensity.kg_per_musd");
    }
    for (const auto& d : w.demand) {
        finite(d.weight, "demand.weight");
    }
    for (const auto& m : w.measures) {
        check_measure(m);
    }
    for (const auto& s : w.stockpiles) {
        finite(s.tonnes, "stockpile.tonnes");
    }
    for (const auto& p : w.projects) {
        finite(p.capacity_tonnes, "project.capacity_tonnes");
        finite(p.ramp_months, "project.ramp_months");
        finite(p.probability, "project.probability");
    }
    const auto& mp = w.methods;
    for (const auto& [k, v] : mp.trade_factor) {
        finite(v, "methods.trade_factor");
    }
    for (double v :
         {mp.critical_ei, mp.critical_sr, mp.eu_member_trade_factor, mp.price_cap_multiple}) {
        finite(v, "methods parameter");
    }
}

inline void check_distribution(const model::Param& p, std::string_view what) {
    if (!p) {
        return;
    }
    for (double v : {p->value, p->min, p->max, p->mode, p->alpha, p->beta, p->median, p->sigma}) {
        finite(v, what);
    }
}

inline void check_params(const model::ModelParams& p) {
    for (const auto* d : {&p.leakage,
                          &p.leakage_delay_weeks,
                          &p.leakage_markup,
                          &p.reorder_delay_weeks,
                          &p.inventory_weeks,
                          &p.restock_weeks,
                          &p.spare_capacity,
                          &p.elasticity_demand_short,
                          &p.elasticity_demand_long,
                          &p.elasticity_supply_long,
                          &p.substitution_lag_months,
                          &p.capacity_lag_months,
                          &p.stockpile_release_weeks,
                          &p.purchase_weeks,
                          &p.project_weight_announced,
                          &p.project_weight_construction,
                          &p.project_weight_operating,
                          &p.stock_price_elasticity,
                          &p.arbitrage_friction,
                          &p.precaution_share,
                          &p.precaution_weeks,
                          &p.elasticity_supply_short,
                          &p.stockpile_release_price,
                          &p.reservation_price}) {
        check_distribution(*d, "scenario model parameter");
    }
}

inline void check_scenario(const model::ScenarioSpec& s) {
    for (const auto& e : s.measures) {
        check_measure(e.measure);
        for (const auto* d :
             {&e.approval_rate, &e.lead_time_days, &e.duration_days, &e.quota_tonnes,
              &e.quota_share, &e.tax_rate, &e.tonnes, &e.purchase_weeks}) {
            check_distribution(*d, "scenario measure parameter");
        }
    }
    check_params(s.params);
    for (const auto& [id, p] : s.material_params) {
        check_params(p);
    }
    for (const auto& st : s.stockpiles) {
        check_distribution(st.tonnes, "scenario stockpile tonnes");
        check_distribution(st.release_weeks, "scenario stockpile release_weeks");
    }
    finite(s.price_cap_multiple, "scenario price_cap_multiple");
    for (const auto& p : s.production) {
        finite(p.tonnes, "scenario production tonnes");
        finite(p.capacity_tonnes, "scenario production capacity");
    }
    for (const auto& d : s.demand) {
        finite(d.weight, "scenario demand weight");
    }
    for (const auto& [k, v] : s.price_usd_t) {
        finite(v, "scenario price_usd_t");
    }
    for (const auto& [k, v] : s.pinned) {
        finite(v, "scenario pinned");
    }
}

/// Splits a fuzz input into named parts: a line "@@ NAME" starts the part NAME (the rest of the
/// line is the name; the line break after it is not part of the content). Bytes before the first
/// such line belong to `first`. Lets one byte string carry several files (dataset, BOM + products).
inline std::map<std::string, std::string> split_parts(std::string_view input,
                                                      const std::string& first) {
    std::map<std::string, std::string> parts;
    std::string name = first;
    std::size_t pos = 0;
    std::size_t start = 0;
    bool have_start = true;
    auto flush = [&](std::size_t end) {
        if (have_start) {
            parts[name] = std::string(input.substr(start, end - start));
        }
    };
    while (pos <= input.size()) {
        const bool at_line_start = pos == 0 || input[pos - 1] == '\n';
        if (at_line_start && input.substr(pos, 3) == "@@ ") {
            flush(pos);
            const auto eol = input.find('\n', pos);
            const auto name_end = eol == std::string_view::npos ? input.size() : eol;
            name = std::string(input.substr(pos + 3, name_end - pos - 3));
            if (!name.empty() && name.back() == '\r') {
                name.pop_back();
            }
            start = eol == std::string_view::npos ? input.size() : eol + 1;
            have_start = true;
            pos = start;
            continue;
        }
        const auto eol = input.find('\n', pos);
        if (eol == std::string_view::npos) {
            break;
        }
        pos = eol + 1;
    }
    flush(input.size());
    return parts;
}

}  // namespace lodestone::fuzz
