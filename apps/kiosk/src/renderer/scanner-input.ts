/**
 * Tells a QR scanner's typing from a person's. USB and serial-to-USB scanners in keyboard mode
 * "type" what they read, one keydown per character a few milliseconds apart, then Enter. A person
 * cannot type that fast: between two keys of even a fast typist there are 50 ms or more. So a run
 * of characters each within `maxGapMs` of the last, at least `minLength` long and ended by Enter,
 * is a scan; anything slower is a person and is left alone (taps and the admin's typing work as
 * before).
 *
 * Pure: fed with keydown-like records (key + timestamp), no DOM, no timers; `flush(now)` lets the
 * caller report a burst that stopped without Enter (a card pulled away mid-scan). The DOM wiring
 * is `use-scanner.ts`.
 *
 * Traps:
 * - A held key auto-repeats at about 30 per second, as fast as a slow scanner: `repeat` events
 *   are a person, never a scan.
 * - Shift arrives between the characters of capitals; it neither adds a character nor breaks the
 *   run. Ctrl/Alt/Meta shortcuts do break it (AltGr, seen as Ctrl+Alt, does not).
 * - A scanner that cannot type a character on the current layout sends `Unidentified` (or a dead
 *   key): the run continues but can no longer be trusted, so it ends as `partial`, never as a scan
 *   with a letter missing.
 * - Vietnamese letters arrive as one key ("ữ") or, from some scanners, as a letter then combining
 *   marks ("u", U+031B, U+0303); both are kept and the scan is returned in NFC.
 */

