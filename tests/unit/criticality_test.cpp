// Criticality formulas (docs/methods.md) as pure functions: hand-computed values, properties,
// errors.
#include "lodestone/metrics/criticality.hpp"

#include <algorithm>
#include <random>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "error_text.hpp"
#include "lodestone/core/diagnostic.hpp"
#include "lodestone/metrics/concentration.hpp"

using namespace lodestone;
using lodestone::testing::error_text;
using namespace lodestone::metrics;
using ::testing::HasSubstr;

namespace {

// The synthetic EU vector of docs/methods.md.
const std::vector<WeightedShare> kGlobal{{"A", 0.6, 6.0, 1.0}, {"B", 0.4, 2.0, 1.0}};
const std::vector<WeightedShare> kSourcing{{"A", 0.3, 6.0, 1.0}, {"B", 0.7, 2.0, 1.0}};

}  // namespace

TEST(HhiWgi, SyntheticGlobalSupplyIs2_48) {
    // 0.36*6 + 0.16*2 = 2.16 + 0.32
    EXPECT_NEAR(hhi_wgi_t(kGlobal, "gs"), 2.48, 1e-12);
}

TEST(HhiWgi, SyntheticSourcingIs1_52) {
    // 0.09*6 + 0.49*2 = 0.54 + 0.98
    EXPECT_NEAR(hhi_wgi_t(kSourcing, "p"), 1.52, 1e-12);
}

TEST(HhiWgi, TradeFactorMultipliesOnlyItsCountrysTerm) {
    auto g = kGlobal;
    g[0].trade_factor = 1.3;
    EXPECT_NEAR(hhi_wgi_t(g, "gs") - hhi_wgi_t(kGlobal, "gs"), 0.3 * 0.36 * 6.0, 1e-12);
}

TEST(SupplyRisk, SyntheticEuVectorGives1_62792) {
    const SupplyRiskInputs in{hhi_wgi_t(kGlobal, "gs"), hhi_wgi_t(kSourcing, "p"), 0.8, 0.1, 0.95};
    // [2.48*0.4 + 1.52*0.6] * 0.9 * 0.95 = 1.904 * 0.855
    EXPECT_NEAR(eu_supply_risk(in, "synthetic"), 1.62792, 1e-12);
}

TEST(SupplyRisk, ZeroImportRelianceUsesOnlyTheSourcingMix) {
    const SupplyRiskInputs in{2.48, 1.52, 0.0, 0.0, 1.0};
    EXPECT_DOUBLE_EQ(eu_supply_risk(in, "x"), 1.52);
}

TEST(SupplyRisk, FullImportRelianceWeighsGlobalAndSourcingHalfEach) {
    const SupplyRiskInputs in{2.48, 1.52, 1.0, 0.0, 1.0};
    EXPECT_DOUBLE_EQ(eu_supply_risk(in, "x"), 2.0);
}

TEST(SupplyRisk, IsMonotoneInEachInput) {
    std::mt19937_64 rng(20240801);
    std::uniform_real_distribution<double> hhi(0.0, 13.0);
    std::uniform_real_distribution<double> frac(0.0, 1.0);
    for (int i = 0; i < 2000; ++i) {
        SupplyRiskInputs a{hhi(rng), hhi(rng), frac(rng), frac(rng), frac(rng)};
        const double sr = eu_supply_risk(a, "x");
        const double step = 0.01;
        auto up = a;
        up.hhi_wgi_gs += step;
        EXPECT_GE(eu_supply_risk(up, "x"), sr);
        up = a;
        up.hhi_wgi_p += step;
        EXPECT_GE(eu_supply_risk(up, "x"), sr);
        up = a;
        up.si_sr = std::min(1.0, a.si_sr + step);
        EXPECT_GE(eu_supply_risk(up, "x"), sr);
        up = a;
        up.eol_rir = std::min(1.0, a.eol_rir + step);
        EXPECT_LE(eu_supply_risk(up, "x"), sr);
        // IR moves weight from the sourcing mix to global supply: SR rises with IR exactly when
        // global supply is the riskier of the two.
        up = a;
        up.import_reliance = std::min(1.0, a.import_reliance + step);
        if (a.hhi_wgi_gs >= a.hhi_wgi_p) {
            EXPECT_GE(eu_supply_risk(up, "x"), sr);
        } else {
            EXPECT_LE(eu_supply_risk(up, "x"), sr);
        }
    }
}

