// The world map: Natural Earth 1:110m countries from world-atlas, keyed by ISO3 so that API data
// (ISO3 codes) joins it directly. Antarctica is left out (no mineral output, a third of the map).
import { feature } from "topojson-client";
import type { Topology, GeometryCollection } from "topojson-specification";
import type { FeatureCollection, Geometry } from "geojson";
import isoCountries from "i18n-iso-countries";
import atlas from "world-atlas/countries-110m.json";
import { echarts } from "./charts";

export const atlasNames = new Map<string, string>();
let registered = false;

type Ring = number[][];

/** Rings that cross the antimeridian (Russia, Fiji) would be drawn as lines across the whole
 * map by a planar projection: shift their western points by +360° so each ring is continuous. */
function unwrapRing(ring: Ring): Ring {
  const crosses = ring.some((p, i) => i > 0 && Math.abs(p[0] - ring[i - 1][0]) > 180);
  return crosses ? ring.map(([lon, lat]) => [lon < 0 ? lon + 360 : lon, lat]) : ring;
}

function unwrap(g: Geometry): Geometry {
  if (g.type === "Polygon") return { ...g, coordinates: g.coordinates.map(unwrapRing) };
  if (g.type === "MultiPolygon") return { ...g, coordinates: g.coordinates.map((poly) => poly.map(unwrapRing)) };
  return g;
}

/** Registers the map "world" once; feature names are ISO3 codes. */
export function registerWorld(): void {
  if (registered) return;
  const topo = atlas as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const fc = feature(topo, topo.objects.countries) as FeatureCollection<Geometry, { name: string }>;
  const features = fc.features
    .filter((f) => f.id !== "010")
    .map((f) => {
      const iso3 = (f.id !== undefined && isoCountries.numericToAlpha3(String(f.id))) || f.properties.name;
      atlasNames.set(iso3, f.properties.name);
      return { ...f, geometry: unwrap(f.geometry), properties: { name: iso3 } };
    });
  echarts.registerMap("world", { type: "FeatureCollection", features } as never);
  registered = true;
}
