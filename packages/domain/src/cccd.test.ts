import { describe, expect, it } from 'vitest';
import {
  ageOn,
  CCCD_PROVINCE_CODES,
  CCCD_REFUSAL_MESSAGES,
  cccdGreeting,
  isPriorityByAge,
  MAX_CCCD_QR_LENGTH,
  parseCccdQr,
  titleCaseName,
  toCccdCheckIn,
  validateCccdCheckIn,
  type CccdRefusal,
} from './cccd.js';

// Every person below is invented; numbers follow the real layout (province, century/sex digit,
// year digits, six random digits) so that the checks are exercised, not bypassed.
const TODAY = '2026-11-30';
const qr = (...fields: string[]) => fields.join('|');

const AN = qr('001085012345', '012345678', 'Nguyễn Văn An', '15031985', 'Nam', 'Số 12 ngõ 34 phố Hàng Bông, Phường Hoàn Kiếm, Hà Nội', '10052021');
const BINH_NO_OLD_ID = qr('079192004567', '', 'Trần Thị Bình', '02071992', 'Nữ', '45/6 Lê Lợi, Phường Sài Gòn, TP. Hồ Chí Minh', '20032022');

/** ă â đ ê ô ơ ư, and each of the five tones (huyền, sắc, hỏi, ngã, nặng) on several vowels. */
const EVERY_DIACRITIC = 'Đặng Lê Hoàng Ngọc Ánh Tuyết Hằng Ẩn Thủy Mỹ Đỗ Phương Thơ Ưng';

function refusal(text: unknown, today = TODAY): CccdRefusal | 'ok' {
  const r = parseCccdQr(text, today);
  return r.ok ? 'ok' : r.reason;
}

function card(text: string, today = TODAY) {
  const r = parseCccdQr(text, today);
  if (!r.ok) throw new Error(`expected a card, got ${r.reason}`);
  return r.card;
}

