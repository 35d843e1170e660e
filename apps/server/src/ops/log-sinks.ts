import { readdir, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import pino from 'pino';

/**
 * Where the server's log lines go: stdout and a daily file. The rule for both is that a log
 * write can never end or block the server. A full disk, a read-only folder, a closed stdout pipe:
 * the line is dropped (the queue is what must keep working), the trouble is said once on stderr,
 * and writing resumes by itself when it can.
 *
 * Why not pino's worker-thread transports (pino-roll): the worker's file stream emits its ENOSPC
 * as an unhandled 'error', the worker dies, and the ThreadStream re-emits that in the main
 * thread, which ended the process (issue 11). These sinks run in the main thread but write
 * asynchronously (libuv's thread pool), so a slow disk still never holds up a ticket.
 */
export interface LogSink {
  write(line: string): void;
  /** Waits (bounded) until what was written so far reached the OS, then closes. Never throws. */
  close(): Promise<void>;
}

type Destination = ReturnType<typeof pino.destination>;

/** Bytes kept in memory while a destination cannot write; beyond that lines are dropped. */
const MAX_BUFFERED = 4 * 1024 * 1024;
/** How long close() waits for buffered lines before giving up on them. */
const CLOSE_WAIT_MS = 1000;

/** Says a problem once, and once more when it is over: never a line per dropped log line. */
export function troubleNotice(what: string, say: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)) {
  let failing = false;
  return {
    failed(err: unknown): void {
      if (failing) return;
      failing = true;
      const code = (err as { code?: string } | null)?.code ?? String(err);
      say(
        `Luot: không ghi được nhật ký ${what} (${code}); các dòng nhật ký bị bỏ qua cho đến khi ghi lại được, máy chủ vẫn chạy. / ` +
          `cannot write the log ${what} (${code}); log lines are dropped until it can write again, the server keeps running.`,
      );
    },
    recovered(): void {
      if (!failing) return;
      failing = false;
      say(`Luot: đã ghi nhật ký ${what} trở lại. / writing the log ${what} again.`);
    },
    get failing() {
      return failing;
    },
  };
}

function closeDestination(dest: Destination): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CLOSE_WAIT_MS);
    timer.unref();
    dest.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      dest.end();
    } catch {
      // Already destroyed: nothing left to flush.
      clearTimeout(timer);
      resolve();
    }
  });
}

/** stdout (the console, or journald under systemd), asynchronous, bounded, never throwing. */
export function stdoutSink(notice = troubleNotice('(stdout)')): LogSink {
  const dest = pino.destination({ dest: 1, sync: false, maxLength: MAX_BUFFERED });
  dest.on('error', (err: unknown) => notice.failed(err));
  dest.on('write', () => notice.recovered());
  return {
    write(line) {
      try {
        dest.write(line);
      } catch {
        // Destroyed (after close): the line has nowhere to go.
      }
    },
    close: () => closeDestination(dest),
  };
}

export interface DailyFileOptions {
  /** Base name: `<dir>/luot.log` writes `<dir>/luot.2026-03-04.1.log`. */
  file: string;
  /** Older files kept besides the current one. */
  keep: number;
  /** The machine's local date decides the file (as pino-roll did). */
  now?: () => Date;
  /** After a failed open (folder missing, read-only), the next attempt waits this long. */
  reopenAfterMs?: number;
  notice?: ReturnType<typeof troubleNotice>;
}

const two = (n: number) => String(n).padStart(2, '0');
const localDay = (d: Date) => `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One log file per local day (`luot.2026-03-04.1.log`), the newest `keep` older ones kept, any
 * other file of that pattern deleted even when an earlier run wrote it. Same names as pino-roll
 * gave them, so folders written by older releases are rotated the same way.
 */
export function dailyFileSink(opts: DailyFileOptions): LogSink {
  const dir = dirname(opts.file);
  const ext = extname(opts.file) || '.log';
  const base = basename(opts.file, extname(opts.file));
  const pattern = new RegExp(`^${escapeRe(base)}\\.(\\d{4}-\\d{2}-\\d{2})\\.(\\d+)${escapeRe(ext)}$`);
  const now = opts.now ?? (() => new Date());
  const reopenAfterMs = opts.reopenAfterMs ?? 10_000;
  const notice = opts.notice ?? troubleNotice(`(${opts.file})`);

  let day: string | null = null;
  let dest: Destination | null = null;
  /** Set when the file could not be opened: no new attempt before this time. */
  let retryAt = 0;
  let closed = false;
  const retiring = new Set<Promise<void>>();

  function retire(d: Destination): void {
    const p = closeDestination(d).finally(() => retiring.delete(p));
    retiring.add(p);
  }

  async function prune(current: string): Promise<void> {
    const files = (await readdir(dir))
      .map((f) => ({ f, m: pattern.exec(f) }))
      .filter((x): x is { f: string; m: RegExpExecArray } => x.m !== null && x.f !== current)
      .sort((a, b) => a.m[1]!.localeCompare(b.m[1]!) || Number(a.m[2]) - Number(b.m[2]));
    await Promise.allSettled(files.slice(0, Math.max(0, files.length - opts.keep)).map((x) => unlink(join(dir, x.f))));
  }

  function open(d: string): Destination {
    const name = `${base}.${d}.1${ext}`;
    const created = pino.destination({ dest: join(dir, name), mkdir: true, append: true, sync: false, maxLength: MAX_BUFFERED });
    created.on('error', (err: unknown) => {
      notice.failed(err);
      // Never opened (fd -1): this destination will not recover; open a fresh one later.
      if ((created as unknown as { fd: number }).fd < 0 && dest === created) {
        dest = null;
        retryAt = Date.now() + reopenAfterMs;
      }
    });
    created.on('write', () => notice.recovered());
    prune(name).catch(() => {
      // A folder we cannot list: old files stay, logging goes on.
    });
    return created;
  }

  return {
    write(line) {
      if (closed) return;
      const today = localDay(now());
      if (today !== day) {
        if (dest) retire(dest);
        dest = null;
        day = today;
        retryAt = 0;
      }
      if (!dest) {
        if (Date.now() < retryAt) return;
        dest = open(today);
      }
      try {
        dest.write(line);
      } catch {
        // Destroyed under us: dropped; the next line opens a new one.
        dest = null;
      }
    },
    async close() {
      closed = true;
      if (dest) retire(dest);
      dest = null;
      await Promise.all([...retiring]);
    },
  };
}

/** Writes each line to every sink: what pino sees as its one destination. */
export function teeSink(sinks: LogSink[]): LogSink & { flush(cb?: (err?: Error) => void): void } {
  return {
    write(line) {
      for (const s of sinks) s.write(line);
    },
    // Lines go to the OS as they come (no minimum length): nothing is held to flush.
    flush(cb) {
      cb?.();
    },
    async close() {
      await Promise.all(sinks.map((s) => s.close()));
    },
  };
}
