import type { Db } from './open.js';

export interface AuditRow {
  id: number;
  at: number;
  userId: number | null;
  username: string | null;
  action: string;
  target: string | null;
  detail: unknown;
}

/**
 * Two kinds of rows share the log. Changes: every admin change, appended in the same transaction
 * as the change. Sign-ins (actions starting `auth.`): sign-ins, sign-outs, failed and throttled
 * attempts with their address, never a password (auth/sign-in-audit.ts). They are read apart, so a
 * burst of guesses cannot push the last configuration changes out of the admin's view.
 */
export type AuditKind = 'changes' | 'sign-ins';

/** `auth.` and everything after it in byte order up to `auth/` ('/' follows '.'): an index range. */
const SIGN_IN_FROM = 'auth.';
const SIGN_IN_TO = 'auth/';

export function createAuditRepo(db: Db) {
  const insert = db.prepare('INSERT INTO audit_log (at, user_id, action, target, detail) VALUES (?, ?, ?, ?, ?)');
  type Raw = { id: number; at: number; user_id: number | null; username: string | null; action: string; target: string | null; detail: string };
  const changes = db.prepare<[string, string, number], Raw>(
    'SELECT a.*, u.username FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE NOT (a.action >= ? AND a.action < ?) ORDER BY a.id DESC LIMIT ?',
  );
  const signIns = db.prepare<[string, string, number], Raw>(
    'SELECT a.*, u.username FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.action >= ? AND a.action < ? ORDER BY a.id DESC LIMIT ?',
  );
  const toRow = (r: Raw): AuditRow => ({ id: r.id, at: r.at, userId: r.user_id, username: r.username, action: r.action, target: r.target, detail: JSON.parse(r.detail) });
  return {
    add: (at: number, userId: number | null, action: string, target: string | null, detail: unknown) =>
      void insert.run(at, userId, action, target, JSON.stringify(detail ?? {})),
    /** Newest first; configuration changes unless sign-in events are asked for. */
    recent: (limit: number, kind: AuditKind = 'changes'): AuditRow[] =>
      (kind === 'changes' ? changes : signIns).all(SIGN_IN_FROM, SIGN_IN_TO, limit).map(toRow),
  };
}
export type AuditRepo = ReturnType<typeof createAuditRepo>;
