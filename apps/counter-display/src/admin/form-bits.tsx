import type { ReactNode } from 'react';
import { useCallback, useEffect, useState } from 'react';
import type { ApiError } from '../lib/api.js';
import { toApiError } from '../lib/api.js';
import { Bi } from '../ui/bi.js';

/** A labelled field: Vietnamese label first, English under it. */
export function Field({ vi, en, children, hint }: { vi: string; en: string; children: ReactNode; hint?: ReactNode }) {
  return (
    <label className="field">
      <Bi vi={vi} en={en} />
      {children}
      {hint && <small className="muted">{hint}</small>}
    </label>
  );
}

/** "" for an empty optional number field, else the number (NaN stays NaN so validation names it). */
export const numOrNull = (s: string): number | null => (s.trim() === '' ? null : Number(s));

/**
 * Loads from the admin API; `reload` after a change. With no `load`, nothing is read.
 * `everyMs`: read again that often (a dashboard card whose subject changes on its own); `key`:
 * read again at once whenever it changes (an alert about that subject came or went). A failed
 * read keeps the last data and shows the error until a read succeeds.
 */
export function useLoad<T>(
  load: (() => Promise<T>) | null,
  { everyMs, key }: { everyMs?: number; key?: string } = {},
): { data: T | null; error: ApiError | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!load) return;
    let live = true;
    const read = () =>
      load()
        .then((d) => {
          if (live) {
            setData(d);
            setError(null);
          }
        })
        .catch((e: unknown) => {
          if (live) setError(toApiError(e));
        });
    void read();
    const timer = everyMs === undefined ? undefined : setInterval(() => void read(), everyMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
    // Reloads by counter and key, not when the caller passes a new closure each render.
  }, [n, key]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { data, error, reload };
}

/** A short-lived "Đã lưu / Saved" after a successful change. */
export function Saved({ show }: { show: boolean }) {
  if (!show) return null;
  return (
    <span className="saved" role="status" data-testid="saved">
      Đã lưu <span className="en">Saved</span>
    </span>
  );
}

/** The Save / Cancel row of an edit form (services, counters). */
export function SaveCancel({ busy, onCancel, testId }: { busy: boolean; onCancel: () => void; testId: string }) {
  return (
    <div className="form-actions">
      <button type="submit" className="primary" disabled={busy} data-testid={testId}>
        <Bi vi="Lưu" en="Save" />
      </button>
      <button type="button" onClick={onCancel}>
        <Bi vi="Hủy" en="Cancel" />
      </button>
    </div>
  );
}
