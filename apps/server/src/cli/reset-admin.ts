#!/usr/bin/env node
/**
 * Sets a new password for an admin (creates "admin" when there is none):
 * `node apps/server/dist/src/cli/reset-admin.js [--user NAME] [--password-stdin]` (scripts/reset-admin).
 * For a forgotten admin password, or a production start without LUOT_ADMIN_PASSWORD. Works with
 * the service stopped or running: the data directory's lock (luot.lock) only keeps a second
 * server out; the database itself takes a second writer for a moment (WAL, busy_timeout). With
 * the server stopped the command holds the lock meanwhile, so no server starts halfway through.
 * The password: typed twice at the prompt (not shown), or LUOT_NEW_ADMIN_PASSWORD, or the first
 * line of stdin with --password-stdin; never a command-line argument (other users see those).
 * Settings from the environment, as the server: LUOT_DATA_DIR. See docs/operations.md.
 */
import { existsSync } from 'node:fs';
import { openDatabase } from '../db/open.js';
import { opsConfigFromEnv } from '../ops/config.js';
import { lockDataDir, type DataDirLock } from '../ops/data-dir-lock.js';
import { MIN_ADMIN_PASSWORD, resetAdmin, ResetAdminError } from '../ops/reset-admin.js';
import { settingErrorText } from '../ops/setting-error.js';
import { StartRefused } from '../ops/start-refusal.js';
import { parseArgs } from './args.js';

const USAGE = `Cách dùng / Usage: scripts/reset-admin [--user NAME] [--password-stdin] [--data-dir DIR]
  Đặt mật khẩu mới cho tài khoản quản trị (tạo "admin" nếu chưa có), đăng xuất mọi phiên của nó.
  Sets a new password for an admin account (creates "admin" if there is none) and signs it out everywhere.
  --user NAME        the admin to reset (default: "admin", or the only admin); a new name creates an admin
  --password-stdin   read the password from the first line of stdin (else LUOT_NEW_ADMIN_PASSWORD, else a prompt)
  --data-dir DIR     the data directory (default: LUOT_DATA_DIR, else ./data)
  The service may be running or stopped. / Dịch vụ đang chạy hay đã dừng đều được.`;

function fail(vi: string, en: string, code = 2): number {
  console.error(`${vi}\n${en}`);
  return code;
}

/** Reads the first line of stdin (piped). */
async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** Asks for a line on the terminal without showing what is typed. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          process.stderr.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') {
          done();
          process.stderr.write('\n');
          return reject(new Error('cancelled'));
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
    stdin.on('data', onData);
  });
}

async function readPassword(fromStdin: boolean): Promise<string | null> {
  if (fromStdin) return firstLineOfStdin();
  if (process.env.LUOT_NEW_ADMIN_PASSWORD) return process.env.LUOT_NEW_ADMIN_PASSWORD;
  if (!process.stdin.isTTY) return null;
  const first = await promptHidden(`Mật khẩu mới / new password (ít nhất / at least ${MIN_ADMIN_PASSWORD}): `);
  const again = await promptHidden('Nhập lại / again: ');
  if (first !== again) throw new ResetAdminError('Hai lần nhập không giống nhau; không có gì thay đổi.', 'The two entries differ; nothing was changed.');
  return first;
}

async function main(): Promise<number> {
  const { flags } = parseArgs(process.argv.slice(2));
  if (flags.has('help') || flags.has('h')) {
    console.log(USAGE);
    return 0;
  }
  const env = { ...process.env };
  if (typeof flags.get('data-dir') === 'string') env.LUOT_DATA_DIR = flags.get('data-dir') as string;
  let ops;
  try {
    ops = opsConfigFromEnv(env);
  } catch (err) {
    const t = settingErrorText(err);
    return fail(`Cấu hình sai: ${t.vi}`, `Bad setting: ${t.en}`);
  }
  const user = flags.get('user');
  if (user === true) return fail('--user cần một tên tài khoản.', '--user needs a user name.');
  if (!existsSync(ops.dbFile)) {
    return fail(
      `Không có cơ sở dữ liệu tại ${ops.dbFile} (kiểm tra LUOT_DATA_DIR; khởi động máy chủ một lần trước).`,
      `No database at ${ops.dbFile} (check LUOT_DATA_DIR; start the server once first).`,
    );
  }
  const password = await readPassword(flags.has('password-stdin'));
  if (password === null) {
    return fail(
      'Không có mật khẩu: chạy lệnh trong cửa sổ dòng lệnh (sẽ hỏi mật khẩu), hoặc đặt LUOT_NEW_ADMIN_PASSWORD, hoặc dùng --password-stdin.',
      'No password: run it in a terminal (it asks), or set LUOT_NEW_ADMIN_PASSWORD, or use --password-stdin.',
    );
  }

  // The server stopped: hold its lock while writing. Running: it keeps the lock, and SQLite lets
  // this process write between the server's transactions.
  let lock: DataDirLock | null = null;
  try {
    lock = lockDataDir(ops.dataDir);
  } catch (err) {
    if (!(err instanceof StartRefused)) throw err;
  }
  const db = openDatabase(ops.dbFile, { check: false });
  try {
    const r = await resetAdmin(db, { ...(typeof user === 'string' ? { username: user } : {}), password, now: Date.now() });
    console.log(
      r.created
        ? `Đã tạo tài khoản quản trị "${r.username}" / admin account "${r.username}" created.`
        : `Đã đặt mật khẩu mới cho "${r.username}" / new password set for "${r.username}"; ${r.tokensRevoked} phiên đăng nhập đã bị hủy / sessions revoked.`,
    );
    if (r.enabled) console.log(`  Tài khoản đã được mở khóa lại / the account is enabled again.`);
    console.log(
      lock
        ? '  Khởi động dịch vụ Luot rồi đăng nhập tại /admin. / Start the Luot service and sign in at /admin.'
        : '  Máy chủ đang chạy: đăng nhập tại /admin ngay. / The server is running: sign in at /admin now.',
    );
    console.log('  Ghi vào nhật ký quản trị / recorded in the audit log (user.password-reset).');
    return 0;
  } finally {
    db.close();
    lock?.release();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ResetAdminError) {
      console.error(`${err.vi}\n${err.message}`);
      process.exit(2);
    }
    console.error(`Không đặt lại được mật khẩu / reset failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
