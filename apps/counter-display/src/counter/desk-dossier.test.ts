import { describe, expect, it } from 'vitest';
import { checkDossierCode, ScanCatcher } from './desk-dossier.js';

describe('the dossier code', () => {
  it('is taken as the server takes it: trimmed, in capitals', () => {
    expect(checkDossierCode('  h29.22.10-241123-0001 ')).toEqual({ ok: true, code: 'H29.22.10-241123-0001' });
    expect(checkDossierCode('000.00.31.H29-241120-0002')).toEqual({ ok: true, code: '000.00.31.H29-241120-0002' });
    expect(checkDossierCode('')).toMatchObject({ ok: false, vi: 'Nhập hoặc quét mã hồ sơ.' });
    expect(checkDossierCode('H29 22')).toMatchObject({ ok: false });
    expect(checkDossierCode('=HYPERLINK(1)')).toMatchObject({ ok: false });
    expect(checkDossierCode('x'.repeat(65))).toMatchObject({ ok: false });
  });
});

describe('a scanner typing outside the field', () => {
  /** Feeds keys `ms` apart and collects what reaches the desk and what was scanned. */
  function feed(keys: string[], ms: number, c = new ScanCatcher()) {
    const desk: string[] = [];
    const scans: string[] = [];
    let at = 1000;
    for (const k of keys) {
      const r = c.key(k, at);
      desk.push(...r.replay);
      if (!r.swallow) desk.push(k);
      if (r.scan) scans.push(r.scan);
      at += ms;
    }
    desk.push(...c.tick(at + 100));
    return { desk, scans };
  }
  const typed = (s: string) => [...s, 'Enter'];

  it('catches a scan (a few ms a key, then Enter): no letter reaches the shortcuts', () => {
    expect(feed(typed('H29.22.10-241123-0001'), 3)).toEqual({ desk: [], scans: ['H29.22.10-241123-0001'] });
  });

  it('gives a person’s keys back to the desk, in order, a moment later', () => {
    expect(feed(['t'], 500)).toEqual({ desk: ['t'], scans: [] });
    expect(feed(['t', 'h', 'v'], 300)).toEqual({ desk: ['t', 'h', 'v'], scans: [] });
    // A double press (two keys in one frame) stays a double press, for the desk's own guard.
    expect(feed(['t', 't'], 0)).toEqual({ desk: ['t', 't'], scans: [] });
    // Enter typed by a person, or after too few keys, is the person's.
    expect(feed(['Enter'], 0)).toEqual({ desk: ['Enter'], scans: [] });
    expect(feed(['a', 'b', 'Enter'], 2)).toEqual({ desk: ['a', 'b', 'Enter'], scans: [] });
    expect(feed(['Escape', 't'], 200)).toEqual({ desk: ['Escape', 't'], scans: [] });
  });

  it('tells a scan after a person’s key apart from the key', () => {
    const c = new ScanCatcher();
    expect(c.key('s', 0)).toEqual({ replay: [], swallow: true, scan: null });
    // The timer was late: the next key comes after the gap and first gives the held key back.
    expect(c.key('0', 500)).toEqual({ replay: ['s'], swallow: true, scan: null });
    for (const [i, k] of [...'00.00.31'].entries()) c.key(k, 502 + i * 2);
    expect(c.key('Enter', 520).scan).toBe('000.00.31');
    expect(c.tick(1000)).toEqual([]);
  });
});
