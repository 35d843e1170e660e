/**
 * A random key (an Idempotency-Key) from `crypto.getRandomValues`: `crypto.randomUUID` is hidden
 * by browsers on plain-http LAN pages, `getRandomValues` is not. 32 hex digits (128 bits).
 */
export function randomKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
