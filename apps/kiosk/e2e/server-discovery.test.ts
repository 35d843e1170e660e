// Not a browser test: it lives beside the e2e tests because it runs the server's real discovery
// responder (apps/server), which the kiosk's own Node project may not import.
import { discoverServer } from '@luot/discovery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The server's real responder on loopback: the kiosk's probe and the server's answer must agree.
import { startDiscoveryResponder, type DiscoveryResponder } from '../../server/src/ops/discovery.js';
import { resolveServerUrl } from '../src/main/server-url.js';

let responder: DiscoveryResponder;
beforeAll(async () => {
  responder = await startDiscoveryResponder({ port: 0, host: '127.0.0.1', info: () => ({ name: 'UBND phường 1', httpPort: 8123, url: null, version: '0.1.0' }) });
});
afterAll(() => responder.close());

describe('resolveServerUrl', () => {
  it('keeps a configured URL without probing', async () => {
    let probes = 0;
    const url = await resolveServerUrl('http://192.168.1.10:8080', async () => (probes++, null));
    expect(url).toBe('http://192.168.1.10:8080');
    expect(probes).toBe(0);
  });

  it('finds the server by LAN discovery when the config says auto', async () => {
    const url = await resolveServerUrl('auto', () => discoverServer({ address: '127.0.0.1', port: responder.port, timeoutMs: 1000 }));
    expect(url).toBe('http://127.0.0.1:8123');
  });

  it('gives up after the attempts when nobody answers, so the technician sees why', async () => {
    const seen: number[] = [];
    const url = await resolveServerUrl('auto', () => discoverServer({ address: '127.0.0.1', port: 9, timeoutMs: 100 }), { attempts: 2, onSearching: (n) => seen.push(n) });
    expect(url).toBeNull();
    expect(seen).toEqual([1, 2]);
  });
});
