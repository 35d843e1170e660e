import { closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EXIT, StartRefused } from './start-refusal.js';

const why = (code: string | undefined): { vi: string; en: string } => {
  switch (code) {
    case 'EROFS':
      return { vi: 'ổ đĩa chỉ cho phép đọc (read-only)', en: 'the file system is read-only' };
    case 'EACCES':
    case 'EPERM':
      return { vi: 'tài khoản chạy Luot không có quyền ghi', en: 'the account running Luot has no permission to write there' };
    default:
      return { vi: `lỗi ${code ?? 'không rõ'}`, en: `error ${code ?? 'unknown'}` };
  }
};

/**
 * Checks the data directory before anything opens a file in it, so a wrong setting is refused in
 * milliseconds with the reason (SQLite would say "unable to open database file" after seconds):
 * - missing: created when its parent exists and is writable (a first start); otherwise refused,
 *   since a missing parent usually means a disk that is not mounted, where creating folders
 *   would put the data on the wrong disk;
 * - not a folder, read-only, or not writable by this account: refused, saying which.
 * A full disk is not refused here: the server starts and answers 503 STORAGE_FULL until there
 * is room (ops/storage-health.ts).
 * Returns whether the folder was created.
 */
export function prepareDataDir(dir: string): { created: boolean } {
  let created = false;
  let st;
  try {
    st = statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      const w = why(code);
      throw new StartRefused(EXIT.dataDir, `Không đọc được thư mục dữ liệu ${dir}: ${w.vi}.`, `Cannot read the data directory ${dir}: ${w.en}.`);
    }
    const parent = dirname(dir);
    try {
      if (!statSync(parent).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    } catch {
      throw new StartRefused(
        EXIT.dataDir,
        `Thư mục dữ liệu ${dir} không tồn tại, và thư mục cha ${parent} cũng không có (ổ đĩa chưa gắn?). Kiểm tra LUOT_DATA_DIR.`,
        `The data directory ${dir} is missing, and so is its parent ${parent} (a disk not mounted?). Check LUOT_DATA_DIR.`,
      );
    }
    try {
      mkdirSync(dir);
      created = true;
    } catch (e2) {
      const w = why((e2 as NodeJS.ErrnoException).code);
      throw new StartRefused(
        EXIT.dataDir,
        `Thư mục dữ liệu ${dir} không tồn tại và không tạo được trong ${parent}: ${w.vi}.`,
        `The data directory ${dir} is missing and cannot be created in ${parent}: ${w.en}.`,
      );
    }
    st = statSync(dir);
  }
  if (!st.isDirectory()) {
    throw new StartRefused(EXIT.dataDir, `${dir} không phải là thư mục (LUOT_DATA_DIR).`, `${dir} is not a directory (LUOT_DATA_DIR).`);
  }
  // Really create a file: access(W_OK) says yes to root on a read-only mount. An empty file needs
  // no data blocks, so a full disk still passes (it is handled while running).
  const probe = join(dir, `.luot-write-check-${process.pid}`);
  try {
    closeSync(openSync(probe, 'w'));
    unlinkSync(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOSPC' && code !== 'EDQUOT') {
      const w = why(code);
      throw new StartRefused(EXIT.dataDir, `Không ghi được vào thư mục dữ liệu ${dir}: ${w.vi}.`, `Cannot write in the data directory ${dir}: ${w.en}.`);
    }
  }
  return { created };
}
