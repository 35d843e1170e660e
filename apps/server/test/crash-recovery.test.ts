import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, freePort, spawnServer, tempDataDir } from './helpers/test-server.js';

const dataDir = tempDataDir();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function post(url: string, path: string, token: string | null, body: unknown) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('a crash in the middle of a burst of issues', () => {
  it('keeps every acknowledged ticket and never repeats a number after restart', async () => {
    const port = await freePort();
    let { child, url } = await spawnServer(dataDir, port);
    const admin = (await post(url, '/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).body.token as string;
    const kiosk = (await post(url, '/devices', admin, { kind: 'kiosk', name: 'crash kiosk' })).body.token as string;
    const services = (await (await fetch(`${url}/api/v1/services`)).json()) as { id: number; prefix: string }[];

    const acknowledged: { id: string; number: string; serviceId: number }[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const r = await post(url, '/tickets', kiosk, { serviceId: services[(w + i) % 3]!.id });
          if (r.status === 201) acknowledged.push(r.body);
        } catch {
          return; // connection reset by the kill: this request was never acknowledged
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    // Kill without warning once the burst is well under way.
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    stop = true;
    await Promise.all(workers);
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);

    ({ child, url } = await spawnServer(dataDir, port));
    try {
      // Every ticket a kiosk got a 201 for is there, with the same number.
      for (const t of acknowledged) {
        const r = await fetch(`${url}/api/v1/tickets/${t.id}`);
        expect(r.status).toBe(200);
        expect(((await r.json()) as { number: string }).number).toBe(t.number);
      }
      // Numbering continues after the highest number handed out, with no repeat.
      for (const svc of services) {
        const acked = acknowledged.filter((t) => t.serviceId === svc.id).map((t) => Number(t.number.slice(svc.prefix.length)));
        const next = await post(url, '/tickets', kiosk, { serviceId: svc.id });
        expect(next.status).toBe(201);
        expect(Number(next.body.number.slice(svc.prefix.length))).toBeGreaterThan(Math.max(0, ...acked));
      }
      // In the file itself: per service and day, sequences 1..max, each exactly once (nothing lost, nothing doubled).
      const db = new Database(join(dataDir, 'luot.sqlite'), { readonly: true });
      const rows = db
        .prepare('SELECT issue_service_id AS s, COUNT(*) AS n, COUNT(DISTINCT seq) AS d, MAX(seq) AS m FROM tickets GROUP BY business_day, issue_service_id')
        .all() as { s: number; n: number; d: number; m: number }[];
      db.close();
      expect(rows.length).toBe(3);
      for (const r of rows) expect([r.n, r.d]).toEqual([r.m, r.m]);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});

describe('SIGTERM (systemd stop, a Windows service stop)', () => {
  it('finishes the requests in flight, closes SQLite cleanly and exits 0', async () => {
    const dir = tempDataDir();
    try {
      const { child, url } = await spawnServer(dir, await freePort());
      const admin = (await post(url, '/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).body.token as string;
      const kiosk = (await post(url, '/devices', admin, { kind: 'kiosk', name: 'k' })).body.token as string;
      const inFlight = Array.from({ length: 10 }, () => post(url, '/tickets', kiosk, { serviceId: 1 }).catch(() => null));
      await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      expect(code).toBe(0);
      // A request that reached the server before the stop is answered 201; one arriving during
      // the stop is refused with 503 (nothing issued); none is left hanging or half done.
      const answered = (await Promise.all(inFlight)).filter((r) => r !== null);
      expect(answered.every((r) => r!.status === 201 || r!.status === 503)).toBe(true);
      const issued = answered.filter((r) => r!.status === 201);
      // db.close() checkpointed the WAL into the main file and removed it.
      expect(existsSync(join(dir, 'luot.sqlite-wal'))).toBe(false);
      const db = new Database(join(dir, 'luot.sqlite'), { readonly: true });
      const n = (db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n;
      db.close();
      expect(n).toBe(issued.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