describe('parseCccdQr: real-shaped cards', () => {
  it('reads a card with an old 9-digit ID, and keeps nothing but what the queue needs', () => {
    const c = card(AN);
    expect(c).toEqual({
      idNumber: '001085012345',
      oldIdNumber: '012345678',
      fullName: 'Nguyễn Văn An',
      dateOfBirth: '1985-03-15',
      yearOfBirth: 1985,
      sex: 'male',
      issueDate: '2021-05-10',
    });
    // The address never leaves the parser.
    expect(JSON.stringify(c)).not.toContain('Hàng Bông');
  });

  it('reads a card whose old-ID field is empty, without an oldIdNumber key', () => {
    const c = card(BINH_NO_OLD_ID);
    expect(c.idNumber).toBe('079192004567');
    expect(c.sex).toBe('female');
    expect(c.dateOfBirth).toBe('1992-07-02');
    expect('oldIdNumber' in c).toBe(false);
  });

  it('keeps every Vietnamese letter and tone, whatever the case on the QR', () => {
    // The sample really covers what it claims: decomposed, it holds each base letter and mark.
    const nfd = EVERY_DIACRITIC.normalize('NFD').toLowerCase();
    const tones = ['\u0300', '\u0301', '\u0309', '\u0303', '\u0323']; // huyền sắc hỏi ngã nặng
    const withoutTones = nfd.replace(/[\u0300\u0301\u0309\u0303\u0323]/g, '').normalize('NFC');
    for (const letter of ['ă', 'â', 'đ', 'ê', 'ô', 'ơ', 'ư']) expect(withoutTones).toContain(letter);
    for (const tone of tones) {
      const vowels = new Set([...nfd.matchAll(new RegExp(`([aeiouy])[\\u0306\\u0302\\u031B]?${tone}`, 'g'))].map((m) => m[0]));
      expect(vowels.size, `tone U+${tone.codePointAt(0)?.toString(16)} on several vowels`).toBeGreaterThanOrEqual(2);
    }

    for (const written of [EVERY_DIACRITIC, EVERY_DIACRITIC.toUpperCase(), EVERY_DIACRITIC.toLowerCase()]) {
      const c = card(qr('046178003311', '191234567', written, '09091978', 'Nữ', 'Phường Thuận Hóa, Thành phố Huế', '01072021'));
      expect(c.fullName).toBe(EVERY_DIACRITIC);
    }
  });

  it('reads a 2024 "Căn cước" card, tolerating the fields some cards add after the issue date', () => {
    const c = card(qr('011308001234', '', 'Lò Thị Mai', '12062008', 'Nữ', 'Bản Mường Phăng, Xã Mường Phăng, Tỉnh Điện Biên', '15082024', 'Lò Văn Sinh', 'Lò Thị Phượng', ''));
    expect(c).toMatchObject({ idNumber: '011308001234', fullName: 'Lò Thị Mai', dateOfBirth: '2008-06-12', yearOfBirth: 2008, sex: 'female', issueDate: '2024-08-15' });
  });

  it('reads a Căn cước issued to a young child (cards from birth since July 2024)', () => {
    const c = card(qr('001221000045', '', 'Vũ Minh Khôi', '03032021', 'Nam', 'Phường Cầu Giấy, Hà Nội', '20092024'));
    expect(c.yearOfBirth).toBe(2021);
    expect(ageOn(c.dateOfBirth, TODAY)).toBe(5);
  });

  it('reads a citizen born on 29 February 1952', () => {
    const c = card(qr('036052000777', '160123456', 'Phạm Văn Tư', '29021952', 'Nam', 'Xã Hải Hậu, Tỉnh Ninh Bình', '01062021'));
    expect(c.dateOfBirth).toBe('1952-02-29');
    expect(ageOn(c.dateOfBirth, TODAY)).toBe(74);
  });

  it('tolerates a trailing CR/LF, surrounding spaces, spaces around fields and doubled spaces in the name', () => {
    expect(card(`${AN}\r\n`).idNumber).toBe('001085012345');
    expect(card(`  ${AN}\n`).idNumber).toBe('001085012345');
    expect(card(qr(' 001085012345 ', '012345678', ' Nguyễn  Văn   An ', '15031985', 'Nam', 'x', '10052021\r')).fullName).toBe('Nguyễn Văn An');
  });

  it('normalizes decomposed (NFD) text to NFC, including the sex field', () => {
    const c = card(BINH_NO_OLD_ID.normalize('NFD'));
    expect(c.fullName).toBe('Trần Thị Bình'.normalize('NFC'));
    expect(c.fullName).not.toBe('Trần Thị Bình'.normalize('NFD'));
    expect(c.sex).toBe('female');
  });

  it('reads the sex in any case and ethnic-minority names with an apostrophe', () => {
    const c = card(qr('066196000321', '', "H'HEN NIÊ", '05051996', 'NỮ', 'Phường Buôn Ma Thuột, Tỉnh Đắk Lắk', '12122021'));
    expect(c.fullName).toBe("H'Hen Niê");
    expect(c.sex).toBe('female');
    expect(card(AN.replace('|Nam|', '|NAM|')).sex).toBe('male');
  });

  it('tolerates extra | fields and accepts a card exactly at the length limit', () => {
    expect(card(`${AN}|||extra|more`).idNumber).toBe('001085012345');
    const padded = `${AN}|${'x'.repeat(MAX_CCCD_QR_LENGTH - AN.length - 1)}`;
    expect(padded.length).toBe(MAX_CCCD_QR_LENGTH);
    expect(refusal(padded)).toBe('ok');
  });

  it('accepts an issue date of today and a birth on 1 January 1900', () => {
    expect(refusal(AN.replace('10052021', '30112026'))).toBe('ok');
    expect(refusal(qr('001000000001', '', 'Lê Văn Cụ', '01011900', 'Nam', 'x', '01012021'))).toBe('ok');
  });
});

