import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDatabase } from '../../src/ops/check.js';
import { listBackups } from '../../src/ops/backup.js';
import { ADMIN_PASSWORD, freePort, spawnServer, tempDataDir } from '../helpers/test-server.js';
import { get, post } from './fault-helpers.js';

/**
 * The restore command killed (SIGKILL, via LUOT_TEST_CRASH_AT) at every one of its steps: the
 * server then starts on a whole database, the old one before the swap and the restored one
 * after, never on none; no number handed out that day is handed out again; and running the
 * restore again completes. Built code (`pnpm exec tsc -b`), real processes, real files.
 */
const STEPS = ['restore-locked', 'restore-live-settled', 'restore-copied', 'restore-prepared', 'restore-linked', 'restore-kept-aside', 'restore-swapped', 'restore-verified'];
const SWAPPED_FROM = STEPS.indexOf('restore-swapped');
const cli = (name: string) => fileURLToPath(new URL(`../../dist/src/cli/${name}.js`, import.meta.url));

const dirs: string[] = [];
const tmp = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function runCli(name: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli(name), ...args], { env: { ...process.env, ...env } }, (_err, stdout, stderr) => {
      resolve({ code: child.exitCode, signal: child.signalCode, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** The live data directory of a server killed mid-day, and a backup taken before its last tickets. */
let liveDir: string;
let backupFile: string;
let services: number[];
const afterBackup: { id: string; number: string; serviceId: number }[] = [];
/** Highest sequence handed out per service before the crash (7: 4 in the backup, 3 after). */
const HANDED_OUT = 7;

beforeAll(async () => {
  liveDir = tmp();
  const backupDir = tmp();
  const port = await freePort();
  const { child, url } = await spawnServer(liveDir, port);
  const admin = (await post(url, '/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).body.token as string;
  const kiosk = (await post(url, '/devices', admin, { kind: 'kiosk', name: 'k' })).body.token as string;
  services = ((await get(url, '/services')).body as { id: number }[]).map((s) => s.id);
  const issue = async () => {
    const out = [];
    for (const serviceId of services) {
      const r = await post(url, '/tickets', kiosk, { serviceId });
      expect(r.status).toBe(201);
      out.push({ ...(r.body as { id: string; number: string }), serviceId });
    }
    return out;
  };
  for (let i = 0; i < 4; i++) await issue();
  const b = await runCli('backup', ['--to', backupDir], { LUOT_DATA_DIR: liveDir });
  expect(b.code).toBe(0);
  backupFile = listBackups(backupDir)[0]!;
  for (let i = 0; i < 3; i++) afterBackup.push(...(await issue()));
  // Killed, not stopped: the last transactions are only in the WAL, as after a power cut.
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  expect(existsSync(join(liveDir, 'luot.sqlite-wal'))).toBe(true);
});

/** A copy of the killed server's data directory (database and WAL). */
function caseDir(): string {
  const dir = tmp();
  for (const f of ['luot.sqlite', 'luot.sqlite-wal']) if (existsSync(join(liveDir, f))) copyFileSync(join(liveDir, f), join(dir, f));
  return dir;
}

/** Starts the server on dir; says which database it serves and what number each service gives next. */
async function serveAndIssue(dir: string): Promise<{ which: 'old' | 'restored'; nextSeqs: number[] }> {
  const port = await freePort();
  const { child, url } = await spawnServer(dir, port);
  try {
    const admin = (await post(url, '/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).body.token as string;
    const kiosk = (await post(url, '/devices', admin, { kind: 'kiosk', name: 'after' })).body.token as string;
    const probe = await get(url, `/tickets/${afterBackup[0]!.id}`);
    const which = probe.status === 200 ? 'old' : 'restored';
    const nextSeqs: number[] = [];
    for (const serviceId of services) {
      const r = await post(url, '/tickets', kiosk, { serviceId });
      expect(r.status).toBe(201);
      nextSeqs.push(Number((r.body.number as string).slice(-3)));
    }
    return { which, nextSeqs };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const consistent = (dir: string) => {
  const db = new Database(join(dir, 'luot.sqlite'), { readonly: true });
  try {
    return checkDatabase(db);
  } finally {
    db.close();
  }
};

describe('restore killed at each step', () => {
  it.each(STEPS.map((s, i) => [s, i] as const))('killed at %s: the server starts on a whole database and numbers stay unique', async (step, i) => {
    const dir = caseDir();
    const killed = await runCli('restore', [backupFile, '--port', '0'], { LUOT_DATA_DIR: dir, LUOT_TEST_CRASH_AT: step });
    expect(killed.signal).toBe('SIGKILL');

    const first = await serveAndIssue(dir);
    expect(first.which).toBe(i >= SWAPPED_FROM ? 'restored' : 'old');
    // Before the crash 1..7 were on paper for each service: the next one is 8, old or restored.
    expect(first.nextSeqs).toEqual(services.map(() => HANDED_OUT + 1));
    expect(consistent(dir)).toMatchObject({ ok: true });
    expect(readdirSync(dir).filter((f) => f.includes('restoring'))).toEqual([]);

    // The interrupted restore, run again, completes; numbering still moves forward only.
    const again = await runCli('restore', [backupFile, '--port', '0'], { LUOT_DATA_DIR: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/restore done/);
    const second = await serveAndIssue(dir);
    expect(second.which).toBe('restored');
    expect(second.nextSeqs).toEqual(services.map(() => HANDED_OUT + 2));
    expect(consistent(dir)).toMatchObject({ ok: true });
    // Every replaced database is kept, none deleted.
    expect(readdirSync(join(dir, 'replaced')).filter((f) => f.endsWith('.sqlite')).length).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
