import { describe, expect, it } from 'vitest';
import { ServiceCreateBody } from '@luot/protocol';
import { describeIssues } from './form-issues.js';

describe('form issues in words: the field label, then the problem, Vietnamese then English', () => {
  // The schema the admin's service form is checked with (the server checks the same one).
  const schema = ServiceCreateBody;
  const ok = { code: 'land', name: { vi: 'Đất đai', en: 'Land' }, prefix: '1', numberWidth: 3, hours: null, dailyLimit: null, defaultServiceMinutes: 10, targetWaitMinutes: null, sortOrder: 0, active: true };

  it('a number too big names the form field and the limit; no zod text on the Vietnamese line', () => {
    const r = schema.safeParse({ ...ok, numberWidth: 6 });
    expect(r.success).toBe(false);
    const d = describeIssues(r.error!.issues);
    expect(d).toEqual({ vi: 'Số chữ số: tối đa 5', en: 'Digits in the number: at most 5' });
  });

  it('an empty name, a wrong format, a fraction and an unknown field, each in both languages', () => {
    const r = schema.safeParse({ ...ok, numberWidth: 2.5, name: { vi: '', en: 'Land' }, code: 'Land!', extra: 1 });
    const d = describeIssues(r.error!.issues);
    expect(d.vi.split('; ').sort()).toEqual(['Biểu mẫu: trường không được phép (extra)', 'Mã: chỉ chữ thường, chữ số và dấu -', 'Số chữ số: phải là số nguyên', 'Tên tiếng Việt: không được để trống'].sort());
    expect(d.en.split('; ').sort()).toEqual(['Code: lowercase letters, digits and - only', 'Digits in the number: must be a whole number', 'Form: fields not allowed (extra)', 'Name in Vietnamese: must not be empty'].sort());
    expect(d.vi).not.toMatch(/expected|Too big|Invalid/i);
  });

  it("a form's own label wins over the shared one", () => {
    const r = schema.safeParse({ ...ok, numberWidth: 1 });
    expect(describeIssues(r.error!.issues, { numberWidth: { vi: 'Độ dài số', en: 'Number width' } })).toEqual({ vi: 'Độ dài số: tối thiểu 2', en: 'Number width: at least 2' });
  });
});
