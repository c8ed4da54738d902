import { Descriptions, Tag } from 'antd';
import type { Program } from '../../api/types';
import { DateText, Money, Pct } from '../../components/common';
import { useCities } from '../../hooks';
import { useT } from '../../i18n';

/** The rules of a program, as an enterprise or a reviewer needs to read them. */
export function ProgramRules({ p, column = 2 }: { p: Program; column?: number }) {
  const { t, tEnum, lang } = useT();
  const { cities } = useCities();
  const remaining = p.available_fen;
  const any = <Tag>{t('apply.unrestricted')}</Tag>;
  return (
    <Descriptions size="small" column={column} bordered data-testid="program-rules">
      <Descriptions.Item label={t('v.type')}>{tEnum('vt', p.voucher_type)}</Descriptions.Item>
      <Descriptions.Item label={t('apply.rate')}>
        <Pct bps={p.rate_bps} />
      </Descriptions.Item>
      <Descriptions.Item label={t('apply.faceCap')}>
        <Money fen={p.face_value_cap_fen} />
      </Descriptions.Item>
      <Descriptions.Item label={t('apply.yearCap')}>
        <Money fen={p.enterprise_year_cap_fen} />
      </Descriptions.Item>
      <Descriptions.Item label={t('apply.budget')}>
        <Money fen={p.budget_fen} />
      </Descriptions.Item>
      <Descriptions.Item label={t('apply.remaining')}>
        <span data-testid="program-remaining">{remaining === undefined ? '—' : <Money fen={remaining} strong />}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('apply.applyWindow')}>
        <DateText d={p.apply_from} /> ~ <DateText d={p.apply_until} />
      </Descriptions.Item>
      <Descriptions.Item label={t('apply.validWindow')}>
        <DateText d={p.valid_from} /> ~ <DateText d={p.valid_until} />
      </Descriptions.Item>
      <Descriptions.Item label={t('apply.noticeDays')}>{t('common.days', { n: p.notice_days })}</Descriptions.Item>
      <Descriptions.Item label={t('apply.sizes')}>
        {p.eligible_sizes?.length ? p.eligible_sizes.map((s) => <Tag key={s}>{tEnum('size', s)}</Tag>) : any}
      </Descriptions.Item>
      <Descriptions.Item label={t('apply.cities')} span={column}>
        {p.eligible_cities?.length
          ? p.eligible_cities.map((c) => {
              const city = cities.find((x) => x.code === c);
              return <Tag key={c}>{city ? (lang === 'zh' ? city.name_zh : city.name_en) : c}</Tag>;
            })
          : any}
      </Descriptions.Item>
      <Descriptions.Item label={t('apply.industries')} span={column}>
        {p.eligible_industries?.length ? p.eligible_industries.map((s) => <Tag key={s}>{s}</Tag>) : any}
      </Descriptions.Item>
    </Descriptions>
  );
}
