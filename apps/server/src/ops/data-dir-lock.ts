import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EXIT, StartRefused } from './start-refusal.js';

/**
 * One data directory, one process: an operating-system lock, which the kernel releases when the
 * holder dies (SIGKILL, power cut), so it can never go stale like a pid file.
 *
 * The lock is SQLite's own (POSIX fcntl locks on Linux, LockFileEx on Windows) on a small
 * separate file, `<dataDir>/luot.lock`, opened with `locking_mode=EXCLUSIVE` and written once:
 * SQLite then holds its exclusive lock until the connection closes. A separate file, because the
 * database itself must stay readable by the backup command while the server runs. The holder's
 * pid is written in the file header (user_version, bytes 60-63), where the refused process reads
 * it with a plain read; the lock covers other bytes.
 */
export const LOCK_FILE = 'luot.lock';

export interface DataDirLock {
  file: string;
  release(): void;
}

/**
 * Locks held by this process. Referenced from here on purpose: a better-sqlite3 connection that
 * nothing references is garbage-collected, closed, and its lock silently released.
 */
const held = new Set<Database.Database>();

/** The pid written by the holder, and what that process is when the system says (Linux /proc). */
export function lockHolder(dir: string): { pid: number | null; command: string | null } {
  let pid: number | null = null;
  try {
    const fd = openSync(join(dir, LOCK_FILE), 'r');
    try {
      const b = Buffer.alloc(4);
      if (readSync(fd, b, 0, 4, 60) === 4) pid = b.readUInt32BE(0) || null;
    } finally {
      closeSync(fd);
    }
  } catch {
    // No file or unreadable: unknown holder.
  }
  let command: string | null = null;
  if (pid !== null) {
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || null;
    } catch {
      // Not Linux, or another user's process.
    }
  }
  return { pid, command };
}

/**
 * Takes the data directory's lock for the life of this process, or throws StartRefused at once
 * (no waiting) naming the process that holds it. `who` says what the holder is in the message.
 */
export function lockDataDir(dir: string): DataDirLock {
  const file = join(dir, LOCK_FILE);
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // Nothing in this file needs a journal; a journal file left beside it would only confuse.
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
    db.pragma(`user_version = ${process.pid}`);
    db.exec('COMMIT');
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      const h = lockHolder(dir);
      const proc = h.pid ? `${h.pid}${h.command ? ` (${h.command})` : ''}` : null;
      throw new StartRefused(
        EXIT.locked,
        `Một tiến trình Luot khác đang dùng thư mục dữ liệu ${dir}${proc ? `: tiến trình ${proc}` : ''}. Mỗi thư mục dữ liệu chỉ một máy chủ; dừng tiến trình kia trước (systemctl stop luot).`,
        `Another Luot process is using the data directory ${dir}${proc ? `: process ${proc}` : ''}. One server per data directory; stop the other one first (systemctl stop luot).`,
        { cause: err },
      );
    }
    throw err;
  }
  held.add(db);
  return {
    file,
    release() {
      if (!held.delete(db)) return;
      db.close();
    },
  };
}
