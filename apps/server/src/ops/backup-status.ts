import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { toIsoWithOffset } from '@luot/domain';
import type { BackupStatus } from '@luot/protocol';
import { listBackups } from './backup.js';
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
export function readBackupStatus(config: Pick<OpsConfig, 'backupDir' | 'backupKeep' | 'backupAt'>, memory: BackupMemory, timeZone: string): BackupStatus {
  const iso = (ms: number) => toIsoWithOffset(ms, timeZone);
  const dir = config.backupDir;
  const folderPresent = dir !== null && isFolder(dir);
  let last = memory.lastBackup;
  if (folderPresent) {
    const newest = newestFile(dir);
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
export function noBackupStatus(timeZone: string): BackupStatus {
  const defaults = opsConfigFromEnv({});
  return readBackupStatus({ backupDir: null, backupKeep: defaults.backupKeep, backupAt: defaults.backupAt }, { lastBackup: null, lastBackupError: null }, timeZone);
}

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function newestFile(dir: string): BackupMemory['lastBackup'] {
  try {
    const file = listBackups(dir).at(-1);
    if (!file) return null;
    const st = statSync(file);
    return { at: st.mtimeMs, file, bytes: st.size };
  } catch {
    return null;
  }
}
