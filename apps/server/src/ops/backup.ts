import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../db/open.js';
import { checkDatabase } from './check.js';
import { crashPoint } from './crash-point.js';
import { fsyncDir, fsyncFile, stamp } from './files.js';
import { VOICE_LANGS } from '../voice/clips.js';
import { readCenterVoice, VOICE_BACKUP_FILE, voiceBackupFileOf, voiceDirOf, writeVoicePartials, type VoiceFileWritten } from './voice-backup.js';

/** luot-2026-03-04-020000.sqlite, with -2, -3 ... when two backups fall in the same second. */
export const BACKUP_FILE = /^luot-(\d{4}-\d{2}-\d{2})-(\d{6})(?:-(\d+))?\.sqlite$/;

export interface BackupOptions {
  /** The backup folder. It must exist: a missing folder usually means the USB stick is not plugged in. */
  dir: string;
  /** How many backup files to keep (the oldest beyond that are deleted). */
  keep: number;
  /** The center's time zone, for the date in the file name. */
  timeZone: string;
  now: number;
  /**
   * Pages copied per step. Between steps the event loop runs, so the server keeps issuing tickets
   * during a backup. When the source is written through the same connection (the server's own
   * nightly backup) SQLite updates the copy in place; when another process writes (the backup
   * command while the server runs), SQLite restarts the copy, so the CLI copies in one step: one
   * read transaction, which in WAL mode never blocks the writer.
   */
  pagesPerStep?: number;
  /**
   * The center's voice folder, whose recordings go into the backup beside the database
   * (ops/voice-backup.ts). Default: `voice/` beside the database file, where the server keeps
   * it (`<LUOT_DATA_DIR>/voice`); null = the database only.
   */
  voiceDir?: string | null;
}

export interface BackupResult {
  file: string;
  bytes: number;
  schemaVersion: number;
  tickets: number;
  deleted: string[];
  /** The voice files written beside the database backup, one per language with own recordings (none: no recorded voice). */
  voice: { lang: string; file: string; clips: number; bytes: number }[];
  ms: number;
}

