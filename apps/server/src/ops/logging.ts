import { dirname } from 'node:path';
import pino, { type Logger, type TransportTargetOptions } from 'pino';
import type { OpsConfig } from './config.js';

export interface LoggerOptions {
  level: string;
  /** Paths to censor (tokens, passwords): secrets never reach a log file. */
  redact?: string[];
}

/**
 * The server's logger: JSON lines to stdout (the console, or journald under systemd) and, unless
 * LUOT_LOG_FILE=off, to a rotated file in <dataDir>/logs/ via pino-roll: one file per day
 * (luot.2026-03-04.1.log, local midnight of the machine), the last LUOT_LOG_KEEP files kept,
 * older ones deleted even when written by an earlier run (removeOtherLogFiles). Files are the
 * same on Linux and Windows and are what the IT person copies to a USB stick for support.
 *
 * Both targets run in a pino worker thread, so a slow USB disk or a full stdout pipe never
 * blocks a ticket.
 */
export function createLogger(ops: Pick<OpsConfig, 'logFile' | 'logKeep'>, opts: LoggerOptions): Logger {
  const targets: TransportTargetOptions[] = [{ target: 'pino/file', level: opts.level, options: { destination: 1 } }];
  if (ops.logFile) {
    targets.push({
      target: 'pino-roll',
      level: opts.level,
      options: {
        file: ops.logFile,
        frequency: 'daily',
        dateFormat: 'yyyy-MM-dd',
        mkdir: true,
        limit: { count: ops.logKeep, removeOtherLogFiles: true },
      },
    });
  }
  return pino({ level: opts.level, redact: opts.redact ?? [] }, pino.transport({ targets }));
}

/** Flushes and closes the logger's transport (tests, and the last line before exit). */
export function closeLogger(logger: Logger): Promise<void> {
  const stream = (logger as unknown as Record<symbol, { end?: () => void; once?: (e: string, f: () => void) => void }>)[pino.symbols.streamSym];
  return new Promise((resolve) => {
    if (!stream?.end || !stream.once) return resolve();
    stream.once('close', () => resolve());
    logger.flush();
    stream.end();
  });
}

/** The folder the rotated log files are in (for the operations docs and the start banner). */
export const logDir = (ops: Pick<OpsConfig, 'logFile'>): string | null => (ops.logFile ? dirname(ops.logFile) : null);
