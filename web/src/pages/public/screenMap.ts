// The geometry of the big screen's map: the boundaries of Shandong's 16 prefecture-level cities,
// © OpenStreetMap contributors under ODbL 1.0 (src/assets/shandong/ATTRIBUTION.md says where it
// comes from and how it was made). Imported only dynamically (screenCharts.ts loadShandongMap), so
// the ~100 KB of geometry is a chunk of its own, loaded with the big screen, never with the first
// page. Imports nothing else: a chunk that pulls in no shared module.
import text from '../../assets/shandong/shandong-cities.geojson?raw';

export interface CityProperties {
  /** GB/T 2260 six-digit code of the city ("370100"). */
  adcode: string;
  /** The same code: ECharts names a region by `properties.name`, the screen maps it to a name. */
  name: string;
  name_zh: string;
  name_en: string;
}

export interface CityFeature {
  type: 'Feature';
  properties: CityProperties;
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
}

export interface CityCollection {
  type: 'FeatureCollection';
  license?: string;
  attribution?: string;
  features: CityFeature[];
}

/** The 16 cities' boundaries, as the GeoJSON file holds them (WGS84 degrees). */
export const SHANDONG: CityCollection = JSON.parse(text) as CityCollection;

export interface MapCity {
  code: string;
  name_zh: string;
  name_en: string;
}

/** The map's cities: code and names, in the file's order. */
export const MAP_CITIES: MapCity[] = SHANDONG.features.map((f) => ({ code: f.properties.adcode, name_zh: f.properties.name_zh, name_en: f.properties.name_en }));
