import { existsSync, statSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Alerts } from '../alerts.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/open.js';
import type { Repos } from '../db/repos.js';
import type { BackupStatus } from '@luot/protocol';
import { backupAlerts } from './backup-alerts.js';
import { readBackupStatus } from './backup-status.js';
import { hasBackupSince, listBackups, removeBackupLeftovers, takeBackup, type BackupResult } from './backup.js';
import type { OpsConfig } from './config.js';
import { startDiscoveryResponder, type DiscoveryResponder } from './discovery.js';
import { readSavedLink } from '../province/shipper.js';
import { purgeCheckInsBySettings, purgeOldTickets, type RetentionResult } from './retention.js';
import { dailyJob, type DailyJob } from './scheduler.js';

export { opsConfigFromEnv, type OpsConfig } from './config.js';
export { createLogger, closeLogger } from './logging.js';

export interface OperationsDeps {
  db: Db;
  repos: Repos;
  clock: Clock;
  logger: Logger;
  config: OpsConfig;
  /** The HTTP port actually listened on (differs from config.port when that is 0). */
  httpPort?: number;
  version?: string;
  /** How often the daily job checks the time (default 60 s). */
  tickMs?: number;
  /** Staff alerts: a failed nightly backup is raised there (ops/backup-alerts.ts). */
  alerts?: Alerts;
}

export interface OperationsStatus {
  /** LUOT_BACKUP_DIR (null: no nightly backup). */
  backupDir: string | null;
  /**
   * The newest backup: taken by this process, or (after a restart) the newest file in the backup
   * folder, with its modification time and size.
   */
  lastBackup: { at: number; file: string; bytes: number } | null;
  lastBackupError: { at: number; message: string } | null;
  lastRetention: ({ at: number } & RetentionResult) | null;
  discoveryPort: number | null;
}

export interface Operations {
  /** One backup now (needs LUOT_BACKUP_DIR), the same as the nightly one. */
  backupNow(): Promise<BackupResult>;
  /** The daily job: backup (if configured), then retention (if enabled). */
  runDaily(): Promise<void>;
  /** The timer's check; tests call it after moving a manual clock. */
  tick(): Promise<boolean>;
  status(): OperationsStatus;
  /** The backup part of the status for the admin dashboard (GET /api/v1/admin/backups). */
  backupStatus(): Promise<BackupStatus>;
  stop(): Promise<void>;
}

/**
 * Everything that keeps a center running for years without an IT person: the nightly backup
 * (then retention) at LUOT_BACKUP_AT in the center's time zone, and the LAN discovery answer.
 * The log files are set up earlier, with createLogger, because the server logs from its start.
 */
export async function startOperations(deps: OperationsDeps): Promise<Operations> {
  const { db, repos, clock, logger, config } = deps;
  const log = logger.child({ module: 'ops' });
  const timeZone = () => repos.settings.center().timeZone;
  const status: OperationsStatus = { backupDir: config.backupDir, lastBackup: newestBackupIn(config.backupDir), lastBackupError: null, lastRetention: null, discoveryPort: null };
  const alerts = backupAlerts(deps.alerts);

  // A backup killed mid-copy (power cut at 02:00) left its .partial and journal on the stick.
  if (config.backupDir) {
    try {
      const gone = removeBackupLeftovers(config.backupDir);
      if (gone.length) log.warn({ dir: config.backupDir, gone }, 'removed the leftovers of an interrupted backup');
    } catch (err) {
      log.warn({ err, dir: config.backupDir }, 'cannot clean the backup folder');
    }
  }

  async function backupNow(): Promise<BackupResult> {
    if (!config.backupDir) throw new Error('LUOT_BACKUP_DIR is not set');
    const now = clock.now();
    try {
      const r = await takeBackup(db, { dir: config.backupDir, keep: config.backupKeep, timeZone: timeZone(), now });
      status.lastBackup = { at: now, file: r.file, bytes: r.bytes };
      status.lastBackupError = null;
      alerts.succeeded();
      log.info({ file: r.file, bytes: r.bytes, tickets: r.tickets, ms: r.ms, deleted: r.deleted, voice: r.voice }, 'backup done');
      return r;
    } catch (err) {
      status.lastBackupError = { at: now, message: (err as Error).message };
      log.error({ err }, 'backup failed');
      alerts.failed(config.backupDir, err, !isFolder(config.backupDir));
      throw err;
    }
  }

  async function runDaily(): Promise<void> {
    let failure: unknown = null;
    if (config.backupDir) await backupNow().catch((err: unknown) => (failure = err));
    // Retention runs even when the backup failed: it only removes what is past the period anyway.
    if (config.retentionDays > 0) {
      const now = clock.now();
      const provinceAckSeq = readSavedLink(db)?.ackSeq ?? null;
      const r = purgeOldTickets(db, { retentionDays: config.retentionDays, timeZone: timeZone(), now, provinceAckSeq });
      status.lastRetention = { at: now, ...r };
      if (r.tickets || r.events) log.info(r, 'old tickets deleted (retention)');
    } else {
      // Tickets are kept for ever, but ID-card names and hashes still go after their periods.
      const r = purgeCheckInsBySettings(db, clock.now());
      if (r.names || r.visits) log.info(r, 'check-in data deleted (retention)');
    }
    if (failure) throw failure;
  }

  const job: DailyJob = dailyJob({
    at: config.backupAt,
    timeZone,
    clock,
    run: runDaily,
    alreadyDone: (day) => {
      if (!config.backupDir || !hasBackupSince(config.backupDir, day, config.backupAt)) return false;
      // Today's backup is there: taken before a restart, or by hand (scripts/backup) after a
      // failed nightly one; either way the alert is over.
      status.lastBackup = newestBackupIn(config.backupDir) ?? status.lastBackup;
      status.lastBackupError = null;
      alerts.succeeded();
      return true;
    },
    onError: () => {
      /* logged by backupNow; retried in an hour */
    },
  });
  job.start(deps.tickMs);

  let discovery: DiscoveryResponder | null = null;
  if (config.discoveryPort) {
    try {
      discovery = await startDiscoveryResponder({
        port: config.discoveryPort,
        host: config.discoveryHost,
        info: () => ({ name: repos.settings.center().centerName, httpPort: deps.httpPort ?? config.port, url: config.publicUrl, version: deps.version ?? '' }),
      });
      status.discoveryPort = discovery.port;
    } catch (err) {
      // Discovery is a convenience: the manual URL still works, so the server starts anyway.
      log.warn({ err, port: config.discoveryPort }, 'LAN discovery not available (UDP port in use?)');
    }
  }

  return {
    backupNow,
    runDaily,
    tick: () => job.tick(),
    status: () => structuredClone(status),
    backupStatus: () => readBackupStatus(config, status, timeZone()),
    async stop() {
      await job.stop();
      await discovery?.close();
    },
  };
}

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The newest backup file in `dir` (by name, which sorts by time), with its mtime and size. */
function newestBackupIn(dir: string | null): OperationsStatus['lastBackup'] {
  if (!dir || !existsSync(dir)) return null;
  try {
    const file = listBackups(dir).at(-1);
    if (!file) return null;
    const st = statSync(file);
    return { at: st.mtimeMs, file, bytes: st.size };
  } catch {
    return null;
  }
}
