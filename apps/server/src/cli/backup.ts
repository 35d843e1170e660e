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
import { takeBackup } from '../ops/backup.js';
import { opsConfigFromEnv } from '../ops/config.js';
import { voiceDirOf } from '../ops/voice-backup.js';
import { parseArgs } from './args.js';

async function main(): Promise<number> {
  const { flags } = parseArgs(process.argv.slice(2));
  if (flags.has('help')) {
    console.log('Usage: scripts/backup [--to DIR] [--keep N]   (default: LUOT_BACKUP_DIR, LUOT_BACKUP_KEEP)');
    return 0;
  }
  const ops = opsConfigFromEnv();
  const to = typeof flags.get('to') === 'string' ? resolve(flags.get('to') as string) : ops.backupDir;
  const keep = typeof flags.get('keep') === 'string' ? Number(flags.get('keep')) : ops.backupKeep;
  if (!to) {
    console.error('No backup folder: set LUOT_BACKUP_DIR or pass --to DIR');
    return 2;
  }
  if (!Number.isInteger(keep) || keep < 1) {
    console.error('--keep must be a whole number >= 1');
    return 2;
  }
  if (!existsSync(ops.dbFile)) {
    console.error(`No database at ${ops.dbFile} (check LUOT_DATA_DIR)`);
    return 2;
  }
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
    for (const f of r.deleted) console.log(`  removed old backup ${f}`);
    return 0;
  } finally {
    db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`Sao lưu thất bại / backup failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
