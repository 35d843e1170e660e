import { dirname } from 'node:path';
import pino, { type Logger } from 'pino';
import type { OpsConfig } from './config.js';
import { dailyFileSink, stdoutSink, teeSink, type LogSink } from './log-sinks.js';

export interface LoggerOptions {
  level: string;
  /** Paths to censor (tokens, passwords): secrets never reach a log file. */
  redact?: string[];
}

const sinkOf = new WeakMap<Logger, LogSink>();

/**
 * The server's logger: JSON lines to stdout (the console, or journald under systemd) and, unless
 * LUOT_LOG_FILE=off, to a daily file in <dataDir>/logs/ (luot.2026-03-04.1.log, local midnight of
 * the machine), the last LUOT_LOG_KEEP older files kept, older ones deleted even when written by
 * an earlier run. Files are the same on Linux and Windows and are what the IT person copies to a
 * USB stick for support.
 *
 * No log write can end or block the server (log-sinks.ts): on a full disk lines are dropped, the
 * trouble is said once on stderr, and writing resumes by itself.
 */
export function createLogger(ops: Pick<OpsConfig, 'logFile' | 'logKeep'>, opts: LoggerOptions): Logger {
  const sinks: LogSink[] = [stdoutSink()];
  if (ops.logFile) sinks.push(dailyFileSink({ file: ops.logFile, keep: ops.logKeep }));
  const tee = teeSink(sinks);
  const logger = pino({ level: opts.level, redact: opts.redact ?? [] }, tee);
  sinkOf.set(logger, tee);
  return logger;
}

/** Flushes and closes the logger's files (tests, and the last line before exit); bounded, never throws. */
export async function closeLogger(logger: Logger): Promise<void> {
  const sink = sinkOf.get(logger);
  sinkOf.delete(logger);
  await sink?.close();
}

/** The folder the rotated log files are in (for the operations docs and the start banner). */
export const logDir = (ops: Pick<OpsConfig, 'logFile'>): string | null => (ops.logFile ? dirname(ops.logFile) : null);
