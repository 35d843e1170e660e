import { createHash, randomBytes } from 'node:crypto';
import type { Repos } from '../db/repos.js';
import type { Actor } from '../queue/actor.js';

/** Officers sign in for a working day; device tokens last until an admin revokes them. */
export const USER_TOKEN_TTL_MS = 16 * 3600_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Why a user's sessions ended; the socket layer may show it, the audit log records it. */
export type SessionEndReason = 'sign-out' | 'password-changed' | 'demoted' | 'disabled' | 'revoked';

/**
 * Sessions that just ended, for whoever holds live connections on them (the socket layer
 * disconnects them). `tokenHash` is set when one token ended (sign-out); null means every token
 * of the user.
 */
export interface SessionsEnded {
  userId: number;
  tokenHash: string | null;
  reason: SessionEndReason;
}

/** A resolved token: who it is, and until when (null: a device token, until revoked). */
export interface Session {
  actor: Actor;
  expiresAt: number | null;
  tokenHash: string;
}

export function createTokenService(repos: Repos) {
  // Writing last_seen on every request would turn reads into writes: once a minute is enough.
  const lastSeenWritten = new Map<number, number>();
  const listeners = new Set<(e: SessionsEnded) => void>();

  const notify = (e: SessionsEnded) => {
    for (const l of listeners) l(e);
  };

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

  /**
   * Everything is checked on every call, nothing cached: the token's revocation and expiry, the
   * user's disabled flag and session epoch (a password change, a disable or a demotion ends every
   * earlier token even where nobody called revokeAllForUser), the device's revocation. The role
   * is read afresh, so a demoted admin acts as an officer from the next request on.
   */
  function session(token: string | undefined | null, now: number): Session | null {
    if (!token || token.length > 200) return null;
    return sessionByHash(hashToken(token), now);
  }

  /** The same check by the token's hash, for holders that keep only the hash (a live socket). */
  function sessionByHash(tokenHash: string, now: number): Session | null {
    const found = repos.tokens.find(tokenHash);
    if (!found || (found.expiresAt !== null && found.expiresAt <= now)) return null;
    if (found.userId !== null) {
      const u = repos.users.get(found.userId);
      if (!u || u.disabled || u.sessionEpoch !== found.userEpoch) return null;
      return { actor: { kind: 'user', userId: u.id, username: u.username, role: u.role }, expiresAt: found.expiresAt, tokenHash };
    }
    if (found.deviceId !== null) {
      const d = repos.devices.get(found.deviceId);
      if (!d || d.revoked) return null;
      if (now - (lastSeenWritten.get(d.id) ?? 0) > 60_000) {
        lastSeenWritten.set(d.id, now);
        repos.devices.markSeen(d.id, now);
      }
      return { actor: { kind: 'device', deviceId: d.id, name: d.name, role: d.kind }, expiresAt: null, tokenHash };
    }
    return null;
  }

  return {
    issue,
    session,
    sessionByHash,
    resolve: (token: string | undefined | null, now: number): Actor | null => session(token, now)?.actor ?? null,
    /**
     * Signs one token out. Returns false when it was not live. Listeners hear of it only for a
     * user token (devices are revoked by an admin, with ctx.disconnectDevice).
     */
    revoke(token: string, now: number): boolean {
      const tokenHash = hashToken(token);
      const owner = repos.tokens.find(tokenHash);
      const revoked = repos.tokens.revoke(tokenHash, now);
      if (revoked && owner && owner.userId !== null) notify({ userId: owner.userId, tokenHash, reason: 'sign-out' });
      return revoked;
    },
    /**
     * Ends every session of a user: revokes each unexpired token (returns how many) and tells the
     * listeners, so live sockets are cut too. Call it after the transaction that changed the user
     * has committed (a listener must not act on a change that may still roll back).
     */
    revokeAllForUser(userId: number, now: number, reason: SessionEndReason): number {
      const n = repos.tokens.revokeForUser(userId, now);
      notify({ userId, tokenHash: null, reason });
      return n;
    },
    /**
     * Registers a listener for ended sessions (the socket layer's hook); returns its removal.
     * Listeners run synchronously inside revoke/revokeAllForUser and must not throw.
     */
    onSessionsEnded(listener: (e: SessionsEnded) => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
export type TokenService = ReturnType<typeof createTokenService>;
