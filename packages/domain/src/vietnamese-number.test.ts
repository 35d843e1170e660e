import { describe, expect, it } from 'vitest';
import {
  allAnnouncementClips,
  announcementText,
  buildAnnouncement,
  readVietnameseNumber,
  readVietnameseNumberText,
  telex,
  ticketNumberParts,
} from './vietnamese-number.js';

const read = (n: number) => readVietnameseNumberText(n);

describe('readVietnameseNumber', () => {
  // Readings checked against how a northern announcer (and VTV) says them.
  it.each([
    [0, 'không'],
    [1, 'một'],
    [4, 'bốn'],
    [5, 'năm'],
    [9, 'chín'],
    [10, 'mười'],
    [11, 'mười một'],
    [14, 'mười bốn'],
    [15, 'mười lăm'],
    [19, 'mười chín'],
    [20, 'hai mươi'],
    [21, 'hai mươi mốt'],
    [24, 'hai mươi tư'],
    [25, 'hai mươi lăm'],
    [30, 'ba mươi'],
    [41, 'bốn mươi mốt'],
    [44, 'bốn mươi tư'],
    [55, 'năm mươi lăm'],
    [99, 'chín mươi chín'],
    [100, 'một trăm'],
    [101, 'một trăm linh một'],
    [104, 'một trăm linh bốn'],
    [105, 'một trăm linh năm'],
    [110, 'một trăm mười'],
    [111, 'một trăm mười một'],
    [115, 'một trăm mười lăm'],
    [121, 'một trăm hai mươi mốt'],
    [200, 'hai trăm'],
    [305, 'ba trăm linh năm'],
    [999, 'chín trăm chín mươi chín'],
    [1000, 'một nghìn'],
    [1001, 'một nghìn không trăm linh một'],
    [1005, 'một nghìn không trăm linh năm'],
    [1010, 'một nghìn không trăm mười'],
    [1015, 'một nghìn không trăm mười lăm'],
    [1021, 'một nghìn không trăm hai mươi mốt'],
    [1100, 'một nghìn một trăm'],
    [1105, 'một nghìn một trăm linh năm'],
    [1234, 'một nghìn hai trăm ba mươi tư'],
    [2000, 'hai nghìn'],
    [2024, 'hai nghìn không trăm hai mươi tư'],
    [5555, 'năm nghìn năm trăm năm mươi lăm'],
    [9999, 'chín nghìn chín trăm chín mươi chín'],
    // Five digits (issue 15: prefix "1", width 4 gives "10001").
    [10000, 'mười nghìn'],
    [10001, 'mười nghìn không trăm linh một'],
    [10005, 'mười nghìn không trăm linh năm'],
    [10010, 'mười nghìn không trăm mười'],
    [10100, 'mười nghìn một trăm'],
    [10234, 'mười nghìn hai trăm ba mươi tư'],
    [11000, 'mười một nghìn'],
    [14000, 'mười bốn nghìn'],
    [15000, 'mười lăm nghìn'],
    [15015, 'mười lăm nghìn không trăm mười lăm'],
    [20000, 'hai mươi nghìn'],
    [21000, 'hai mươi mốt nghìn'],
    [21021, 'hai mươi mốt nghìn không trăm hai mươi mốt'],
    [24000, 'hai mươi tư nghìn'],
    [25105, 'hai mươi lăm nghìn một trăm linh năm'],
    [99999, 'chín mươi chín nghìn chín trăm chín mươi chín'],
  ])('%i is "%s"', (n, words) => {
    expect(read(n)).toBe(words);
  });

  it('offers the southern "lẻ" and the colloquial "nhăm"', () => {
    expect(readVietnameseNumberText(105, { zeroTens: 'lẻ' })).toBe('một trăm lẻ năm');
    expect(readVietnameseNumberText(25, { five: 'nhăm' })).toBe('hai mươi nhăm');
    // "nhăm" only replaces the final five after mười/mươi, never a plain five.
    expect(readVietnameseNumberText(505, { five: 'nhăm' })).toBe('năm trăm linh năm');
    expect(readVietnameseNumberText(10001, { zeroTens: 'lẻ' })).toBe('mười nghìn không trăm lẻ một');
    expect(readVietnameseNumberText(15000, { five: 'nhăm' })).toBe('mười nhăm nghìn');
  });

  it.each([-1, 100000, 1.5, Number.NaN])('refuses %s', (n) => {
    expect(() => readVietnameseNumber(n)).toThrow(RangeError);
  });

  // Properties over every number 0..99999, so no corner of the table is left unread.
  describe('every number 0..99999', () => {
    const all = Array.from({ length: 100000 }, (_, n) => ({ n, words: readVietnameseNumber(n) }));

    it('reads each number differently', () => {
      expect(new Set(all.map((x) => x.words.join(' '))).size).toBe(100000);
    });

    it('says the thousands as the number below 100 they are, then "nghìn" and the rest', () => {
      for (const { n, words } of all) {
        if (n < 1000) continue;
        const i = words.indexOf('nghìn');
        expect(words.slice(0, i), String(n)).toEqual(readVietnameseNumber(Math.floor(n / 1000)));
        const rest = n % 1000;
        // 1005 / 10005: the hundreds are said even when zero; a round thousand stops at nghìn.
        expect(words.slice(i + 1), String(n)).toEqual(rest === 0 ? [] : rest < 100 ? ['không', 'trăm', ...readVietnameseNumber(rest + 100).slice(2)] : readVietnameseNumber(rest));
      }
    });

    it('says "không" only for zero itself or a zero hundreds digit after nghìn', () => {
      for (const { n, words } of all) {
        const i = words.indexOf('không');
        if (i === -1) continue;
        if (n === 0) continue;
        expect(words[i - 1], String(n)).toBe('nghìn');
        expect(words[i + 1], String(n)).toBe('trăm');
        expect(Math.floor((n % 1000) / 100), String(n)).toBe(0);
      }
    });

    it('uses mốt, tư and lăm only after mười/mươi as the rules allow', () => {
      for (const { n, words } of all) {
        words.forEach((w, i) => {
          const prev = words[i - 1];
          if (w === 'mốt' || w === 'tư') expect(prev, String(n)).toBe('mươi');
          if (w === 'lăm') expect(['mười', 'mươi'], String(n)).toContain(prev);
          if (w === 'năm' && (prev === 'mười' || prev === 'mươi')) throw new Error(`${n}: năm after ${prev}`);
          if (w === 'một' && prev === 'mươi') throw new Error(`${n}: một after mươi`);
        });
      }
    });

    it('puts linh only between trăm and a single final digit', () => {
      for (const { n, words } of all) {
        const i = words.indexOf('linh');
        if (i === -1) continue;
        expect(words[i - 1], String(n)).toBe('trăm');
        expect(words.length, String(n)).toBe(i + 2);
        expect(n % 100, String(n)).toBeGreaterThan(0);
        expect(n % 100, String(n)).toBeLessThan(10);
      }
    });

    it('never ends with a dangling unit word and never repeats a word back to back', () => {
      for (const { n, words } of all) {
        expect(words.length, String(n)).toBeGreaterThan(0);
        if (n > 0) expect(words.at(-1), String(n)).not.toBe('linh');
        if (n >= 10) expect(words.at(-1), String(n)).not.toBe('không');
        words.slice(1).forEach((w, i) => {
          if (w === words[i]) throw new Error(`${n}: "${w}" twice`);
        });
      }
    });
  });
});

