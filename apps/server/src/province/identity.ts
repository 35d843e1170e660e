import { randomUUID } from 'node:crypto';
import type { Db } from '../db/open.js';

/**
 * A center database's identity towards the province (docs/province.md): `center_uid`, a random
 * UUID created once and kept for the life of the database (backups and restores carry it), and
 * `center_epoch`, which starts at 1 and moves on whenever the database goes back in time (a
 * restore from a backup), because its event seq then goes back too. The province keeps one
 * stream per (center, epoch), so a restored center's events never merge with the ones the old
 * timeline already shipped. Both live in the `settings` table (JSON values, as every setting).
 */
export const CENTER_UID_KEY = 'center_uid';
export const CENTER_EPOCH_KEY = 'center_epoch';

export interface CenterIdentity {
  centerUid: string;
  epoch: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

function readSetting(db: Db, key: string): unknown {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key);
  if (!row) return undefined;
  try {
    return JSON.parse(row.value);
  } catch {
    return undefined;
  }
}
function writeSetting(db: Db, key: string, value: unknown): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
}

/** The identity stored in this database, or null when it has none yet (never shipped). */
export function readIdentity(db: Db): CenterIdentity | null {
  const uid = readSetting(db, CENTER_UID_KEY);
  if (typeof uid !== 'string' || !UUID.test(uid)) return null;
  const epoch = readSetting(db, CENTER_EPOCH_KEY);
  return { centerUid: uid, epoch: typeof epoch === 'number' && Number.isInteger(epoch) && epoch >= 1 ? epoch : 1 };
}

/** The identity, created (uuid v4, epoch 1) the first time it is asked for. */
export function ensureIdentity(db: Db): CenterIdentity {
  return db
    .transaction(() => {
      const cur = readIdentity(db);
      if (cur) return cur;
      const created = { centerUid: randomUUID(), epoch: 1 };
      writeSetting(db, CENTER_UID_KEY, created.centerUid);
      writeSetting(db, CENTER_EPOCH_KEY, created.epoch);
      return created;
    })
    .immediate();
}

/** Moves the epoch on to `epoch` (never back). */
export function setEpoch(db: Db, epoch: number): void {
  db.transaction(() => {
    const cur = readIdentity(db);
    if (cur && cur.epoch >= epoch) return;
    writeSetting(db, CENTER_EPOCH_KEY, epoch);
  }).immediate();
}

/**
 * For the restore tool: the restored copy keeps the center's identity (its own, or the replaced
 * database's when the backup predates it) and takes an epoch past both the backup's and the
 * replaced database's, so it ships as a new stream. Nothing to do when neither database ever had
 * an identity (the center never shipped). Returns the copy's identity afterwards.
 */
export function moveEpochOnAfterRestore(copy: Db, replaced: CenterIdentity | null): CenterIdentity | null {
  const own = readIdentity(copy);
  if (!own && !replaced) return null;
  const next: CenterIdentity = {
    centerUid: own?.centerUid ?? replaced!.centerUid,
    epoch: Math.max(own?.epoch ?? 1, replaced?.epoch ?? 1) + 1,
  };
  copy
    .transaction(() => {
      writeSetting(copy, CENTER_UID_KEY, next.centerUid);
      writeSetting(copy, CENTER_EPOCH_KEY, next.epoch);
    })
    .immediate();
  return next;
}
