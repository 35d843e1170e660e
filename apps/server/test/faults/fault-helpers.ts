import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real small file system: a tmpfs of `size` (e.g. "4m") mounted on a fresh folder. Needs root
 * (CI runs as root). Unmount with the returned function.
 */
export function mountTmpfs(size: string, opts: { readOnly?: boolean } = {}): { dir: string; unmount(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'luot-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755${opts.readOnly ? ',ro' : ''}`, 'tmpfs', dir]);
  return {
    dir,
    unmount() {
      try {
        execFileSync('umount', ['-l', dir]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Fills the file system holding `dir` to the last byte with one file; returns its path and size. */
export function fillDisk(dir: string): { file: string; bytes: number } {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'filler.bin');
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    for (const chunk of [65536, 4096, 512, 1]) {
      const buf = Buffer.alloc(chunk, 0x5a);
      try {
        for (;;) bytes += writeSync(fd, buf);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      }
    }
  } finally {
    closeSync(fd);
  }
  return { file, bytes };
}

export async function post(url: string, path: string, token: string | null, body: unknown = {}) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

export async function get(url: string, path: string, token: string | null = null) {
  const res = await fetch(`${url}/api/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as any };
}

/** Polls until `check` returns a value other than undefined/false, or throws after `ms`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, ms = 5000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`${what}: not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const serverMain = new URL('../../dist/src/main.js', import.meta.url).pathname;

/**
 * Starts the built server on `dataDir` and waits for it to exit on its own (a refusal), or kills
 * it after `timeoutMs`. Returns the exit code, stderr and how long it took.
 */
export async function runServerUntilExit(dataDir: string, opts: { port?: number; env?: Record<string, string>; timeoutMs?: number } = {}) {
  const { spawn } = await import('node:child_process');
  const started = Date.now();
  const child = spawn(process.execPath, [serverMain], {
    env: { ...process.env, PORT: String(opts.port ?? 0), HOST: '127.0.0.1', LUOT_DATA_DIR: dataDir, LUOT_DEMO: '1', LUOT_ADMIN_PASSWORD: 'admin-pass', LUOT_DISCOVERY_PORT: 'off', LOG_LEVEL: 'warn', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  child.stdout.on('data', (d) => (stdout += String(d)));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 10_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.once('exit', (c, s) => r([c, s])));
  clearTimeout(timer);
  return { code, signal, stderr, stdout, ms: Date.now() - started, pid: child.pid };
}
