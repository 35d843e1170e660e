import { request } from 'node:http';
import { createRequire } from 'node:module';
import { connect, type Socket as NetSocket } from 'node:net';

/**
 * Raw engine.io connections for the connection and per-client tests: what a script on the Wi-Fi
 * would open, below socket.io-client (which always completes its handshake and always reads).
 * The WebSocket client is the `ws` package socket.io itself runs on (engine.io's dependency),
 * reached through socket.io's own resolution so the test needs no dependency of its own.
 */
const fromHere = createRequire(import.meta.url);
const fromEngine = createRequire(createRequire(fromHere.resolve('socket.io')).resolve('engine.io'));

export interface WsLike {
  readyState: number;
  bufferedAmount: number;
  send(data: string, cb?: (err?: Error) => void): void;
  close(): void;
  terminate(): void;
  on(event: 'open', l: () => void): this;
  on(event: 'message', l: (data: Buffer) => void): this;
  on(event: 'close', l: (code: number) => void): this;
  on(event: 'error', l: (err: Error) => void): this;
  on(event: 'unexpected-response', l: (req: unknown, res: { statusCode?: number }) => void): this;
}
type WsCtor = new (url: string, opts: Record<string, unknown>) => WsLike;
export const WebSocket = fromEngine('ws') as WsCtor;

/** The server's base URL as the engine.io WebSocket endpoint. */
export const engineWsUrl = (baseUrl: string) => `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;

export interface RawWs {
  ws: WsLike;
  /** The TCP socket under it, to stop reading (pause) as a stuck client would. */
  tcp: () => NetSocket | null;
  /** 'open' once the server accepted the upgrade; 'refused' with the HTTP status otherwise. */
  opened: Promise<{ kind: 'open' } | { kind: 'refused'; status: number } | { kind: 'error'; message: string }>;
  closed: Promise<void>;
  messages: string[];
}

/** A WebSocket to engine.io from `localAddress` (any 127.x.y.z is loopback on Linux). */
export function rawWebSocket(baseUrl: string, localAddress = '127.0.0.1'): RawWs {
  let tcp: NetSocket | null = null;
  const ws = new WebSocket(engineWsUrl(baseUrl), {
    localAddress,
    // Keep the TCP socket, so a test can stop reading from it.
    createConnection: (o: Parameters<typeof connect>[0]) => (tcp = connect(o)),
  });
  const messages: string[] = [];
  ws.on('message', (d) => messages.push(String(d)));
  const opened = new Promise<Awaited<RawWs['opened']>>((resolve) => {
    ws.on('open', () => resolve({ kind: 'open' }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ kind: 'refused', status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('error', (err) => resolve({ kind: 'error', message: err.message }));
  });
  const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  return { ws, tcp: () => tcp, opened, closed, messages };
}

/** One long-polling handshake (GET, no sid) from `localAddress`: the status and the session id if any. */
export function pollingHandshake(baseUrl: string, localAddress: string): Promise<{ status: number; sid: string | null }> {
  const url = new URL('/socket.io/?EIO=4&transport=polling', baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, localAddress, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        const m = /"sid":"([^"]+)"/.exec(body);
        resolve({ status: res.statusCode ?? 0, sid: m ? (m[1] as string) : null });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends socket.io's CONNECT for the main namespace with `auth` over a raw engine.io WebSocket. */
export const sendConnect = (ws: WsLike, auth: Record<string, unknown>) => ws.send(`40${JSON.stringify(auth)}`);
