import type { Db } from './open.js';

export interface TokenOwner {
  userId: number | null;
  deviceId: number | null;
  expiresAt: number | null;
}

/** Tokens are kept only as SHA-256 hashes: a copy of the database gives no one a session. */
export function createTokenRepo(db: Db) {
  const insert = db.prepare('INSERT INTO tokens (hash, user_id, device_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)');
  const find = db.prepare<[string], { user_id: number | null; device_id: number | null; expires_at: number | null }>(
    'SELECT user_id, device_id, expires_at FROM tokens WHERE hash = ? AND revoked_at IS NULL',
  );
  const revokeDevice = db.prepare('UPDATE tokens SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL');
  const revokeHash = db.prepare('UPDATE tokens SET revoked_at = ? WHERE hash = ?');
  return {
    insert: (hash: string, owner: TokenOwner, now: number) => void insert.run(hash, owner.userId, owner.deviceId, now, owner.expiresAt),
    find: (hash: string): TokenOwner | undefined => {
      const r = find.get(hash);
      return r ? { userId: r.user_id, deviceId: r.device_id, expiresAt: r.expires_at } : undefined;
    },
    revokeForDevice: (deviceId: number, now: number) => void revokeDevice.run(now, deviceId),
    revoke: (hash: string, now: number) => void revokeHash.run(now, hash),
  };
}
export type TokenRepo = ReturnType<typeof createTokenRepo>;
