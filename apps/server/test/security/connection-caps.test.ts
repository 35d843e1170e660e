import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { pollingHandshake, rawWebSocket, sendConnect, type RawWs } from './raw-engine.js';

/**
 * Connections that never authenticate are capped per address, before any token is read (issue
 * 12 reproduced 200 WebSockets and 100 polling sessions held from one address). Each test plays a
 * different machine on the Wi-Fi by its own loopback source address. Defaults of the server: 10
 * connections per address may be in the handshake at once, and one that has not passed it within
 * 5 s is closed.
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
const outcomes = async (rs: RawWs[]) => {
  const results = await Promise.all(rs.map((r) => r.opened));
  return { open: results.filter((x) => x.kind === 'open').length, refused: results.filter((x) => x.kind === 'refused').length };
};
/** Resolves when the raw socket gets socket.io's CONNECT answer (40...) or its refusal (44...). */
const handshakeAnswer = (r: RawWs) =>
  new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no handshake answer')), 5000);
    r.ws.on('message', (d) => {
      const m = String(d);
      if (m.startsWith('40') || m.startsWith('44')) {
        clearTimeout(t);
        resolve(m.slice(0, 2));
      }
    });
  });

describe('per-address caps before authentication', () => {
  it('one address cannot hold 200 silent WebSockets; the ones let in are closed after 5 s, and then the address may connect again', async () => {
    const rs = Array.from({ length: 200 }, () => open('127.0.0.11'));
    const { open: opened, refused } = await outcomes(rs);
    expect(opened).toBeGreaterThan(0);
    expect(opened).toBeLessThanOrEqual(10);
    expect(refused).toBe(200 - opened);

    // Another machine is not affected while this one is at its cap.
    const other = open('127.0.0.12');
    expect(await other.opened).toEqual({ kind: 'open' });
    const answer = handshakeAnswer(other);
    sendConnect(other.ws, { token: s.displayToken });
    expect(await answer).toBe('40');

    // Silent connections are closed by the server after the connect timeout.
    const started = Date.now();
    const accepted = (await Promise.all(rs.map(async (r) => ((await r.opened).kind === 'open' ? r : null)))).filter((r): r is RawWs => r !== null);
    await Promise.all(accepted.map((r) => r.closed));
    expect(Date.now() - started).toBeLessThan(8000);
    expect(other.ws.readyState).toBe(1);
    const again = open('127.0.0.11');
    expect(await again.opened).toEqual({ kind: 'open' });
  }, 30_000);

  it('one address cannot hold 100 long-polling sessions', async () => {
    const answers = await Promise.all(Array.from({ length: 100 }, () => pollingHandshake(s.url, '127.0.0.13')));
    const ok = answers.filter((a) => a.status === 200 && a.sid);
    expect(ok.length).toBeGreaterThan(0);
    expect(ok.length).toBeLessThanOrEqual(10);
    expect(answers.filter((a) => a.status === 403)).toHaveLength(100 - ok.length);
    // WebSockets from that address count against the same cap.
    expect(await open('127.0.0.13').opened).toMatchObject({ kind: 'refused', status: 400 });
  });

  it('connections that pass the handshake no longer count as waiting: a room of screens behind one address connects', async () => {
    for (let i = 0; i < 25; i++) {
      const r = open('127.0.0.14');
      expect(await r.opened).toEqual({ kind: 'open' });
      const answer = handshakeAnswer(r);
      sendConnect(r.ws, { token: s.displayToken });
      expect(await answer).toBe('40');
    }
    expect(s.server.io.of('/').sockets.size).toBeGreaterThanOrEqual(25);
  });

  it('a connection refused at the handshake (a bad token) keeps its place only until the connect timeout', async () => {
    const rs = Array.from({ length: 10 }, () => open('127.0.0.15'));
    for (const r of rs) {
      expect(await r.opened).toEqual({ kind: 'open' });
      const answer = handshakeAnswer(r);
      sendConnect(r.ws, { token: 'not-a-token' });
      expect(await answer).toBe('44');
    }
    // The address is at its cap of connections without a valid handshake...
    expect(await open('127.0.0.15').opened).toMatchObject({ kind: 'refused' });
    // ...until the server closes them.
    await Promise.all(rs.map((r) => r.closed));
    expect(await open('127.0.0.15').opened).toEqual({ kind: 'open' });
  }, 20_000);
});
