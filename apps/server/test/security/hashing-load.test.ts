import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashingLoad, MAX_HASHES_IN_FLIGHT } from '../../src/auth/passwords.js';
import { openDatabase } from '../../src/db/open.js';
import { createServer, type LuotServer } from '../../src/server.js';
import { signInFrom } from './from-address.js';

/**
 * A sign-in flood must not slow the pages. scrypt runs on libuv's thread pool, as the static file
 * reads do: an attacker test signed in with wrong passwords from 20 addresses, 4 at once each
 * (every address within its own throttle), and the kiosk page took 2-4.6 s to load instead of
 * 2 ms. The hashes now run at most MAX_HASHES_IN_FLIGHT at once, the rest wait in a queue.
 */
let dir: string;
let server: LuotServer;
let url: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'luot-hashing-'));
  const kiosk = join(dir, 'kiosk');
  mkdirSync(kiosk);
  writeFileSync(join(kiosk, 'index.html'), '<!doctype html><title>kiosk</title>');
  server = await createServer({ db: openDatabase(join(dir, 'luot.sqlite')), webRoots: { app: join(dir, 'missing'), kiosk } });
  url = await server.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** GET a page on a fresh connection: its status and how long it took. */
const timedGet = (path: string): Promise<{ status: number; ms: number; body: string }> => {
  const { port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += String(d)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body }));
    });
    req.on('error', reject);
    req.end();
  });
};

describe('a sign-in flood and the pages', () => {
  it('with many hashes queued, no more than the cap run and a static page still answers promptly', async () => {
    expect((await timedGet('/kiosk')).status).toBe(200);

    // 20 addresses, 4 wrong sign-ins in flight each (the per-address throttle's limit).
    const flood = Array.from({ length: 20 }, (_, a) =>
      Array.from({ length: 4 }, (_, w) => signInFrom(url, `127.0.2.${a + 1}`, `ghost${a}-${w}`, 'wrong-password')),
    ).flat();
    // Wait until the hashes queue up (an event-driven wait, no fixed sleep).
    for (let i = 0; i < 2000 && hashingLoad().waiting < 40; i++) await new Promise((r) => setTimeout(r, 5));
    expect(hashingLoad().waiting).toBeGreaterThanOrEqual(40);

    // The page is read while about 40 hashes (seconds of scrypt) still wait.
    const page = await timedGet('/kiosk');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>kiosk</title>');
    expect(hashingLoad().waiting).toBeGreaterThan(0);
    // Without the cap it waited for the whole queue ahead of it (22 s here, against 0.1 s with
    // it); the bound is generous for a busy machine.
    expect(page.ms).toBeLessThan(2000);

    const answers = await Promise.all(flood);
    expect(answers.map((r) => r.status)).toEqual(Array(80).fill(401));
    expect(hashingLoad().peak).toBe(MAX_HASHES_IN_FLIGHT);
    expect(hashingLoad()).toMatchObject({ running: 0, waiting: 0 });
  }, 60_000);
});
