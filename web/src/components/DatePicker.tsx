// antd's DatePicker on dayjs, but whose "today" (the highlighted cell, the Today button, the month
// a picker opens on) is the platform's date from GET /public/clock, not the browser's clock. Use it
// for every date field. Before the first answer of the clock it falls back to the browser's date
// (only what the calendar shows first; no state is decided by it).
import { DatePicker as AntDatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import dayjsGenerateConfig from 'rc-picker/es/generate/dayjs';
import { serverToday } from '../clock';

const config: typeof dayjsGenerateConfig = {
  ...dayjsGenerateConfig,
  getNow: () => {
    const today = serverToday();
    // The start of the platform's day (these pickers take dates, not times).
    return today ? dayjs(today) : dayjsGenerateConfig.getNow();
  },
};

export const DatePicker = AntDatePicker.generatePicker<Dayjs>(config);
