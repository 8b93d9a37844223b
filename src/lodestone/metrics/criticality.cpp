#include "lodestone/metrics/criticality.hpp"

#include <cmath>

#include "lodestone/core/diagnostic.hpp"
#include "lodestone/core/number_text.hpp"

namespace lodestone::metrics {

namespace {

/// Tolerance on "shares sum to at most 1": rounding of shares computed from tonnes.
constexpr double kShareSumTolerance = 1e-9;

class Checker {
public:
    explicit Checker(std::string what) : what_(std::move(what)) {}

    void fraction(double v, const std::string& name) {
        // Shares computed as tonnes / total may exceed 1 by rounding; NaN fails both tests.
        if (!(v >= -kShareSumTolerance && v <= 1.0 + kShareSumTolerance)) {
            fail(ErrorCode::ShareRange, name + " " + significant(v) + " outside [0,1]");
        }
    }
    void wgi(double v, const std::string& country) {
        if (!(v >= 0.0 && v <= 10.0)) {
            fail(ErrorCode::Range, "WGI of " + country + " " + significant(v) +
                                       " outside [0,10] (10 = worst governance)");
        }
    }
    void non_negative(double v, const std::string& name) {
        if (!(v >= 0.0) || std::isinf(v)) {
            fail(ErrorCode::Range, name + " " + significant(v) + " must be a finite number >= 0");
        }
    }
    void fail(ErrorCode code, const std::string& message) {
        diags_.add({Severity::Error, code, {}, 0, 0, {}, what_ + ": " + message});
    }
    void done() const { diags_.throw_if_errors(); }

private:
    std::string what_;
    Diagnostics diags_;
};

void check_terms(Checker& check, std::span<const WeightedShare> terms, bool check_factor) {
    double sum = 0.0;
    for (const auto& t : terms) {
        check.fraction(t.share, "share of " + t.country);
        check.wgi(t.wgi, t.country);
        if (check_factor && !(t.trade_factor > 0.0 && std::isfinite(t.trade_factor))) {
            check.fail(ErrorCode::Range, "trade factor of " + t.country + " " +
                                             significant(t.trade_factor) + " must be > 0");
        }
        sum += t.share;
    }
    if (sum > 1.0 + kShareSumTolerance) {
        check.fail(ErrorCode::ShareRange,
                   "shares sum to " + significant(sum) + " after normalisation, more than 1");
    }
}

}  // namespace

double hhi_wgi_t(std::span<const WeightedShare> terms, const std::string& what) {
    Checker check(what);
    check_terms(check, terms, true);
    check.done();
    double out = 0.0;
    for (const auto& t : terms) {
        out += t.share * t.share * t.wgi * t.trade_factor;
    }
    return out;
}

double eu_supply_risk(const SupplyRiskInputs& in, const std::string& what) {
    Checker check(what);
    check.non_negative(in.hhi_wgi_gs, "HHI_WGI,t of global supply");
    check.non_negative(in.hhi_wgi_p, "HHI_WGI,t of the perspective's sourcing");
    check.fraction(in.import_reliance, "import reliance");
    check.fraction(in.eol_rir, "EoL-RIR");
    check.fraction(in.si_sr, "SI_SR");
    check.done();
    const double half_ir = in.import_reliance / 2.0;
    return (in.hhi_wgi_gs * half_ir + in.hhi_wgi_p * (1.0 - half_ir)) * (1.0 - in.eol_rir) *
           in.si_sr;
}

double eu_economic_importance(std::span<const SectorUse> uses,
                              double q_max_usd,
                              double si_ei,
                              const std::string& what) {
    Checker check(what);
    double share_sum = 0.0;
    for (const auto& u : uses) {
        check.fraction(u.share, "end-use share of " + u.sector);
        check.non_negative(u.value_added_usd, "value added of " + u.sector);
        if (u.value_added_usd > q_max_usd) {
            check.fail(ErrorCode::Range,
                       "value added of " + u.sector + " " + significant(u.value_added_usd) +
                           " USD exceeds the scaling maximum " + significant(q_max_usd));
        }
        share_sum += u.share;
    }
    if (share_sum > 1.0 + 1e-6) {
        check.fail(ErrorCode::ShareRange,
                   "end-use shares sum to " + significant(share_sum) + ", more than 1");
    }
    check.fraction(si_ei, "SI_EI");
    if (!uses.empty() && !(q_max_usd > 0.0)) {
        check.fail(ErrorCode::Range,
                   "largest sector value added " + significant(q_max_usd) + " must be > 0");
    }
    check.done();
    if (uses.empty()) {
        return 0.0;
    }
    double weighted = 0.0;
    for (const auto& u : uses) {
        weighted += u.share * u.value_added_usd;
    }
    return weighted / q_max_usd * 10.0 * si_ei;
}

bool eu_critical(double ei, double sr, const model::MethodParams& params) {
    return ei >= params.critical_ei && sr >= params.critical_sr;
}

double geopolrisk(double hhi,
                  std::span<const ImportFlow> imports,
                  double domestic_tonnes,
                  const std::string& what) {
    Checker check(what);
    check.fraction(hhi, "HHI");
    check.non_negative(domestic_tonnes, "domestic tonnes");
    double total = domestic_tonnes;
    double weighted = 0.0;
    for (const auto& f : imports) {
        check.non_negative(f.tonnes, "imports from " + f.country);
        check.wgi(f.wgi, f.country);
        total += f.tonnes;
        weighted += f.tonnes * f.wgi / 10.0;
    }
    check.done();
    return total > 0.0 ? hhi * weighted / total : 0.0;
}

double usgs_disruption_potential(std::span<const WeightedShare> terms, const std::string& what) {
    Checker check(what);
    check_terms(check, terms, false);
    check.done();
    double out = 0.0;
    for (const auto& t : terms) {
        out += t.share * t.share * t.wgi / 10.0;
    }
    return out;
}

std::optional<double> usgs_supply_risk(double dp,
                                       double te,
                                       std::optional<double> ev,
                                       const std::string& what) {
    Checker check(what);
    check.non_negative(dp, "DP");
    check.fraction(te, "TE (net import reliance)");
    if (ev) {
        check.fraction(*ev, "EV (economic vulnerability)");
    }
    check.done();
    if (!ev) {
        return std::nullopt;
    }
    return std::cbrt(dp * te * *ev);
}

}  // namespace lodestone::metrics
