import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseDamagedError, DatabaseTooNewError, openDatabase, type Db } from '../db/open.js';
import { storageFaultOf } from '../errors.js';
import { listBackups } from './backup.js';
import { diskIsFull } from './storage-health.js';
import { RestoreError, verifyBackup } from './restore.js';
import { EXIT, StartRefused } from './start-refusal.js';

/** The checkout or install root (the folder with scripts/restore), for the commands we print. */
const installRoot = (() => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (let d = here; dirname(d) !== d; d = dirname(d)) if (existsSync(join(d, 'scripts', 'restore'))) return d;
  return '/opt/luot';
})();
const isWindows = process.platform === 'win32';

/** The restore command for this install, as the IT person types it. */
export function restoreCommand(backupFile: string): string {
  return isWindows ? `${join(installRoot, 'deploy', 'windows', 'restore.cmd')} "${backupFile}"` : `${join(installRoot, 'scripts', 'restore')} ${backupFile}`;
}

/**
 * The newest backup in `dir` that passes the same checks a restore makes (integrity, the
 * queue's consistency, a schema this Luot can open), newest first; null when none does.
 */
export function newestGoodBackup(dir: string | null): string | null {
  if (!dir || !existsSync(dir)) return null;
  for (const file of listBackups(dir).reverse()) {
    try {
      verifyBackup(file);
      return file;
    } catch (err) {
      if (!(err instanceof RestoreError)) continue;
    }
  }
  return null;
}

/**
 * Leftovers of a restore that was killed before its last step (ops/restore.ts): the copy that was
 * being prepared, and its journal. The live database was never touched by then, so they go.
 */
export function removeRestoreLeftovers(dataDir: string): string[] {
  if (!existsSync(dataDir)) return [];
  const gone: string[] = [];
  for (const f of readdirSync(dataDir)) {
    if (/^luot\.sqlite\.restoring(-journal|-wal|-shm)?$/.test(f)) {
      rmSync(join(dataDir, f), { force: true });
      gone.push(f);
    }
  }
  return gone;
}

/**
 * Opens the database the way the server serves it, or refuses to start with words an IT person
 * can act on: a damaged file names the newest good backup and the restore command; a file from
 * a newer Luot says to upgrade; a disk too full to even open it says so.
 */
export function openServedDatabase(dbFile: string, backupDir: string | null): Db {
  try {
    return openDatabase(dbFile);
  } catch (err) {
    if (err instanceof DatabaseDamagedError) {
      const backup = newestGoodBackup(backupDir);
      const detail = err.problems.slice(0, 3).join('; ');
      const where = backupDir ? backupDir : '(LUOT_BACKUP_DIR chưa đặt / not set)';
      throw new StartRefused(
        EXIT.damaged,
        `Cơ sở dữ liệu ${dbFile} bị hỏng (${detail}). Máy chủ không chạy trên dữ liệu hỏng. ` +
          (backup
            ? `Bản sao lưu tốt gần nhất: ${backup}. Khôi phục bằng lệnh: ${restoreCommand(backup)} rồi khởi động lại dịch vụ (docs/operations.md, "Restore").`
            : `Không tìm thấy bản sao lưu tốt trong ${where}. Tìm bản sao lưu khác (USB) rồi chạy ${restoreCommand('<tệp sao lưu>')}.`),
        `The database ${dbFile} is damaged (${detail}). The server does not run on damaged data. ` +
          (backup
            ? `Newest good backup: ${backup}. Restore it with: ${restoreCommand(backup)} then start the service again (docs/operations.md, "Restore").`
            : `No good backup found in ${where}. Find another backup (USB stick), then run ${restoreCommand('<backup file>')}.`),
        { cause: err },
      );
    }
    if (err instanceof DatabaseTooNewError) {
      throw new StartRefused(
        EXIT.newer,
        `Cơ sở dữ liệu ${dbFile} được tạo bởi phiên bản Luot mới hơn (lược đồ ${err.version}, bản này ${err.latest}). Cài lại phiên bản mới, hoặc khôi phục bản sao lưu trước khi nâng cấp.`,
        `The database ${dbFile} was written by a newer Luot (schema ${err.version}, this one ${err.latest}). Install the newer release again, or restore the backup taken before the upgrade.`,
        { cause: err },
      );
    }
    const fault = storageFaultOf(err);
    // Opening in WAL mode needs room for the -shm file: a full disk shows up as an I/O error.
    if (fault === 'full' || (fault && diskIsFull(dirname(dbFile)))) {
      throw new StartRefused(
        EXIT.diskFull,
        `Ổ đĩa chứa ${dbFile} đã đầy, không mở được cơ sở dữ liệu. Giải phóng dung lượng; dịch vụ tự khởi động lại khi có chỗ trống.`,
        `The disk holding ${dbFile} is full: the database cannot be opened. Free some space; the service starts again by itself once there is room.`,
        { cause: err },
      );
    }
    if (fault) {
      const code = (err as { code?: string }).code;
      throw new StartRefused(
        EXIT.storage,
        `Không đọc/ghi được cơ sở dữ liệu ${dbFile} (${code}): lỗi ổ đĩa hoặc quyền truy cập. Kiểm tra ổ đĩa (dmesg, SMART).`,
        `Cannot read or write the database ${dbFile} (${code}): a disk or permission problem. Check the disk (dmesg, SMART).`,
        { cause: err },
      );
    }
    throw err;
  }
}
