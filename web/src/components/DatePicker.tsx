// antd's DatePicker on dayjs, but whose "today" (the highlighted cell, the Today button, the month
// a picker opens on) is the platform's date from GET /public/clock, not the browser's clock. Use it
// for every date field. Before the first answer of the clock it falls back to the browser's date
// (only what the calendar shows first; no state is decided by it).
//
// Enter in a date field confirms the typed date and nothing more: it does not submit the form the
// field is in (the browser's implicit submission). Otherwise typing the first day of a dishonesty
// entry and pressing Enter would list the party at once, before the last day is even looked at.
import { SwapRightOutlined } from '@ant-design/icons';
import { DatePicker as AntDatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { forwardRef, type ComponentProps, type ComponentRef, type KeyboardEvent } from 'react';
import dayjsGenerateConfig from 'rc-picker/es/generate/dayjs';
import { serverToday } from '../clock';
import { useT } from '../i18n';

const config: typeof dayjsGenerateConfig = {
  ...dayjsGenerateConfig,
  getNow: () => {
    const today = serverToday();
    // The start of the platform's day (these pickers take dates, not times).
    return today ? dayjs(today) : dayjsGenerateConfig.getNow();
  },
};

const Base = AntDatePicker.generatePicker<Dayjs>(config);

/** rc-picker has already taken the typed date when this runs; keep the Enter from submitting the form. */
function enterConfirmsOnly<E extends KeyboardEvent<HTMLElement>>(onKeyDown?: (e: E, preventDefault: () => void) => void) {
  return (e: E, preventDefault: () => void) => {
    onKeyDown?.(e, preventDefault);
    if (e.key === 'Enter') e.preventDefault();
  };
}

type SingleProps = ComponentProps<typeof Base>;
type RangeProps = ComponentProps<typeof Base.RangePicker>;

const Single = forwardRef<ComponentRef<typeof Base>, SingleProps>(function DatePicker(props, ref) {
  return <Base ref={ref} {...props} onKeyDown={enterConfirmsOnly(props.onKeyDown)} />;
});

// antd's separator between the two dates is labelled "to" in every locale: say it in the UI language.
const Range = forwardRef<ComponentRef<typeof Base.RangePicker>, RangeProps>(function RangePicker(props, ref) {
  const { t } = useT();
  const separator = (
    <span aria-label={t('a11y.rangeTo')} className="ant-picker-separator">
      <SwapRightOutlined />
    </span>
  );
  return <Base.RangePicker ref={ref} separator={separator} {...props} onKeyDown={enterConfirmsOnly(props.onKeyDown)} />;
});

export const DatePicker = Object.assign(Single, { RangePicker: Range });
