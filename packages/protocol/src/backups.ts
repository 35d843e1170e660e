/**
 * GET /api/v1/admin/backups: the center's nightly backup as the running server knows it
 * (docs/operations.md, "Backups"), so the director and the IT person see on the dashboard that
 * backups work, not only in the log.
 */
export interface BackupStatus {
  /** LUOT_BACKUP_DIR (null: not set, nothing is backed up). */
  folder: string | null;
  /** Whether that folder is there right now (false: the USB stick is unplugged, or no folder set). */
  folderPresent: boolean;
  /** LUOT_BACKUP_KEEP: how many backup files are kept. */
  keep: number;
  /** LUOT_BACKUP_AT: the daily backup time, "HH:MM" in the center's time zone. */
  at: string;
  /**
   * The newest backup: taken by the server, or found in the folder (taken before a restart, or by
   * hand with scripts/backup). `file` is the name within `folder`; `at` ISO with the center's offset.
   */
  lastBackup: { at: string; file: string; bytes: number } | null;
  /** The last backup attempt's failure; null once a backup succeeds again. */
  lastError: { at: string; message: string } | null;
}