TEST(HhiWgi, IsMonotoneInWgiShareAndTradeFactor) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int i = 0; i < 500; ++i) {
        std::vector<WeightedShare> t{{"A", 0.5 * u(rng), 9.0 * u(rng), 1.0 + 0.3 * u(rng)},
                                     {"B", 0.4 * u(rng), 9.0 * u(rng), 1.0}};
        const double base = hhi_wgi_t(t, "x");
        for (std::size_t k = 0; k < t.size(); ++k) {
            auto v = t;
            v[k].wgi += 0.5;
            EXPECT_GE(hhi_wgi_t(v, "x"), base);
            v = t;
            v[k].share += 0.05;
            EXPECT_GE(hhi_wgi_t(v, "x"), base);
            v = t;
            v[k].trade_factor += 0.1;
            EXPECT_GE(hhi_wgi_t(v, "x"), base);
        }
    }
}

TEST(Properties, HhiLiesBetweenOneOverNAndOne) {
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int n = 1; n <= 30; ++n) {
        std::vector<double> s(static_cast<std::size_t>(n));
        double sum = 0.0;
        for (auto& x : s) {
            x = u(rng) * u(rng);
            sum += x;
        }
        for (auto& x : s) {
            x /= sum;
        }
        const double h = hhi(s);
        EXPECT_GE(h, 1.0 / n - 1e-12) << n;
        EXPECT_LE(h, 1.0 + 1e-12) << n;
    }
    const std::vector<double> equal(5, 0.2);
    EXPECT_NEAR(hhi(equal), 0.2, 1e-15);  // the lower bound is reached by equal shares
    const std::vector<double> single{1.0};
    EXPECT_DOUBLE_EQ(hhi(single), 1.0);  // a single producer
}

TEST(Properties, ReorderingAndRenamingCountriesChangesNothing) {
    std::vector<WeightedShare> t{{"CHN", 0.5, 6.7, 1.3},
                                 {"JPN", 0.2, 1.6, 1.0},
                                 {"KAZ", 0.1, 6.0, 1.0},
                                 {"DEU", 0.05, 1.3, 1.1}};
    const double base = hhi_wgi_t(t, "x");
    const double dp = usgs_disruption_potential(t, "x");
    std::sort(t.begin(), t.end(),
              [](const auto& a, const auto& b) { return a.country > b.country; });
    for (auto& x : t) {
        x.country = "Z" + x.country;
    }
    EXPECT_NEAR(hhi_wgi_t(t, "x"), base, 1e-12);
    EXPECT_NEAR(usgs_disruption_potential(t, "x"), dp, 1e-12);
}

TEST(HhiWgi, WgiAboveTenIsAClearError) {
    const std::vector<WeightedShare> t{{"XAA", 0.5, 12.0, 1.0}};
    EXPECT_EQ(error_text([&] { (void)hhi_wgi_t(t, "gallium/refined global supply"); }),
              "gallium/refined global supply: WGI of XAA 12 outside [0,10] (10 = worst governance) "
              "(E-RANGE)\n");
}

TEST(HhiWgi, SharesAboveOneAfterNormalisationAreAClearError) {
    const std::vector<WeightedShare> t{{"A", 0.7, 5.0, 1.0}, {"B", 0.5, 5.0, 1.0}};
    EXPECT_EQ(error_text([&] { (void)hhi_wgi_t(t, "mix"); }),
              "mix: shares sum to 1.2 after normalisation, more than 1 (E-SHARE-RANGE)\n");
}

