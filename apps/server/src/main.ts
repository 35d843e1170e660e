import { mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { CHECK_IN_LOG_REDACT } from './checkin/redact.js';
import { configFromEnv, type Config } from './config.js';
import { hasKioskPrinter } from './printing/kiosk-printers.js';
import { databaseOpened, type Db } from './db/open.js';
import { storageFaultOf } from './errors.js';
import { lockDataDir } from './ops/data-dir-lock.js';
import { prepareDataDir } from './ops/data-dir.js';
import { closeLogger, createLogger, opsConfigFromEnv, startOperations, type OpsConfig } from './ops/index.js';
import { openServedDatabase, removeRestoreLeftovers } from './ops/start-guards.js';
import { settingErrorText, settingsFileHint } from './ops/setting-error.js';
import { EXIT, listenRefusal, StartRefused } from './ops/start-refusal.js';
import { watchStorage } from './ops/storage-health.js';
import { provinceConfigFromEnv, type ProvinceConfig } from './province/config.js';

/**
 * Start-up refuses, within a second and saying why (docs/operations.md, "When the server refuses
 * to start"), before anything is served: bad settings, a data directory that is missing and
 * cannot be created or is read-only, another process on the same data directory, a damaged
 * database or one from a newer Luot. The heavy modules (Fastify, socket.io, the ticket renderer)
 * are loaded only after these checks, so a refusal is quick.
 */
function refuse(err: StartRefused): never {
  process.stderr.write(`${err.text()}\n`);
  process.exit(err.exitCode);
}

let config: Config;
let opsConfig: OpsConfig;
let provinceConfig: ProvinceConfig | null;
try {
  config = configFromEnv();
  provinceConfig = provinceConfigFromEnv();
  opsConfig = opsConfigFromEnv();
} catch (err) {
  const { vi, en } = settingErrorText(err);
  const fix = settingsFileHint();
  refuse(new StartRefused(EXIT.settings, `Cấu hình sai: ${vi} ${fix.vi}`, `Bad setting: ${en}. ${fix.en}`));
}
const dbFile = join(config.dataDir, 'luot.sqlite');
let db: Db;
let logger: ReturnType<typeof createLogger>;
try {
  const { created } = prepareDataDir(config.dataDir);
  // Held for the life of the process; the kernel releases it when the process ends, however.
  lockDataDir(config.dataDir);
  // stdout plus a daily rotated file in the data dir (docs/operations.md); secrets are censored.
  logger = createLogger(opsConfig, { level: config.logLevel, redact: ['req.headers.authorization', 'password', 'token', ...CHECK_IN_LOG_REDACT] });
  if (created) logger.warn({ dataDir: config.dataDir }, 'data directory created');
  const leftovers = removeRestoreLeftovers(config.dataDir);
  if (leftovers.length) logger.warn({ leftovers }, 'removed the leftovers of an interrupted restore');
  db = openServedDatabase(dbFile, opsConfig.backupDir);
  // Schema before/after, the migrations applied, SQLite's and better-sqlite3's versions.
  logger.info(databaseOpened(db), 'database opened');
} catch (err) {
  if (err instanceof StartRefused) refuse(err);
  throw err;
}

const { createServer } = await import('./server.js');
const { ensureAdmin } = await import('./bootstrap.js');
const { DEMO_PASSWORD, seedDemoIfEmpty } = await import('./demo/seed-demo.js');
// A center drops its own recordings here (docs/voice.md); created so the folder is easy to find.
const voiceDir = join(config.dataDir, 'voice');
mkdirSync(join(voiceDir, 'vi'), { recursive: true });
const server = await createServer({
  db,
  logger,
  voiceDir,
  maxSocketsPerAddress: config.maxSocketsPerAddress,
  kioskRateLimit: config.kioskRateLimit,
  print: { printers: config.kioskPrinters, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) },
  ...(provinceConfig ? { province: provinceConfig } : {}),
});
const now = Date.now();
const adminCreated = await ensureAdmin(server.ctx.repos, config.adminPassword, now);
const demo = config.demo ? await seedDemoIfEmpty(server.ctx.repos, server.ctx.tokens, now, { noPrinter: !hasKioskPrinter(config.kioskPrinters) }) : null;
try {
  await server.listen(config.port, config.host);
} catch (err) {
  // A busy port, or one the account may not open: said like the other refusals, not a stack trace.
  const refusal = listenRefusal(err, config.host, config.port);
  if (!refusal) throw err;
  logger.error({ code: (err as { code?: unknown }).code, port: config.port, host: config.host }, 'cannot listen: start refused');
  await closeLogger(logger);
  refuse(refusal);
}

// A full disk or an unreadable database: requests answer 503 STORAGE_FULL / STORAGE_ERROR (the
// error handler), staff see one alert, and it clears by itself once writes work again.
const storage = watchStorage({ db, dataDir: config.dataDir, alerts: server.ctx.alerts, logger });
server.app.storageFaults.on((fault, err) => storage.report(fault, err));
// A clock set wrong and corrected: logged, audited and shown to staff (clock.ts).
const { watchClock } = await import('./clock.js');
const clockWatch = watchClock({ clock: server.ctx.clock, alerts: server.ctx.alerts, repos: server.ctx.repos, logger });
// The same fault thrown outside a request (a socket handler, a timer) must not end the process
// either: SQLite has rolled that statement back, the next one tries again. Anything else still
// ends it (and the service manager restarts it), as before.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    const fault = storageFaultOf(err);
    if (fault) {
      storage.report(fault, err);
      return;
    }
    process.stderr.write(`Luot: ${event}: ${(err as Error)?.stack ?? String(err)}\n`);
    logger.fatal({ err }, event);
    void closeLogger(logger).finally(() => process.exit(1));
  });
}

// Graceful shutdown: stop taking requests, finish the ones in flight, close SQLite cleanly.
// Armed as soon as the server listens (a stop right after a start, the service manager's restart,
// must never kill it mid-step), before the operations and the banner's checks start.
let ops: Awaited<ReturnType<typeof startOperations>> | null = null;
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server
      .close()
      .then(() => {
        storage.stop();
        clockWatch.stop();
        return ops?.stop();
      })
      .then(() => {
        db.close();
        return closeLogger(logger);
      })
      .then(() => process.exit(0))
      .catch((err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  });
}

const port = (server.app.server.address() as { port: number }).port;
// Nightly backup, retention, LAN discovery (docs/operations.md).
ops = await startOperations({ db, repos: server.ctx.repos, clock: server.ctx.clock, logger, config: opsConfig, httpPort: port, version: server.ctx.version, alerts: server.ctx.alerts });
// The admin dashboard's backup card reads it (GET /api/v1/admin/backups).
const running = ops;
server.useBackupStatus(() => running.backupStatus());
const { startWarnings } = await import('./ops/start-warnings.js');
const warnings = await startWarnings({ repos: server.ctx.repos, demo: config.demo, demoPassword: DEMO_PASSWORD, backupDir: opsConfig.backupDir });
const lanAddresses = Object.values(networkInterfaces())
  .flat()
  .filter((a) => a && a.family === 'IPv4' && !a.internal)
  .map((a) => a!.address);
// Print an address other machines can open: the first LAN address when listening on all of them.
const shownHost = config.host === '0.0.0.0' || config.host === '::' ? (lanAddresses[0] ?? '127.0.0.1') : config.host;
const base = `http://${shownHost}:${port}`;
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
for (const w of warnings) {
  lines.push(`  ! ${w.vi}`, `    ${w.en}`);
  logger.warn({ warning: w.code }, w.en);
}
console.log(lines.join('\n') + '\n');
