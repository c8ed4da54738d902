import { Descriptions, Tag, Typography } from 'antd';
import { redemptionMode, type Program } from '../../api/types';
import { DateText, Money, Pct } from '../../components/common';
import { formatBps, formatDate, formatDateTime, formatFen, industryLabel } from '../../format';
import { useCities } from '../../hooks';
import { useT, type MsgKey } from '../../i18n';
import { isClosed, pilotRate } from '../admin/policy';

/** The rules of a program, as an enterprise or a reviewer needs to read them: rate, caps, dates, eligibility, its own rules, who claims and what a claim brings, and its closing. */
export function ProgramRules({ p, column = 2 }: { p: Program; column?: number }) {
  const { t, tEnum, lang } = useT();
  const { cities } = useCities();
  const remaining = p.available_fen;
  const any = <Tag>{t('apply.unrestricted')}</Tag>;
  const off = <Tag>{t('policy.off')}</Tag>;
  const policy = p.policy ?? {};
  const split = policy.split_window_days != null && policy.split_threshold_fen != null;
  const mode = redemptionMode(p);
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
        {p.eligible_industries?.length ? p.eligible_industries.map((s) => <Tag key={s}>{industryLabel(tEnum, s)}</Tag>) : any}
      </Descriptions.Item>
      <Descriptions.Item label={t('policy.pilotBonus')}>
        <span data-testid="policy-pilot-bonus" data-bps={policy.pilot_bonus_bps ?? 0}>
          {policy.pilot_bonus_bps
            ? t('policy.pilotBonusShow', { bonus: formatBps(policy.pilot_bonus_bps, lang), rate: formatBps(pilotRate(p.rate_bps, policy.pilot_bonus_bps), lang) })
            : off}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('policy.supplierCap')}>
        <span data-testid="policy-supplier-cap">{policy.supplier_cap_fen != null ? <Money fen={policy.supplier_cap_fen} /> : any}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('policy.groupCap')}>
        <span data-testid="policy-group-cap">{policy.group_year_cap_fen != null ? <Money fen={policy.group_year_cap_fen} /> : any}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('policy.typeCap')}>
        <span data-testid="policy-type-cap">{policy.type_year_cap_fen != null ? <Money fen={policy.type_year_cap_fen} /> : any}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('policy.minInvoice')}>
        <span data-testid="policy-min-invoice">{policy.min_invoice_fen != null ? <Money fen={policy.min_invoice_fen} /> : any}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('policy.split')} span={column - (4 % column)}>
        <span data-testid="policy-split">
          {split ? t('policy.splitShow', { days: policy.split_window_days!, amount: formatFen(policy.split_threshold_fen!, lang) }) : off}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('policy.mode')} span={column}>
        <span data-testid="policy-mode" data-mode={mode}>
          <Tag color={mode === 'enterprise_reimbursed' ? 'purple' : 'blue'}>{tEnum('mode', mode)}</Tag>
          <Typography.Text type="secondary">{t(`policy.modeHint.${mode}` as MsgKey)}</Typography.Text>
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('policy.contract')}>
        <span data-testid="policy-contract" data-required={!!policy.contract_required}>
          {policy.contract_required ? t('policy.contractRequiredShow') : t('policy.contractOptional')}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('policy.contractWindow')}>
        <span data-testid="policy-contract-window">
          {policy.contract_from && policy.contract_until ? (
            <>
              <DateText d={policy.contract_from} /> ~ <DateText d={policy.contract_until} />
            </>
          ) : policy.contract_from ? (
            t('policy.windowFrom', { from: formatDate(policy.contract_from, lang) })
          ) : policy.contract_until ? (
            t('policy.windowUntil', { until: formatDate(policy.contract_until, lang) })
          ) : (
            any
          )}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('policy.instalments')}>
        <span data-testid="policy-instalments">{policy.instalments_allowed ? t('policy.instalmentsShow') : t('policy.instalmentsOnce')}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('policy.deliveryProof')} span={column - (3 % column)}>
        <span data-testid="policy-delivery-proof">{policy.delivery_proof_required ? t('policy.deliveryProofShow') : off}</span>
      </Descriptions.Item>
      {isClosed(p) && (
        <>
          <Descriptions.Item label={t('prog.closedAt')}>
            <span data-testid="program-closed-at">{formatDateTime(p.closed_at, lang)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('prog.released')} span={Math.max(1, column - 1)}>
            <Money fen={p.released_fen ?? 0} strong testid="program-released" />
          </Descriptions.Item>
          <Descriptions.Item label={t('prog.closeReason')} span={column}>
            <span style={{ whiteSpace: 'pre-wrap' }} data-testid="program-close-reason-text">{p.close_reason ?? '—'}</span>
          </Descriptions.Item>
        </>
      )}
    </Descriptions>
  );
}
