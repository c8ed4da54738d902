import { describe, expect, it } from 'vitest';
import type { DishonestyEntry } from '../../api/types';
import { en } from '../../i18n/en';
import { zh } from '../../i18n/zh';
import { decisionBody, dishonestyBody, ENTRY_STATES, entryState, inForceParam, mayLift, untilBeforeFrom } from './integrity';

const entry = (over: Partial<DishonestyEntry> = {}): DishonestyEntry => ({
  id: 'dis_1',
  party_kind: 'supplier',
  party_id: 'sup_1',
  party_name: '青岛算力有限公司',
  reason: '虚开发票',
  source: '鲁财监〔2026〕12号',
  listed_from: '2026-03-01',
  listed_until: null,
  listed_by: 'admin',
  created_at: '2026-03-01T02:00:00Z',
  lifted_at: null,
  lifted_by: null,
  lift_reason: null,
  in_force: true,
  ...over,
});

describe('dishonesty list', () => {
  it('takes in force from the server and tells the other states apart by the platform\'s today', () => {
    expect(entryState(entry(), '2026-06-01')).toBe('in_force');
    expect(entryState(entry(), null)).toBe('in_force');
    expect(entryState(entry({ in_force: false, lifted_at: '2026-04-01T00:00:00Z' }), '2026-06-01')).toBe('lifted');
    expect(entryState(entry({ in_force: false, listed_from: '2026-07-01' }), '2026-06-01')).toBe('upcoming');
    expect(entryState(entry({ in_force: false, listed_until: '2026-05-31' }), '2026-06-01')).toBe('expired');
    // Its last day is still in force on the server; a stale in_force=false is not called expired.
    expect(entryState(entry({ in_force: false, listed_until: '2026-06-01' }), '2026-06-01')).toBe('inactive');
    expect(entryState(entry({ in_force: false, listed_from: '2026-07-01' }), null)).toBe('inactive');
  });

  it('labels every state in both languages', () => {
    for (const s of ENTRY_STATES) {
      expect(zh).toHaveProperty([`dis.state.${s}`]);
      expect(en).toHaveProperty([`dis.state.${s}`]);
    }
  });

  it('lifts an entry once', () => {
    expect(mayLift(entry())).toBe(true);
    expect(mayLift(entry({ in_force: false, listed_until: '2026-01-31' }))).toBe(true);
    expect(mayLift(entry({ lifted_at: '2026-04-01T00:00:00Z' }))).toBe(false);
  });

  it('maps the in-force filter to the query parameter', () => {
    expect(inForceParam('in_force')).toBe(true);
    expect(inForceParam('not_in_force')).toBe(false);
    expect(inForceParam('all')).toBeUndefined();
  });

  it('checks the window as the server does', () => {
    expect(untilBeforeFrom('2026-03-01', '2026-02-28')).toBe(true);
    expect(untilBeforeFrom('2026-03-01', '2026-03-01')).toBe(false);
    expect(untilBeforeFrom(null, '2026-02-28')).toBe(false);
    expect(untilBeforeFrom('2026-03-01', undefined)).toBe(false);
  });

  it('sends trimmed texts and leaves an empty date to the server', () => {
    expect(dishonestyBody({ party_kind: 'enterprise', party_id: ' ent_1 ', reason: ' 骗取补贴 ', source: ' 鲁财监〔2026〕12号 ', listed_from: '', listed_until: null })).toEqual({
      party_kind: 'enterprise',
      party_id: 'ent_1',
      reason: '骗取补贴',
      source: '鲁财监〔2026〕12号',
    });
    expect(dishonestyBody({ party_kind: 'supplier', party_id: 'sup_1', reason: 'r', source: 's', listed_from: '2026-03-01', listed_until: '2027-02-28' })).toMatchObject({
      listed_from: '2026-03-01',
      listed_until: '2027-02-28',
    });
  });
});

describe('change request decision', () => {
  it('sends a note only when one is written', () => {
    expect(decisionBody('approve', '')).toEqual({ decision: 'approve' });
    expect(decisionBody('approve', '  材料齐全 ')).toEqual({ decision: 'approve', note: '材料齐全' });
    expect(decisionBody('reject', '营业执照变更登记号与系统记录不符')).toEqual({ decision: 'reject', note: '营业执照变更登记号与系统记录不符' });
  });
});