TEST(HhiWgi, ReportsEveryProblemAtOnce) {
    const std::vector<WeightedShare> t{{"A", 1.5, -1.0, 0.0}, {"B", 0.2, 11.0, 1.0}};
    EXPECT_EQ(error_text([&] { (void)hhi_wgi_t(t, "mix"); }),
              "mix: share of A 1.5 outside [0,1] (E-SHARE-RANGE)\n"
              "mix: WGI of A -1 outside [0,10] (10 = worst governance) (E-RANGE)\n"
              "mix: trade factor of A 0 must be > 0 (E-RANGE)\n"
              "mix: WGI of B 11 outside [0,10] (10 = worst governance) (E-RANGE)\n"
              "mix: shares sum to 1.7 after normalisation, more than 1 (E-SHARE-RANGE)\n");
}

TEST(SupplyRisk, OutOfRangeFractionsAreClearErrors) {
    const SupplyRiskInputs in{2.0, 1.0, 1.2, -0.1, 0.9};
    EXPECT_EQ(error_text([&] { (void)eu_supply_risk(in, "m/s"); }),
              "m/s: import reliance 1.2 outside [0,1] (E-SHARE-RANGE)\n"
              "m/s: EoL-RIR -0.1 outside [0,1] (E-SHARE-RANGE)\n");
}

TEST(EconomicImportance, HandComputed) {
    // A 0.5 of a 100-unit sector + 0.5 of a 50-unit sector; largest sector 200; SI_EI 0.9:
    // (50 + 25) / 200 * 10 * 0.9 = 3.375
    const std::vector<SectorUse> uses{{"a", 0.5, 100.0}, {"b", 0.5, 50.0}};
    EXPECT_NEAR(eu_economic_importance(uses, 200.0, 0.9, "m"), 3.375, 1e-12);
    EXPECT_DOUBLE_EQ(eu_economic_importance({}, 200.0, 0.9, "m"), 0.0);
}

TEST(EconomicImportance, CriticalNeedsBothThresholds) {
    const model::MethodParams p;  // EI 2.8, SR 1.0
    EXPECT_TRUE(eu_critical(2.8, 1.0, p));
    EXPECT_FALSE(eu_critical(2.79, 5.0, p));
    EXPECT_FALSE(eu_critical(9.0, 0.99, p));
}

TEST(GeoPolRisk, HandComputed) {
    // HHI 0.52; imports 60 t from WGI 6, 20 t from WGI 2, domestic 20 t:
    // 0.52 * (60*0.6 + 20*0.2) / 100 = 0.52 * 0.40 = 0.208
    const std::vector<ImportFlow> imports{{"A", 60.0, 6.0}, {"B", 20.0, 2.0}};
    EXPECT_NEAR(geopolrisk(0.52, imports, 20.0, "m"), 0.208, 1e-12);
}

TEST(GeoPolRisk, NoImportsGiveZero) {
    EXPECT_DOUBLE_EQ(geopolrisk(0.9, {}, 100.0, "m"), 0.0);
    EXPECT_DOUBLE_EQ(geopolrisk(0.9, {}, 0.0, "m"), 0.0);
}

TEST(Usgs, DisruptionPotentialIgnoresTradeFactor) {
    auto g = kGlobal;
    g[0].trade_factor = 1.3;
    // 0.36*0.6 + 0.16*0.2 = 0.248
    EXPECT_NEAR(usgs_disruption_potential(g, "m"), 0.248, 1e-12);
}

TEST(Usgs, SupplyRiskNeedsEconomicVulnerability) {
    EXPECT_FALSE(usgs_supply_risk(0.25, 0.8, std::nullopt, "m").has_value());
    // (0.25 * 0.8 * 0.5)^(1/3) = 0.1^(1/3)
    EXPECT_NEAR(*usgs_supply_risk(0.25, 0.8, 0.5, "m"), 0.46415888336127786, 1e-12);
    EXPECT_EQ(error_text([] { (void)usgs_supply_risk(0.25, 0.8, 1.5, "m"); }),
              "m: EV (economic vulnerability) 1.5 outside [0,1] (E-SHARE-RANGE)\n");
}
