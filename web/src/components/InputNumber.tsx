// antd's InputNumber whose step buttons are named in the UI language. rc-input-number labels them
// "Increase Value" / "Decrease Value" whatever the locale and takes no prop for it, so the labels are
// set on the buttons after each render (React leaves them alone afterwards: its own value never
// changes). Use it for every number field.
import { InputNumber as AntInputNumber, type InputNumberProps } from 'antd';
import { forwardRef, useCallback, useLayoutEffect, useRef, type ForwardedRef } from 'react';
import { useT } from '../i18n';

function assign<T>(ref: ForwardedRef<T>, value: T | null) {
  if (typeof ref === 'function') ref(value);
  else if (ref) ref.current = value;
}

export const InputNumber = forwardRef<HTMLInputElement, InputNumberProps>(function InputNumber(props, ref) {
  const { t } = useT();
  const input = useRef<HTMLInputElement | null>(null);
  const setRef = useCallback(
    (el: HTMLInputElement | null) => {
      input.current = el;
      assign(ref, el);
    },
    [ref],
  );
  useLayoutEffect(() => {
    const root = input.current?.closest('.ant-input-number');
    root?.querySelector('.ant-input-number-handler-up')?.setAttribute('aria-label', t('a11y.increase'));
    root?.querySelector('.ant-input-number-handler-down')?.setAttribute('aria-label', t('a11y.decrease'));
  });
  return <AntInputNumber ref={setRef} {...props} />;
});
