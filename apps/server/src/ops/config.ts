import { join, resolve } from 'node:path';
import { parseClock } from '@luot/domain';
import { SettingError } from './setting-error.js';

/**
 * Settings of the operations side (backups, retention, discovery, log files), read from the
 * environment on their own so that the CLI tools (backup, restore) find the same places as the
 * server without going through its start-up. Documented in docs/operations.md.
 */
export interface OpsConfig {
  /** LUOT_DATA_DIR, the same folder the server uses (default ./data). */
  dataDir: string;
  /** <dataDir>/luot.sqlite */
  dbFile: string;
  /** PORT: the HTTP port, announced by discovery and probed by restore. */
  port: number;
  /** LUOT_BACKUP_DIR: where nightly backups go (a USB stick); null = no automatic backup. */
  backupDir: string | null;
  /** LUOT_BACKUP_AT: "HH:MM" in the center's time zone (default 02:00). Retention runs right after. */
  backupAt: string;
  /** LUOT_BACKUP_KEEP: how many backup files to keep (default 14). */
  backupKeep: number;
  /** LUOT_RETENTION_DAYS: tickets older than this many days are deleted (default 730; 0 = keep forever). */
  retentionDays: number;
  /** LUOT_DISCOVERY_PORT: UDP port of the LAN discovery answer (default 41234; 0 or "off" = disabled). */
  discoveryPort: number | null;
  /** LUOT_DISCOVERY_HOST: address the discovery socket binds (default 0.0.0.0). */
  discoveryHost: string;
  /** LUOT_PUBLIC_URL: the URL discovery announces instead of "the address that answered". */
  publicUrl: string | null;
  /** LUOT_LOG_FILE: rotated log file (default <dataDir>/logs/luot.log; "off" = stdout only). */
  logFile: string | null;
  /** LUOT_LOG_KEEP: rotated log files kept besides the current one (default 14 days). */
  logKeep: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || n < min || n > max) {
    throw new SettingError(name, `${name} phải là số nguyên từ ${min} đến ${max}, đang là "${raw}".`, `${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

const isOff = (v: string | undefined) => v !== undefined && ['off', 'false', 'no', '0', 'none'].includes(v.trim().toLowerCase());

export function opsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): OpsConfig {
  const dataDir = resolve(env.LUOT_DATA_DIR ?? './data');
  const backupAt = env.LUOT_BACKUP_AT?.trim() || '02:00';
  if (parseClock(backupAt) === null) {
    throw new SettingError('LUOT_BACKUP_AT', `LUOT_BACKUP_AT phải là giờ dạng HH:MM (24 giờ, ví dụ 02:00), đang là "${backupAt}".`, `LUOT_BACKUP_AT must be HH:MM (24 h, e.g. 02:00), got "${backupAt}"`);
  }
  const discoveryOff = isOff(env.LUOT_DISCOVERY_PORT);
  const discoveryPort = discoveryOff ? 0 : int(env, 'LUOT_DISCOVERY_PORT', 41234, 1, 65535);
  const logFile = isOff(env.LUOT_LOG_FILE) ? null : resolve(env.LUOT_LOG_FILE?.trim() || join(dataDir, 'logs', 'luot.log'));
  const publicUrl = env.LUOT_PUBLIC_URL?.trim() || null;
  if (publicUrl && !/^https?:\/\/[^\s/]+/.test(publicUrl)) {
    throw new SettingError('LUOT_PUBLIC_URL', `LUOT_PUBLIC_URL phải là địa chỉ http(s), ví dụ http://192.168.1.10:8080, đang là "${publicUrl}".`, `LUOT_PUBLIC_URL must be an http(s) URL, got "${publicUrl}"`);
  }
  return {
    dataDir,
    dbFile: join(dataDir, 'luot.sqlite'),
    port: int(env, 'PORT', 8080, 0, 65535),
    backupDir: env.LUOT_BACKUP_DIR?.trim() ? resolve(env.LUOT_BACKUP_DIR.trim()) : null,
    backupAt,
    backupKeep: int(env, 'LUOT_BACKUP_KEEP', 14, 1, 10_000),
    retentionDays: int(env, 'LUOT_RETENTION_DAYS', 730, 0, 100_000),
    discoveryPort: discoveryPort === 0 ? null : discoveryPort,
    discoveryHost: env.LUOT_DISCOVERY_HOST?.trim() || '0.0.0.0',
    publicUrl: publicUrl?.replace(/\/+$/, '') ?? null,
    logFile,
    logKeep: int(env, 'LUOT_LOG_KEEP', 14, 1, 10_000),
  };
}
