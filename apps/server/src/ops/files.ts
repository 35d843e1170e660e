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
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(epochMs))) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}-${p.hour}${p.minute}${p.second}`;
}
