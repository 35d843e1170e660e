import { rmSync } from 'node:fs';
import { createQueueClient, type ConnectionStatus, type QueueClient } from '@luot/client';
import type { Snapshot } from '@luot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTestServer, tempDataDir, type TestServer } from '../helpers/test-server.js';
import { freshSnapshot, ServerProcess, waitUntil } from './support.js';

/**
 * @luot/client's queue client, as every screen uses it, against the real server: the built
 * server in a child process stopped with SIGTERM (a service restart, an upgrade) or SIGKILL (a
 * crash, a power cut) and started again on the same port and data. The screen must say it is
 * disconnected while the server is away, be live again within 5 s of the server answering, and
 * then show exactly what a screen connecting fresh would (and keep doing so as events come).
 */
const RECOVERY_MS = 5000;

/** A queue client with a log of its statuses and the time each came. */
function screen(url: string, token: string) {
  const statuses: { status: ConnectionStatus; at: number }[] = [];
  const client: QueueClient = createQueueClient({ url, token, onStatus: (status) => statuses.push({ status, at: Date.now() }) });
  return {
    client,
    statuses,
    status: () => client.status,
    /** Resolves when the client is live and at the server's seq. */
    inStep: (fresh: Snapshot, timeoutMs: number) => waitUntil(() => client.status === 'live' && client.state?.seq === fresh.seq, timeoutMs, `live at seq ${fresh.seq} (status ${client.status}, seq ${client.state?.seq})`),
  };
}

describe('a screen on @luot/client through server restarts (child process)', () => {
  const server = new ServerProcess(tempDataDir(), 0);
  let port = 0;
  let display = '';
  let officer = '';
  let kiosk = '';

  beforeAll(async () => {
    port = await freePort();
    Object.assign(server, { port });
    await server.start();
    const admin = await server.login('admin');
    display = (await server.api('POST', '/devices', admin, { kind: 'display', name: 'TV restart test' })).token;
    kiosk = (await server.api('POST', '/devices', admin, { kind: 'kiosk', name: 'Kiosk restart test' })).token;
    officer = await server.login('canbo1');
    await server.api('POST', '/counters/1/open', officer);
  }, 60_000);

  afterAll(async () => {
    await server.stop('SIGKILL');
    rmSync(server.dataDir, { recursive: true, force: true });
  });

  const activity = async () => {
    const t = await server.api('POST', '/tickets', kiosk, { serviceId: 1 });
    await server.api('POST', '/tickets', kiosk, { serviceId: 1, priority: true });
    await server.api('POST', '/tickets', kiosk, { serviceId: 2 });
    const called = await server.api('POST', '/counters/1/call-next', officer);
    await server.api('POST', '/counters/1/recall', officer);
    return { issued: t, called: called.ticket };
  };

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`after ${signal}: disconnected while down, live within ${RECOVERY_MS} ms of the server answering, equal to a fresh snapshot`, async () => {
      const tv = screen(server.url, display);
      await tv.inStep(await freshSnapshot(server.url, display), 10_000);
      await activity();
      await tv.inStep(await freshSnapshot(server.url, display), 5000);

      await server.stop(signal);
      await waitUntil(() => tv.status() === 'disconnected', 5000, 'says disconnected');
      // Down for a while: the client backs off to its longest wait.
      await new Promise((r) => setTimeout(r, 3000));
      expect(tv.status()).toBe('disconnected');

      const reachableAt = await server.start();
      const fresh = await freshSnapshot(server.url, display);
      const liveAt = await tv.inStep(fresh, RECOVERY_MS + 2000);
      expect(liveAt - reachableAt, 'ms from the server answering to the screen live').toBeLessThan(RECOVERY_MS);
      expect(tv.client.state).toEqual(fresh);
      expect(tv.statuses.map((s) => s.status)).toEqual(['live', 'disconnected', 'live']);

      // And it follows what happens after the restart, event by event, as a fresh screen would see it.
      await activity();
      await server.api('POST', '/counters/1/complete', officer);
      const after = await freshSnapshot(server.url, display);
      await tv.inStep(after, 5000);
      expect(tv.client.state).toEqual(after);
      tv.client.close();
    }, 60_000);
  }
});

describe('a screen on @luot/client whose token is revoked', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it("says 'unauthorized' and stops trying", async () => {
    const made = await s.api('POST', '/devices', { token: s.adminToken, body: { kind: 'display', name: 'TV to revoke' } });
    const tv = screen(s.url, made.body.token);
    await tv.inStep(await freshSnapshot(s.url, made.body.token), 5000);
    await s.api('POST', `/devices/${made.body.id}/revoke`, { token: s.adminToken });
    await waitUntil(() => tv.status() === 'unauthorized', 5000, 'unauthorized');
    expect(tv.statuses.map((x) => x.status)).toEqual(['live', 'disconnected', 'unauthorized']);
    tv.client.close();
  });

  it("an unknown token is 'unauthorized' from the start", async () => {
    const tv = screen(s.url, 'not-a-token-of-this-server');
    await waitUntil(() => tv.status() === 'unauthorized', 5000, 'unauthorized');
    expect(tv.client.state).toBeNull();
    tv.client.close();
  });
});
