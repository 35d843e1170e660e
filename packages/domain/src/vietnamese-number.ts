/**
 * Reading numbers aloud in Vietnamese, as a commune's announcer would, and building the words of
 * a call ("Mời công dân có số thứ tự một nghìn không trăm linh năm đến quầy số ba").
 *
 * The rules a reader gets wrong (and peers got wrong: "O-O-One", digit by digit):
 * - 10 is "mười", but 20, 30... are "X mươi" (level tone after a tens digit above one).
 * - A final 1 after "mươi" is "mốt" (21 "hai mươi mốt"), but after "mười" or "linh" it stays
 *   "một" (11 "mười một", 101 "một trăm linh một").
 * - A final 4 after "mươi" is "tư" (24 "hai mươi tư"); after "mười" and "linh" it is "bốn".
 * - A final 5 after "mười"/"mươi" is "lăm" (or "nhăm", northern colloquial); after "linh" it
 *   stays "năm" (105 "một trăm linh năm").
 * - A zero tens digit inside a number is "linh" (northern, the broadcast and announcer norm) or
 *   "lẻ" (southern): 105 "một trăm linh năm". We default to "linh"; see docs/voice.md.
 * - Zero hundreds after thousands are said: 1005 "một nghìn không trăm linh năm",
 *   1010 "một nghìn không trăm mười"; but 2000 is just "hai nghìn".
 * - Tens of thousands follow the same rules in front of "nghìn": 10001 "mười nghìn không trăm
 *   linh một", 21000 "hai mươi mốt nghìn", 24000 "hai mươi tư nghìn", 15000 "mười lăm nghìn".
 */

export interface ReadingOptions {
  /** The word for a zero tens digit before a final unit: "linh" (default, northern) or "lẻ". */
  zeroTens?: 'linh' | 'lẻ';
  /** The word for a final 5 after "mười"/"mươi": "lăm" (default) or "nhăm". */
  five?: 'lăm' | 'nhăm';
}

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;

/**
 * Five digits: a ticket with a one-digit prefix and width 4 ("1" + "0001" = "10001") is still
 * read as a number. Longer runs are read digit by digit (see ticketNumberParts).
 */
export const MAX_READABLE_NUMBER = 99999;

function digit(d: number): string {
  const w = DIGITS[d];
  if (w === undefined) throw new RangeError(`not a digit: ${d}`);
  return w;
}

/** 0..99 as the last two digits of a longer number or alone (`inside` = after trăm/nghìn). */
function readTens(n: number, inside: boolean, opts: Required<ReadingOptions>): string[] {
  const tens = Math.floor(n / 10);
  const unit = n % 10;
  if (tens === 0) {
    if (!inside) return [digit(unit)];
    return unit === 0 ? [] : [opts.zeroTens, digit(unit)];
  }
  const head = tens === 1 ? ['mười'] : [digit(tens), 'mươi'];
  if (unit === 0) return head;
  if (unit === 5) return [...head, opts.five];
  if (tens >= 2 && unit === 1) return [...head, 'mốt'];
  if (tens >= 2 && unit === 4) return [...head, 'tư'];
  return [...head, digit(unit)];
}

/** 0..999; `inside` means a thousands group came before, so a zero hundreds digit is said. */
function readHundreds(n: number, inside: boolean, opts: Required<ReadingOptions>): string[] {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds === 0 && !inside) return readTens(rest, false, opts);
  if (rest === 0) return hundreds === 0 ? [] : [digit(hundreds), 'trăm'];
  return [digit(hundreds), 'trăm', ...readTens(rest, true, opts)];
}

/**
 * The words of an integer 0..99999 read aloud, e.g. 1005 -> ["một", "nghìn", "không", "trăm",
 * "linh", "năm"], 10001 -> ["mười", "nghìn", "không", "trăm", "linh", "một"]. Throws RangeError
 * outside 0..99999 (callers reading longer digit strings read them digit by digit).
 */
export function readVietnameseNumber(n: number, options: ReadingOptions = {}): string[] {
  if (!Number.isInteger(n) || n < 0 || n > MAX_READABLE_NUMBER) {
    throw new RangeError(`can read integers 0..${MAX_READABLE_NUMBER}, got ${n}`);
  }
  const opts: Required<ReadingOptions> = { zeroTens: options.zeroTens ?? 'linh', five: options.five ?? 'lăm' };
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  if (thousands === 0) return readHundreds(rest, false, opts);
  // 1..99 thousands, read like any number below 100 (mốt, tư, lăm included): "hai mươi mốt nghìn".
  const head = [...readTens(thousands, false, opts), 'nghìn'];
  return rest === 0 ? head : [...head, ...readHundreds(rest, true, opts)];
}

