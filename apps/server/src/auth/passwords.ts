import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Hashes in flight at once, across the whole server. scrypt runs on libuv's thread pool (4
 * threads by default), which also reads every static file and voice clip: a sign-in flood from
 * many addresses (each within its own throttle) would otherwise fill all four threads and make
 * every page load wait seconds behind it. Two hashes at a time leave two threads for files; a
 * sign-in waits its turn in a queue instead (a sign-in is counted by the throttle before it
 * waits here).
 */
export const MAX_HASHES_IN_FLIGHT = 2;

let running = 0;
let peak = 0;
const waiting: (() => void)[] = [];

/** For tests and logs: hashes running and queued now, and the most ever run at once. */
export const hashingLoad = () => ({ running, waiting: waiting.length, peak });

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  // A finishing hash hands its slot straight to the first in the queue (`running` unchanged), so
  // that no caller arriving in between can take it as well.
  if (running >= MAX_HASHES_IN_FLIGHT) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  peak = Math.max(peak, running);
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  withHashSlot(
    () => new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key)))),
  );

// scrypt with N=2^15 (about 50 ms and 32 MiB here): slow enough for an offline guess to cost
// something, fast enough for a counter tablet's sign-in. Parameters are stored with each hash.
const N = 2 ** 15;
const r = 8;
const p = 1;
const KEYLEN = 32;
const maxmem = 64 * 1024 * 1024;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, KEYLEN, { N, r, p, maxmem });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, rr, pp, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(rr),
    p: Number(pp),
    maxmem,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash to verify against when the user does not exist, so timing does not reveal usernames. */
export const DUMMY_HASH_PROMISE = hashPassword(randomBytes(12).toString('hex'));
