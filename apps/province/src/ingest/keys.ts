import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A center's key: 256 random bits, base64url (43 characters). Shown once, stored hashed. */
export const newCenterKey = (): string => randomBytes(32).toString('base64url');

/** What the province stores and looks keys up by: SHA-256, hex. */
export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** The bearer token of an Authorization header, or null. */
export function bearer(header: string | undefined): string | null {
  const m = header ? /^Bearer ([A-Za-z0-9._~+/=-]{1,200})$/.exec(header) : null;
  return m ? (m[1] as string) : null;
}

/** Constant-time comparison of two secrets (by their hashes, so lengths never leak). */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
