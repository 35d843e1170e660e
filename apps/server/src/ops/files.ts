import { localTime } from '@luot/domain';
import { closeSync, fsyncSync, openSync } from 'node:fs';

/** Flushes a file to the disk (a USB stick pulled right after "backup done" must hold the file). */
export function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a directory entry (a rename) where the platform allows it; Windows does not. */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* some file systems (vfat on a USB stick) refuse: the file itself is already synced */
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** YYYY-MM-DD-HHmmss in the given time zone, for file names that sort by time. */
export function stamp(epochMs: number, timeZone: string): string {
  const t = localTime(epochMs, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${t.date}-${two(t.hour)}${two(t.minute)}${two(t.second)}`;
}
