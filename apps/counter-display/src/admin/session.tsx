import type { CallArgs, CallResult } from '@luot/client';
import { ROUTES, type LoginResult, type RouteDef } from '@luot/protocol';
import { createContext, useCallback, useContext, useMemo } from 'react';
import { ApiError } from '../lib/api.js';
import { adminClient } from './admin-api.js';
import { describeIssues, type IssueLike, type Label } from './form-issues.js';

/**
 * The admin's session: in sessionStorage, not localStorage, so an admin who closes the tab on a
 * shared office PC is signed out (counter tablets and TVs, by contrast, must survive power cuts).
 */
const KEY = 'luot.admin.session';

export function loadSession(): LoginResult | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as LoginResult) : null;
  } catch {
    return null;
  }
}

export function saveSession(s: LoginResult | null): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

/**
 * Ends the admin's token on the server (best effort: offline or already ended, the page still
 * forgets it), so a copy of it left in a shared PC's memory is worth nothing.
 */
export function signOutOnServer(token: string): void {
  void adminClient(token)
    .call(ROUTES.logout)
    .catch(() => undefined);
}

export interface AdminSession {
  token: string;
  username: string;
  /** An admin API call of the protocol's route table; a 401 (expired or revoked session) signs the admin out. */
  call<R extends RouteDef>(route: R, ...input: CallArgs<R>): Promise<CallResult<R>>;
}

const Ctx = createContext<AdminSession | null>(null);

export function AdminSessionProvider({ login, onSignedOut, children }: { login: LoginResult; onSignedOut: () => void; children: React.ReactNode }) {
  const client = useMemo(() => adminClient(login.token), [login.token]);
  const call = useCallback(
    async <R extends RouteDef>(route: R, ...input: CallArgs<R>): Promise<CallResult<R>> => {
      try {
        return await client.call(route, ...input);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) onSignedOut();
        throw e;
      }
    },
    [client, onSignedOut],
  );
  const value = useMemo(() => ({ token: login.token, username: login.user.username, call }), [login, call]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAdmin(): AdminSession {
  const s = useContext(Ctx);
  if (!s) throw new Error('useAdmin outside AdminSessionProvider');
  return s;
}

/** The part of a zod schema used here (zod is the protocol package's dependency, not this app's). */
interface Schema<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: readonly IssueLike[] } };
}

/**
 * Checks a form against the same zod schema the server uses, so most mistakes are shown before
 * the request; the server's answer is still shown when it refuses (a taken prefix, say).
 */
export function validate<T>(schema: Schema<T>, value: unknown, labels: Readonly<Record<string, Label>> = {}): { ok: true; data: T } | { ok: false; error: ApiError } {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, data: r.data };
  // Each issue named by the field's label, in Vietnamese and in English (form-issues.ts).
  const d = describeIssues(r.error.issues, labels);
  return {
    ok: false,
    error: new ApiError(400, { code: 'INVALID_INPUT', messageVi: `Vui lòng sửa — ${d.vi}`, message: `Please correct — ${d.en}` }),
  };
}
