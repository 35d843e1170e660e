import { createSocket } from 'node:dgram';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsConfigFromEnv } from '../src/ops/config.js';
import { broadcastAddresses, discoverServer } from '@luot/discovery';
import { startDiscoveryResponder, type DiscoveryResponder } from '../src/ops/discovery.js';
import { startOperations } from '../src/ops/index.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/** A UDP port free on loopback right now. */
async function freeUdpPort(): Promise<number> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const port = sock.address().port;
  await new Promise<void>((r) => sock.close(() => r()));
  return port;
}

/** Sends raw bytes and collects whatever comes back within `ms`. */
async function rawProbe(port: number, payload: string | Buffer, ms = 150): Promise<string[]> {
  const sock = createSocket('udp4');
  const got: string[] = [];
  sock.on('message', (m) => got.push(m.toString()));
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  sock.send(payload, port, '127.0.0.1');
  await new Promise((r) => setTimeout(r, ms));
  sock.close();
  return got;
}

describe('LAN discovery on loopback', () => {
  let responder: DiscoveryResponder;
  let name = 'Trung tâm PVHCC xã Tân Phú';
  beforeAll(async () => {
    responder = await startDiscoveryResponder({ port: 0, host: '127.0.0.1', info: () => ({ name, httpPort: 8080, url: null, version: '1.2.3' }) });
  });
  afterAll(() => responder.close());

  it('finds the server and builds the URL from the address that answered', async () => {
    const found = await discoverServer({ address: '127.0.0.1', port: responder.port, timeoutMs: 2000 });
    expect(found).toEqual({ url: 'http://127.0.0.1:8080', name: 'Trung tâm PVHCC xã Tân Phú', version: '1.2.3', address: '127.0.0.1' });
    name = 'Đổi tên';
    expect((await discoverServer({ address: '127.0.0.1', port: responder.port }))?.name).toBe('Đổi tên');
  });

  it('announces LUOT_PUBLIC_URL instead when the center set one', async () => {
    const other = await startDiscoveryResponder({ port: 0, host: '127.0.0.1', info: () => ({ name, httpPort: 8080, url: 'http://luot.local:8080', version: '1' }) });
    try {
      expect((await discoverServer({ address: '127.0.0.1', port: other.port }))?.url).toBe('http://luot.local:8080');
    } finally {
      await other.close();
    }
  });

  it('resolves null when nobody answers (the kiosk then uses its manual URL)', async () => {
    const port = await freeUdpPort();
    const t0 = Date.now();
    expect(await discoverServer({ address: '127.0.0.1', port, timeoutMs: 300, resendMs: 100 })).toBeNull();
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('ignores anything that is not a probe, and rate limits per address', async () => {
    expect(await rawProbe(responder.port, 'hello')).toEqual([]);
    expect(await rawProbe(responder.port, JSON.stringify({ luot: 'discover', v: 2 }))).toEqual([]);
    expect(await rawProbe(responder.port, Buffer.alloc(4000, 0x20))).toEqual([]);
    const reply = await rawProbe(responder.port, JSON.stringify({ luot: 'discover', v: 1, nonce: 'abc' }));
    expect(JSON.parse(reply[0]!)).toMatchObject({ luot: 'server', v: 1, nonce: 'abc', port: 8080 });
    // A flood from one address gets at most 10 answers a second.
    const sock = createSocket('udp4');
    let answers = 0;
    sock.on('message', () => answers++);
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    for (let i = 0; i < 50; i++) sock.send(JSON.stringify({ luot: 'discover', v: 1, nonce: String(i) }), responder.port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 200));
    sock.close();
    expect(answers).toBeGreaterThan(0);
    expect(answers).toBeLessThanOrEqual(20);
  });

  it('computes directed broadcast addresses for real LANs', () => {
    const list = broadcastAddresses();
    expect(list[0]).toBe('255.255.255.255');
    for (const a of list) expect(a).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });
});

describe('discovery through startOperations', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('announces the center name from settings and the HTTP port; a busy UDP port only skips discovery', async () => {
    const port = await freeUdpPort();
    const httpPort = Number(new URL(s.url).port);
    const config = opsConfigFromEnv({
      LUOT_DATA_DIR: s.dataDir,
      LUOT_DISCOVERY_PORT: String(port),
      LUOT_DISCOVERY_HOST: '127.0.0.1',
      LUOT_LOG_FILE: 'off',
    });
    const ops = await startOperations({ db: s.db, repos: s.server.ctx.repos, clock: s.clock, logger: pino({ level: 'silent' }), config, httpPort, version: s.server.ctx.version });
    try {
      expect(ops.status().discoveryPort).toBe(port);
      const found = await discoverServer({ address: '127.0.0.1', port, timeoutMs: 2000 });
      expect(found?.url).toBe(s.url);
      expect(found?.name).toBe(s.server.ctx.repos.settings.center().centerName);
      // The kiosk can go straight on to the API with the URL it found.
      expect((await fetch(`${found!.url}/api/v1/health`)).status).toBe(200);
    } finally {
      await ops.stop();
    }
    // A second server on the same port: discovery is skipped with a warning, the server still starts.
    const blocker = createSocket('udp4');
    await new Promise<void>((r) => blocker.bind(port, '127.0.0.1', () => r()));
    const ops2 = await startOperations({
      db: s.db,
      repos: s.server.ctx.repos,
      clock: s.clock,
      logger: pino({ level: 'silent' }),
      config,
      httpPort,
    });
    try {
      expect(ops2.status().discoveryPort).toBeNull();
    } finally {
      await ops2.stop();
      blocker.close();
    }
  });
});
