/**
 * The QR code of a Vietnamese chip-based ID card (CCCD; from 1 July 2024 the "Căn cước" card):
 * parse, validate, and the few facts the queue needs from it (age for priority, a greeting).
 *
 * The QR text is fields separated by `|`:
 *   0 personal ID number (12 digits)   1 old 9-digit ID (may be empty)   2 full name
 *   3 date of birth ddmmyyyy           4 sex "Nam" / "Nữ"                 5 address
 *   6 issue date ddmmyyyy              7… more fields on some cards (ignored)
 *
 * Privacy by construction: the parser never returns the address, the raw text or anything past
 * field 6, so a caller cannot keep what it was never given (docs/privacy.md).
 *
 * Pure: no clock. The caller passes today's date in the center's time zone
 * (`localTime(now, tz).date`), so "born in the future" and ages are testable and never depend on
 * the machine's UTC day.
 */

export type CccdSex = 'male' | 'female';

export interface CccdCard {
  /** The 12-digit personal ID number. */
  idNumber: string;
  /** The old 9-digit ID (CMND), when the card carries one. */
  oldIdNumber?: string;
  /** NFC, single spaces, title-cased ("Nguyễn Văn An" even when the QR says "NGUYỄN VĂN AN"). */
  fullName: string;
  /** yyyy-mm-dd */
  dateOfBirth: string;
  yearOfBirth: number;
  sex: CccdSex;
  /** yyyy-mm-dd */
  issueDate: string;
}

export type CccdRefusal =
  /** Longer than any ID card QR: refused before it is even looked at. */
  | 'too_long'
  /** Not an ID card's QR at all (a URL, a bank QR, text). */
  | 'not_cccd'
  /** Starts like an ID card's QR but fields are missing or cut off. */
  | 'partial'
  /** The ID number (or old ID) is not a valid number. */
  | 'bad_id'
  | 'bad_name'
  | 'bad_sex'
  /** Not a real calendar date, before 1900, in the future, or issued before birth. */
  | 'bad_date'
  /** The ID number's century/sex digit or year digits disagree with the date of birth or sex. */
  | 'id_mismatch';

export type CccdParseResult = { ok: true; card: CccdCard } | { ok: false; reason: CccdRefusal };

/**
 * What the kiosk says for each refusal, Vietnamese first. Every message ends in the normal flow
 * (scan again or tap a service): a card that cannot be read never blocks a citizen.
 */
export const CCCD_REFUSAL_MESSAGES: Record<CccdRefusal, { vi: string; en: string }> = {
  too_long: {
    vi: 'Mã vừa quét không phải mã QR trên thẻ căn cước. Vui lòng chạm vào lĩnh vực cần giải quyết.',
    en: 'That is not the QR code of an ID card. Please tap the service you need.',
  },
  not_cccd: {
    vi: 'Mã vừa quét không phải mã QR trên thẻ căn cước. Vui lòng chạm vào lĩnh vực cần giải quyết.',
    en: 'That is not the QR code of an ID card. Please tap the service you need.',
  },
  partial: {
    vi: 'Chưa đọc hết mã trên thẻ. Vui lòng giữ yên thẻ và quét lại.',
    en: 'The card was not read completely. Please hold it still and scan again.',
  },
  bad_id: {
    vi: 'Không đọc được số căn cước trên thẻ. Vui lòng quét lại hoặc chạm vào lĩnh vực cần giải quyết.',
    en: 'The ID number could not be read. Please scan again or tap the service you need.',
  },
  bad_name: {
    vi: 'Không đọc được họ tên trên thẻ. Vui lòng quét lại hoặc chạm vào lĩnh vực cần giải quyết.',
    en: 'The name could not be read. Please scan again or tap the service you need.',
  },
  bad_sex: {
    vi: 'Không đọc được thông tin trên thẻ. Vui lòng quét lại hoặc chạm vào lĩnh vực cần giải quyết.',
    en: 'The card could not be read. Please scan again or tap the service you need.',
  },
  bad_date: {
    vi: 'Ngày tháng trên thẻ không hợp lệ. Vui lòng quét lại hoặc chạm vào lĩnh vực cần giải quyết.',
    en: 'The dates on the card are not valid. Please scan again or tap the service you need.',
  },
  id_mismatch: {
    vi: 'Thông tin trên thẻ không khớp nhau. Vui lòng quét lại hoặc chạm vào lĩnh vực cần giải quyết.',
    en: 'The details on the card do not match. Please scan again or tap the service you need.',
  },
};

