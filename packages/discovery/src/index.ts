/**
 * Finding the Luot server on the LAN, for kiosks and TVs (Electron main process or any Node).
 * Self-contained on purpose (only node: imports): the kiosk may import it or copy it.
 *
 *   const found = await discoverServer({ timeoutMs: 3000 });
 *   const url = found?.url ?? config.manualServerUrl; // the manual URL stays the fallback
 *
 * Protocol (UDP, default port 41234): the client sends the JSON probe
 *   {"luot":"discover","v":1,"nonce":"<hex>"}
 * to the broadcast addresses (or to one address), and each server answers to the sender with
 *   {"luot":"server","v":1,"nonce":"<same>","name":"<center>","port":8080,"url":null|"http://...","version":"0.1.0"}
 * The URL is the server's LUOT_PUBLIC_URL when set, else http://<address the answer came from>:<port>,
 * the address that is reachable from this machine by construction.
 *
 * Broadcasts reach only the local subnet: a kiosk on another VLAN or behind a router that drops
 * broadcasts needs the manual URL (or `address` set to the server's IP).
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';

export const DISCOVERY_PORT = 41234;
export const DISCOVERY_PROBE = 'discover';
export const DISCOVERY_REPLY = 'server';

export interface DiscoveryReply {
  luot: typeof DISCOVERY_REPLY;
  v: 1;
  nonce: string;
  name: string;
  port: number;
  url: string | null;
  version: string;
}

export interface DiscoveredServer {
  /** Base URL of the server, e.g. http://192.168.1.10:8080 */
  url: string;
  /** The center's name. */
  name: string;
  version: string;
  /** The IPv4 address the answer came from. */
  address: string;
}

export interface DiscoverOptions {
  /** Give up after this long (default 3000 ms) and resolve null. */
  timeoutMs?: number;
  /** UDP port of the servers (default 41234). */
  port?: number;
  /**
   * Where to send the probe. Default: 255.255.255.255 and the directed broadcast of every
   * IPv4 interface (a PC with two network cards sends on both). Tests use '127.0.0.1'.
   */
  address?: string | string[];
  /** Resend the probe this often until an answer (default 500 ms): UDP may drop a packet. */
  resendMs?: number;
}

/** Directed broadcast addresses of this machine's IPv4 interfaces (192.168.1.255 for 192.168.1.7/24). */
export function broadcastAddresses(): string[] {
  const out = new Set<string>(['255.255.255.255']);
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family !== 'IPv4' || a.internal) continue;
      const ip = a.address.split('.').map(Number);
      const mask = a.netmask.split('.').map(Number);
      if (ip.length !== 4 || mask.length !== 4) continue;
      out.add(ip.map((b, i) => (b & mask[i]!) | (~mask[i]! & 255)).join('.'));
    }
  }
  return [...out];
}

function parseReply(msg: Buffer, nonce: string): DiscoveryReply | null {
  if (msg.length > 2048) return null;
  try {
    const r = JSON.parse(msg.toString('utf8')) as Partial<DiscoveryReply>;
    if (r.luot !== DISCOVERY_REPLY || r.v !== 1 || r.nonce !== nonce) return null;
    if (typeof r.port !== 'number' || !Number.isInteger(r.port) || r.port < 1 || r.port > 65535) return null;
    if (r.url !== null && (typeof r.url !== 'string' || !/^https?:\/\/[^\s]+$/.test(r.url))) return null;
    return { luot: DISCOVERY_REPLY, v: 1, nonce, port: r.port, url: r.url, name: String(r.name ?? '').slice(0, 200), version: String(r.version ?? '').slice(0, 50) };
  } catch {
    return null;
  }
}

/** Finds the first Luot server that answers, or null after `timeoutMs`. Never throws on network trouble. */
export function discoverServer(opts: DiscoverOptions = {}): Promise<DiscoveredServer | null> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const port = opts.port ?? DISCOVERY_PORT;
  const targets = opts.address === undefined ? broadcastAddresses() : ([] as string[]).concat(opts.address);
  const nonce = randomBytes(8).toString('hex');
  const probe = Buffer.from(JSON.stringify({ luot: DISCOVERY_PROBE, v: 1, nonce }));

  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    let done = false;
    let resend: NodeJS.Timeout | undefined;
    const finish = (result: DiscoveredServer | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(resend);
      try {
        socket.close();
      } catch {
        /* already closed */
      }
      resolve(result);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    const send = () => {
      for (const t of targets) socket.send(probe, port, t, () => {});
    };
    socket.on('error', () => {
      /* e.g. no network yet: keep trying until the timeout */
    });
    socket.on('message', (msg, rinfo) => {
      const r = parseReply(msg, nonce);
      if (!r) return;
      finish({ url: r.url ?? `http://${rinfo.address}:${r.port}`, name: r.name, version: r.version, address: rinfo.address });
    });
    socket.bind(0, () => {
      if (done) return;
      try {
        socket.setBroadcast(true);
      } catch {
        /* not fatal for unicast */
      }
      send();
      resend = setInterval(send, opts.resendMs ?? 500);
    });
  });
}
