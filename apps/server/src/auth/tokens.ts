import { createHash, randomBytes } from 'node:crypto';
import type { Repos } from '../db/repos.js';
import type { Actor } from '../queue/actor.js';

/** Officers sign in for a working day; device tokens last until an admin revokes them. */
export const USER_TOKEN_TTL_MS = 16 * 3600_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export function createTokenService(repos: Repos) {
  // Writing last_seen on every request would turn reads into writes: once a minute is enough.
  const lastSeenWritten = new Map<number, number>();

  function issue(owner: { userId?: number; deviceId?: number }, now: number): string {
    const token = randomBytes(32).toString('base64url');
    repos.tokens.insert(
      hashToken(token),
      {
        userId: owner.userId ?? null,
        deviceId: owner.deviceId ?? null,
        expiresAt: owner.userId !== undefined ? now + USER_TOKEN_TTL_MS : null,
      },
      now,
    );
    return token;
  }

  function resolve(token: string | undefined | null, now: number): Actor | null {
    if (!token || token.length > 200) return null;
    const found = repos.tokens.find(hashToken(token));
    if (!found || (found.expiresAt !== null && found.expiresAt <= now)) return null;
    if (found.userId !== null) {
      const u = repos.users.get(found.userId);
      if (!u || u.disabled) return null;
      return { kind: 'user', userId: u.id, username: u.username, role: u.role };
    }
    if (found.deviceId !== null) {
      const d = repos.devices.get(found.deviceId);
      if (!d || d.revoked) return null;
      if (now - (lastSeenWritten.get(d.id) ?? 0) > 60_000) {
        lastSeenWritten.set(d.id, now);
        repos.devices.markSeen(d.id, now);
      }
      return { kind: 'device', deviceId: d.id, name: d.name, role: d.kind };
    }
    return null;
  }

  return { issue, resolve, revoke: (token: string, now: number) => repos.tokens.revoke(hashToken(token), now) };
}
export type TokenService = ReturnType<typeof createTokenService>;