/** The same, as one string: 21 -> "hai mươi mốt". */
export function readVietnameseNumberText(n: number, options: ReadingOptions = {}): string {
  return readVietnameseNumber(n, options).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Announcements

/** One piece of a spoken call: the clip file to play (without extension) and what it says. */
export interface AnnouncementPart {
  clip: string;
  text: string;
}

/** The fixed phrases, one clip each so a recorded voice sounds natural rather than word-glued. */
export const PHRASE_CLIPS = {
  intro: 'Mời công dân có số thứ tự',
  'to-counter': 'đến quầy số',
} as const;

/** Letter names as a Vietnamese announcer spells them (ticket prefixes are A-Z). */
export const LETTER_NAMES: Readonly<Record<string, string>> = {
  A: 'a', B: 'bê', C: 'xê', D: 'dê', E: 'e', F: 'ép', G: 'giê', H: 'hát', I: 'i', J: 'gi',
  K: 'ca', L: 'e-lờ', M: 'em-mờ', N: 'en-nờ', O: 'o', P: 'pê', Q: 'quy', R: 'e-rờ', S: 'ét-xì',
  T: 'tê', U: 'u', V: 'vê', W: 'vê-kép', X: 'ích-xì', Y: 'i-dài', Z: 'dét',
};

/**
 * Every number word the reader can produce. Clip files are named by the word's Telex spelling
 * (the ASCII typing scheme every Vietnamese computer user knows), because stripping the marks
 * would collide: "mười"/"mươi" and "một"/"mốt" would share a name.
 */
export const NUMBER_WORDS = [
  ...DIGITS, 'mốt', 'tư', 'lăm', 'nhăm', 'mười', 'mươi', 'trăm', 'nghìn', 'linh', 'lẻ',
] as const;

const TELEX_VOWELS: Record<string, [base: string, tone: string]> = {};
// Each accented vowel = a base (Telex for the shape: aa, aw, ee, oo, ow, uw) and a tone key.
const TONES = ['', 's', 'f', 'r', 'x', 'j'] as const; // ngang, sắc, huyền, hỏi, ngã, nặng
const VOWEL_ROWS: [string, string][] = [
  ['a', 'aáàảãạ'], ['aw', 'ăắằẳẵặ'], ['aa', 'âấầẩẫậ'], ['e', 'eéèẻẽẹ'], ['ee', 'êếềểễệ'],
  ['i', 'iíìỉĩị'], ['o', 'oóòỏõọ'], ['oo', 'ôốồổỗộ'], ['ow', 'ơớờởỡợ'], ['u', 'uúùủũụ'],
  ['uw', 'ưứừửữự'], ['y', 'yýỳỷỹỵ'],
];
for (const [base, forms] of VOWEL_ROWS) {
  [...forms].forEach((ch, i) => {
    TELEX_VOWELS[ch] = [base, TONES[i] ?? ''];
  });
}

/** "mười" -> "muwowif", "một" -> "mootj", "nghìn" -> "nghinf": the clip name of a word. */
export function telex(word: string): string {
  let out = '';
  let tone = '';
  for (const ch of word.toLowerCase()) {
    const v = TELEX_VOWELS[ch];
    if (v) {
      out += v[0];
      if (v[1]) tone = v[1];
    } else if (ch === 'đ') out += 'dd';
    else if (/[a-z0-9]/.test(ch)) out += ch;
    else if (ch === ' ' || ch === '-') out += '-';
  }
  return out + tone;
}

function numberParts(n: number, options: ReadingOptions): AnnouncementPart[] {
  return readVietnameseNumber(n, options).map((w) => ({ clip: telex(w), text: w }));
}

/**
 * The characters of a ticket number as spoken: leading letters by name ("A" -> "a"), then the
 * digits read as one number ("A012" -> a, mười hai; "1005" -> một nghìn không trăm linh năm;
 * "10001" -> mười nghìn không trăm linh một). Digit runs longer than five digits, or anything
 * irregular, are read character by character.
 */
export function ticketNumberParts(ticketNumber: string, options: ReadingOptions = {}): AnnouncementPart[] {
  const s = ticketNumber.trim().toUpperCase();
  const m = /^([A-Z]*)(\d{1,5})$/.exec(s);
  if (m) {
    const letters = [...(m[1] ?? '')].map(letterPart);
    return [...letters, ...numberParts(Number(m[2]), options)];
  }
  const parts: AnnouncementPart[] = [];
  for (const ch of s) {
    if (/[A-Z]/.test(ch)) parts.push(letterPart(ch));
    else if (/\d/.test(ch)) parts.push(...numberParts(Number(ch), options));
  }
  return parts;
}

function letterPart(ch: string): AnnouncementPart {
  return { clip: `letter-${ch.toLowerCase()}`, text: LETTER_NAMES[ch] ?? ch };
}

/**
 * The full call, e.g. ("1005", 3) -> intro, một nghìn không trăm linh năm, to-counter, ba.
 * The chime is not part of it: the player adds it before each announcement.
 */
export function buildAnnouncement(ticketNumber: string, counterNumber: number, options: ReadingOptions = {}): AnnouncementPart[] {
  return [
    { clip: 'intro', text: PHRASE_CLIPS.intro },
    ...ticketNumberParts(ticketNumber, options),
    { clip: 'to-counter', text: PHRASE_CLIPS['to-counter'] },
    ...numberParts(counterNumber, options),
  ];
}

/** The call as one sentence, for captions, logs and speech synthesis. */
export function announcementText(parts: readonly AnnouncementPart[]): string {
  return parts.map((p) => p.text).join(' ');
}

/** Every clip an announcement can need, with what it says: what scripts/gen-voice.sh records. */
export function allAnnouncementClips(): AnnouncementPart[] {
  const words = NUMBER_WORDS.map((w) => ({ clip: telex(w), text: w }));
  const phrases = Object.entries(PHRASE_CLIPS).map(([clip, text]) => ({ clip, text }));
  const letters = Object.keys(LETTER_NAMES).map(letterPart);
  return [...phrases, ...words, ...letters];
}
