import { describe, expect, it } from 'vitest';
import type { Enterprise } from '../../api/types';
import { en } from '../../i18n/en';
import { zh } from '../../i18n/zh';
import { changedFields, changeRequestBody, FIELD_LABELS, isRegisteredField, previewChanges, REGISTERED_FIELDS, registeredOf } from './changeRequest';

const ent: Enterprise = {
  id: 'ent_1',
  uscc: '91370100MA3C00001X',
  name: '济南智算科技有限公司',
  city_code: '370100',
  industry: 'I',
  size_class: 'small',
  legal_rep: '张三',
  shareholders: ['张三', '李四'],
  pilot_zone: true,
  dishonest: false,
  created_at: '2026-01-05T08:00:00Z',
};
const file = registeredOf(ent);

describe('change request', () => {
  it('sends nothing when the form holds the file as it is', () => {
    expect(changedFields(file, { ...file })).toEqual({});
    expect(changeRequestBody(file, { ...file }, '鲁市监变字〔2026〕1号')).toBeNull();
    expect(changeRequestBody(file, {}, 'x')).toBeNull();
  });

  it('does not count what the server would store the same way as a change', () => {
    // Padding, a lower-case section letter, blank shareholder tags.
    const draft = { industry: ' i ', legal_rep: '张三 ', shareholders: [' 张三', '李四', '  '], city_code: '370100', size_class: 'small' };
    expect(changedFields(file, draft)).toEqual({});
  });

  it('sends only the fields that changed, normalized, with the evidence', () => {
    const body = changeRequestBody(file, { ...file, legal_rep: ' 王五 ', size_class: 'medium' }, '  91370100MA3C00001X-变更-2026-03  ');
    expect(body).toEqual({ legal_rep: '王五', size_class: 'medium', evidence: '91370100MA3C00001X-变更-2026-03' });
    expect(Object.keys(body!)).not.toContain('industry');
    expect(Object.keys(body!)).not.toContain('pilot_zone');
    expect(Object.keys(body!)).not.toContain('name');
  });

  it('counts a new, dropped or reordered shareholder as a change, as the server does', () => {
    expect(changedFields(file, { shareholders: ['张三', '李四', '赵六'] })).toEqual({ shareholders: ['张三', '李四', '赵六'] });
    expect(changedFields(file, { shareholders: ['张三'] })).toEqual({ shareholders: ['张三'] });
    expect(changedFields(file, { shareholders: ['李四', '张三'] })).toEqual({ shareholders: ['李四', '张三'] });
  });

  it('keeps a cleared required field as a change (the form and the server refuse it)', () => {
    expect(changedFields(file, { legal_rep: '   ' })).toEqual({ legal_rep: '' });
    expect(changedFields(file, { legal_rep: null })).toEqual({ legal_rep: '' });
  });

  it('previews the rows the server records, in its order', () => {
    const rows = previewChanges(file, { ...file, shareholders: ['张三', '赵六'], industry: 'm', city_code: '370200' });
    expect(rows).toEqual([
      { field: 'industry', before: 'I', after: 'M' },
      { field: 'city_code', before: '370100', after: '370200' },
      { field: 'shareholders', before: '张三、李四', after: '张三、赵六' },
    ]);
  });

  it('treats the actual controller as a registered field that may be declared, changed or cleared', () => {
    // A file without the field (not declared) reads as blank; blank stays unchanged.
    expect(file.actual_controller).toBe('');
    expect(changedFields(file, { actual_controller: '  ' })).toEqual({});
    expect(changeRequestBody(file, { ...file, actual_controller: ' 王五 ' }, 'x')).toEqual({ actual_controller: '王五', evidence: 'x' });
    const declared = registeredOf({ ...ent, actual_controller: '王五' });
    expect(changedFields(declared, { actual_controller: null })).toEqual({ actual_controller: '' });
    expect(previewChanges(declared, { ...declared, actual_controller: '赵六', legal_rep: '李四', city_code: '370200' })).toEqual([
      { field: 'legal_rep', before: '张三', after: '李四' },
      { field: 'actual_controller', before: '王五', after: '赵六' },
      { field: 'city_code', before: '370100', after: '370200' },
    ]);
    expect(zh[FIELD_LABELS.actual_controller]).toBe('实际控制人');
    expect(en[FIELD_LABELS.actual_controller]).toBe('Actual controller');
  });

  it('labels every registered field in both languages', () => {
    for (const f of REGISTERED_FIELDS) {
      expect(isRegisteredField(f)).toBe(true);
      expect(zh[FIELD_LABELS[f]]).toBeTruthy();
      expect(en[FIELD_LABELS[f]]).toBeTruthy();
    }
    expect(isRegisteredField('pilot_zone')).toBe(false);
    expect(isRegisteredField('name')).toBe(false);
  });
});
