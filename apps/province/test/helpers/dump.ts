import type pg from 'pg';

const TABLES = ['centers', 'center_streams', 'events', 'tickets', 'ratings', 'services', 'counters', 'center_now'];

/** Every row of every province table, in a stable order: "changes nothing" is compared with this. */
export async function dumpProvince(pool: pg.Pool): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) {
    const { rows } = await pool.query(`SELECT to_jsonb(x) AS r FROM ${t} x ORDER BY to_jsonb(x)::text`);
    out[t] = rows.map((r) => r.r);
  }
  return out;
}
