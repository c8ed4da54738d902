// The big screen's ECharts parts beyond the shared ones (components/Chart.tsx): the map and the
// gauge, registered here so only the screen's lazy chunk carries them, with the Shandong map.
import { GaugeChart, MapChart } from 'echarts/charts';
import { VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import tiles from '../../assets/shandong/shandong-tiles.json';

echarts.use([MapChart, GaugeChart, VisualMapComponent]);

export const MAP_NAME = 'shandong';

type Feature = { properties: { code: string; name_zh: string; name_en: string } };
const collection = tiles as unknown as { properties?: { schematic?: boolean }; features: Feature[] };

// registerMap takes a GeoJSON object; its own type wants a narrower one than a JSON import gives.
echarts.registerMap(MAP_NAME, tiles as unknown as Parameters<typeof echarts.registerMap>[1]);

/** Whether the registered map is the schematic tile map (then the screen says so). */
export const MAP_IS_SCHEMATIC = !!collection.properties?.schematic;

/** The map's cities: six-digit code and names. */
export const MAP_CITIES = collection.features.map((f) => f.properties);
