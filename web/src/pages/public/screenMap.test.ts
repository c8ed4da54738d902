// The big screen map's geometry (src/assets/shandong/shandong-cities.geojson, ODbL 1.0): the 16
// prefecture-level cities of Shandong, each a polygon named by its code.
import { describe, expect, it } from 'vitest';
import { MAP_CITIES, SHANDONG } from './screenMap';

const CITY_CODES = ['370100', '370200', '370300', '370400', '370500', '370600', '370700', '370800', '370900', '371000', '371100', '371300', '371400', '371500', '371600', '371700'];

describe('Shandong city boundaries', () => {
  it('has exactly the 16 city codes (371200 Laiwu inside Jinan), each named by its code', () => {
    expect(SHANDONG.type).toBe('FeatureCollection');
    expect(SHANDONG.features.map((f) => f.properties.adcode).sort()).toEqual(CITY_CODES);
    for (const f of SHANDONG.features) {
      expect(f.properties.name, f.properties.adcode).toBe(f.properties.adcode);
      expect(f.properties.name_zh, f.properties.adcode).toMatch(/^\p{Script=Han}+市$/u);
      expect(f.properties.name_en, f.properties.adcode).toMatch(/^[A-Z][a-z']+$/);
    }
    expect(MAP_CITIES.map((c) => c.code).sort()).toEqual(CITY_CODES);
    expect(MAP_CITIES.find((c) => c.code === '370100')).toEqual({ code: '370100', name_zh: '济南市', name_en: 'Jinan' });
  });

  it('is polygon geometry in degrees within Shandong, closed rings', () => {
    for (const f of SHANDONG.features) {
      const g = f.geometry;
      expect(['Polygon', 'MultiPolygon'], f.properties.adcode).toContain(g.type);
      const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      expect(polygons.length, f.properties.adcode).toBeGreaterThan(0);
      for (const rings of polygons) {
        for (const ring of rings) {
          expect(ring.length, f.properties.adcode).toBeGreaterThanOrEqual(4);
          expect(ring[0], f.properties.adcode).toEqual(ring[ring.length - 1]);
          for (const [lon, lat] of ring) {
            expect(lon).toBeGreaterThan(114);
            expect(lon).toBeLessThan(123.5);
            expect(lat).toBeGreaterThan(34);
            expect(lat).toBeLessThan(38.6);
          }
        }
      }
    }
  });

  it('carries its licence', () => {
    expect(SHANDONG.license).toBe('ODbL-1.0');
    expect(SHANDONG.attribution).toContain('OpenStreetMap contributors');
  });
});
