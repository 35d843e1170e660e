import type pg from 'pg';
import { ProvinceError } from '../errors.js';
import { hashKey, newCenterKey } from '../ingest/keys.js';

export interface CenterInfo {
  id: number;
  code: string;
  name: string;
  revoked: boolean;
  revokedAt: string | null;
  centerUid: string | null;
  createdAt: string;
}

interface Row {
  id: number;
  code: string;
  name: string;
  revoked: boolean;
  revoked_at: Date | null;
  center_uid: string | null;
  created_at: Date;
}
const info = (r: Row): CenterInfo => ({
  id: r.id,
  code: r.code,
  name: r.name,
  revoked: r.revoked,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  centerUid: r.center_uid,
  createdAt: r.created_at.toISOString(),
});
const COLUMNS = 'id, code, name, revoked, revoked_at, center_uid, created_at';

/** Registering centers and managing their keys (the province admin's use cases). */
export function createCenterAdmin(pool: pg.Pool) {
  async function one(sql: string, params: unknown[]): Promise<CenterInfo> {
    const { rows } = await pool.query<Row>(sql, params);
    if (!rows[0]) throw new ProvinceError('NOT_FOUND', 'No such center.');
    return info(rows[0]);
  }
  return {
    list: async (): Promise<CenterInfo[]> => (await pool.query<Row>(`SELECT ${COLUMNS} FROM centers ORDER BY code`)).rows.map(info),
    /** A new center and its key: the key is in this answer only (the province keeps its hash). */
    async register(code: string, name: string): Promise<CenterInfo & { key: string }> {
      const key = newCenterKey();
      try {
        const c = await one(`INSERT INTO centers (code, name, key_hash) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`, [code, name, hashKey(key)]);
        return { ...c, key };
      } catch (err) {
        if ((err as { code?: string }).code === '23505') throw new ProvinceError('CENTER_CODE_TAKEN', code);
        throw err;
      }
    },
    /** Its key stops working at once; what it shipped stays (it happened). */
    revoke: (id: number) => one(`UPDATE centers SET revoked = true, revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`, [id]),
    /** A new key (the old one stops working), e.g. after a leak; also lifts a revocation. */
    async newKey(id: number): Promise<CenterInfo & { key: string }> {
      const key = newCenterKey();
      const c = await one(`UPDATE centers SET key_hash = $2, revoked = false, revoked_at = NULL WHERE id = $1 RETURNING ${COLUMNS}`, [id, hashKey(key)]);
      return { ...c, key };
    },
    /**
     * Forgets the center database the key is bound to: the next accepted batch binds it again
     * (a center replaced by a new machine with a new, empty database).
     */
    rebind: (id: number) => one(`UPDATE centers SET center_uid = NULL WHERE id = $1 RETURNING ${COLUMNS}`, [id]),
  };
}
export type CenterAdmin = ReturnType<typeof createCenterAdmin>;
