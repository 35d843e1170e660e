import { compareUsernames, usernameKey, usernameSkeleton } from '@luot/domain';
import type { Db } from './open.js';

export interface UserRow {
  id: number;
  username: string;
  passwordHash: string;
  role: 'admin' | 'officer';
  disabled: boolean;
  /** Goes up whenever the user's existing sessions must end (see migration 0005). */
  sessionEpoch: number;
}

interface RawUser {
  id: number;
  username: string;
  password_hash: string;
  role: 'admin' | 'officer';
  disabled_at: number | null;
  session_epoch: number;
}
const toRow = (r: RawUser): UserRow => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  role: r.role,
  disabled: r.disabled_at !== null,
  sessionEpoch: r.session_epoch,
});

/** Why a new name cannot be taken: it is someone's name, or it looks like someone's name. */
export type NameClash = { kind: 'taken' | 'confusable'; existing: string };

export function createUserRepo(db: Db) {
  backfillNameForms(db);
  const byExactName = db.prepare<[string], RawUser>('SELECT * FROM users WHERE username = ?');
  const byKey = db.prepare<[string], RawUser>('SELECT * FROM users WHERE username_key = ?');
  const bySkeleton = db.prepare<[string], { username: string }>('SELECT username FROM users WHERE username_skeleton = ? LIMIT 1');
  const byId = db.prepare<[number], RawUser>('SELECT * FROM users WHERE id = ?');
  const insert = db.prepare('INSERT INTO users (username, username_key, username_skeleton, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const adminCount = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL`);
  const all = db.prepare<[], RawUser>('SELECT * FROM users ORDER BY username');
  // Each change that must end the user's sessions moves the epoch in the same statement, so no
  // caller can change a password and forget the sessions (a demotion is admin -> anything else;
  // a promotion keeps the sessions, which read the role afresh on every request anyway).
  const setRole = db.prepare(`UPDATE users SET session_epoch = session_epoch + (role = 'admin' AND ? <> 'admin'), role = ? WHERE id = ?`);
  const setPassword = db.prepare('UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1 WHERE id = ?');
  const setDisabled = db.prepare('UPDATE users SET disabled_at = ?, session_epoch = session_epoch + (? IS NOT NULL) WHERE id = ?');

  const find = (username: string): UserRow | undefined => {
    // The exact spelling first: a legacy pair that differs only beyond ASCII case (see
    // backfillNameForms) keeps each spelling its own user. Otherwise any case or normal form.
    const r = byExactName.get(username) ?? byKey.get(usernameKey(username));
    return r ? toRow(r) : undefined;
  };

  return {
    list: (): UserRow[] => all.all().map(toRow),
    setRole: (id: number, role: 'admin' | 'officer') => void setRole.run(role, role, id),
    setPassword: (id: number, hash: string) => void setPassword.run(hash, id),
    setDisabled: (id: number, at: number | null) => void setDisabled.run(at, at, id),
    /** The user a sign-in or a new name refers to, by any case or Unicode normal form of the name. */
    byUsername: find,
    get: (id: number): UserRow | undefined => {
      const r = byId.get(id);
      return r ? toRow(r) : undefined;
    },
    /** Whether `username` may be given to a new user (call it again inside the creating transaction). */
    clash: (username: string): NameClash | null => {
      const same = find(username);
      if (same) return { kind: 'taken', existing: same.username };
      const lookAlike = bySkeleton.get(usernameSkeleton(username));
      if (lookAlike && compareUsernames(username, lookAlike.username) === 'confusable') return { kind: 'confusable', existing: lookAlike.username };
      return null;
    },
    /** Stores the name as typed (NFC); its key's unique index refuses a second spelling of it. */
    create: (username: string, passwordHash: string, role: 'admin' | 'officer', now: number): number => {
      const name = username.trim().normalize('NFC');
      return Number(insert.run(name, usernameKey(name), usernameSkeleton(name), passwordHash, role, now).lastInsertRowid);
    },
    hasAdmin: (): boolean => (adminCount.get()?.n ?? 0) > 0,
  };
}
export type UserRepo = ReturnType<typeof createUserRepo>;

/**
 * Fills username_key and username_skeleton for rows written before migration 0005 (SQLite has no
 * NFKC or case folding). Before 0005 names were unique only up to ASCII case, so "Đức" and "đức"
 * may both exist: the older keeps the key, the newer gets a key no typed name can produce
 * (`<key>#<id>`), so each still signs in by its exact spelling and neither takes the other's
 * sessions. An admin should rename or disable one of them; the server logs nothing here because
 * it has no logger yet, but the admin's user list shows both.
 */
function backfillNameForms(db: Db): void {
  const pending = db.prepare<[], { id: number; username: string }>('SELECT id, username FROM users WHERE username_key IS NULL ORDER BY id').all();
  if (pending.length === 0) return;
  const taken = db.prepare<[string], { id: number }>('SELECT id FROM users WHERE username_key = ?');
  const set = db.prepare('UPDATE users SET username_key = ?, username_skeleton = ? WHERE id = ?');
  db.transaction(() => {
    for (const u of pending) {
      const key = usernameKey(u.username);
      set.run(taken.get(key) ? `${key}#${u.id}` : key, usernameSkeleton(u.username), u.id);
    }
  })();
}