describe('parseCccdQr: what is not a card', () => {
  it.each([
    ['a URL', 'https://dichvucong.gov.vn/p/home/dvc-trang-chu.html'],
    ['a VietQR bank string', '00020101021238570010A00000072701270006970403011300697040300000208QRIBFTTA53037045802VN62150811Chuyen tien6304A1B2'],
    ['random text', 'xin chào, đây không phải thẻ'],
    ['text with pipes', 'a|b|c|d|e|f|g'],
    ['a bare 12-digit number', '001085012345'],
    ['an empty scan', ''],
    ['only spaces and a newline', '   \r\n'],
  ])('%s is not_cccd', (_what, text) => {
    expect(refusal(text)).toBe('not_cccd');
  });

  it('refuses what is not a string at all', () => {
    for (const v of [undefined, null, 42, { idNumber: '001085012345' }, ['001085012345']]) expect(refusal(v)).toBe('not_cccd');
  });

  it('refuses 10 MB of garbage by its length, without reading it', () => {
    const garbage = 'x|'.repeat(5 * 1024 * 1024);
    const started = Date.now();
    expect(refusal(garbage)).toBe('too_long');
    // Generous bound for a loaded 2-core machine; reading 10 MB (normalize + split) would take far longer.
    expect(Date.now() - started).toBeLessThan(50);
    expect(refusal(`${AN}|${'x'.repeat(MAX_CCCD_QR_LENGTH)}`)).toBe('too_long');
  });

  it('reports a scan cut off before or inside the last required field as partial', () => {
    expect(refusal(qr('001085012345', '012345678', 'Nguyễn Văn'))).toBe('partial');
    expect(refusal('001085012345|')).toBe('partial');
    expect(refusal(AN.slice(0, AN.lastIndexOf('|')))).toBe('partial'); // no issue date
    expect(refusal(AN.slice(0, AN.length - 3))).toBe('partial'); // issue date cut to 5 digits
    expect(refusal(`${AN.slice(0, AN.lastIndexOf('|'))}|`)).toBe('partial'); // cut just after the last |
  });

  it('refuses an ID number that is not a CCCD number', () => {
    for (const province of ['000', '003', '097', '099', '100', '999']) {
      expect(refusal(AN.replace('001085012345', `${province}085012345`)), province).toBe('bad_id');
    }
    expect(refusal(AN.replace('001085012345', '00108501234'))).toBe('bad_id'); // 11 digits
    expect(refusal(AN.replace('012345678', '01234567'))).toBe('bad_id'); // old ID of 8 digits
    expect(refusal(AN.replace('012345678', '01234567X'))).toBe('bad_id');
  });

  it('knows the 63 province codes and nothing outside 001-096', () => {
    expect(CCCD_PROVINCE_CODES.size).toBe(63);
    for (const code of CCCD_PROVINCE_CODES) {
      expect(code).toMatch(/^\d{3}$/);
      expect(Number(code)).toBeGreaterThanOrEqual(1);
      expect(Number(code)).toBeLessThanOrEqual(96);
    }
    expect(CCCD_PROVINCE_CODES.has('079')).toBe(true); // Hồ Chí Minh
    expect(CCCD_PROVINCE_CODES.has('003')).toBe(false);
  });

  it('refuses impossible, future and too-early dates', () => {
    expect(refusal(qr('001090012345', '', 'Ngô Văn Ba', '31021990', 'Nam', 'x', '10052021'))).toBe('bad_date'); // 31/02
    expect(refusal(qr('001001012345', '', 'Ngô Văn Ba', '29022001', 'Nam', 'x', '10052021'))).toBe('bad_date'); // 2001 not leap
    expect(refusal(qr('001227000001', '', 'Ngô Văn Ba', '01012027', 'Nam', 'x', '10052021'))).toBe('bad_date'); // born in the future
    expect(refusal(qr('001226000001', '', 'Ngô Văn Ba', '01122026', 'Nam', 'x', '30112026'))).toBe('bad_date'); // born tomorrow
    expect(refusal(qr('001099000001', '', 'Ngô Văn Ba', '31121899', 'Nam', 'x', '10052021'))).toBe('bad_date'); // before 1900
    expect(refusal(AN.replace('10052021', '01122026'))).toBe('bad_date'); // issued tomorrow
    expect(refusal(AN.replace('10052021', '14031985'))).toBe('bad_date'); // issued before birth
    expect(refusal(AN.replace('10052021', '15031985'))).toBe('bad_date'); // issued on the day of birth
    expect(refusal(AN.replace('15031985', '1503198'))).toBe('bad_date');
    expect(refusal(AN.replace('15031985', '1985-03-15'))).toBe('bad_date');
    expect(refusal(AN.replace('10052021', '10132021'))).toBe('bad_date'); // month 13
    expect(refusal(`${AN.replace('10052021', '100520')}|extra`)).toBe('bad_date'); // short date not at the end
  });

  it('refuses an ID number whose century, sex or year digits disagree with the card', () => {
    expect(refusal(AN.replace('001085012345', '001285012345'))).toBe('id_mismatch'); // 2000s digit, born 1985
    expect(refusal(AN.replace('001085012345', '001185012345'))).toBe('id_mismatch'); // female digit, "Nam"
    expect(refusal(AN.replace('001085012345', '001086012345'))).toBe('id_mismatch'); // year 86, born 1985
    expect(refusal(qr('001108001234', '', 'Lò Thị Mai', '12062008', 'Nữ', 'x', '15082024'))).toBe('id_mismatch'); // 1900s digit, born 2008
  });

  it('refuses a name that is not a name and a sex that is neither Nam nor Nữ', () => {
    expect(refusal(AN.replace('Nguyễn Văn An', ''))).toBe('bad_name');
    expect(refusal(AN.replace('Nguyễn Văn An', 'Nguyễn Văn 4n'))).toBe('bad_name');
    expect(refusal(AN.replace('Nguyễn Văn An', '<script>'))).toBe('bad_name');
    expect(refusal(AN.replace('Nguyễn Văn An', 'A'.repeat(101)))).toBe('bad_name');
    expect(refusal(AN.replace('|Nam|', '|M|'))).toBe('bad_sex');
    expect(refusal(AN.replace('|Nam|', '||'))).toBe('bad_sex');
  });

  it('throws on a today that is not a real date: the caller’s bug, not the card’s', () => {
    expect(() => parseCccdQr(AN, '2026-02-30')).toThrow(RangeError);
    expect(() => parseCccdQr(AN, '30/11/2026')).toThrow(RangeError);
  });

  it('has a Vietnamese and an English message for every refusal', () => {
    const reasons: CccdRefusal[] = ['too_long', 'not_cccd', 'partial', 'bad_id', 'bad_name', 'bad_sex', 'bad_date', 'id_mismatch'];
    expect(Object.keys(CCCD_REFUSAL_MESSAGES).sort()).toEqual([...reasons].sort());
    for (const r of reasons) {
      expect(CCCD_REFUSAL_MESSAGES[r].vi).toMatch(/[ạảãàáâậầấẩẫăắằặẳẵđêếềệểễôốồộổỗơớờợởỡưứừựửữ]/);
      expect(CCCD_REFUSAL_MESSAGES[r].en.length).toBeGreaterThan(10);
    }
  });
});