/**
 * A real card's QR is about 100-300 characters (the address is the long part). Anything past this
 * is refused by its length alone, before normalizing or splitting, so a scanner stuck in a loop or
 * a 10 MB paste costs nothing.
 */
export const MAX_CCCD_QR_LENGTH = 1024;

/** The earliest year of birth the numbering has a century code for (20th century = 0/1). */
const MIN_BIRTH_YEAR = 1900;

/**
 * Province (and centrally-run city) codes of the place of birth registration, Circular
 * 07/2016/TT-BCA appendix (the 63 provinces). The 2025 merger into 34 provinces kept personal ID
 * numbers for life, and each merged province kept one of these codes, so the list covers every
 * number issued so far. Not covered: a birth registered abroad, which the law codes with a
 * country code; such a card is refused ('bad_id') and the citizen taps as before.
 */
export const CCCD_PROVINCE_CODES: ReadonlySet<string> = new Set([
  '001', '002', '004', '006', '008', '010', '011', '012', '014', '015', '017', '019', '020', '022',
  '024', '025', '026', '027', '030', '031', '033', '034', '035', '036', '037', '038', '040', '042',
  '044', '045', '046', '048', '049', '051', '052', '054', '056', '058', '060', '062', '064', '066',
  '067', '068', '070', '072', '074', '075', '077', '079', '080', '082', '083', '084', '086', '087',
  '089', '091', '092', '093', '094', '095', '096',
]);

/** Fields up to and including the issue date; anything after it is tolerated and dropped. */
const REQUIRED_FIELDS = 7;
const MAX_NAME_LENGTH = 100;
/** Letters (with their marks, in case NFC left a combination it has no precomposed form for),
 * words separated by one space, an apostrophe or a hyphen ("H'Hen Niê"). */
