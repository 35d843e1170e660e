import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ensureAdmin } from './bootstrap.js';
import { configFromEnv } from './config.js';
import { openDatabase } from './db/open.js';
import { DEMO_PASSWORD, seedDemoIfEmpty } from './demo/seed-demo.js';
import { createServer } from './server.js';

const config = configFromEnv();
const logger = pino({ level: config.logLevel, redact: ['req.headers.authorization', 'password', 'token'] });
const dbFile = join(config.dataDir, 'luot.sqlite');
const db = openDatabase(dbFile);
const server = await createServer({
  db,
  logger,
  maxSocketsPerAddress: config.maxSocketsPerAddress,
  kioskRateLimit: config.kioskRateLimit,
  ...(config.publicUrl ? { print: { publicUrl: config.publicUrl } } : {}),
});
const now = Date.now();
const adminCreated = await ensureAdmin(server.ctx.repos, config.adminPassword, now);
const demo = config.demo ? await seedDemoIfEmpty(server.ctx.repos, server.ctx.tokens, now) : null;
await server.listen(config.port, config.host);

const port = (server.app.server.address() as { port: number }).port;
const lanAddresses = Object.values(networkInterfaces())
  .flat()
  .filter((a) => a && a.family === 'IPv4' && !a.internal)
  .map((a) => a!.address);
const base = `http://${lanAddresses[0] ?? '127.0.0.1'}:${port}`;
const lines = [
  '',
  `Luot ${server.ctx.version} đang chạy / is running`,
  `  Dữ liệu / data:        ${dbFile}`,
  `  Kiosk:                 ${base}/kiosk${demo ? `#token=${demo.kioskToken}` : ''}`,
  `  Quầy / counter:        ${base}/counter`,
  `  TV phòng chờ / display: ${base}/display${demo ? `#token=${demo.displayToken}` : ''}`,
  `  Quản trị / admin:      ${base}/admin`,
  `  API:                   ${base}/api/v1/health`,
];
if (adminCreated) lines.push('  Tài khoản quản trị "admin" đã được tạo / admin account created from LUOT_ADMIN_PASSWORD');
if (demo) lines.push(`  Demo: cán bộ canbo1..canbo4, mật khẩu / password "${DEMO_PASSWORD}" (chỉ dùng thử / demo only)`);
console.log(lines.join('\n') + '\n');

// Graceful shutdown: stop taking requests, finish the ones in flight, close SQLite cleanly.
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server
      .close()
      .then(() => {
        db.close();
        process.exit(0);
      })
      .catch((err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  });
}