describe('ageOn', () => {
  it('counts completed years', () => {
    expect(ageOn('1985-03-15', '2026-03-14')).toBe(40);
    expect(ageOn('1985-03-15', '2026-03-15')).toBe(41);
    expect(ageOn('1985-12-31', '2026-01-01')).toBe(40);
    expect(ageOn('2026-11-30', '2026-11-30')).toBe(0);
    expect(ageOn('2026-12-01', '2026-11-30')).toBe(-1);
  });

  it('gives a 29 February birthday on 28 February in common years and on 29 February in leap years', () => {
    expect(ageOn('1952-02-29', '2011-02-28')).toBe(59);
    expect(ageOn('1952-02-29', '2012-02-28')).toBe(59);
    expect(ageOn('1952-02-29', '2012-02-29')).toBe(60);
    expect(ageOn('1952-02-29', '2013-02-27')).toBe(60);
    expect(ageOn('1952-02-29', '2013-02-28')).toBe(61);
    expect(ageOn('1952-02-29', '2013-03-01')).toBe(61);
  });

  it('throws on a date that is not real', () => {
    expect(() => ageOn('1990-02-31', TODAY)).toThrow(RangeError);
    expect(() => ageOn('1990-01-01', '2026-13-01')).toThrow(RangeError);
  });
});