const NAME_PATTERN = /^[\p{L}\p{M}]+(?:[ '’-][\p{L}\p{M}]+)*$/u;

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function realDate(y: number, m: number, d: number): Ymd | null {
  if (!Number.isInteger(y) || y < 1 || y > 9999) return null;
  if (!Number.isInteger(m) || m < 1 || m > 12) return null;
  if (!Number.isInteger(d) || d < 1 || d > daysInMonth(y, m)) return null;
  return { y, m, d };
}

/** "ddmmyyyy" as printed on the card. */
function parseCardDate(s: string): Ymd | null {
  if (!/^\d{8}$/.test(s)) return null;
  return realDate(Number(s.slice(4)), Number(s.slice(2, 4)), Number(s.slice(0, 2)));
}

function parseIsoDate(s: string): Ymd | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m ? realDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

function requireIsoDate(s: string, what: string): Ymd {
  const date = parseIsoDate(s);
  if (!date) throw new RangeError(`${what} must be a real date as yyyy-mm-dd, got ${JSON.stringify(s)}`);
  return date;
}

function iso({ y, m, d }: Ymd): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function compare(a: Ymd, b: Ymd): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

/**
 * Every word (and every part after an apostrophe or hyphen) with a capital first letter and the
 * rest small: cards and readers give "NGUYỄN VĂN AN" or "Nguyễn Văn An"; the kiosk and the
 * counter show the latter. Input must already be NFC, so a first letter is one code point.
 */
export function titleCaseName(name: string): string {
  return name
    .split(/([ '’-])/)
    .map((part) => {
      const first = part.codePointAt(0);
      if (first === undefined) return part;
      const head = String.fromCodePoint(first);
      return head.toUpperCase() + part.slice(head.length).toLowerCase();
    })
    .join('');
}

/**
 * The ID number's 4th digit codes century and sex (Circular 07/2016/TT-BCA and the circulars
 * that replaced it kept the scheme): 1900s male 0 / female 1, 2000s 2 / 3, 2100s 4 / 5, and so on;
 * digits 5-6 are the last two digits of the year of birth.
 */
function expectedCenturySexDigit(year: number, sex: CccdSex): number {
  return Math.floor((year - MIN_BIRTH_YEAR) / 100) * 2 + (sex === 'female' ? 1 : 0);
}

function parseSex(s: string): CccdSex | null {
  const v = s.toLowerCase();
  if (v === 'nam') return 'male';
  if (v === 'nữ') return 'female';
  return null;
}

// The checks shared by the kiosk's parse of a scan and the server's check of what a kiosk sent.

function isCccdNumber(id: string): boolean {
  return /^\d{12}$/.test(id) && CCCD_PROVINCE_CODES.has(id.slice(0, 3));
}

/** NFC, single spaces, title case; null if it is not a name. */
function cleanName(raw: string): string | null {
  const collapsed = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (collapsed.length === 0 || collapsed.length > MAX_NAME_LENGTH || !NAME_PATTERN.test(collapsed)) return null;
  return titleCaseName(collapsed);
}

function isPlausibleBirth(birth: Ymd | null, now: Ymd): birth is Ymd {
  return birth !== null && birth.y >= MIN_BIRTH_YEAR && compare(birth, now) <= 0;
}

function idMatchesBirthAndSex(id: string, birth: Ymd, sex: CccdSex): boolean {
  return Number(id[3]) === expectedCenturySexDigit(birth.y, sex) && id.slice(4, 6) === String(birth.y % 100).padStart(2, '0');
}

/**
 * Parses and checks one scan. `today` is yyyy-mm-dd in the center's time zone (throws a
 * RangeError if it is not a real date: that is the caller's bug, not the citizen's card).
 * `text` is typed `unknown` so that whatever arrived can be handed over unchecked.
 */
export function parseCccdQr(text: unknown, today: string): CccdParseResult {
  const now = requireIsoDate(today, 'today');
  if (typeof text !== 'string') return { ok: false, reason: 'not_cccd' };
  // Bound first: nothing below runs on an unbounded string.
  if (text.length > MAX_CCCD_QR_LENGTH) return { ok: false, reason: 'too_long' };

  // A scanner ends with CR/LF; a camera reader or a paste may add spaces; a keyboard-emulating
  // scanner may type decomposed letters (u + combining horn). NFC makes "Nữ" one string.
  const fields = text.normalize('NFC').trim().split('|').map((f) => f.trim());
  const [idNumber = '', oldId = '', rawName = '', dob = '', rawSex = '', , issued = ''] = fields;

  // No '|' at all is another kind of code, even a bare 12-digit number (a card's scan always has
  // its separators; a number alone is more likely some other barcode).
  if (fields.length === 1) return { ok: false, reason: 'not_cccd' };
  if (!/^\d{12}$/.test(idNumber)) {
    // Digits then a '|' is a card number misread; anything else is another kind of code.
    return { ok: false, reason: /^\d+$/.test(idNumber) ? 'bad_id' : 'not_cccd' };
  }
  // Cut off before the issue date, or inside it (the last field stops short of 8 digits).
  if (fields.length < REQUIRED_FIELDS) return { ok: false, reason: 'partial' };
  if (fields.length === REQUIRED_FIELDS && /^\d{0,7}$/.test(issued)) return { ok: false, reason: 'partial' };

  if (!isCccdNumber(idNumber)) return { ok: false, reason: 'bad_id' };
  // The old CMND was 9 digits (12 for the last ones issued before the CCCD).
  if (oldId !== '' && !/^(?:\d{9}|\d{12})$/.test(oldId)) return { ok: false, reason: 'bad_id' };

  const fullName = cleanName(rawName);
  if (fullName === null) return { ok: false, reason: 'bad_name' };

  const birth = parseCardDate(dob);
  if (!isPlausibleBirth(birth, now)) return { ok: false, reason: 'bad_date' };
  const issue = parseCardDate(issued);
  if (!issue || compare(issue, birth) <= 0 || compare(issue, now) > 0) return { ok: false, reason: 'bad_date' };

  const sex = parseSex(rawSex);
  if (!sex) return { ok: false, reason: 'bad_sex' };

  if (!idMatchesBirthAndSex(idNumber, birth, sex)) return { ok: false, reason: 'id_mismatch' };

  const card: CccdCard = { idNumber, fullName, dateOfBirth: iso(birth), yearOfBirth: birth.y, sex, issueDate: iso(issue) };
  if (oldId !== '') card.oldIdNumber = oldId;
  return { ok: true, card };
}

/**
 * What a kiosk sends the server for a check-in: the least the queue needs (docs/adr, CCCD
 * check-in). The address, the old ID, the issue date and the raw scan stay on the kiosk.
 */
export interface CccdCheckIn {
  idNumber: string;
  fullName: string;
  /** yyyy-mm-dd */
  dateOfBirth: string;
  sex: CccdSex;
}

export type CccdCheckInResult = { ok: true; checkIn: CccdCheckIn & { yearOfBirth: number } } | { ok: false; reason: CccdRefusal };

/** The kiosk's half: the fields of a parsed card that go to the server, and no more. */
export function toCccdCheckIn(card: CccdCard): CccdCheckIn {
  return { idNumber: card.idNumber, fullName: card.fullName, dateOfBirth: card.dateOfBirth, sex: card.sex };
}

/**
 * The server's half: a kiosk is not trusted (a stolen kiosk token can send anything), so what it
 * sent is checked again with the same rules as a scan: the number, the name, a real birth date
 * not in the future nor before 1900, and the number's century/sex/year digits against them.
 * Only the four known fields are returned, whatever else came along. (The card's QR is not
 * signed: these checks catch misreads and nonsense, not a forged QR, which can claim any age
 * just as a tap on "Ưu tiên" can.)
 */
export function validateCccdCheckIn(input: unknown, today: string): CccdCheckInResult {
  const now = requireIsoDate(today, 'today');
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, reason: 'not_cccd' };
  const { idNumber, fullName: rawName, dateOfBirth, sex } = input as Record<string, unknown>;

  if (typeof idNumber !== 'string' || !isCccdNumber(idNumber)) return { ok: false, reason: 'bad_id' };
  const fullName = typeof rawName === 'string' && rawName.length <= MAX_NAME_LENGTH * 2 ? cleanName(rawName) : null;
  if (fullName === null) return { ok: false, reason: 'bad_name' };
  const birth = typeof dateOfBirth === 'string' ? parseIsoDate(dateOfBirth) : null;
  if (!isPlausibleBirth(birth, now)) return { ok: false, reason: 'bad_date' };
  if (sex !== 'male' && sex !== 'female') return { ok: false, reason: 'bad_sex' };
  if (!idMatchesBirthAndSex(idNumber, birth, sex)) return { ok: false, reason: 'id_mismatch' };

  return { ok: true, checkIn: { idNumber, fullName, dateOfBirth: iso(birth), sex, yearOfBirth: birth.y } };
}

/**
 * Completed years on `today` (both yyyy-mm-dd). Someone born on 29 February has a birthday on 28
 * February in common years: the last day of the month, the generous reading for a priority
 * decision (a citizen is never made to wait a day longer than the calendar allows). Negative when
 * `today` is before the birth. Throws a RangeError on a date that is not real.
 */
export function ageOn(dateOfBirth: string, today: string): number {
  const birth = requireIsoDate(dateOfBirth, 'dateOfBirth');
  const now = requireIsoDate(today, 'today');
  const birthdayThisYear = { y: now.y, m: birth.m, d: Math.min(birth.d, daysInMonth(now.y, birth.m)) };
  return now.y - birth.y - (compare(now, birthdayThisYear) < 0 ? 1 : 0);
}

/**
 * Whether the card holder's age on `today` is at or above the center's threshold (default 60: the
 * Law on the Elderly counts "người cao tuổi" from 60). A threshold that is not a positive integer
 * never grants priority: a broken setting must not make everyone priority.
 */
export function isPriorityByAge(card: Pick<CccdCard, 'dateOfBirth'>, today: string, threshold: number): boolean {
  if (!Number.isInteger(threshold) || threshold < 1) return false;
  return ageOn(card.dateOfBirth, today) >= threshold;
}

/** "Ông" for a man, "Bà" for a woman: the formal address used at a public service counter. */
export function honorific(sex: CccdSex): { vi: string; en: string } {
  return sex === 'male' ? { vi: 'Ông', en: 'Mr' } : { vi: 'Bà', en: 'Ms' };
}

/** The kiosk's greeting, shown on the kiosk's own screen only (never on a public screen). */
export function cccdGreeting(card: Pick<CccdCard, 'fullName' | 'sex'>): { vi: string; en: string } {
  const h = honorific(card.sex);
  return { vi: `Xin chào ${h.vi} ${card.fullName}`, en: `Hello, ${h.en} ${card.fullName}` };
}
