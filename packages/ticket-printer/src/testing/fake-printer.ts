import { createServer, type Server, type Socket } from 'node:net';
import { decodeEscPos } from './escpos-decoder.js';

/**
 * A network printer on 127.0.0.1 for tests: a real TCP server that keeps the bytes of each job
 * and answers `DLE EOT n` the way an Epson printer does in the state the test puts it in.
 * Kiosk and server tests use it through `@luot/ticket-printer/testing`.
 */
export type FakePrinterState =
  | 'ready'
  | 'paper-near-end'
  | 'paper-end'
  | 'cover-open'
  | 'cutter-error'
  /** Takes bytes but never answers a status query, like a printer with status turned off. */
  | 'no-answer';

/** Answers to DLE EOT 1..4 per state; 0x12 is "all clear" (bits 1 and 4 are always set). */
const ANSWERS: Record<Exclude<FakePrinterState, 'no-answer'>, [number, number, number, number]> = {
  ready: [0x12, 0x12, 0x12, 0x12],
  'paper-near-end': [0x12, 0x12, 0x12, 0x12 | 0x0c],
  'paper-end': [0x12 | 0x08, 0x12 | 0x20, 0x12, 0x12 | 0x0c | 0x60],
  'cover-open': [0x12 | 0x08, 0x12 | 0x04, 0x12, 0x12],
  'cutter-error': [0x12 | 0x08, 0x12 | 0x40, 0x12 | 0x08, 0x12],
};

/**
 * Something that happens to the printer in the middle of a job, once `afterBytes` bytes of it
 * arrived: `reset` (power glitch, firmware restart: the connection is cut with a TCP reset and
 * the job is lost), or the printer's state changes (`paper-end`, `cover-open`: it stops and says
 * so; `no-answer`: it hangs and answers nothing more).
 */
export type MidJobFault = { afterBytes: number; fault: 'reset' | 'paper-end' | 'cover-open' | 'no-answer' };

export interface FakePrinter {
  readonly host: string;
  readonly port: number;
  state: FakePrinterState;
  /** Bytes of each finished connection, status queries left out; jobs with no bytes skipped. */
  readonly jobs: Uint8Array[];
  /** Status queries answered or ignored, in order (the `n` of each DLE EOT n). */
  readonly statusQueries: number[];
  /** Bytes the printer could not decode as ESC/POS: a real one would print garbage. */
  readonly decodeErrors: string[];
  /** Jobs cut short by a `reset` fault: the bytes that arrived before it (never in `jobs`). */
  readonly lostJobs: Uint8Array[];
  /**
   * Holds every status answer until the returned release is called, as a printer busy printing
   * a long ticket answers only once its buffer has room: the job in progress waits there, and
   * jobs behind it wait in line. `afterQueries`: answer that many more queries first (4: the
   * check before a job's bytes, so what is held is its confirmation after them).
   */
  holdAnswers(options?: { afterQueries?: number }): () => void;
  /** Arms a fault for the next job (the next connection that sends ticket bytes). */
  failNextJob(fault: MidJobFault): void;
  /** Resolves when `count` jobs have finished (connection closed), or rejects after timeoutMs. */
  waitForJobs(count: number, timeoutMs?: number): Promise<Uint8Array[]>;
  close(): Promise<void>;
}

export async function startFakePrinter(options: { state?: FakePrinterState } = {}): Promise<FakePrinter> {
  const jobs: Uint8Array[] = [];
  const statusQueries: number[] = [];
  const decodeErrors: string[] = [];
  const lostJobs: Uint8Array[] = [];
  let armed: MidJobFault | null = null;
  let held: (() => void)[] | null = null;
  /** Queries answered before the hold applies (the count of statusQueries it starts at). */
  let holdFrom = 0;
  const sockets = new Set<Socket>();
  const jobWaiters = new Set<() => void>();

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    let buffer = new Uint8Array(0);
    const jobBytes: Uint8Array[] = [];
    let broken = false;
    let received = 0;
    let lost = false;
    socket.on('data', (chunk: Buffer) => {
      if (lost) return;
      // Ticket bytes only: a status query the host sends on its own (and waits for) is not part
      // of the job.
      const isQuery = chunk.length === 3 && chunk[0] === 0x10 && chunk[1] === 0x04;
      if (!isQuery) received += chunk.length;
      const fault = armed;
      if (fault && !isQuery && received >= fault.afterBytes) {
        armed = null;
        if (fault.fault === 'reset') {
          lost = true;
          jobBytes.push(chunk.subarray(0, chunk.length - (received - fault.afterBytes)));
          lostJobs.push(concat(jobBytes));
          jobBytes.length = 0;
          // A TCP reset, as from a printer that restarted: what it had buffered is gone.
          socket.resetAndDestroy();
          return;
        }
        fake.state = fault.fault;
      }
      const merged = new Uint8Array(buffer.length + chunk.length);
      merged.set(buffer);
      merged.set(chunk, buffer.length);
      if (broken) {
        jobBytes.push(chunk);
        return;
      }
      try {
        // Status queries count only at a command boundary, as on a real printer: 10 04 inside
        // image data is just dots.
        const { commands, offsets, consumed } = decodeEscPos(merged);
        let from = 0;
        commands.forEach((c, k) => {
          if (c.kind !== 'statusQuery') return;
          const at = offsets[k] ?? 0;
          jobBytes.push(merged.slice(from, at));
          from = at + 3;
          statusQueries.push(c.n);
          if (fake.state === 'no-answer') return;
          const answer = () => socket.write(Uint8Array.of(ANSWERS[fake.state as Exclude<FakePrinterState, 'no-answer'>][c.n - 1] ?? 0x12));
          if (held && statusQueries.length > holdFrom) held.push(answer);
          else answer();
        });
        jobBytes.push(merged.slice(from, consumed));
        buffer = merged.slice(consumed);
      } catch (e) {
        broken = true;
        decodeErrors.push((e as Error).message);
        jobBytes.push(merged);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      if (lost) {
        for (const w of jobWaiters) w();
        return;
      }
      if (!broken && buffer.length) jobBytes.push(buffer);
      const job = concat(jobBytes);
      if (job.length === 0) return;
      jobs.push(job);
      for (const w of jobWaiters) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake printer: no TCP address');

  const fake: FakePrinter = {
    host: '127.0.0.1',
    port: address.port,
    state: options.state ?? 'ready',
    jobs,
    holdAnswers(options = {}) {
      holdFrom = statusQueries.length + (options.afterQueries ?? 0);
      held ??= [];
      return () => {
        const waiting = held ?? [];
        held = null;
        for (const answer of waiting) answer();
      };
    },
    statusQueries,
    decodeErrors,
    lostJobs,
    failNextJob(fault) {
      armed = fault;
    },
    waitForJobs(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (jobs.length < count) return;
          cleanup();
          resolve(jobs.slice(0, count));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake printer: ${jobs.length} of ${count} jobs after ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          jobWaiters.delete(check);
        };
        jobWaiters.add(check);
        check();
      });
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of parts) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}
