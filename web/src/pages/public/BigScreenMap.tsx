// The big screen's map: Shandong's 16 cities drawn from their real boundaries (OpenStreetMap data
// under ODbL 1.0, src/assets/shandong/ATTRIBUTION.md), coloured by the money granted, with the
// granted, spent and beneficiaries of a city in its tooltip and, under the map, the attribution
// ODbL asks for. Drawn once screenCharts.ts has loaded and registered the boundaries (their own
// lazy chunk; the map's ECharts parts are in the screen's).
import { useMemo } from 'react';
import { Chart } from '../../components/Chart';
import { formatFen, formatFenCompact, formatNumber } from '../../format';
import { useT } from '../../i18n';
import { MAP_NAME } from './screenCharts';
import { mapCells, type CityFigures, type MapCell } from './screenData';
import type { MapCity } from './screenMap';

/** Shandong's middle latitude (°N). */
const MID_LATITUDE = 36.3;
/** East–west shrink of a degree against north–south there, cos(latitude): about 0.81. */
const ASPECT_SCALE = Math.round(Math.cos((MID_LATITUDE * Math.PI) / 180) * 1000) / 1000;

const TEXT = '#d6e4ff';
const OUTLINE = '#061428';

/** The map of `cities` (registered as MAP_NAME) with the figures of `byCity`. */
export function BigScreenMap({ cities, byCity, height }: { cities: readonly MapCity[]; byCity: readonly CityFigures[]; height: number }) {
  const { t, lang } = useT();
  const names = useMemo(() => new Map(cities.map((c) => [c.code, lang === 'zh' ? c.name_zh : c.name_en])), [cities, lang]);
  const cityName = (code: string) => names.get(code) ?? code;
  const cells = useMemo(() => mapCells(byCity, cities.map((c) => c.code)), [byCity, cities]);
  const maxGranted = Math.max(1, ...cells.map((c) => c.value));
  const money = (fen: number | null | undefined) => formatFen(fen ?? 0, lang);
  type Item = MapCell & { code: string };

  const option = {
    backgroundColor: 'transparent',
    tooltip: {
      trigger: 'item' as const,
      valueFormatter: (v: unknown) => formatFen(Math.round(Number(v) * 100), lang),
      formatter: (p: unknown) => {
        const { data } = p as { data?: Item };
        if (!data) return '';
        return [
          `<b>${data.name}</b>`,
          `${t('screen.granted')}: ${money(data.granted_fen)}`,
          `${t('screen.spent')}: ${money(data.spent_fen)}`,
          `${t('screen.beneficiaries')}: ${data.beneficiaries == null ? '—' : formatNumber(data.beneficiaries, lang, 0)}`,
        ].join('<br/>');
      },
    },
    visualMap: {
      type: 'continuous' as const,
      min: 0,
      max: maxGranted,
      right: 16,
      bottom: 16,
      calculable: true,
      text: [t('screen.high'), t('screen.low')],
      textStyle: { color: TEXT, fontSize: 14 },
      inRange: { color: ['#12305a', '#1f5fbf', '#36cfc9', '#ffd666'] },
      formatter: (v: unknown) => formatFenCompact(Math.round(Number(v) * 100), lang),
    },
    series: [
      {
        type: 'map' as const,
        map: MAP_NAME,
        name: t('screen.granted'),
        // Degrees drawn to scale at Shandong's latitude; the box keeps the map's aspect (a
        // left/right/top/bottom box would stretch it). The map is wider than high: its width is
        // layoutSize, a little less than the panel's.
        aspectScale: ASPECT_SCALE,
        layoutCenter: ['50%', '44%'],
        layoutSize: 790,
        nameMap: Object.fromEntries(cities.map((c) => [c.code, cityName(c.code)])),
        selectedMode: false as const,
        label: {
          show: true,
          color: '#ffffff',
          fontSize: 15,
          lineHeight: 20,
          // Readable on every colour of the scale, the light ones too.
          textBorderColor: OUTLINE,
          textBorderWidth: 3,
          formatter: (p: unknown) => {
            const { name, data } = p as { name: string; data?: Item };
            return `${name}\n{v|${formatFenCompact(data?.granted_fen ?? 0, lang)}}`;
          },
          rich: { v: { color: '#ffe58f', fontSize: 14, textBorderColor: OUTLINE, textBorderWidth: 3 } },
        },
        itemStyle: { borderColor: '#8fb8ff', borderWidth: 1, areaColor: '#12305a' },
        emphasis: { label: { color: '#fff' }, itemStyle: { areaColor: '#f5a623' } },
        data: cells.map((c) => ({ ...c, code: c.name, name: cityName(c.name) })),
      },
    ],
  };

  return (
    <div className="bs-map">
      <Chart label={t('screen.mapAria')} height={height} option={option} testid="chart-screen-map" />
      <p className="bs-map-attribution" data-testid="screen-map-attribution">
        {t('screen.mapAttribution')}
      </p>
    </div>
  );
}
