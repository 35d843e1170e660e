#!/usr/bin/env node
/**
 * Takes one backup now: `node apps/server/dist/src/cli/backup.js [--to DIR] [--keep N]`
 * (wrapped as scripts/backup). Safe while the server runs: it opens the database read-only and
 * copies it with SQLite's online backup API in one read transaction (WAL: the server keeps
 * writing meanwhile). The center's recorded voice (<data dir>/voice) goes beside it, one
 * `.voice-<lang>.json` per language. Settings from the environment, as the server: LUOT_DATA_DIR,
 * LUOT_BACKUP_DIR, LUOT_BACKUP_KEEP.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_SETTINGS } from '../db/settings.repo.js';
import { BackupError, takeBackup } from '../ops/backup.js';
import { opsConfigFromEnv } from '../ops/config.js';
import { settingErrorText } from '../ops/setting-error.js';
import { voiceDirOf } from '../ops/voice-backup.js';
import { parseArgs } from './args.js';

const USAGE = `Cách dùng / Usage: scripts/backup [--to DIR] [--keep N]
  Sao lưu cơ sở dữ liệu ngay (máy chủ vẫn chạy được). / Takes one backup now (safe while the server runs).
  --to DIR   the backup folder (default: LUOT_BACKUP_DIR); it must exist (the USB stick)
  --keep N   backups kept, older ones deleted (default: LUOT_BACKUP_KEEP, 14)`;

function fail(vi: string, en: string): number {
  console.error(`${vi}\n${en}`);
  return 2;
}

async function main(): Promise<number> {
  const { flags } = parseArgs(process.argv.slice(2));
  if (flags.has('help') || flags.has('h')) {
    console.log(USAGE);
    return 0;
  }
  let ops;
  try {
    ops = opsConfigFromEnv();
  } catch (err) {
    const t = settingErrorText(err);
    return fail(`Cấu hình sai: ${t.vi}`, `Bad setting: ${t.en}`);
  }
  const to = typeof flags.get('to') === 'string' ? resolve(flags.get('to') as string) : ops.backupDir;
  const keep = typeof flags.get('keep') === 'string' ? Number(flags.get('keep')) : ops.backupKeep;
  if (!to) return fail('Chưa có thư mục sao lưu: đặt LUOT_BACKUP_DIR hoặc thêm --to THƯ-MỤC.', 'No backup folder: set LUOT_BACKUP_DIR or pass --to DIR.');
  if (!Number.isInteger(keep) || keep < 1) return fail('--keep phải là số nguyên từ 1 trở lên.', '--keep must be a whole number >= 1.');
  if (!existsSync(ops.dbFile)) return fail(`Không có cơ sở dữ liệu tại ${ops.dbFile} (kiểm tra LUOT_DATA_DIR).`, `No database at ${ops.dbFile} (check LUOT_DATA_DIR).`);
  const db = new Database(ops.dbFile, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const row = db.prepare<[string], { value: string }>(`SELECT value FROM settings WHERE key = ?`).get('center');
    const timeZone = (row ? (JSON.parse(row.value) as { timeZone?: string }).timeZone : undefined) ?? DEFAULT_SETTINGS.timeZone;
    // One step (a huge page count): another process (the server) writing between steps would
    // make SQLite restart the copy; one step is one consistent read transaction.
    const r = await takeBackup(db, { dir: to, keep, timeZone, now: Date.now(), pagesPerStep: 0x7fffffff, voiceDir: voiceDirOf(ops.dataDir) });
    console.log(`Sao lưu xong / backup done: ${r.file} (${r.bytes} bytes, ${r.tickets} tickets, schema v${r.schemaVersion}, ${r.ms} ms)`);
    for (const v of r.voice) console.log(`  Giọng đọc / voice (${v.lang}): ${v.file} (${v.clips} clips, ${v.bytes} bytes)`);
    if (!r.voice.length) console.log('  Không có giọng đọc riêng để sao lưu / no recorded voice to back up (the built-in one is used)');
    for (const f of r.deleted) console.log(`  Đã xóa bản sao lưu cũ / removed old backup ${f}`);
    return 0;
  } finally {
    db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const vi = err instanceof BackupError && err.vi ? err.vi : 'xem câu tiếng Anh bên dưới';
    console.error(`Sao lưu thất bại: ${vi}\nBackup failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
