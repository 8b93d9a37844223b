// lodestone/core/units.hpp: typed quantities so that tonnes are never added to shares.
// Example: Tonnes{10} * UsdPerTonne{5} == Usd{50}; Tonnes{3} / Tonnes{4} == 0.75 (a plain ratio).
#pragma once

#include <compare>

namespace lodestone {

/// A double tagged with a unit. Same-unit addition and scaling compile; mixing units does not.
template <class Tag>
struct Quantity {
    double value = 0.0;

    constexpr Quantity() = default;
    constexpr explicit Quantity(double v) : value(v) {}

    constexpr Quantity& operator+=(Quantity o) { value += o.value; return *this; }
    constexpr Quantity& operator-=(Quantity o) { value -= o.value; return *this; }
    friend constexpr Quantity operator+(Quantity a, Quantity b) { return Quantity(a.value + b.value); }
    friend constexpr Quantity operator-(Quantity a, Quantity b) { return Quantity(a.value - b.value); }
    friend constexpr Quantity operator*(Quantity a, double k) { return Quantity(a.value * k); }
    friend constexpr Quantity operator*(double k, Quantity a) { return Quantity(a.value * k); }
    friend constexpr Quantity operator/(Quantity a, double k) { return Quantity(a.value / k); }
    /// Ratio of two quantities of the same unit is dimensionless.
    friend constexpr double operator/(Quantity a, Quantity b) { return a.value / b.value; }
    friend constexpr auto operator<=>(Quantity, Quantity) = default;
};

struct TonnesTag {};
struct UsdTag {};
struct UsdPerTonneTag {};
struct WeeksTag {};

using Tonnes = Quantity<TonnesTag>;        ///< metric tonnes of contained element
using Usd = Quantity<UsdTag>;              ///< US dollars (nominal, year given alongside)
using UsdPerTonne = Quantity<UsdPerTonneTag>;  ///< USD per tonne of contained element
using Weeks = Quantity<WeeksTag>;          ///< weeks of time or of cover

constexpr Usd operator*(Tonnes t, UsdPerTonne p) { return Usd(t.value * p.value); }
constexpr Usd operator*(UsdPerTonne p, Tonnes t) { return Usd(t.value * p.value); }

}  // namespace lodestone
