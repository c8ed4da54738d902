// The big screen's ECharts parts beyond the shared ones (components/Chart.tsx): the map and the
// gauge, registered here so only the screen's lazy chunk carries them. The map's geometry, the
// boundaries of Shandong's 16 cities (screenMap.ts, ~100 KB), is a chunk of its own, loaded when the
// screen first asks for it.
import { GaugeChart, MapChart } from 'echarts/charts';
import { VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { useEffect, useState } from 'react';
import type { MapCity } from './screenMap';

echarts.use([MapChart, GaugeChart, VisualMapComponent]);

export const MAP_NAME = 'shandong';

let loading: Promise<MapCity[]> | null = null;

/** Loads the boundaries and registers them as the map MAP_NAME, once; resolves to the map's cities. */
export function loadShandongMap(): Promise<MapCity[]> {
  loading ??= import('./screenMap').then(
    ({ SHANDONG, MAP_CITIES }) => {
      // registerMap takes a GeoJSON object; its own type wants a narrower one than ours.
      echarts.registerMap(MAP_NAME, SHANDONG as unknown as Parameters<typeof echarts.registerMap>[1]);
      return MAP_CITIES;
    },
    (e: unknown) => {
      loading = null; // the next screen mount tries again
      throw e;
    },
  );
  return loading;
}

/** The map's cities once their boundaries are registered (null until then); whether that failed. */
export function useShandongMap(): { cities: MapCity[] | null; failed: boolean } {
  const [state, setState] = useState<{ cities: MapCity[] | null; failed: boolean }>({ cities: null, failed: false });
  useEffect(() => {
    let live = true;
    loadShandongMap().then(
      (cities) => live && setState({ cities, failed: false }),
      () => live && setState({ cities: null, failed: true }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
