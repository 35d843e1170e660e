import net from 'node:net';
import { createQueueClient } from '@luot/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * A link that dies without a word: a TV's cable pulled or its Wi-Fi gone, where no FIN or RST
 * ever arrives. A loopback relay between the TV and the server stops passing bytes either way
 * without closing anything. socket.io's heartbeat must notice on both sides: the TV's client
 * drops the dead socket (and reconnects), the server frees it and, after the offline gap, tells
 * staff the display is gone; when the link comes back the TV reconnects and the alert clears.
 * The heartbeat is shortened here (the server's default is HEARTBEAT, 10 s + 10 s).
 */
let s: TestServer;
let relay: net.Server;
let relayPort: number;
/** Per connection through the relay: whether it still passes bytes. */
const links: { alive: boolean }[] = [];
/** While the cable is out, new connections through the relay are dead from the start. */
let cableOut = false;
/** Every socket the relay holds, to end them all at the end (dead links never close by themselves). */
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  s = await startTestServer({ heartbeat: { intervalMs: 200, timeoutMs: 200 }, deviceOfflineAfterMs: 150 });
  const upstreamPort = Number(new URL(s.url).port);
  relay = net.createServer((down) => {
    const link = { alive: !cableOut };
    links.push(link);
    const up = net.connect(upstreamPort, '127.0.0.1');
    sockets.add(down).add(up);
    down.on('data', (d) => void (link.alive && up.write(d)));
    up.on('data', (d) => void (link.alive && down.write(d)));
    const end = () => {
      down.destroy();
      up.destroy();
    };
    // A dead link stays open, as a pulled cable does: only a live one passes a close on.
    down.on('close', () => link.alive && end());
    up.on('close', () => link.alive && end());
    down.on('error', () => undefined);
    up.on('error', () => undefined);
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  relayPort = (relay.address() as net.AddressInfo).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  relay.close();
  await s.close();
});

const until = async (cond: () => boolean, what: string, limitMs = 8000) => {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('a link that dies without a word', () => {
  it('is noticed on both sides by the heartbeat; staff are told; the TV comes back when the link does', async () => {
    const displayId = s.server.ctx.repos.devices.list().find((d) => d.kind === 'display')!.id;
    const offline = () => s.server.ctx.alerts.active().some((a) => a.deviceId === displayId && a.code === 'device_offline');
    // The TV's own client (@luot/client), as the display page runs it.
    const tv = createQueueClient({ url: `http://127.0.0.1:${relayPort}`, token: s.displayToken });
    try {
      await until(() => tv.status === 'live', 'the TV to be live');
      expect(links.length).toBeGreaterThan(0);
      const seqBefore = s.server.ctx.repos.events.lastSeq();

      // The cable is pulled: nothing passes, nothing closes. While it is out the TV's retries
      // go through new relay connections, which are dead too.
      cableOut = true;
      for (const link of links) link.alive = false;

      await until(() => tv.status === 'disconnected', 'the TV to notice the dead link and show itself offline');
      await until(offline, 'the server to free the socket and raise device_offline');

      // Something happens while the TV is away: it must show it once it is back.
      const issued = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: 1 } });
      expect(issued.status).toBe(201);

      // The cable is back: the TV's next try passes bytes again.
      cableOut = false;
      await until(() => tv.status === 'live' && (tv.state?.seq ?? 0) > seqBefore, 'the TV to be live again with what it missed');
      await until(() => !offline(), 'the offline alert to clear');
    } finally {
      tv.close();
    }
  });
});
