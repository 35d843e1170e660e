import type { FormEvent } from 'react';
import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../lib/api.js';
import { toApiError } from '../lib/api.js';
import { Bi } from '../ui/bi.js';
import { ErrorMessage } from '../ui/error-message.js';
import { SaveCancel, Saved, useLoad } from './form-bits.js';

/** A form checked before it is sent: the request's body, or the error to show (see session.validate). */
export type Checked<B> = { ok: true; data: B } | { ok: false; error: ApiError };

export interface SettingsFormOptions<F, B, R> {
  /** The saved values to start from, read from the server (the center and check-in settings)… */
  load?: () => Promise<R>;
  /** …or the form's values at once (a list's edit form: the row's, or a new one's). */
  initial?: F;
  /**
   * The server's answer as the form holds it. With it, a save puts the saved values back in the
   * form (the server may have normalised them) and shows "Đã lưu / Saved" until the next edit.
   */
  toForm?: (saved: R) => F;
  /** Checks the form before anything is sent; the admin reads what is wrong without a request. */
  check: (form: F) => Checked<B>;
  /** The request, through the admin session's call (@luot/client). */
  send: (body: B) => Promise<R>;
  /** After a successful save (a list's edit form closes and the list reloads). */
  onSaved?: (saved: R) => void;
}

/** The fields of F that hold text: what an input's onChange may set. */
export type TextKeys<F> = { [K in keyof F]-?: F[K] extends string ? K : never }[keyof F];

export interface SettingsForm<F> {
  /** null while the saved values load (never, with `initial`). */
  form: F | null;
  loadError: ApiError | null;
  /** Changes some fields; a change hides "Saved". */
  edit: (patch: Partial<F>) => void;
  /** An input's onChange for a text field. */
  field: (key: TextKeys<F>) => (e: { target: { value: string } }) => void;
  error: ApiError | null;
  setError: (e: ApiError | null) => void;
  busy: boolean;
  saved: boolean;
  /** The form's onSubmit: check, send, then the saved values or onSaved; an error is shown in the form. */
  submit: (e: FormEvent) => void;
}

/**
 * The plumbing every admin settings form shares: load (or start from given values), copy into the
 * form's state, edit, check, send, then "Đã lưu / Saved" or the error, Vietnamese first. The
 * button is disabled while a save is on its way, so a double click sends one request.
 */
export function useSettingsForm<F, B, R>(opts: SettingsFormOptions<F, B, R> & { initial: F }): SettingsForm<F> & { form: F };
export function useSettingsForm<F, B, R>(opts: SettingsFormOptions<F, B, R>): SettingsForm<F>;
export function useSettingsForm<F, B, R>(opts: SettingsFormOptions<F, B, R>): SettingsForm<F> {
  const loaded = useLoad(opts.load ?? null);
  const [form, setForm] = useState<F | null>(opts.initial ?? null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  // Edits made so far: a save's answer replaces the form only if nothing was typed while it was
  // on its way (the admin's newer edits win, and "Saved" is not shown over unsaved text).
  const edits = useRef(0);
  const { toForm } = opts;
  useEffect(() => {
    if (loaded.data && toForm) setForm(toForm(loaded.data));
    // Copied once the saved values arrive; toForm is a new closure each render.
  }, [loaded.data]);

  const edit = (patch: Partial<F>) => {
    edits.current += 1;
    // From the latest state, not this render's: two edits in one event both count.
    setForm((f) => (f ? { ...f, ...patch } : f));
    setSaved(false);
  };

  async function save(current: F) {
    setError(null);
    const v = opts.check(current);
    if (!v.ok) return setError(v.error);
    setBusy(true);
    const editsAtSubmit = edits.current;
    try {
      const answer = await opts.send(v.data);
      if (toForm && edits.current === editsAtSubmit) {
        setForm(toForm(answer));
        setSaved(true);
      }
      opts.onSaved?.(answer);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return {
    form,
    loadError: loaded.error,
    edit,
    field: (key) => (e) => edit({ [key]: e.target.value } as Partial<F>),
    error,
    setError,
    busy,
    saved,
    submit: (e) => {
      e.preventDefault();
      if (form) void save(form);
    },
  };
}

/** What a settings form shows until its saved values are there: the load's error, or "Loading". */
export function FormLoading({ error }: { error: ApiError | null }) {
  return error ? <ErrorMessage error={error} /> : <p className="muted">Đang tải… / Loading…</p>;
}

/**
 * The end of a settings form: its error (dismissable), then Save with "Saved" beside it, or
 * Save / Cancel for a list's edit form.
 */
export function FormFooter({ state, testId, onCancel }: { state: Pick<SettingsForm<unknown>, 'error' | 'setError' | 'busy' | 'saved'>; testId?: string; onCancel?: () => void }) {
  return (
    <>
      <ErrorMessage error={state.error} onDismiss={() => state.setError(null)} />
      {onCancel ? (
        <SaveCancel busy={state.busy} onCancel={onCancel} testId={testId ?? ''} />
      ) : (
        <div className="form-actions">
          <button type="submit" className="primary" disabled={state.busy} data-testid={testId}>
            <Bi vi="Lưu" en="Save" />
          </button>
          <Saved show={state.saved} />
        </div>
      )}
    </>
  );
}