/** A backup that failed; `vi` the same in Vietnamese (the command prints both). */
export class BackupError extends Error {
  constructor(
    message: string,
    readonly vi?: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

/** The backups in a folder, oldest first (the names sort by time). */
export function listBackups(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return backupsAmong(readdirSync(dir), dir);
}

/** Of a folder's file names, the backups, oldest first, as paths. */
export function backupsAmong(names: readonly string[], dir: string): string[] {
  return names
    .filter((f) => BACKUP_FILE.test(f))
    .sort((a, b) => {
      const [, da, ta, na] = BACKUP_FILE.exec(a)!;
      const [, db, tb, nb] = BACKUP_FILE.exec(b)!;
      return `${da}${ta}`.localeCompare(`${db}${tb}`) || Number(na ?? 1) - Number(nb ?? 1);
    })
    .map((f) => join(dir, f));
}

/**
 * Whether the folder already holds a backup taken on `day` (YYYY-MM-DD, local) at or after
 * `hhmm`: the scheduler's memory across restarts, so a restart at 09:00 does not take a second
 * backup, and a PC switched off at 02:00 catches up once it is on.
 */
export function hasBackupSince(dir: string, day: string, hhmm: string): boolean {
  const after = hhmm.replace(':', '') + '00';
  return listBackups(dir).some((f) => {
    const m = BACKUP_FILE.exec(f.slice(f.lastIndexOf('luot-')));
    return !!m && m[1] === day && m[2]! >= after;
  });
}

/** Files a killed backup leaves on the stick: the copies in progress (database, voice) and the database's journal (or WAL). */
const LEFTOVER = /^luot-.*\.partial(-journal|-wal|-shm)?$/;

/**
 * Deletes what an interrupted backup left in the backup folder: the `.partial` copies and the
 * `-journal`, and a voice file whose database backup is not there (the database is renamed last:
 * a backup killed between the two renames is not a backup). Without this a killed copy's journal
 * stayed on the stick forever. Run before every backup and when the server starts. Returns the
 * deleted names.
 */
export function removeBackupLeftovers(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const gone: string[] = [];
  const names = readdirSync(dir);
  for (const f of names) {
    const voice = VOICE_BACKUP_FILE.exec(f);
    if (!LEFTOVER.test(f) && !(voice && !names.includes(`${voice[1]}.sqlite`))) continue;
    rmSync(join(dir, f), { force: true });
    gone.push(f);
  }
  return gone;
}

/** A file system out of room (a full USB stick). */
const isDiskFull = (err: unknown) => ['ENOSPC', 'EDQUOT'].includes((err as NodeJS.ErrnoException).code ?? '');

/**
 * Copies the live database with SQLite's online backup API into `dir`, verifies the copy
 * (integrity_check and the queue's own consistency), then gives it its final name and deletes
 * the oldest copies beyond `keep`. The copy is written as `<name>.partial` and renamed only once
 * verified, so a stick pulled out mid-backup never leaves a file that looks complete.
 */
export async function takeBackup(db: Db, opts: BackupOptions): Promise<BackupResult> {
  const started = performance.now();
  if (!existsSync(opts.dir) || !statSync(opts.dir).isDirectory()) {
    // Never mkdir -p here: on Linux the stick's mount point exists as an empty folder on the
    // system disk when the stick is missing, and the backups would silently fill that disk.
    throw new BackupError(
      `backup folder ${opts.dir} does not exist (is the USB stick plugged in?)`,
      `Không thấy thư mục sao lưu ${opts.dir} (USB đã cắm chưa? thư mục đã được tạo trên USB chưa?)`,
    );
  }
  removeBackupLeftovers(opts.dir);
  const base = `luot-${stamp(opts.now, opts.timeZone)}`;
  let name = `${base}.sqlite`;
  for (let i = 2; existsSync(join(opts.dir, name)); i++) name = `${base}-${i}.sqlite`;
  const file = join(opts.dir, name);
  const partial = `${file}.partial`;
  const pages = opts.pagesPerStep ?? 256;
  // The server's database lies in its data directory, the voice folder beside it (main.ts).
  const voiceDir = opts.voiceDir !== undefined ? opts.voiceDir : db.memory || !db.name ? null : voiceDirOf(dirname(db.name));
  let voice: VoiceFileWritten[] = [];
  let done = false;

  try {
    await db.backup(partial, {
      progress: () => {
        crashPoint('backup-step');
        return pages;
      },
    });
    const copy = new Database(partial);
    let check;
    let tickets = 0;
    let center: string | undefined;
    try {
      // A single self-contained file: the copy inherits WAL mode from the source, which would
      // need -wal and -shm files beside it to be read.
      copy.pragma('journal_mode = DELETE');
      // A backup goes on a USB stick: it never carries a checked-in citizen's name (docs/privacy.md).
      if (copy.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checkin_citizens'`).get()) {
        copy.pragma('secure_delete = ON');
        copy.exec('DELETE FROM checkin_citizens');
        copy.exec('VACUUM');
      }
      check = checkDatabase(copy);
      if (check.ok) tickets = copy.prepare<[], { n: number }>('SELECT count(*) AS n FROM tickets').get()!.n;
      center = centerNameOf(copy);
    } finally {
      copy.close();
    }
    if (!check.ok) throw new BackupError(`backup copy failed its check: ${[...check.integrity, ...check.problems].join('; ')}`, 'Bản sao lưu vừa chép không qua được kiểm tra (cơ sở dữ liệu có thể bị hỏng): báo bộ phận kỹ thuật.');
    fsyncFile(partial);
    // The voice, written whole under its final names before the database gets its own: the
    // database's rename is the one step that makes the backup (removeBackupLeftovers deletes a
    // voice file without its database).
    if (voiceDir) {
      try {
        voice = writeVoicePartials(readCenterVoice(voiceDir), file, { exportedAt: new Date(opts.now).toISOString(), ...(center ? { center } : {}) });
      } catch (err) {
        if (isDiskFull(err)) {
          throw new BackupError(
            `backup folder ${opts.dir} is full: the center's voice recordings did not fit (free some space or use a larger USB stick) (${(err as Error).message})`,
            `Thư mục sao lưu ${opts.dir} đã đầy: không đủ chỗ cho giọng đọc của trung tâm (xóa bớt tệp hoặc dùng USB lớn hơn).`,
          );
        }
        throw err;
      }
      crashPoint('backup-voice-written');
      for (const v of voice) renameSync(v.partial, v.file);
      if (voice.length) fsyncDir(opts.dir);
      crashPoint('backup-voice-renamed');
    }
    crashPoint('backup-verified');
    renameSync(partial, file);
    fsyncDir(opts.dir);
    done = true;
    const bytes = statSync(file).size;
    const deleted = pruneBackups(opts.dir, opts.keep, file);
    return {
      file,
      bytes,
      schemaVersion: check.schemaVersion,
      tickets,
      deleted,
      voice: voice.map(({ lang, file: f, clips, bytes }) => ({ lang, file: f, clips, bytes })),
      ms: Math.round(performance.now() - started),
    };
  } catch (err) {
    rmSync(partial, { force: true });
    rmSync(`${partial}-journal`, { force: true });
    if (!done) {
      for (const v of voice) {
        rmSync(v.partial, { force: true });
        rmSync(v.file, { force: true });
      }
      // A partial voice file that failed while being written (not in `voice` yet).
      for (const lang of VOICE_LANGS) rmSync(`${voiceBackupFileOf(file, lang)!}.partial`, { force: true });
    }
    throw err;
  }
}

function centerNameOf(db: Database.Database): string | undefined {
  try {
    const row = db.prepare<[], { value: string }>(`SELECT value FROM settings WHERE key = 'center'`).get();
    const name = row ? (JSON.parse(row.value) as { centerName?: unknown }).centerName : undefined;
    return typeof name === 'string' && name ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Deletes the oldest backups beyond `keep`, each with its voice files; returns the deleted paths.
 * `justWritten` counts as the newest whatever its name: names carry the wall clock's time, and
 * after the clock was set back the backup just taken sorts before older ones. It is never the one
 * deleted (a wrong clock must not leave the center without tonight's backup).
 */
export function pruneBackups(dir: string, keep: number, justWritten?: string): string[] {
  const all = listBackups(dir).filter((f) => f !== justWritten);
  const room = Math.max(1, keep) - (justWritten ? 1 : 0);
  const old = all.slice(0, Math.max(0, all.length - room));
  const deleted: string[] = [];
  for (const f of old) {
    rmSync(f, { force: true });
    deleted.push(f);
    for (const lang of VOICE_LANGS) {
      const v = voiceBackupFileOf(f, lang)!;
      if (existsSync(v)) {
        rmSync(v, { force: true });
        deleted.push(v);
      }
    }
  }
  return deleted;
}
