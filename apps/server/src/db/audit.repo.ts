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

/** Who changed what, when: every admin change appends a row in the same transaction as the change. */
export function createAuditRepo(db: Db) {
  const insert = db.prepare('INSERT INTO audit_log (at, user_id, action, target, detail) VALUES (?, ?, ?, ?, ?)');
  const recent = db.prepare<[number], { id: number; at: number; user_id: number | null; username: string | null; action: string; target: string | null; detail: string }>(
    'SELECT a.*, u.username FROM audit_log a LEFT JOIN users u ON u.id = a.user_id ORDER BY a.id DESC LIMIT ?',
  );
  return {
    add: (at: number, userId: number | null, action: string, target: string | null, detail: unknown) =>
      void insert.run(at, userId, action, target, JSON.stringify(detail ?? {})),
    recent: (limit: number): AuditRow[] =>
      recent.all(limit).map((r) => ({ id: r.id, at: r.at, userId: r.user_id, username: r.username, action: r.action, target: r.target, detail: JSON.parse(r.detail) })),
  };
}
export type AuditRepo = ReturnType<typeof createAuditRepo>;
