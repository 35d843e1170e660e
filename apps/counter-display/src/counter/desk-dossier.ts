import { DossierCode } from '@luot/protocol';

/**
 * The dossier code ("mã hồ sơ") field of the counter desk: the officer types it, or scans the
 * receipt's barcode with a scanner that types the code and Enter. No React here (unit-tested).
 */

export type CodeCheck = { ok: true; code: string } | { ok: false; vi: string; en: string };

/** As the server takes it (protocol DossierCode): trimmed, in capitals, letters, digits and . _ / -. */
export function checkDossierCode(input: string): CodeCheck {
  const r = DossierCode.safeParse(input);
  if (r.success) return { ok: true, code: r.data };
  return input.trim() === ''
    ? { ok: false, vi: 'Nhập hoặc quét mã hồ sơ.', en: 'Type or scan the dossier code.' }
    : { ok: false, vi: 'Mã hồ sơ chỉ gồm chữ, số và . _ / - (tối đa 64 ký tự).', en: 'A dossier code has letters, digits and . _ / - only (up to 64).' };
}

/**
 * A barcode scanner is a keyboard that types very fast. When the officer scans while the cursor
 * is not in the dossier field, its letters would reach the desk's one-letter shortcuts (H =
 * Hoàn thành, V = Vắng mặt, T = Gọi tiếp...: national dossier codes such as H29.22.10-... start
 * with a letter). So every key typed outside a field is held for `gapMs` (40 ms, far below how
 * fast a person reacts, far above a scanner's few ms per key):
 * - a burst of at least `minLength` keys ended by Enter is a scan: nothing of it reaches the desk,
 *   and its code goes to the dossier field;
 * - anything else is given back to the desk in order once the burst is over (a person's shortcut
 *   arrives 40 ms later; a double press still arrives as two presses, for the desk's guard).
 * Keys with Ctrl, Alt or Meta, repeats, and keys typed in a field are not fed here.
 */
export class ScanCatcher {
  private buf: string[] = [];
  private lastAt = 0;
  constructor(
    readonly gapMs = 40,
    readonly minLength = 4,
  ) {}

  /**
   * One key typed outside any field, at `at` ms. `replay`: held keys to give back to the desk now
   * (before this one); `swallow`: keep this key from the desk (held, or part of a scan); `scan`:
   * the code a scan just ended with.
   */
  key(key: string, at: number): { replay: string[]; swallow: boolean; scan: string | null } {
    const continues = this.buf.length > 0 && at - this.lastAt <= this.gapMs;
    const stale = continues ? [] : this.take();
    if (key === 'Enter') {
      if (continues && this.buf.length >= this.minLength) return { replay: [], swallow: true, scan: this.take().join('') };
      return { replay: [...stale, ...this.take()], swallow: false, scan: null };
    }
    if (key.length !== 1) return { replay: [...stale, ...this.take()], swallow: false, scan: null };
    this.buf.push(key);
    this.lastAt = at;
    return { replay: stale, swallow: true, scan: null };
  }

  /** Called once `gapMs` has passed since the last key: a burst without Enter was a person's keys. */
  tick(at: number): string[] {
    return at - this.lastAt > this.gapMs ? this.take() : [];
  }

  private take(): string[] {
    const out = this.buf;
    this.buf = [];
    return out;
  }
}
