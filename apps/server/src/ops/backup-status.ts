import { readdir, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { toIsoWithOffset } from '@luot/domain';
import type { BackupStatus } from '@luot/protocol';
import { within } from '../within.js';
import { backupsAmong } from './backup.js';
import { opsConfigFromEnv, type OpsConfig } from './config.js';

/** What ops keeps about backups (OperationsStatus's part): times in epoch ms, `file` a path. */
export interface BackupMemory {
  lastBackup: { at: number; file: string; bytes: number } | null;
  lastBackupError: { at: number; message: string } | null;
}

/**
 * The dashboard's view of the nightly backup (GET /api/v1/admin/backups). The folder is looked at
 * on every read, not only at 02:00: a USB stick pulled out in the afternoon shows at once, and a
 * backup taken by hand with scripts/backup (another process) shows as the newest one.
 */
export async function readBackupStatus(config: Pick<OpsConfig, 'backupDir' | 'backupKeep' | 'backupAt'>, memory: BackupMemory, timeZone: string): Promise<BackupStatus> {
  const iso = (ms: number) => toIsoWithOffset(ms, timeZone);
  const dir = config.backupDir;
  // Looked at off the event loop and given up after LOOK_MS: a failing USB stick whose reads hang
  // must not freeze the counters and kiosks with the dashboard (it then shows as not there).
  const look = dir === null ? null : await within(lookAtFolder(dir), LOOK_MS, null);
  const folderPresent = look !== null;
  let last = memory.lastBackup;
  if (look) {
    const newest = look.newest;
    // The names sort by time; the server's own record keeps the time it took it (the file's mtime
    // is the end of the copy), a newer file from elsewhere is shown with its mtime.
    if (newest && basename(newest.file) !== (last && basename(last.file))) last = newest;
  }
  return {
    folder: dir,
    folderPresent,
    keep: config.backupKeep,
    at: config.backupAt,
    lastBackup: last ? { at: iso(last.at), file: basename(last.file), bytes: last.bytes } : null,
    // A backup taken after the failure (by hand, scripts/backup) ends it, as it ends the staff alert.
    lastError: memory.lastBackupError && !(last && last.at > memory.lastBackupError.at) ? { at: iso(memory.lastBackupError.at), message: memory.lastBackupError.message } : null,
  };
}

/** The answer when no operations run (a server built without main.ts, as tests do): nothing backed up, the default time and count. */
export function noBackupStatus(timeZone: string): Promise<BackupStatus> {
  const defaults = opsConfigFromEnv({});
  return readBackupStatus({ backupDir: null, backupKeep: defaults.backupKeep, backupAt: defaults.backupAt }, { lastBackup: null, lastBackupError: null }, timeZone);
}

const LOOK_MS = 2000;

/** The folder, if it is one, with its newest backup (null: not there, or not readable). */
async function lookAtFolder(dir: string): Promise<{ newest: BackupMemory['lastBackup'] } | null> {
  try {
    if (!(await stat(dir)).isDirectory()) return null;
  } catch {
    return null;
  }
  try {
    const file = backupsAmong(await readdir(dir), dir).at(-1);
    if (!file) return { newest: null };
    const st = await stat(file);
    return { newest: { at: st.mtimeMs, file, bytes: st.size } };
  } catch {
    return { newest: null };
  }
}
