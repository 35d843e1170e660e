import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { engineWsUrl, pollingHandshake, rawWebSocket, sendConnect, type RawWs } from './raw-engine.js';

// The `ws` package socket.io runs on, as raw-engine.ts reaches it, for a client in another process.
const fromHere = createRequire(import.meta.url);
const wsModulePath = createRequire(createRequire(fromHere.resolve('socket.io')).resolve('engine.io')).resolve('ws');

/**
 * The per-address cap on connections still in the handshake, as docs/security.md states it: 10 at
 * once (WebSocket or long-polling), each given back 5 s after it opened if it never authenticates.
 * Found by an attacker test: a burst was let in at about half the cap (a connection counted twice
 * in its first turn), and 10 silent polling sessions held the address for ~20 s (until the ping
 * timeout), so repeating them every 20 s kept every phone behind that address out.
 */
let s: TestServer;
const all: RawWs[] = [];
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  for (const r of all) r.ws.terminate();
  await s.close();
});

const open = (address: string) => {
  const r = rawWebSocket(s.url, address);
  all.push(r);
  return r;
};
/**
 * `n` WebSocket handshakes from `address` opened at once by another process, as a burst from
 * another machine arrives (in this process the requests reach the server one turn at a time).
 * None is closed or authenticated before all have their answer. Resolves with how many the server
 * upgraded and how many it refused.
 */
const burst = (address: string, n: number): Promise<{ admitted: number; refused: number }> => {
  const script = `
    const WebSocket = require(${JSON.stringify(wsModulePath)});
    const ws = [];
    let admitted = 0, refused = 0, left = ${n};
    const done = () => { if (--left !== 0) return; process.stdout.write(JSON.stringify({ admitted, refused }), () => process.exit(0)); };
    for (let i = 0; i < ${n}; i++) {
      const w = new WebSocket(${JSON.stringify(engineWsUrl(s.url))}, { localAddress: ${JSON.stringify(address)} });
      ws.push(w);
      w.on('open', () => { admitted++; done(); });
      w.on('unexpected-response', () => { refused++; done(); });
      w.on('error', () => done());
    }`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { timeout: 10_000 }, (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout) as { admitted: number; refused: number })));
  });
};
/** A screen from `address` opens a WebSocket and passes the handshake with a valid token. */
const screenConnects = async (address: string): Promise<boolean> => {
  const r = open(address);
  if ((await r.opened).kind !== 'open') return false;
  const answer = new Promise<string>((resolve) => r.ws.on('message', (d) => String(d).startsWith('4') && resolve(String(d).slice(0, 2))));
  sendConnect(r.ws, { token: s.displayToken });
  return (await answer) === '40';
};
/** Tries every 100 ms until `ok` holds; the time it took, or null if it never did by `limitMs`. */
const timeUntil = async (ok: () => Promise<boolean>, limitMs: number): Promise<number | null> => {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    if (await ok()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
};

describe('handshakes in progress from one address', () => {
  it('exactly 10 WebSocket handshakes arriving together are let in, of 10 and of 20', async () => {
    expect(await burst('127.0.0.41', 10)).toEqual({ admitted: 10, refused: 0 });
    expect(await burst('127.0.0.42', 20)).toEqual({ admitted: 10, refused: 10 });
  });

  it('exactly 10 long-polling handshakes are let in', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => pollingHandshake(s.url, '127.0.0.43')));
    expect(answers.filter((a) => a.status === 200 && a.sid)).toHaveLength(10);
    expect(answers.filter((a) => a.status === 403)).toHaveLength(10);
  });

  it('10 silent long-polling sessions hold the address for the 5 s connect timeout, not until the ping timeout', async () => {
    const started = Date.now();
    for (let i = 0; i < 10; i++) expect((await pollingHandshake(s.url, '127.0.0.44')).status).toBe(200);
    // The address is at its cap: a real screen from it is refused...
    expect(await screenConnects('127.0.0.44')).toBe(false);
    // ...until the sessions' 5 s are up (the ping timeout would be 20 s).
    const waited = await timeUntil(() => screenConnects('127.0.0.44'), 15_000);
    expect(waited).not.toBeNull();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(4_900);
    expect(elapsed).toBeLessThan(7_500);
  }, 20_000);
});
