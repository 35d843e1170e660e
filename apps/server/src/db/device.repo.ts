import type { Db } from './open.js';

export interface DeviceRow {
  id: number;
  createdAt: number;
  kind: 'kiosk' | 'display';
  name: string;
  lastSeenAt: number | null;
  revoked: boolean;
}
interface RawDevice {
  id: number;
  created_at: number;
  kind: 'kiosk' | 'display';
  name: string;
  last_seen_at: number | null;
  revoked_at: number | null;
}
const toRow = (r: RawDevice): DeviceRow => ({ id: r.id, createdAt: r.created_at, kind: r.kind, name: r.name, lastSeenAt: r.last_seen_at, revoked: r.revoked_at !== null });

export function createDeviceRepo(db: Db) {
  const insert = db.prepare('INSERT INTO devices (kind, name, created_at) VALUES (?, ?, ?)');
  const byId = db.prepare<[number], RawDevice>('SELECT * FROM devices WHERE id = ?');
  const seen = db.prepare('UPDATE devices SET last_seen_at = ? WHERE id = ?');
  const revoke = db.prepare('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const all = db.prepare<[], RawDevice>('SELECT * FROM devices ORDER BY id');
  return {
    list: (): DeviceRow[] => all.all().map(toRow),
    create: (kind: 'kiosk' | 'display', name: string, now: number): number => Number(insert.run(kind, name, now).lastInsertRowid),
    get: (id: number): DeviceRow | undefined => {
      const r = byId.get(id);
      return r ? toRow(r) : undefined;
    },
    markSeen: (id: number, now: number) => void seen.run(now, id),
    revoke: (id: number, now: number): boolean => revoke.run(now, id).changes === 1,
  };
}
export type DeviceRepo = ReturnType<typeof createDeviceRepo>;
