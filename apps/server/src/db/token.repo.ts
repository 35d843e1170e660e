import type { Db } from './open.js';

export interface TokenOwner {
  userId: number | null;
  deviceId: number | null;
  expiresAt: number | null;
  /** The user's session epoch when the token was issued (null for device tokens). */
  userEpoch: number | null;
}

/** Tokens are kept only as SHA-256 hashes: a copy of the database gives no one a session. */
export function createTokenRepo(db: Db) {
  // A user token takes the user's current epoch in the same statement that stores it.
  const insert = db.prepare(
    `INSERT INTO tokens (hash, user_id, device_id, created_at, expires_at, user_epoch)
     VALUES (?, ?, ?, ?, ?, (SELECT session_epoch FROM users WHERE id = ?))`,
  );
  const find = db.prepare<[string], { user_id: number | null; device_id: number | null; expires_at: number | null; user_epoch: number | null }>(
    'SELECT user_id, device_id, expires_at, user_epoch FROM tokens WHERE hash = ? AND revoked_at IS NULL',
  );
  const revokeDevice = db.prepare('UPDATE tokens SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL');
  const revokeHash = db.prepare('UPDATE tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL');
  const revokeUser = db.prepare('UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)');
  return {
    insert: (hash: string, owner: Omit<TokenOwner, 'userEpoch'>, now: number) =>
      void insert.run(hash, owner.userId, owner.deviceId, now, owner.expiresAt, owner.userId),
    find: (hash: string): TokenOwner | undefined => {
      const r = find.get(hash);
      return r ? { userId: r.user_id, deviceId: r.device_id, expiresAt: r.expires_at, userEpoch: r.user_epoch } : undefined;
    },
    revokeForDevice: (deviceId: number, now: number) => void revokeDevice.run(now, deviceId),
    /** True when the token was live (not already revoked). */
    revoke: (hash: string, now: number): boolean => revokeHash.run(now, hash).changes > 0,
    /** Revokes every unexpired, unrevoked token of a user; returns how many. */
    revokeForUser: (userId: number, now: number): number => revokeUser.run(now, userId, now).changes,
  };
}
export type TokenRepo = ReturnType<typeof createTokenRepo>;
