import { statSync } from 'node:fs';
import { verifyPassword } from '../auth/passwords.js';
import type { Repos } from '../db/repos.js';

/**
 * What the start banner warns the IT person about (Vietnamese, then English), each a thing that
 * silently goes wrong otherwise: nobody can sign in, the demo officers keep their public password,
 * no nightly backup. Also written to the log (main.ts).
 */
export interface StartWarning {
  code: 'no_admin' | 'demo_passwords' | 'backup_unset' | 'backup_folder_missing';
  vi: string;
  en: string;
}

/** The demo center's officers (demo/seed-demo.ts) and their password. */
const DEMO_OFFICERS = ['canbo1', 'canbo2', 'canbo3', 'canbo4'];

export async function startWarnings(opts: { repos: Repos; demo: boolean; demoPassword: string; backupDir: string | null }): Promise<StartWarning[]> {
  const out: StartWarning[] = [];
  if (!opts.repos.users.hasAdmin()) {
    out.push({
      code: 'no_admin',
      vi: 'Chưa có tài khoản quản trị: đặt LUOT_ADMIN_PASSWORD rồi khởi động lại, hoặc chạy scripts/reset-admin.',
      en: 'No admin account yet: set LUOT_ADMIN_PASSWORD and restart, or run scripts/reset-admin.',
    });
  }
  if (!opts.demo) {
    const still: string[] = [];
    for (const name of DEMO_OFFICERS) {
      const u = opts.repos.users.byUsername(name);
      if (u && !u.disabled && u.username === name && (await isPassword(opts.demoPassword, u.passwordHash))) still.push(name);
    }
    if (still.length) {
      out.push({
        code: 'demo_passwords',
        vi: `Tài khoản mẫu ${still.join(', ')} vẫn dùng mật khẩu "${opts.demoPassword}" ai cũng biết: đổi mật khẩu hoặc khóa chúng trong trang Quản trị.`,
        en: `The demo accounts ${still.join(', ')} still have the public password "${opts.demoPassword}": change their passwords or disable them on the admin page.`,
      });
    }
  }
  if (!opts.backupDir) {
    out.push({
      code: 'backup_unset',
      vi: 'Chưa đặt LUOT_BACKUP_DIR: không có bản sao lưu hằng đêm. Đặt thư mục sao lưu (USB) rồi khởi động lại.',
      en: 'LUOT_BACKUP_DIR is not set: no nightly backups. Set the backup folder (USB stick) and restart.',
    });
  } else if (!isFolder(opts.backupDir)) {
    out.push({
      code: 'backup_folder_missing',
      vi: `Không thấy thư mục sao lưu ${opts.backupDir} (USB chưa cắm, hoặc chưa tạo thư mục?): bản sao lưu đêm nay sẽ thất bại.`,
      en: `The backup folder ${opts.backupDir} is missing (USB stick not plugged in, or the folder not created?): tonight's backup will fail.`,
    });
  }
  return out;
}

/** A stored hash this Luot cannot read is not the demo password (and must not stop the start). */
async function isPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await verifyPassword(password, hash);
  } catch {
    return false;
  }
}

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
