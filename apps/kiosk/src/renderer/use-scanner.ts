/**
 * The DOM side of `scanner-input.ts`: listens for keys on the window (capture phase, before any
 * button sees them), keeps a scanner's keys from reaching the page, and reports each scan or
 * partial scan. app.tsx attaches it while the kiosk is paired (issue 16: check-in.ts reads each scan).
 */
import { useEffect, useRef } from 'react';
import { createScanAssembler, SCANNER_DEFAULTS, type ScannerOptions, type ScanResult } from './scanner-input.js';

type KeyTarget = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

export interface AttachScannerOptions extends ScannerOptions {
  /** Keys typed into a text field are a person's (the admin's PIN, the pairing form): ignored. */
  ignoreEditable?: boolean;
  /** The clock of KeyboardEvent.timeStamp, for flushing a run that stopped. */
  now?: () => number;
  /** Timer, injectable for tests. Returns a cancel function. */
  schedule?: (fn: () => void, ms: number) => () => void;
  /**
   * How long after the last key the timer looks for a run that stopped without its Enter (a card
   * pulled away). Whether keys belong to one run is judged by their own time stamps (maxGapMs);
   * this timer runs on the page's clock, and a busy browser can hand over two keys of one scan
   * 100 ms apart though the scanner sent them 3 ms apart (seen on a loaded machine): a timer
   * shorter than such a pause would cut a good scan in two. 300 ms is still at once for a citizen.
   */
  flushAfterMs?: number;
}

export const FLUSH_AFTER_MS = 300;

function isEditable(target: EventTarget | null): boolean {
  const el = target as { tagName?: unknown; isContentEditable?: unknown } | null;
  if (!el) return false;
  if (el.isContentEditable === true) return true;
  return typeof el.tagName === 'string' && ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName.toUpperCase());
}

const defaultSchedule = (fn: () => void, ms: number) => {
  const id = setTimeout(fn, ms);
  return () => clearTimeout(id);
};

/** Starts listening on `target` (the window); returns the function that stops. */
export function attachScanner(target: KeyTarget, onResult: (r: ScanResult) => void, options: AttachScannerOptions = {}): () => void {
  const { ignoreEditable = true, now = () => performance.now(), schedule = defaultSchedule, flushAfterMs = FLUSH_AFTER_MS, ...assemblerOptions } = options;
  const assembler = createScanAssembler(assemblerOptions);
  const maxGapMs = assemblerOptions.maxGapMs ?? SCANNER_DEFAULTS.maxGapMs;
  /** Keys whose keydown was the scanner's: their keyup is swallowed too (a button is activated by
   * Space on keyup). */
  const consumed = new Set<string>();
  let cancelFlush: (() => void) | null = null;

  const onKeyDown = (e: Event) => {
    const k = e as KeyboardEvent;
    if (ignoreEditable && isEditable(k.target)) {
      assembler.reset();
      return;
    }
    const decision = assembler.push(k);
    if (decision.consume) {
      k.preventDefault();
      k.stopPropagation();
      consumed.add(k.key);
    }
    cancelFlush?.();
    cancelFlush = null;
    if (assembler.pending) {
      cancelFlush = schedule(() => {
        cancelFlush = null;
        const r = assembler.flush(now());
        if (r) onResult(r);
      }, Math.max(flushAfterMs, maxGapMs * 2));
    }
    if (decision.result) onResult(decision.result);
  };

  const onKeyUp = (e: Event) => {
    const k = e as KeyboardEvent;
    if (consumed.delete(k.key)) {
      k.preventDefault();
      k.stopPropagation();
    }
  };

  target.addEventListener('keydown', onKeyDown, { capture: true });
  target.addEventListener('keyup', onKeyUp, { capture: true });
  return () => {
    cancelFlush?.();
    target.removeEventListener('keydown', onKeyDown, { capture: true });
    target.removeEventListener('keyup', onKeyUp, { capture: true });
  };
}

export interface UseScannerOptions {
  enabled?: boolean;
  maxGapMs?: number;
  minLength?: number;
}

/** Calls `onResult` for every scan or partial scan while `enabled` (the home screen). */
export function useScanner(onResult: (r: ScanResult) => void, { enabled = true, maxGapMs, minLength }: UseScannerOptions = {}): void {
  const callback = useRef(onResult);
  useEffect(() => {
    callback.current = onResult;
  }, [onResult]);
  useEffect(() => {
    if (!enabled) return;
    return attachScanner(window, (r) => callback.current(r), { maxGapMs, minLength });
  }, [enabled, maxGapMs, minLength]);
}
