import { describe, expect, it } from 'vitest';
import {
  callState,
  criteriaProblem,
  entryBody,
  formatScore,
  nextAction,
  objectionOpen,
  ownAssignment,
  panelReadiness,
  partialTotal,
  publicOrder,
  rankingPublic,
  roundBody,
  roundStep,
  scoreBody,
  scoreFieldCriterion,
  scoresByKey,
  taskState,
  weightedTotal,
  weightsSum,
  yearsOf,
} from './selection';

const CRITERIA = [
  { key: 'technical_quality', name: '技术水平', weight: 40 },
  { key: 'application', name: '应用成效', weight: 35 },
  { key: 'security', name: '安全合规', weight: 25 },
];

describe('selection rounds', () => {
  it('adds up the weights typed so far and says what the server would refuse', () => {
    expect(weightsSum(CRITERIA)).toBe(100);
    expect(weightsSum([{ weight: 40 }, { weight: '35' }, { weight: null }, { weight: 2.5 }, {}])).toBe(75);
    expect(weightsSum(undefined)).toBe(0);
    expect(criteriaProblem(CRITERIA)).toBeNull();
    expect(criteriaProblem([])).toBe('empty');
    expect(criteriaProblem([{ key: 'a', weight: 60 }, { key: 'b', weight: 39 }])).toBe('weights_sum');
    expect(criteriaProblem([{ key: 'a', weight: 50 }, { key: 'a', weight: 50 }])).toBe('duplicate_key');
    expect(criteriaProblem(Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, weight: 5 })))).toBe('too_many');
  });

  it('reckons a sheet\'s weighted total as the server does: Σ weight × score in hundredths', () => {
    expect(weightedTotal(CRITERIA, { technical_quality: 90, application: 80, security: 100 })).toBe(40 * 90 + 35 * 80 + 25 * 100);
    expect(weightedTotal(CRITERIA, { technical_quality: 100, application: 100, security: 100 })).toBe(10000);
    expect(weightedTotal(CRITERIA, { technical_quality: 0, application: 0, security: 0 })).toBe(0);
    // Incomplete, out of range or not whole: no total yet.
    expect(weightedTotal(CRITERIA, { technical_quality: 90, application: 80 })).toBeNull();
    expect(weightedTotal(CRITERIA, { technical_quality: 101, application: 80, security: 1 })).toBeNull();
    expect(weightedTotal(CRITERIA, { technical_quality: 90.5, application: 80, security: 1 })).toBeNull();
    expect(partialTotal(CRITERIA, { technical_quality: 90, application: null })).toBe(3600);
  });

  it('shows hundredths of a point with two decimals, exactly', () => {
    expect(formatScore(9500)).toBe('95.00');
    expect(formatScore(8733)).toBe('87.33');
    expect(formatScore(10000)).toBe('100.00');
    expect(formatScore(5)).toBe('0.05');
    expect(formatScore(0)).toBe('0.00');
    expect(formatScore(null)).toBe('—');
    expect(formatScore(undefined)).toBe('—');
  });

  it('sends one score per criterion in the round\'s order, and maps an error back to its criterion', () => {
    const body = scoreBody(CRITERIA, { security: 70, technical_quality: 90, application: 80 }, '  材料完整 ');
    expect(body).toEqual({
      scores: [
        { criterion: 'technical_quality', score: 90 },
        { criterion: 'application', score: 80 },
        { criterion: 'security', score: 70 },
      ],
      comment: '材料完整',
    });
    expect(scoreBody(CRITERIA, { technical_quality: 1, application: 2, security: 3 }, '   ')).not.toHaveProperty('comment');
    expect(scoreFieldCriterion('scores[1].score', CRITERIA)).toBe('application');
    expect(scoreFieldCriterion('scores[7].score', CRITERIA)).toBeNull();
    expect(scoreFieldCriterion('comment', CRITERIA)).toBeNull();
    expect(scoresByKey([{ criterion: 'a', score: 5 }])).toEqual({ a: 5 });
  });

  it('sends a round with the corpus rules only for a corpus round', () => {
    const v = {
      name: ' 2027年度大模型产品遴选 ',
      kind: 'model' as const,
      year: 2027,
      cap: 30,
      call_from: '2027-03-01',
      call_until: '2027-03-31',
      notice_days: 7,
      pass_mark: 60,
      min_records: 100000,
      registration_required: true,
      criteria: [{ key: ' tech ', name: ' 技术 ', weight: 100 }],
    };
    expect(roundBody(v)).toEqual({
      name: '2027年度大模型产品遴选', kind: 'model', year: 2027, batch: 1, cap: 30, call_from: '2027-03-01', call_until: '2027-03-31',
      notice_days: 7, pass_mark: 60, criteria: [{ key: 'tech', name: '技术', weight: 100 }],
    });
    expect(roundBody({ ...v, batch: 2 }).batch).toBe(2);
    const corpus = roundBody({ ...v, kind: 'corpus', registration_required: false });
    expect(corpus.min_records).toBe(100000);
    expect(corpus.registration_required).toBe(false);
  });

  it('sends the evidence the round\'s kind asks for, leaving out the rest and the empty fields', () => {
    const v = { product_id: 'prd_1', evaluation_report: ' 赛西评测 2026-018 ', deployment_evidence: '  ', record_count: 250000, registration_ref: ' 鲁数登 2026-7 ', summary: '' };
    expect(entryBody('model', v)).toEqual({ product_id: 'prd_1', evaluation_report: '赛西评测 2026-018' });
    expect(entryBody('corpus', v)).toEqual({ product_id: 'prd_1', record_count: 250000, registration_ref: '鲁数登 2026-7' });
    expect(entryBody('corpus', { product_id: 'prd_2', summary: ' 医疗问答 ' })).toEqual({ product_id: 'prd_2', summary: '医疗问答' });
  });

  it('tells where the call stands against the platform\'s today', () => {
    const r = { status: 'open' as const, call_from: '2026-03-01', call_until: '2026-03-31' };
    expect(callState(r, '2026-02-28')).toBe('upcoming');
    expect(callState(r, '2026-03-01')).toBe('open');
    expect(callState(r, '2026-03-31')).toBe('open');
    expect(callState(r, '2026-04-01')).toBe('ended');
    expect(callState(r, null)).toBeNull();
    expect(callState({ ...r, status: 'published' }, '2026-03-15')).toBe('ended');
  });

  it('steps through the round\'s states and names the administrator\'s next step', () => {
    expect(['open', 'panel_closed', 'published', 'effective'].map(roundStep)).toEqual([0, 1, 2, 3]);
    expect(nextAction('open')).toBe('close-panel');
    expect(nextAction('panel_closed')).toBe('publish');
    expect(nextAction('published')).toBe('take-effect');
    expect(nextAction('effective')).toBeNull();
    expect(rankingPublic('panel_closed')).toBe(false);
    expect(rankingPublic('published')).toBe(true);
    expect(rankingPublic('effective')).toBe(true);
  });

  it('says what keeps the panel from closing', () => {
    const round = { call_until: '2026-03-31' };
    const entries = [
      { sheets_in: 2, sheets_due: 2 },
      { sheets_in: 1, sheets_due: 3 },
      { sheets_in: 0, sheets_due: 0 },
    ];
    expect(panelReadiness(round, entries, '2026-03-31')).toEqual({ callOpen: true, unassigned: 1, sheetsMissing: 2, ready: false });
    expect(panelReadiness(round, entries.slice(0, 1), '2026-04-01')).toEqual({ callOpen: false, unassigned: 0, sheetsMissing: 0, ready: true });
  });

  it('reads an expert\'s own assignment and its state', () => {
    const e = {
      assignments: [
        { expert_id: 'usr_2', expert_name: '王磊', status: 'recused' as const, scored: false, recusal_reason: '王磊 is the supplier\'s legal representative' },
        { expert_id: 'usr_3', expert_name: '李娜', status: 'assigned' as const, scored: true },
      ],
    };
    expect(ownAssignment(e, 'usr_3')?.expert_name).toBe('李娜');
    expect(ownAssignment(e, 'usr_9')).toBeNull();
    expect(taskState(ownAssignment(e, 'usr_2'))).toBe('recused');
    expect(taskState(ownAssignment(e, 'usr_3'))).toBe('scored');
    expect(taskState({ status: 'assigned', scored: false })).toBe('to_score');
    expect(taskState(null)).toBeNull();
  });

  it('takes objections against a selected entry of a published round during its notice only', () => {
    const p = { round_status: 'published', notice_ends_on: '2026-12-10' };
    expect(objectionOpen(p, '2026-12-10')).toBe(true);
    expect(objectionOpen(p, '2026-12-11')).toBe(false);
    expect(objectionOpen(p, null)).toBe(true);
    expect(objectionOpen({ ...p, round_status: 'effective' }, '2026-12-01')).toBe(false);
    expect(objectionOpen({ status: 'published', notice_ends_on: '2026-12-10' }, '2026-12-01', 'reserve')).toBe(false);
  });

  it('orders the public list by year, kind and rank, and lists its years', () => {
    const rows = [
      { year: 2025, kind: 'model', rank: 1 },
      { year: 2026, kind: 'corpus', rank: 1 },
      { year: 2026, kind: 'model', rank: 2 },
      { year: 2026, kind: 'model', rank: 1 },
    ];
    expect(publicOrder(rows)).toEqual([rows[3], rows[2], rows[1], rows[0]]);
    expect(yearsOf(rows)).toEqual([2026, 2025]);
  });
});