describe('isPriorityByAge', () => {
  const sixtyToday = card(qr('001166000123', '', 'Hoàng Thị Sáu', '30111966', 'Nữ', 'x', '01022022'));
  const aDayShort = card(qr('001166000124', '', 'Hoàng Thị Bảy', '01121966', 'Nữ', 'x', '01022022'));

  it('is priority at exactly the threshold, not a day before', () => {
    expect(ageOn(sixtyToday.dateOfBirth, TODAY)).toBe(60);
    expect(isPriorityByAge(sixtyToday, TODAY, 60)).toBe(true);
    expect(ageOn(aDayShort.dateOfBirth, TODAY)).toBe(59);
    expect(isPriorityByAge(aDayShort, TODAY, 60)).toBe(false);
    expect(isPriorityByAge(aDayShort, '2026-12-01', 60)).toBe(true);
  });

  it('follows the center’s threshold: 1950 is priority, 1990 is not', () => {
    const born1950 = { dateOfBirth: '1950-06-01' };
    const born1990 = { dateOfBirth: '1990-06-01' };
    expect(isPriorityByAge(born1950, TODAY, 60)).toBe(true);
    expect(isPriorityByAge(born1990, TODAY, 60)).toBe(false);
    expect(isPriorityByAge(born1950, TODAY, 80)).toBe(false);
    expect(isPriorityByAge(born1990, TODAY, 36)).toBe(true);
  });

  it('never grants priority from a broken threshold', () => {
    for (const t of [0, -1, 59.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(isPriorityByAge({ dateOfBirth: '1930-01-01' }, TODAY, t)).toBe(false);
  });
});

describe('greeting', () => {
  it('says Ông to a man and Bà to a woman, with the full name title-cased', () => {
    expect(cccdGreeting(card(AN))).toEqual({ vi: 'Xin chào Ông Nguyễn Văn An', en: 'Hello, Mr Nguyễn Văn An' });
    expect(cccdGreeting(card(BINH_NO_OLD_ID.replace('Trần Thị Bình', 'TRẦN THỊ BÌNH')))).toEqual({ vi: 'Xin chào Bà Trần Thị Bình', en: 'Hello, Ms Trần Thị Bình' });
  });

  it('title-cases every word and the part after an apostrophe or hyphen', () => {
    expect(titleCaseName('ĐỖ THỊ ƯỚC')).toBe('Đỗ Thị Ước');
    expect(titleCaseName('y moan ênuôl')).toBe('Y Moan Ênuôl');
    expect(titleCaseName("h'hen niê")).toBe("H'Hen Niê");
    expect(titleCaseName('lê-nguyễn an')).toBe('Lê-Nguyễn An');
  });
});

describe('check-in fields: what the kiosk sends and the server checks again', () => {
  it('sends only the number, name, birth date and sex, and the server accepts them', () => {
    const sent = toCccdCheckIn(card(AN));
    expect(sent).toEqual({ idNumber: '001085012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1985-03-15', sex: 'male' });
    expect(validateCccdCheckIn(JSON.parse(JSON.stringify(sent)), TODAY)).toEqual({ ok: true, checkIn: { ...sent, yearOfBirth: 1985 } });
  });

  it('returns only the known fields, in NFC and title case', () => {
    const r = validateCccdCheckIn({ idNumber: '079192004567', fullName: 'TRẦN THỊ BÌNH'.normalize('NFD'), dateOfBirth: '1992-07-02', sex: 'female', address: 'x', priority: true }, TODAY);
    expect(r).toEqual({ ok: true, checkIn: { idNumber: '079192004567', fullName: 'Trần Thị Bình', dateOfBirth: '1992-07-02', sex: 'female', yearOfBirth: 1992 } });
  });

  const good = { idNumber: '001085012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1985-03-15', sex: 'male' };
  it.each<[string, unknown, CccdRefusal]>([
    ['not an object', '001085012345|...', 'not_cccd'],
    ['null', null, 'not_cccd'],
    ['an array', [good], 'not_cccd'],
    ['a number that is no CCCD', { ...good, idNumber: '097085012345' }, 'bad_id'],
    ['a number as a number', { ...good, idNumber: 1085012345 }, 'bad_id'],
    ['no name', { ...good, fullName: '' }, 'bad_name'],
    ['markup for a name', { ...good, fullName: '<img src=x>' }, 'bad_name'],
    ['a huge name', { ...good, fullName: 'A'.repeat(10_000) }, 'bad_name'],
    ['an impossible date', { ...good, dateOfBirth: '1985-02-30' }, 'bad_date'],
    ['a birth in the future', { ...good, idNumber: '001227000001', dateOfBirth: '2027-01-01' }, 'bad_date'],
    ['a card-style date', { ...good, dateOfBirth: '15031985' }, 'bad_date'],
    ['a sex in Vietnamese', { ...good, sex: 'Nam' }, 'bad_sex'],
    ['an age the number contradicts (a forged 1950 on a 1985 number)', { ...good, dateOfBirth: '1950-03-15' }, 'id_mismatch'],
    ['a sex the number contradicts', { ...good, sex: 'female' }, 'id_mismatch'],
  ])('refuses %s', (_what, input, reason) => {
    expect(validateCccdCheckIn(input, TODAY)).toEqual({ ok: false, reason });
  });
});
