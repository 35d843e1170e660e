import type { CenterInfo } from '@luot/protocol';
import { describe, expect, it } from 'vitest';
import { CHECK_IN_TEXT, privacyNotice, readScan, serverRefusalText } from './check-in.js';

// Invented people; numbers follow the real layout (province, century/sex digit, year, six digits).
const TODAY = '2026-11-23';
const ON: CenterInfo = { name: 'UBND', tickerText: '', checkIn: { enabled: true, priorityAge: 60, nameDays: 0, visitorDays: 30 } };
const THO = '001050012345||NGUYỄN VĂN THỌ|15031950|Nam|Số 1 phố Huế, Hà Nội|10052021';
const NGOC = '079190004567|012345678|Trần Thị Bích Ngọc|02071990|Nữ|45/6 Lê Lợi, TP. Hồ Chí Minh|20032022|extra';

describe('readScan: what the kiosk makes of one scan', () => {
  it('a card: greets by name, says priority by the center age, sends exactly four fields', () => {
    const r = readScan({ kind: 'scan', text: THO }, ON, TODAY);
    expect(r).toEqual({
      kind: 'citizen',
      citizen: {
        checkIn: { idNumber: '001050012345', fullName: 'Nguyễn Văn Thọ', dateOfBirth: '1950-03-15', sex: 'male' },
        greeting: { vi: 'Xin chào Ông Nguyễn Văn Thọ', en: 'Hello, Mr Nguyễn Văn Thọ' },
        priorityByAge: true,
      },
    });
    const young = readScan({ kind: 'scan', text: NGOC }, ON, TODAY);
    expect(young.kind === 'citizen' && young.citizen.priorityByAge).toBe(false);
    expect(young.kind === 'citizen' && young.citizen.greeting.vi).toBe('Xin chào Bà Trần Thị Bích Ngọc');
    // Neither the address nor the old ID travels.
    expect(JSON.stringify(young)).not.toMatch(/Lê Lợi|012345678/);
    // The center's threshold, not a constant.
    const seventy = readScan({ kind: 'scan', text: THO }, { ...ON, checkIn: { ...ON.checkIn!, priorityAge: 80 } }, TODAY);
    expect(seventy.kind === 'citizen' && seventy.citizen.priorityByAge).toBe(false);
  });

  it('bad input: a clear message for each, never a citizen', () => {
    const cases: [string, string][] = [
      ['https://dichvucong.gov.vn/p/home/dvc-trang-chu.html', 'not_cccd'],
      ['00020101021138570010A00000072701270006970436011300110123456780208QRIBFTTA53037045802VN6304ABCD', 'not_cccd'],
      ['xin chao cac ban day la chu ngau nhien', 'not_cccd'],
      ['001050012345||NGUYỄN VĂN THỌ|150319', 'partial'],
      ['001050012345||NGUYỄN VĂN THỌ|30021950|Nam|Hà Nội|10052021', 'bad_date'],
      ['001051012345||NGUYỄN VĂN THỌ|15031950|Nam|Hà Nội|10052021', 'id_mismatch'],
    ];
    for (const [text, reason] of cases) {
      const r = readScan({ kind: 'scan', text }, ON, TODAY);
      expect(r, text).toMatchObject({ kind: 'message', reason });
      if (r.kind === 'message') expect(r.message.vi.length).toBeGreaterThan(10);
    }
    expect(readScan({ kind: 'partial', length: 40 }, ON, TODAY)).toMatchObject({ kind: 'message', reason: 'partial' });
  });

  it('switched off (or no word from the server yet): the scan is used for nothing', () => {
    for (const center of [{ ...ON, checkIn: { ...ON.checkIn!, enabled: false } }, { name: 'x', tickerText: '' }, undefined]) {
      expect(readScan({ kind: 'scan', text: THO }, center, TODAY)).toEqual({ kind: 'message', reason: 'off', message: CHECK_IN_TEXT.off });
    }
  });

  it('the server refusal of a check-in reads as the same words as the kiosk’s own', () => {
    expect(serverRefusalText('check_in_off')).toBe(CHECK_IN_TEXT.off);
    expect(serverRefusalText('bad_date').vi).toContain('Ngày tháng trên thẻ');
    expect(serverRefusalText('something_new')).toBe(CHECK_IN_TEXT.refusedByServer);
  });

  it('the notice states the center’s own periods', () => {
    expect(privacyNotice({ nameDays: 0, visitorDays: 30 })[1]).toEqual({
      vi: 'Họ tên, năm sinh chỉ lưu đến hết ngày; số thẻ chỉ lưu dạng mã không đọc ngược được, 30 ngày.',
      en: 'Name and year of birth are kept until the end of the day; the card number only as an irreversible code, for 30 days.',
    });
    expect(privacyNotice({ nameDays: 2, visitorDays: 45 })[1]!.vi).toBe('Họ tên, năm sinh chỉ lưu 2 ngày sau ngày đến; số thẻ chỉ lưu dạng mã không đọc ngược được, 45 ngày.');
  });
});
