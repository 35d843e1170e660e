import { createHmac, randomBytes } from 'node:crypto';
import type { CccdCheckIn } from '@luot/domain';
import type { Db } from '../db/open.js';
import { CHECK_IN_KEY_BYTES, checkInKeyPath, loadOrCreateCheckInKey } from './key.js';

/**
 * HMAC-SHA256 with the center's key (key.ts): the same ID number always gives the same value at
 * this center, so visits can be counted, and without the key the value says nothing about whom
 * (a plain hash of a 12-digit number is reversed by trying them all; see the ADR). Each use has
 * its own label inside the HMAC, so a value made for one purpose never equals one made for another.
 */
export interface CheckInHasher {
  /** The keyed hash of an ID number, as stored for the returning-visitor count (32 bytes). */
  idHash(idNumber: string): Buffer;
  /**
   * A short keyed tag of a whole check-in, for the Idempotency-Key's request fingerprint: a retry
   * with the same card matches, another card does not, and the stored fingerprint (issue_keys,
   * kept for the business day) holds neither the name nor the number.
   */
  requestTag(checkIn: CccdCheckIn): string;
}

export interface CheckInHasherOptions {
  /** The key file (see key.ts); null: a key that lives in memory only (a database in memory). */
  keyFile: string | null;
  /** Told once when the key file is created or a bad one replaced (for the log). */
  onKey?: (e: { file: string; created: boolean; replacedBad: string | null }) => void;
}

/** The key is read (or created) at the first check-in, not at start: a center that never turns the feature on never gets a key file. */
export function createCheckInHasher(opts: CheckInHasherOptions): CheckInHasher {
  let key: Buffer | null = null;
  const getKey = (): Buffer => {
    if (key) return key;
    if (opts.keyFile === null) key = randomBytes(CHECK_IN_KEY_BYTES);
    else {
      const r = loadOrCreateCheckInKey(opts.keyFile);
      if (r.created || r.replacedBad) opts.onKey?.({ file: opts.keyFile, created: r.created, replacedBad: r.replacedBad });
      key = r.key;
    }
    return key;
  };
  const hmac = (label: string, text: string) => createHmac('sha256', getKey()).update(`luot:${label}:`).update(text, 'utf8').digest();
  return {
    idHash: (idNumber) => hmac('cccd-id', idNumber),
    requestTag: (c) => hmac('issue-request', JSON.stringify([c.idNumber, c.fullName, c.dateOfBirth, c.sex])).subarray(0, 12).toString('base64url'),
  };
}

/** The hasher of the center whose database is `db`: its key file sits beside the database. */
export function checkInHasherFor(db: Pick<Db, 'name' | 'memory'>, onKey?: CheckInHasherOptions['onKey']): CheckInHasher {
  return createCheckInHasher({ keyFile: checkInKeyPath(db), ...(onKey ? { onKey } : {}) });
}
