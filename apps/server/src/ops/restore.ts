import { copyFileSync, existsSync, linkSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { businessDayOf } from '@luot/domain';
import Database from 'better-sqlite3';
import { loadMigrations } from '../db/migrate.js';
import { openDatabase, type Db } from '../db/open.js';
import { DEFAULT_SETTINGS } from '../db/settings.repo.js';
import { moveEpochOnAfterRestore, readIdentity, type CenterIdentity } from '../province/identity.js';
import { checkDatabase, type DatabaseCheck } from './check.js';
import { crashPoint } from './crash-point.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { fsyncDir, fsyncFile, stamp } from './files.js';
import { StartRefused } from './start-refusal.js';
import { commitStagedVoice, dropStagedVoice, settleVoiceSwap, stageVoiceFolder } from '../voice/folder-swap.js';
import { readVoiceBackups, VoiceBackupDamaged, voiceDirOf, type VoiceToRestore } from './voice-backup.js';

/** A restore refused or failed; `vi` the same in Vietnamese where the message is not already both. */
export class RestoreError extends Error {
  constructor(
    message: string,
    readonly vi?: string,
  ) {
    super(message);
    this.name = 'RestoreError';
  }
}

/**
 * Whether some process has the database open (the server, a backup command). In WAL mode every
 * open connection holds a shared lock on the file, so an exclusive lock is refused while one
 * exists; this works on Linux and Windows and cannot go stale after a crash, unlike a pid file.
 */
export function isDatabaseInUse(file: string): boolean {
  if (!existsSync(file)) return false;
  const probe = new Database(file, { fileMustExist: true });
  try {
    probe.pragma('busy_timeout = 0');
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('BEGIN EXCLUSIVE');
    probe.exec('COMMIT');
    return false;
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return true;
    // A damaged file cannot be probed, but it is not "in use" either: the data dir lock decides.
    if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return false;
    throw err;
  } finally {
    probe.close();
  }
}

/** Whether a Luot server answers /api/v1/health on this port of this machine. */
export async function serverAnswers(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  if (!port) return false;
  try {
    const res = await fetch(`http://${host}:${port}/api/v1/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json().catch(() => null)) as { status?: string } | null;
    return res.ok && body?.status === 'ok';
  } catch {
    return false;
  }
}

/** Opens a backup read-only and checks it: SQLite integrity, the queue's consistency, the schema version. */
export function verifyBackup(file: string): DatabaseCheck & { latest: number } {
  if (!existsSync(file) || !statSync(file).isFile()) throw new RestoreError(`backup file not found: ${file}`, `Không tìm thấy tệp sao lưu: ${file}`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new RestoreError(`cannot open ${file} as a database: ${(err as Error).message}`, `Không mở được ${file}: đây không phải tệp sao lưu Luot.`);
  }
  try {
    const latest = loadMigrations().at(-1)?.version ?? 0;
    let check: DatabaseCheck;
    try {
      check = checkDatabase(db);
    } catch (err) {
      throw new RestoreError(`${file} is not a readable SQLite database: ${(err as Error).message}`, `${file} không đọc được (không phải tệp sao lưu Luot, hoặc bị hỏng).`);
    }
    if (check.integrity.length) throw new RestoreError(`backup is damaged (integrity_check): ${check.integrity.slice(0, 5).join('; ')}`, 'Bản sao lưu bị hỏng: chọn bản sao lưu khác (cũ hơn).');
    if (check.schemaVersion > latest) {
      throw new RestoreError(
        `backup has schema version ${check.schemaVersion}, newer than this Luot (${latest}): upgrade Luot first`,
        `Bản sao lưu do phiên bản Luot mới hơn tạo ra (lược đồ ${check.schemaVersion} > ${latest}): cài phiên bản Luot đó trước.`,
      );
    }
    if (check.problems.length) throw new RestoreError(`backup is not a consistent Luot database: ${check.problems.slice(0, 5).join('; ')}`, 'Dữ liệu trong bản sao lưu không nhất quán: chọn bản sao lưu khác (cũ hơn).');
    return { ...check, latest };
  } finally {
    db.close();
  }
}

export interface RestoreOptions {
  backupFile: string;
  dataDir: string;
  /** The server's HTTP port, to refuse while it answers (0 = skip that check). */
  port: number;
  now: number;
  /** Time zone for the name of the folder the replaced database is kept in (local time of the machine by default). */
  timeZone?: string;
  /**
   * Only when the current database is missing or unreadable (so the numbers handed out today
   * after the backup are unknown): skip this many numbers of today, per service, past the
   * backup's last one. 0 = nothing was handed out today since the backup (e.g. restoring before
   * opening). Without it such a restore is refused.
   */
  skipNumbers?: number;
  /** The center's voice folder (default `<dataDir>/voice`, where the server keeps it). */
  voiceDir?: string;
}

/** A range of numbers the restored database will never hand out (numbering_gaps). */
export interface NumberingGap {
  businessDay: string;
  serviceId: number;
  firstSeq: number;
  lastSeq: number;
}

export interface RestoreResult {
  dbFile: string;
  /** Where the database that was replaced now lies (null if there was none). */
  keptAside: string | null;
  schemaBefore: number;
  schemaAfter: number;
  tickets: number;
  /**
   * How today's numbering was kept unique: `carried` from the current database, `skipped` by
   * `skipNumbers` because it could not be read, `none` when nothing needed doing.
   */
  numbering: { source: 'carried' | 'skipped' | 'none'; gaps: NumberingGap[]; liveProblem: string | null };
  /**
   * The center's recorded voice: each language whose voice file lay beside the backup, installed
   * in place of the current one (kept aside in `replaced/`); none: the backup has no recorded
   * voice and the current one was left as it is.
   */
  voice: { lang: string; clips: number; keptAside: string | null }[];
}

const DB_NAME = 'luot.sqlite';
const INCOMING = 'luot.sqlite.restoring';

interface LiveSequence {
  business_day: string;
  service_id: number;
  last_seq: number;
}

/**
 * The current database, read before it is replaced: every day's last number per service (the
 * numbers already on paper), even when other pages of the file are damaged; and its WAL folded
 * into the main file, so that the file alone is the whole database and nothing is left in a
 * -wal beside it. `sequences` null means it could not be read (`problem` says why).
 */
function readAndSettleLive(dbFile: string): { sequences: LiveSequence[] | null; problem: string | null; walFolded: boolean; identity: CenterIdentity | null } {
  if (!existsSync(dbFile)) return { sequences: null, problem: 'no current database', walFolded: true, identity: null };
  let live: Database.Database;
  try {
    live = new Database(dbFile, { fileMustExist: true });
  } catch (err) {
    return { sequences: null, problem: (err as Error).message, walFolded: false, identity: null };
  }
  let sequences: LiveSequence[] | null = null;
  let identity: CenterIdentity | null = null;
  let problem: string | null = null;
  let walFolded = false;
  try {
    live.pragma('busy_timeout = 0');
    try {
      sequences = live.prepare<[], LiveSequence>('SELECT business_day, service_id, last_seq FROM day_sequences').all();
    } catch (err) {
      problem = (err as Error).message;
    }
    try {
      // The province identity (docs/province.md): the restored copy's epoch must pass this one's.
      identity = readIdentity(live);
    } catch {
      identity = null;
    }
    try {
      const [r] = live.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
      walFolded = !!r && r.busy === 0 && r.log === r.checkpointed;
    } catch {
      walFolded = false;
    }
  } finally {
    try {
      live.close();
    } catch {
      // A damaged file may refuse its closing checkpoint: its WAL is then kept with it (below).
    }
  }
  return { sequences, problem, walFolded: walFolded && !existsSync(`${dbFile}-wal`), identity };
}

/**
 * Makes the restored copy's numbering start past every number already handed out: raises each
 * day's sequence row to the current database's, or, when that cannot be read, today's by
 * `skipNumbers`; records the skipped ranges in numbering_gaps. One transaction.
 */
function keepNumbersUnique(copy: Db, live: LiveSequence[] | null, skipNumbers: number | undefined, now: number): NumberingGap[] {
  const gaps: NumberingGap[] = [];
  const current = copy.prepare<[string, number], { last_seq: number }>('SELECT last_seq FROM day_sequences WHERE business_day = ? AND service_id = ?');
  const services = new Set(copy.prepare<[], { id: number }>('SELECT id FROM services').all().map((r) => r.id));
  const setSeq = copy.prepare(
    `INSERT INTO day_sequences (business_day, service_id, last_seq) VALUES (?, ?, ?)
     ON CONFLICT (business_day, service_id) DO UPDATE SET last_seq = excluded.last_seq`,
  );
  const addGap = copy.prepare('INSERT INTO numbering_gaps (business_day, service_id, first_seq, last_seq, reason, at) VALUES (?, ?, ?, ?, ?, ?)');
  const raise = (day: string, serviceId: number, to: number, reason: 'restore_carried' | 'restore_skipped') => {
    const from = (current.get(day, serviceId)?.last_seq ?? 0) + 1;
    if (to < from) return;
    setSeq.run(day, serviceId, to);
    addGap.run(day, serviceId, from, to, reason, now);
    gaps.push({ businessDay: day, serviceId, firstSeq: from, lastSeq: to });
  };
  copy.transaction(() => {
    if (live) {
      // A service created after the backup does not exist here: nothing can be issued for it.
      for (const s of live) if (services.has(s.service_id)) raise(s.business_day, s.service_id, s.last_seq, 'restore_carried');
    } else if (skipNumbers && skipNumbers > 0) {
      const row = copy.prepare<[], { value: string }>(`SELECT value FROM settings WHERE key = 'center'`).get();
      const timeZone = (row ? (JSON.parse(row.value) as { timeZone?: string }).timeZone : undefined) ?? DEFAULT_SETTINGS.timeZone;
      const today = businessDayOf(now, timeZone);
      for (const id of services) raise(today, id, (current.get(today, id)?.last_seq ?? 0) + skipNumbers, 'restore_skipped');
    }
  }).immediate();
  return gaps;
}

/** The previous database back in place, by a copy and one rename (the kept-aside file stays too). */
function putBack(keptAside: string, dbFile: string, tmp: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(tmp + suffix, { force: true });
  copyFileSync(keptAside, tmp);
  if (existsSync(`${keptAside}-wal`)) {
    // Fold its WAL into the copy, so that only one self-contained file moves into place.
    copyFileSync(`${keptAside}-wal`, `${tmp}-wal`);
    try {
      const d = new Database(tmp);
      d.pragma('wal_checkpoint(TRUNCATE)');
      d.close();
    } catch {
      // A damaged file: put back what its main file holds.
    }
    for (const suffix of ['-wal', '-shm']) rmSync(tmp + suffix, { force: true });
  }
  fsyncFile(tmp);
  for (const suffix of ['-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
  renameSync(tmp, dbFile);
  fsyncDir(dirname(dbFile));
}

function takeLock(dataDir: string): DataDirLock {
  try {
    return lockDataDir(dataDir);
  } catch (err) {
    if (err instanceof StartRefused) {
      throw new RestoreError(`${err.en.replace(/ One server per data directory.*$/, '')}: stop the service first`, `${err.vi.replace(/ Mỗi thư mục dữ liệu.*$/, '')}: dừng dịch vụ trước.`);
    }
    throw err;
  }
}

/**
 * Replaces the server's database with a backup, so that being killed at any point leaves the
 * server a whole database to start on, the old one or the restored one, never none:
 * 1. verifies the backup (integrity_check, consistency, schema not newer than the code);
 * 2. refuses while the server runs (/health on the port, the data directory's lock, the
 *    database's own lock), then holds the data directory's lock, so no server starts midway;
 * 3. copies the backup to `luot.sqlite.restoring` beside the database, migrates and checks the
 *    copy, and makes its numbering start past every number already handed out (below); fsync;
 * 4. folds the current database's WAL into its main file (so the file alone is complete);
 * 5. keeps the current database as `replaced/luot-before-restore-<time>.sqlite` by a hard link
 *    (a copy where links are not possible), never deleting it;
 * 6. renames the prepared copy over `luot.sqlite`: one atomic step from old to new;
 * 7. opens it as the server will and checks it;
 * 8. when a voice file lies beside the backup (ops/voice-backup.ts, checked with the backup in
 *    step 1 and written whole beside the current voice in step 3), swaps the voice folder:
 *    the current one kept in `replaced/voice-before-restore-<time>/`, never deleted; killed
 *    midway, the server's start finishes it (voice/folder-swap.ts). No voice file: the current
 *    voice is left as it is.
 * A kill before 6 leaves the old database in place (and a `.restoring` the next start or restore
 * removes); after 6 the restored one.
 *
 * Numbering: the current database's last number per day and service is carried into the
 * restored one (the numbers in between, handed out after the backup, are recorded as skipped),
 * so the restored database never hands out a number already on a citizen's paper. If the
 * current database is missing or unreadable, `skipNumbers` must say how many of today's
 * numbers to skip (docs/operations.md, "Numbering after a restore").
 */
export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const verified = verifyBackup(opts.backupFile);
  const voiceDir = opts.voiceDir ?? voiceDirOf(opts.dataDir);
  let voice: VoiceToRestore[];
  try {
    voice = readVoiceBackups(opts.backupFile);
  } catch (err) {
    if (!(err instanceof VoiceBackupDamaged)) throw err;
    throw new RestoreError(
      `${err.message}; nothing was changed. To restore the database without the voice, move that file out of the backup folder and run again. / ` +
        `Tệp giọng đọc bên cạnh bản sao lưu bị hỏng, chưa thay đổi gì: muốn khôi phục cơ sở dữ liệu mà không có giọng đọc, hãy chuyển tệp đó ra khỏi thư mục sao lưu rồi chạy lại.`,
    );
  }
  const tz = opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const voiceAside = join(opts.dataDir, 'replaced', `voice-before-restore-${stamp(opts.now, tz)}`);
  const dbFile = join(opts.dataDir, DB_NAME);
  const incoming = join(opts.dataDir, INCOMING);
  if (opts.skipNumbers !== undefined && (!Number.isInteger(opts.skipNumbers) || opts.skipNumbers < 0)) throw new RestoreError('skipNumbers must be a whole number >= 0');
  if (await serverAnswers(opts.port)) {
    throw new RestoreError(
      `a Luot server answers on port ${opts.port}: stop the service first`,
      `Máy chủ Luot đang chạy trên cổng ${opts.port}: dừng dịch vụ trước (systemctl stop luot; Windows: luot-service.exe stop).`,
    );
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const lock = takeLock(opts.dataDir);
  try {
    if (isDatabaseInUse(dbFile)) {
      throw new RestoreError(`${dbFile} is open in another process (the server?): stop the service first`, `${dbFile} đang được một tiến trình khác mở (máy chủ?): dừng dịch vụ trước.`);
    }
    // A voice swap an earlier restore was killed in the middle of: finished or undone first.
    settleVoiceSwap(voiceDir, voiceAside);
    crashPoint('restore-locked');

    // 3. The copy, prepared whole before the current database is touched.
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(incoming + suffix, { force: true });
    const live = readAndSettleLive(dbFile);
    crashPoint('restore-live-settled');
    if (!live.sequences && opts.skipNumbers === undefined) {
      const what = existsSync(dbFile) ? `the current database cannot be read (${live.problem})` : `there is no current database in ${opts.dataDir} (a new machine?)`;
      throw new RestoreError(
        `${what}, so the numbers handed out today after the backup are unknown. ` +
          `Run again with --skip-numbers N: N larger than the most tickets any one service gave out today after the backup ` +
          `(0 if none, e.g. before opening hours). / Không đọc được (hoặc không có) cơ sở dữ liệu hiện tại nên không biết các số đã cấp hôm nay sau bản sao lưu: ` +
          `chạy lại với --skip-numbers N (N lớn hơn số vé nhiều nhất một lĩnh vực đã cấp hôm nay sau bản sao lưu; 0 nếu chưa cấp số nào).`,
      );
    }
    let gaps: NumberingGap[];
    try {
      copyFileSync(opts.backupFile, incoming);
      crashPoint('restore-copied');
      const copy = openDatabase(incoming);
      try {
        const before = checkDatabase(copy);
        if (!before.ok) throw new RestoreError(`the copy of the backup failed its check: ${[...before.integrity, ...before.problems].join('; ')}`, 'Bản chép của tệp sao lưu không qua được kiểm tra; chưa thay đổi gì.');
        gaps = keepNumbersUnique(copy, live.sequences, opts.skipNumbers, opts.now);
        // Its event seq went back: the province must see a new stream (epoch + 1), not old seqs again.
        moveEpochOnAfterRestore(copy, live.identity);
        const after = checkDatabase(copy);
        if (!after.ok) throw new RestoreError(`the prepared copy failed its check: ${[...after.integrity, ...after.problems].join('; ')}`, 'Bản chép đã chuẩn bị không qua được kiểm tra; chưa thay đổi gì.');
        // One self-contained file: no -wal may travel with it into place.
        copy.pragma('wal_checkpoint(TRUNCATE)');
        copy.pragma('journal_mode = DELETE');
      } finally {
        copy.close();
      }
      fsyncFile(incoming);
      fsyncDir(opts.dataDir);
      // The backup's voice, written whole beside the current one (voice/folder-swap.ts): a full
      // disk fails here, before anything the server uses has changed.
      try {
        for (const v of voice) stageVoiceFolder(voiceDir, v.lang, v.files);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        if (code === 'ENOSPC' || code === 'EDQUOT') {
          throw new RestoreError(
            `the disk of ${opts.dataDir} is full: the backup's voice recordings do not fit; nothing was changed (${(err as Error).message})`,
            `Ổ đĩa chứa ${opts.dataDir} đã đầy: không đủ chỗ cho giọng đọc của bản sao lưu; chưa thay đổi gì.`,
          );
        }
        throw err;
      }
      if (voice.length) crashPoint('restore-voice-staged');
    } catch (err) {
      for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(incoming + suffix, { force: true });
      for (const v of voice) dropStagedVoice(voiceDir, v.lang);
      throw err;
    }
    crashPoint('restore-prepared');

    // 4-5. The current database, whole, kept aside under a second name.
    let keptAside: string | null = null;
    if (existsSync(dbFile)) {
      const asideDir = join(opts.dataDir, 'replaced');
      mkdirSync(asideDir, { recursive: true });
      let base = join(asideDir, `luot-before-restore-${stamp(opts.now, tz)}`);
      for (let i = 2; existsSync(`${base}.sqlite`); i++) base = join(asideDir, `luot-before-restore-${stamp(opts.now, tz)}-${i}`);
      keptAside = `${base}.sqlite`;
      try {
        linkSync(dbFile, keptAside);
      } catch {
        copyFileSync(dbFile, keptAside);
        fsyncFile(keptAside);
      }
      crashPoint('restore-linked');
      // A WAL that could not be folded in (a damaged file) belongs to the old file: it goes with
      // it, never stays beside the new one (SQLite would replay it onto the restored pages).
      if (!live.walFolded && existsSync(`${dbFile}-wal`)) renameSync(`${dbFile}-wal`, `${keptAside}-wal`);
      rmSync(`${dbFile}-shm`, { force: true });
      fsyncDir(asideDir);
      fsyncDir(opts.dataDir);
    }
    crashPoint('restore-kept-aside');

    // 6. The one step from old to new.
    renameSync(incoming, dbFile);
    fsyncDir(opts.dataDir);
    crashPoint('restore-swapped');

    // 7. As the server will open it. (Step 3 did the same to the copy: a failure here means the
    // disk changed under us; the previous database is then put back, again by one rename.)
    let db: Db;
    let tickets: number;
    let c: DatabaseCheck;
    try {
      db = openDatabase(dbFile);
      try {
        c = checkDatabase(db);
        if (!c.ok) throw new RestoreError(`restored database failed its check: ${[...c.integrity, ...c.problems].join('; ')}`, 'Cơ sở dữ liệu sau khi khôi phục không qua được kiểm tra.');
        tickets = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM tickets').get()!.n;
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
    } catch (err) {
      if (keptAside) putBack(keptAside, dbFile, incoming);
      for (const v of voice) dropStagedVoice(voiceDir, v.lang);
      throw err;
    }
    crashPoint('restore-verified');

    // 8. The voice, once the restored database is in place: the current folder kept aside, the
    // backup's in its place. Killed midway, the server's start (voice store) or the next restore
    // finishes it: the old voice or the new one, never a mix.
    const voiceDone = voice.map((v) => ({ lang: v.lang, clips: v.files.length, keptAside: commitStagedVoice(voiceDir, v.lang, voiceAside) }));
    {
      return {
        voice: voiceDone,
        dbFile,
        keptAside,
        schemaBefore: verified.schemaVersion,
        schemaAfter: c.schemaVersion,
        tickets,
        numbering: { source: gaps.length === 0 ? 'none' : live.sequences ? 'carried' : 'skipped', gaps, liveProblem: live.sequences ? null : live.problem },
      };
    }
  } finally {
    lock.release();
  }
}