describe('telex clip names', () => {
  it.each([
    ['mười', 'muwowif'],
    ['mươi', 'muwowi'],
    ['một', 'mootj'],
    ['mốt', 'moots'],
    ['nghìn', 'nghinf'],
    ['không', 'khoong'],
    ['lẻ', 'ler'],
    ['bảy', 'bayr'],
    ['đê', 'ddee'],
  ])('%s -> %s', (word, clip) => {
    expect(telex(word)).toBe(clip);
  });

  it('gives every clip a distinct ASCII file name', () => {
    const clips = allAnnouncementClips().map((c) => c.clip);
    expect(new Set(clips).size).toBe(clips.length);
    for (const c of clips) expect(c).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('ticketNumberParts', () => {
  const texts = (s: string) => ticketNumberParts(s).map((p) => p.text);
  it('reads a numeric ticket as one number', () => {
    expect(texts('1005')).toEqual(['một', 'nghìn', 'không', 'trăm', 'linh', 'năm']);
  });
  it('spells a letter prefix by name and drops the zero padding', () => {
    expect(texts('A012')).toEqual(['a', 'mười', 'hai']);
    expect(texts('B001')).toEqual(['bê', 'một']);
    expect(ticketNumberParts('C105').map((p) => p.clip)).toEqual(['letter-c', 'mootj', 'trawm', 'linh', 'nawm']);
  });
  it('reads a five-digit ticket (one-digit prefix, width 4) as one number', () => {
    expect(texts('10001')).toEqual(['mười', 'nghìn', 'không', 'trăm', 'linh', 'một']);
    expect(ticketNumberParts('10001').map((p) => p.clip)).toEqual(['muwowif', 'nghinf', 'khoong', 'trawm', 'linh', 'mootj']);
    expect(texts('A21024')).toEqual(['a', 'hai', 'mươi', 'mốt', 'nghìn', 'không', 'trăm', 'hai', 'mươi', 'tư']);
  });
  it('reads an over-long digit run digit by digit instead of failing', () => {
    expect(texts('123456')).toEqual(['một', 'hai', 'ba', 'bốn', 'năm', 'sáu']);
  });
});

describe('buildAnnouncement', () => {
  it('builds the call of the issue text', () => {
    const parts = buildAnnouncement('1005', 3);
    expect(announcementText(parts)).toBe('Mời công dân có số thứ tự một nghìn không trăm linh năm đến quầy số ba');
    expect(parts.map((p) => p.clip)).toEqual(['intro', 'mootj', 'nghinf', 'khoong', 'trawm', 'linh', 'nawm', 'to-counter', 'ba']);
  });
  it('reads counter numbers as numbers too', () => {
    expect(announcementText(buildAnnouncement('A021', 12))).toBe('Mời công dân có số thứ tự a hai mươi mốt đến quầy số mười hai');
  });
  it('only uses clips that the clip set contains, for every number up to five digits', () => {
    const known = new Set(allAnnouncementClips().map((c) => c.clip));
    const used = new Set<string>();
    for (let n = 0; n <= 99999; n++) {
      for (const p of buildAnnouncement(`Z${String(n).padStart(3, '0')}`, (n % 40) + 1)) {
        if (!known.has(p.clip)) throw new Error(`${n}: no clip ${p.clip}`);
        used.add(p.clip);
      }
    }
    // The default reading needs every number word except the alternatives "lẻ" and "nhăm".
    const numberClips = allAnnouncementClips().filter((c) => !c.clip.startsWith('letter-') && c.clip !== 'intro' && c.clip !== 'to-counter');
    expect(numberClips.filter((c) => !used.has(c.clip)).map((c) => c.text)).toEqual(['nhăm', 'lẻ']);
  });
});
