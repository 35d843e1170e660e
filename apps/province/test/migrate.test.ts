import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.js';
import { startPostgres, type TestPostgres } from './helpers/postgres.js';

let pgs: TestPostgres;
beforeAll(async () => {
  pgs = await startPostgres();
});
afterAll(async () => {
  await pgs?.stop();
});

describe('migrations', () => {
  it('apply once, are recorded, and a second run applies nothing', async () => {
    const pool = await pgs.freshDatabase({ migrate: false });
    const files = readdirSync(new URL('../src/db/migrations/', import.meta.url)).filter((f) => f.endsWith('.sql')).sort();
    expect(files[0]).toBe('0001-init.sql');
    expect(await migrate(pool)).toEqual(files.map((f) => Number(f.slice(0, 4))));
    expect(await migrate(pool)).toEqual([]);
    const { rows } = await pool.query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(files.map((name) => ({ version: Number(name.slice(0, 4)), name })));
    const tables = (await pool.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.t);
    expect(tables).toEqual(expect.arrayContaining(['center_now', 'center_streams', 'centers', 'counters', 'events', 'ratings', 'schema_migrations', 'services', 'tickets']));
  });

  it('a failing migration leaves the database as it was (one transaction)', async () => {
    const pool = await pgs.freshDatabase({ migrate: false });
    const dir = mkdtempSync(join(tmpdir(), 'luot-migrations-'));
    writeFileSync(join(dir, '0001-a.sql'), 'CREATE TABLE a (x int);');
    writeFileSync(join(dir, '0002-b.sql'), 'CREATE TABLE b (x int); SELECT * FROM no_such_table;');
    await expect(migrate(pool, dir)).rejects.toThrow(/no_such_table/);
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
    expect(rows[0].n).toBe(0);
  });
});
