import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from '../db/open.js';

/**
 * The center's secret for the keyed hash of ID numbers (docs/adr/0008-cccd-check-in.md): 32
 * random bytes in a file of its own in the data directory, next to the database but never inside
 * it, so neither a copied database nor a backup (which copies the database file only) holds it.
 * Created at first use, readable and writable by the service account only (0600; on Windows the
 * data directory's own permissions apply). Losing it only restarts the returning-visitor counts.
 */
export const CHECK_IN_KEY_FILE = 'checkin-hmac.key';
export const CHECK_IN_KEY_BYTES = 32;

/** Where the key of the center whose database is `db` lives; null for a database in memory. */
export function checkInKeyPath(db: Pick<Db, 'name' | 'memory'>): string | null {
  if (db.memory || db.name === '' || db.name === ':memory:') return null;
  return join(dirname(db.name), CHECK_IN_KEY_FILE);
}

/**
 * Reads the key, or creates it if there is none. Creation is exclusive ('wx'): two processes
 * starting at once cannot each write a different key; the loser reads the winner's. A file of the
 * wrong size (truncated by a crash mid-write, edited by hand) is kept aside as `.bad-<time>` and a
 * new key is made: the counts restart, as with a lost key, and nothing is guessed from a bad one.
 */
export function loadOrCreateCheckInKey(file: string, now = Date.now()): { key: Buffer; created: boolean; replacedBad: string | null } {
  let replacedBad: string | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const key = readFileSync(file);
      if (key.length === CHECK_IN_KEY_BYTES) return { key, created: false, replacedBad };
      replacedBad = `${file}.bad-${now}`;
      renameSync(file, replacedBad);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const key = randomBytes(CHECK_IN_KEY_BYTES);
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (e) {
      // Another process created it between our read and our create: read theirs.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
    try {
      writeSync(fd, key);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return { key, created: true, replacedBad };
  }
  throw new Error(`cannot read or create the check-in key ${file}`);
}
