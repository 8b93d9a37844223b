// Which measures touch a perspective (a country or a bloc), the same rule as the brief:
// export-side measures when they cover a member as a destination, buyer-side ones (stockpile,
// capacity, tariff, demand) when the perspective or a member imposes them.
import type { Country } from "./api";

const buyerSide = new Set(["stockpile_purchase", "stockpile_release", "capacity_change", "tariff", "demand_shift"]);

export function membersOf(code: string, countries: Country[]): Country[] {
  return countries.filter((c) => c.iso3 === code || c.blocs.includes(code));
}

export function touches(
  m: { kind: string; country: string; destinations: string },
  perspective: string,
  countries: Country[],
): boolean {
  const members = membersOf(perspective, countries);
  if (buyerSide.has(m.kind)) return m.country === perspective || members.some((c) => c.iso3 === m.country);
  if (m.destinations === "ALL") return members.length > 0;
  const except = m.destinations.startsWith("ALL_EXCEPT:");
  const codes = (except ? m.destinations.slice("ALL_EXCEPT:".length) : m.destinations).split(";").filter(Boolean);
  const listed = (c: Country) => codes.includes(c.iso3) || c.blocs.some((b) => codes.includes(b));
  return members.some((c) => (except ? !listed(c) : listed(c)));
}
