import type { Db } from './open.js';

export interface UserRow {
  id: number;
  username: string;
  passwordHash: string;
  role: 'admin' | 'officer';
  disabled: boolean;
}

interface RawUser {
  id: number;
  username: string;
  password_hash: string;
  role: 'admin' | 'officer';
  disabled_at: number | null;
}
const toRow = (r: RawUser): UserRow => ({ id: r.id, username: r.username, passwordHash: r.password_hash, role: r.role, disabled: r.disabled_at !== null });

export function createUserRepo(db: Db) {
  const byName = db.prepare<[string], RawUser>('SELECT * FROM users WHERE username = ?');
  const byId = db.prepare<[number], RawUser>('SELECT * FROM users WHERE id = ?');
  const insert = db.prepare('INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)');
  const adminCount = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL`);
  const all = db.prepare<[], RawUser>('SELECT * FROM users ORDER BY username');
  const setRole = db.prepare('UPDATE users SET role = ? WHERE id = ?');
  const setPassword = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
  const setDisabled = db.prepare('UPDATE users SET disabled_at = ? WHERE id = ?');
  return {
    list: (): UserRow[] => all.all().map(toRow),
    setRole: (id: number, role: 'admin' | 'officer') => void setRole.run(role, id),
    setPassword: (id: number, hash: string) => void setPassword.run(hash, id),
    setDisabled: (id: number, at: number | null) => void setDisabled.run(at, id),
    byUsername: (username: string): UserRow | undefined => {
      const r = byName.get(username);
      return r ? toRow(r) : undefined;
    },
    get: (id: number): UserRow | undefined => {
      const r = byId.get(id);
      return r ? toRow(r) : undefined;
    },
    create: (username: string, passwordHash: string, role: 'admin' | 'officer', now: number): number =>
      Number(insert.run(username, passwordHash, role, now).lastInsertRowid),
    hasAdmin: (): boolean => (adminCount.get()?.n ?? 0) > 0,
  };
}
export type UserRepo = ReturnType<typeof createUserRepo>;
