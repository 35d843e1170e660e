import { migrate } from './db/migrate.js';
import { createPool } from './db/pool.js';
import { createProvinceServer } from './server.js';

/**
 * The province service. DATABASE_URL (postgres://user:pass@host:5432/db) points at the
 * province's PostgreSQL; PORT (default 8090) and HOST (default 0.0.0.0) where it listens;
 * PROVINCE_ADMIN_TOKEN (at least 32 characters) protects the admin API that registers centers.
 */
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  process.stderr.write('Thiếu DATABASE_URL / DATABASE_URL is not set (postgres://user:pass@host:5432/db)\n');
  process.exit(2);
}
const port = Number(process.env.PORT ?? 8090);
const host = process.env.HOST ?? '0.0.0.0';
const adminToken = process.env.PROVINCE_ADMIN_TOKEN ?? null;
if (adminToken !== null && adminToken.length < 32) {
  process.stderr.write('PROVINCE_ADMIN_TOKEN quá ngắn (ít nhất 32 ký tự) / too short (at least 32 characters)\n');
  process.exit(2);
}

const pool = createPool(databaseUrl, Number(process.env.PG_POOL_MAX ?? 10));
await migrate(pool);
const server = await createProvinceServer({ pool, adminToken, logger: true });
const url = await server.listen(port, host);
server.app.log.info({ url }, 'province service listening');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server
      .close()
      .then(() => pool.end())
      .finally(() => process.exit(0));
  });
}