export interface ScannerKey {
  /** KeyboardEvent.key */
  key: string;
  /** KeyboardEvent.timeStamp, in milliseconds */
  timeStamp: number;
  repeat?: boolean;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

export interface ScannerOptions {
  /** Longest pause between two keys of one scan. Scanners send every 1-20 ms; people are slower
   * than 50 ms. */
  maxGapMs?: number;
  /** Shortest run that counts as a scanner. A CCCD's QR is over 60 characters; 8 keys each within
   * 35 ms is beyond any person. */
  minLength?: number;
  /** Longest scan kept; a longer run (a scanner stuck in a loop) ends as `partial`. */
  maxLength?: number;
  /** Keys that end a scan. Scanners default to Enter; some are set up with Tab. */
  terminators?: readonly string[];
}

export type ScanResult =
  /** A complete scan. The text is not checked here: parse it (e.g. `parseCccdQr`). */
  | { kind: 'scan'; text: string }
  /** A scanner-speed run that ended without its Enter, or with characters it could not type. Only
   * the length is reported: the start of an ID card's QR is its ID number. */
  | { kind: 'partial'; length: number };

export interface KeyDecision {
  /** The key belongs to a scan: the page should not act on it (preventDefault), so a scanner's
   * Enter never presses the service button that still has focus. */
  consume: boolean;
  result: ScanResult | null;
}

export interface ScanAssembler {
  push(key: ScannerKey): KeyDecision;
  /** Ends a run that has been quiet for longer than `maxGapMs` at `now` (same clock as the
   * timestamps). Returns `partial` for a scanner-length run, otherwise null. */
  flush(now: number): ScanResult | null;
  /** Forgets the current run without reporting it. */
  reset(): void;
  /** Whether a run is in progress (the caller may schedule a flush). */
  readonly pending: boolean;
}

export const SCANNER_DEFAULTS = { maxGapMs: 35, minLength: 8, maxLength: 2048, terminators: ['Enter'] } as const;

/** How long after a scanner's run stopped its (late) Enter is still taken as the scanner's. */
const LATE_TERMINATOR_MS = 500;

/** Keys that accompany characters without being one. */
const MODIFIERS = new Set(['Shift', 'CapsLock', 'Control', 'Alt', 'AltGraph', 'Meta', 'OS', 'Fn', 'FnLock', 'NumLock', 'Hyper', 'Super', 'Symbol', 'SymbolLock']);

/**
 * One character: one code point with any combining marks ("a", "ữ", "ữ" decomposed), or combining
 * marks alone (a scanner typing the marks of a decomposed letter as their own keys). Named keys
 * ("Enter", "F1", "Unidentified") are two or more base characters and never match.
 */
const PRINTABLE = /^(?:\P{M}\p{M}*|\p{M}+)$/u;

export function createScanAssembler(options: ScannerOptions = {}): ScanAssembler {
  const maxGapMs = options.maxGapMs ?? SCANNER_DEFAULTS.maxGapMs;
  const minLength = options.minLength ?? SCANNER_DEFAULTS.minLength;
  const maxLength = options.maxLength ?? SCANNER_DEFAULTS.maxLength;
  const terminators = new Set<string>(options.terminators ?? SCANNER_DEFAULTS.terminators);

  let chars: string[] = [];
  /** Characters seen in this run, including any dropped past maxLength. */
  let count = 0;
  let tainted = false;
  let lastAt: number | null = null;
  /** A scanner's Enter that arrives late, after its run was already reported partial, is still
   * the scanner's: until this time it is consumed, so it cannot press a focused button. */
  let swallowTerminatorUntil = Number.NEGATIVE_INFINITY;

  const clearRun = () => {
    chars = [];
    count = 0;
    tainted = false;
    lastAt = null;
  };

  /** Ends the run that a slow key, a shortcut, a repeat or a flush interrupted. */
  const interrupt = (): ScanResult | null => {
    const result: ScanResult | null = count >= minLength ? { kind: 'partial', length: count } : null;
    if (result && lastAt !== null) swallowTerminatorUntil = lastAt + LATE_TERMINATOR_MS;
    clearRun();
    return result;
  };

  const reset = () => {
    clearRun();
    swallowTerminatorUntil = Number.NEGATIVE_INFINITY;
  };

  return {
    get pending() {
      return count > 0;
    },

    reset,

    flush(now) {
      if (count === 0 || lastAt === null || now - lastAt <= maxGapMs) return null;
      return interrupt();
    },

    push(ev) {
      const shortcut = (ev.ctrlKey || ev.metaKey || ev.altKey) && !(ev.ctrlKey && ev.altKey);
      if (ev.repeat || shortcut) return { consume: false, result: interrupt() };

      // A pause longer than a scanner's ends the run before this key; a clock that went backwards
      // is treated the same (the run cannot be trusted).
      let result: ScanResult | null = null;
      if (lastAt !== null) {
        const gap = ev.timeStamp - lastAt;
        if (gap > maxGapMs || gap < 0) result = interrupt();
      }
      const inRun = count > 0;

      if (MODIFIERS.has(ev.key)) {
        if (inRun) lastAt = ev.timeStamp;
        return { consume: false, result };
      }

      if (terminators.has(ev.key)) {
        if (inRun && count >= minLength) {
          const ended: ScanResult = tainted ? { kind: 'partial', length: count } : { kind: 'scan', text: chars.join('').normalize('NFC') };
          reset();
          return { consume: true, result: ended };
        }
        const late = ev.timeStamp <= swallowTerminatorUntil;
        // A person's Enter, or a run too short to be a scanner's: the page handles it.
        reset();
        return { consume: late, result };
      }

      if (PRINTABLE.test(ev.key)) {
        count += 1;
        if (chars.length < maxLength) chars.push(ev.key);
        else tainted = true;
        lastAt = ev.timeStamp;
        // The first key of a run may be a person's; from the second fast key on it is the scanner's.
        return { consume: inRun, result };
      }

      // Any other named key (Unidentified, Dead, Tab when not a terminator, Backspace…): inside a
      // run, the scanner lost a character; outside one, a person pressed it.
      if (inRun) {
        tainted = true;
        lastAt = ev.timeStamp;
        return { consume: true, result };
      }
      return { consume: false, result };
    },
  };
}
