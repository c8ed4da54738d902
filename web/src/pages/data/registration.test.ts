import { describe, expect, it } from 'vitest';
import { REGISTRATION_STATUSES, type DataAuthorization, type DataRegistration } from '../../api/types';
import {
  authorizationTree, canFollowUp, cascadeCount, inputFromRegistration, normalizeCode, notInForceCode, receiptFileName, REG_STATUS_COLORS,
  paren, sameHolder, selfHolder, splitList, STANDING_COLORS, standingTone, verifyUrl,
} from './registration';

const me = { party_kind: 'enterprise' as const, party_id: 'ent_1', name: '甲公司' };
const reg = {
  id: 'drg_1', code: 'SD-DR-2025-000013', kind: 'initial', original_code: null, reason: 'r', status: 'registered', standing: 'valid',
  applicant_kind: 'enterprise', applicant_id: 'ent_1', open_objections: 0, events: [], objections: [], applied_by: 'u', applied_at: '2025-01-01',
  content: {
    resource_name: '物流轨迹数据', description: 'd', category: '交通运输', grade: 'general', source: 's', update_cycle: 'monthly', record_count: 5,
    size_bytes: 10, format: 'JSON', security_measures: 'm', usage_permissions: 'p', rights: { holding: me, processing: me, operation: { ...me, name: '乙' } },
  },
} as unknown as DataRegistration;

const auth = (id: string, parent: string | null, extra: Partial<DataAuthorization> = {}) =>
  ({ id, parent_id: parent, in_force: true, not_in_force_reason: null, ...extra }) as DataAuthorization;

describe('registration helpers', () => {
  it('colours every status and standing', () => {
    for (const s of REGISTRATION_STATUSES) expect(REG_STATUS_COLORS[s]).toBeTruthy();
    expect(STANDING_COLORS.valid).toBe('success');
    expect(standingTone('valid')).toBe('success');
    expect(standingTone('cancelled')).toBe('error');
    expect(standingTone('changed')).toBe('warning');
    expect(standingTone('expired')).toBe('secondary');
  });
  it('follows up only a registered, valid registration', () => {
    expect(canFollowUp(reg)).toBe(true);
    expect(canFollowUp({ ...reg, standing: 'changed' })).toBe(false);
    expect(canFollowUp({ ...reg, status: 'in_notice', code: null })).toBe(false);
  });
  it('prefills a change from the registered content, the code as original', () => {
    const i = inputFromRegistration(reg, 'change');
    expect(i.kind).toBe('change');
    expect(i.original_code).toBe('SD-DR-2025-000013');
    expect(i.reason).toBeNull();
    expect(i.resource_name).toBe('物流轨迹数据');
    expect(i.operation.name).toBe('乙');
    const again = inputFromRegistration({ ...reg, kind: 'correction', original_code: 'X' });
    expect(again.kind).toBe('correction');
    expect(again.original_code).toBe('X');
    expect(again.reason).toBe('r');
  });
  it('names the enterprise itself as holder', () => {
    expect(selfHolder('ent_1', '甲公司')).toEqual(me);
    expect(sameHolder(selfHolder('ent_1', '甲公司'), me)).toBe(true);
    expect(sameHolder(me, { ...me, name: '乙' })).toBe(false);
    expect(selfHolder('sup_1', '丙', 'supplier')).toEqual({ party_kind: 'supplier', party_id: 'sup_1', name: '丙' });
  });
  it('builds the verification link and file names', () => {
    expect(verifyUrl('http://h:1/', 'SD-DR-2026-000001')).toBe('http://h:1/verify/SD-DR-2026-000001');
    expect(normalizeCode('  sd-dr-2026-000001 ')).toBe('SD-DR-2026-000001');
    expect(receiptFileName({ consent_receipt_id: 'dcs_ab/c' })).toBe('consent-receipt-dcs_ab_c.json');
  });
  it('brackets a note in the language\'s brackets', () => {
    expect(paren('zh', '企业')).toBe('（企业）');
    expect(paren('en', 'Enterprise')).toBe(' (Enterprise)');
  });
  it('splits lists typed in one box', () => {
    expect(splitList('a.b, c.d；e.f\ng.h、i.j')).toEqual(['a.b', 'c.d', 'e.f', 'g.h', 'i.j']);
    expect(splitList(undefined)).toEqual([]);
  });
  it('tells a revoked authorization from one under a revoked parent', () => {
    expect(notInForceCode(auth('a', null))).toBeNull();
    expect(notInForceCode(auth('a', null, { in_force: false, not_in_force_reason: 'authorization a was revoked' }))).toBe('authorization_revoked');
    expect(notInForceCode(auth('a', 'p', { in_force: false, not_in_force_reason: 'authorization p was revoked' }))).toBe('parent_revoked');
    expect(notInForceCode(auth('a', null, { in_force: false, not_in_force_reason: 'the authorization ended on 2026-01-01' }))).toBe('authorization_ended');
    expect(notInForceCode(auth('a', null, { in_force: false, not_in_force_reason: 'the authorization has not started' }))).toBe('authorization_not_started');
  });
  it('nests authorizations by parent and counts a cascade', () => {
    const items = [auth('s1', 'd1'), auth('o', null), auth('d1', 'o'), auth('d2', 'o'), auth('x', 'missing')];
    const tree = authorizationTree(items);
    expect(tree.map((n) => n.id)).toEqual(['o', 'x']);
    expect(tree[0].children!.map((n) => n.id)).toEqual(['d1', 'd2']);
    expect(tree[0].children![0].children!.map((n) => n.id)).toEqual(['s1']);
    expect(cascadeCount(items, 'o')).toBe(4);
    expect(cascadeCount(items, 's1')).toBe(1);
  });
});
