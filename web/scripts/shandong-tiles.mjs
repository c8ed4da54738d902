// Writes src/assets/shandong/shandong-tiles.json: a SCHEMATIC tile map of Shandong's 16
// prefecture-level cities, one square tile per city at its rough place (north up, west left), as a
// GeoJSON FeatureCollection that ECharts registers as a map. It is no geography: no boundary data
// with a clear open licence was found on the npm registry (see src/assets/shandong/ATTRIBUTION.md),
// so the big screen draws these tiles until an openly licensed boundary file replaces them (same
// feature properties: `name` = GB/T 2260 code, `code`, `name_zh`, `name_en`).
//   node scripts/shandong-tiles.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** [code, 中文名, English name, column, row] — row 0 is the north; codes as in crates/quan-domain/src/city.rs. */
export const TILES = [
  ['371400', '德州市', 'Dezhou', 1, 0],
  ['371600', '滨州市', 'Binzhou', 2, 0],
  ['370500', '东营市', 'Dongying', 3, 0],
  ['371500', '聊城市', 'Liaocheng', 0, 1],
  ['370100', '济南市', 'Jinan', 1, 1],
  ['370300', '淄博市', 'Zibo', 2, 1],
  ['370700', '潍坊市', 'Weifang', 3, 1],
  ['370600', '烟台市', 'Yantai', 4, 1],
  ['371000', '威海市', 'Weihai', 5, 1],
  ['370800', '济宁市', 'Jining', 0, 2],
  ['370900', '泰安市', "Tai'an", 1, 2],
  ['371300', '临沂市', 'Linyi', 2, 2],
  ['371100', '日照市', 'Rizhao', 3, 2],
  ['370200', '青岛市', 'Qingdao', 4, 2],
  ['371700', '菏泽市', 'Heze', 0, 3],
  ['370400', '枣庄市', 'Zaozhuang', 1, 3],
];

// A tile is 1 × 1 unit with a gap between tiles (the units are no degrees: the map is schematic).
const SIZE = 1;
const GAP = 0.08;

export function tileFeature([code, zh, en, col, row]) {
  const x0 = col * SIZE + GAP / 2;
  const y0 = -(row + 1) * SIZE + GAP / 2; // latitude grows northwards
  const x1 = x0 + SIZE - GAP;
  const y1 = y0 + SIZE - GAP;
  const r = (v) => Math.round(v * 1000) / 1000;
  return {
    type: 'Feature',
    properties: { name: code, code, name_zh: zh, name_en: en, cp: [r((x0 + x1) / 2), r((y0 + y1) / 2)] },
    geometry: { type: 'Polygon', coordinates: [[[r(x0), r(y0)], [r(x1), r(y0)], [r(x1), r(y1)], [r(x0), r(y1)], [r(x0), r(y0)]]] },
  };
}

export function tileMap() {
  return { type: 'FeatureCollection', properties: { schematic: true }, features: TILES.map(tileFeature) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'src/assets/shandong/shandong-tiles.json');
  writeFileSync(out, `${JSON.stringify(tileMap())}\n`, 'utf8');
  console.log(`wrote ${out} (${TILES.length} tiles)`);
}
