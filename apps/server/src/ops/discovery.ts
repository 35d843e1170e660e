import { createSocket, type Socket } from 'node:dgram';
import { DISCOVERY_PROBE, DISCOVERY_REPLY, type DiscoveryReply } from '@luot/discovery';

export interface DiscoveryResponderOptions {
  port: number;
  /** Address to bind; 0.0.0.0 hears LAN broadcasts, 127.0.0.1 in tests. */
  host?: string;
  /** What to announce, read at each answer (the center's name may change). */
  info: () => { name: string; httpPort: number; url: string | null; version: string };
  /** Answers per source address per second (a LAN neighbour must not turn us into a flood). */
  maxPerSecond?: number;
}

export interface DiscoveryResponder {
  /** The bound UDP port (useful with port 0 in tests). */
  port: number;
  close(): Promise<void>;
}

/**
 * Answers LAN discovery probes (see packages/discovery) with the server's name and port.
 * Anyone on the Wi-Fi may ask: the answer holds only what the kiosk page shows anyway. Probes
 * are bounded in size and parsed strictly; answers are rate limited per source address.
 */
export async function startDiscoveryResponder(opts: DiscoveryResponderOptions): Promise<DiscoveryResponder> {
  const socket: Socket = createSocket({ type: 'udp4' });
  const maxPerSecond = opts.maxPerSecond ?? 10;
  const recent = new Map<string, { second: number; n: number }>();

  socket.on('message', (msg, rinfo) => {
    if (msg.length > 512) return;
    let probe: unknown;
    try {
      probe = JSON.parse(msg.toString('utf8'));
    } catch {
      return;
    }
    if (!probe || typeof probe !== 'object') return;
    const p = probe as Record<string, unknown>;
    if (p.luot !== DISCOVERY_PROBE || p.v !== 1) return;
    const nonce = typeof p.nonce === 'string' && /^[0-9a-f]{1,64}$/.test(p.nonce) ? p.nonce : '';
    const second = Math.floor(Date.now() / 1000);
    const r = recent.get(rinfo.address);
    if (r && r.second === second) {
      if (++r.n > maxPerSecond) return;
    } else {
      if (recent.size > 1024) recent.clear();
      recent.set(rinfo.address, { second, n: 1 });
    }
    const info = opts.info();
    const reply: DiscoveryReply = { luot: DISCOVERY_REPLY, v: 1, nonce, name: info.name, port: info.httpPort, url: info.url, version: info.version };
    socket.send(JSON.stringify(reply), rinfo.port, rinfo.address);
  });
  // A bad packet or an unreachable sender must never bring the server down.
  socket.on('error', () => {});

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(opts.port, opts.host ?? '0.0.0.0', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    port: socket.address().port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
