import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, freePort, spawnServer, tempDataDir } from '../helpers/test-server.js';
import { rawWebSocket, sendConnect, type RawWs } from './raw-engine.js';

/**
 * Per-client bounds (issue 11): a display that stops reading but keeps sending queue:sync grew
 * the server by about 70 MB per 300 requests. Here the built server runs as a child process
 * (`pnpm exec tsc -b` first) with a day of 1,200 waiting tickets, so each snapshot is a few
 * hundred kB; a raw WebSocket client signs in as a staff screen (whose snapshot carries every
waiting ticket; a TV's has none since issue 14), stops reading from its TCP socket, and
 * sends queue:sync 300 times. The server's resident memory (/proc/<pid>/status) must stay flat:
 * at most one sync answer per socket is in flight, later ones wait for it to be written or are
 * refused, and a socket whose backlog passes the cap is dropped.
 */
const dataDir = tempDataDir();
let child: ChildProcess;
let url = '';
let display = '';
let snapshotBytes = 0;
let log = '';

const api = async (method: string, path: string, token?: string, body?: unknown) => {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const json = (await res.json()) as any;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
};
const rssKb = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);

/** A TV socket signed in over a raw WebSocket; resolves once its first snapshot arrived. */
async function tv(): Promise<RawWs> {
  const r = rawWebSocket(url);
  expect(await r.opened).toEqual({ kind: 'open' });
  sendConnect(r.ws, { token: display });
  for (const end = Date.now() + 10_000; !r.messages.some((m) => m.startsWith('42["queue:snapshot"')); ) {
    if (Date.now() > end) throw new Error(`no snapshot: ${r.messages.map((m) => m.slice(0, 40)).join(' | ')}`);
    await new Promise((res) => setTimeout(res, 20));
  }
  return r;
}

/** The RSS once it has stopped moving (five samples 200 ms apart within 1 MB), at most 15 s. */
async function settledRssKb(): Promise<{ last: number; max: number }> {
  const samples: number[] = [];
  for (const end = Date.now() + 15_000; Date.now() < end; ) {
    samples.push(rssKb());
    const recent = samples.slice(-5);
    if (recent.length === 5 && Math.max(...recent) - Math.min(...recent) < 1024) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  return { last: samples[samples.length - 1]!, max: Math.max(...samples) };
}

beforeAll(async () => {
  const started = await spawnServer(dataDir, await freePort());
  child = started.child;
  url = started.url;
  child.stdout?.on('data', (d) => (log += String(d)));
  const admin = (await api('POST', '/auth/login', undefined, { username: 'admin', password: ADMIN_PASSWORD })).token as string;
  // A staff screen: its snapshot is the big one (a TV's carries no waiting list, issue 14).
  display = admin;
  const kiosk = (await api('POST', '/devices', admin, { kind: 'kiosk', name: 'Kiosk tải' })).token as string;
  // A busy day's queue, so that each snapshot is big.
  for (let i = 0; i < 1200; i += 20) {
    await Promise.all(Array.from({ length: 20 }, (_, j) => api('POST', '/tickets', kiosk, { serviceId: ((i + j) % 3) + 1 })));
  }
  const probe = await tv();
  snapshotBytes = probe.messages.find((m) => m.startsWith('42["queue:snapshot"'))!.length;
  probe.ws.close();
}, 120_000);

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a client that asks faster than it reads', () => {
  it('300 queue:sync from a TV that stopped reading: the server stays flat', async () => {
    expect(snapshotBytes).toBeGreaterThan(150_000);
    // Warm up: a reading client syncs a few times (the first syncs allocate what every later one reuses).
    const warm = await tv();
    for (let i = 0; i < 5; i++) warm.ws.send(`42${i}["queue:sync"]`);
    for (const end = Date.now() + 10_000; warm.messages.filter((m) => m.startsWith('43')).length < 5; ) {
      if (Date.now() > end) throw new Error('warm-up syncs unanswered');
      await new Promise((res) => setTimeout(res, 20));
    }
    warm.ws.close();
    const before = await settledRssKb();

    const stuck = await tv();
    stuck.tcp()!.pause();
    for (let i = 0; i < 300; i++) stuck.ws.send(`42${i}["queue:sync"]`);
    // Everything sent has left the client (the server reads it; only the client stopped reading).
    for (const end = Date.now() + 10_000; stuck.ws.bufferedAmount > 0; ) {
      if (Date.now() > end) throw new Error('the requests did not leave the client');
      await new Promise((res) => setTimeout(res, 20));
    }
    const after = await settledRssKb();
    const growthMb = (after.max - before.last) / 1024;
    // Without the bound: 300 answers of ~snapshotBytes each kept in memory (issue 11: ~70 MB).
    const unboundedMb = (300 * snapshotBytes) / 1024 / 1024;
    expect(unboundedMb).toBeGreaterThan(45);
    expect(growthMb, `grew ${growthMb.toFixed(1)} MB (snapshot ${(snapshotBytes / 1024).toFixed(0)} kB)`).toBeLessThan(20);

    // The server still serves everyone else.
    const other = await tv();
    other.ws.send('420["queue:sync"]');
    for (const end = Date.now() + 10_000; !other.messages.some((m) => m.startsWith('430')); ) {
      if (Date.now() > end) throw new Error('another TV got no answer');
      await new Promise((res) => setTimeout(res, 20));
    }
    other.ws.close();
    stuck.ws.terminate();
  }, 90_000);

  it('a TV that stops reading while the queue moves is dropped once 1,000 packets wait for it', async () => {
    const admin = (await api('POST', '/auth/login', undefined, { username: 'admin', password: ADMIN_PASSWORD })).token as string;
    const kiosk = (await api('POST', '/devices', admin, { kind: 'kiosk', name: 'Kiosk 2' })).token as string;
    const stuck = await tv();
    const reading = await tv();
    stuck.tcp()!.pause();
    const before = rssKb();
    // Fill the pipe first (the kernel's socket buffers take a few MB before the server has to
    // keep anything): a sync every 10 ms, each answered once the last one was written.
    for (let i = 0; i < 100; i++) {
      stuck.ws.send(`42${i}["queue:sync"]`);
      await new Promise((res) => setTimeout(res, 10));
    }
    // Each ticket is one event to every screen.
    let issued = 0;
    for (let i = 0; i < 1100 && !log.includes('socket dropped'); i += 25, issued += 25) {
      await Promise.all(Array.from({ length: 25 }, (_, j) => api('POST', '/tickets', kiosk, { serviceId: ((i + j) % 3) + 1 })));
    }
    for (const end = Date.now() + 5000; !log.includes('socket dropped'); ) {
      if (Date.now() > end) throw new Error('the stuck TV was not dropped');
      await new Promise((res) => setTimeout(res, 20));
    }
    const line = JSON.parse(log.split('\n').find((l) => l.includes('socket dropped'))!) as { packets: number };
    expect(line.packets).toBeGreaterThanOrEqual(1000);
    expect((rssKb() - before) / 1024).toBeLessThan(30);
    // The TV that reads was not dropped and got every ticket.
    expect(reading.ws.readyState).toBe(1);
    for (const end = Date.now() + 10_000; reading.messages.filter((m) => m.startsWith('42["ticket:issued"')).length < issued; ) {
      if (Date.now() > end) throw new Error('the reading TV missed tickets');
      await new Promise((res) => setTimeout(res, 20));
    }
    reading.ws.close();
    stuck.ws.terminate();
  }, 90_000);
});
