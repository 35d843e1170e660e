import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type Socket } from 'node:net';

/**
 * A loopback HTTP proxy in front of the server, for tests of what a page does when an answer is
 * lost on the way: a Wi-Fi blip or a timeout after the server has done the work. Pages are
 * opened through it (its URL), so every request and the socket.io connection go through it.
 *
 * - `dropNext(n)`: the next n requests that `match` are forwarded and fully answered by the
 *   server, then the page's connection is cut before a byte of the answer reaches it (a Wi-Fi
 *   blip); with `mode: 'hang'` the connection stays open and silent instead, until the page
 *   gives up on it (a timeout).
 * - `hold()` / `release()`: matching requests wait at the proxy (not forwarded) until released,
 *   so a test can, say, restart the server between a try and its retry.
 * - `cut(pred)`: requests for which `pred` holds (matching or not) never reach the server: the
 *   page's connection is cut at once (the Wi-Fi still down for them); `cut(null)` heals. Each cut
 *   request is listed in `cutRequests`.
 *
 * Every response is sent with `Connection: close`. Chromium silently resends a request whose
 * reused keep-alive connection closed before any answer; with a fresh connection each time it
 * does not, so every retry the test sees is the page's own.
 */
export interface ProxiedRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  /** forwarded: answered to the page; dropped: the server answered, the page got nothing; unreachable: the server was down. */
  fate: 'pending' | 'forwarded' | 'dropped' | 'unreachable' | 'abandoned';
  /** The server's status, when it answered. */
  status?: number;
  /** The server's answer, when it answered (text). */
  body?: string;
}

export interface DropProxy {
  url: string;
  /** The requests that matched, in the order they arrived. */
  readonly matched: readonly ProxiedRequest[];
  /** Forgets the requests seen so far. */
  clear(): void;
  /** Drops the next n matching answers; with `thenHold`, holds every matching request after the last drop. */
  dropNext(n: number, opts?: { thenHold?: boolean; mode?: 'reset' | 'hang' }): void;
  hold(): void;
  release(): void;
  cut(pred: ((method: string, path: string) => boolean) | null): void;
  /** The requests `cut` kept from the server, in order. */
  readonly cutRequests: readonly { method: string; path: string }[];
  /** Resolves when `pred` holds for the matched requests (polls; rejects after timeoutMs). */
  waitFor(pred: (matched: readonly ProxiedRequest[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface DropProxyOptions {
  /** The server behind the proxy (loopback). */
  targetPort: number;
  targetHost?: string;
  /** Which requests the drop and hold rules apply to. */
  match(method: string, path: string): boolean;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

export async function startDropProxy(opts: DropProxyOptions): Promise<DropProxy> {
  const host = opts.targetHost ?? '127.0.0.1';
  const matched: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  let toDrop = 0;
  let holdAfterDrop = false;
  let dropMode: 'reset' | 'hang' = 'reset';
  let held = false;
  let releaseHeld: () => void = () => {};
  let heldGate: Promise<void> = Promise.resolve();
  let cutPred: ((method: string, path: string) => boolean) | null = null;
  const cutRequests: { method: string; path: string }[] = [];

  /** Forwards the request; resolves with the server's whole answer, or null when it is down. */
  function forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.OutgoingHttpHeaders; body: Buffer } | null> {
    return new Promise((resolve) => {
      const headers = { ...req.headers };
      delete headers.connection;
      delete headers['keep-alive'];
      const up = http.request({ host, port: opts.targetPort, method: req.method, path: req.url, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const out: http.OutgoingHttpHeaders = {};
          for (const [k, v] of Object.entries(res.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
          resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
        });
        res.on('error', () => resolve(null));
      });
      up.on('error', () => resolve(null));
      up.end(body);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = req.url ?? '/';
    if (cutPred?.(req.method ?? 'GET', path.split('?')[0]!)) {
      cutRequests.push({ method: req.method ?? 'GET', path });
      req.socket.destroy();
      return;
    }
    const isMatch = opts.match(req.method ?? 'GET', path.split('?')[0]!);
    let record: ProxiedRequest | undefined;
    if (isMatch) {
      const key = req.headers['idempotency-key'];
      record = { method: req.method ?? 'GET', path, idempotencyKey: Array.isArray(key) ? key[0] : key, fate: 'pending' };
      matched.push(record);
      while (held) await heldGate;
      // The page gave up while the request waited here: it never reaches the server.
      if (req.socket.destroyed) {
        record.fate = 'abandoned';
        return;
      }
    }
    const drop = isMatch && toDrop > 0;
    if (drop) toDrop--;
    const answer = await forward(req, Buffer.concat(chunks));
    if (!answer) {
      // The server is down: to the page, the same as a refused connection.
      if (record) record.fate = 'unreachable';
      req.socket.destroy();
      return;
    }
    if (record) {
      record.status = answer.status;
      record.body = answer.body.toString('utf8');
    }
    if (drop) {
      record!.fate = 'dropped';
      // Set before the page learns of the loss, so its retry cannot slip past.
      if (toDrop === 0 && holdAfterDrop) {
        holdAfterDrop = false;
        hold();
      }
      // 'hang': say nothing and keep the connection open; the page's own timeout ends it.
      if (dropMode === 'reset') req.socket.destroy();
      return;
    }
    if (record) record.fate = 'forwarded';
    res.writeHead(answer.status, { ...answer.headers, 'content-length': answer.body.length, connection: 'close' });
    res.end(answer.body);
  }

  function hold(): void {
    if (held) return;
    held = true;
    heldGate = new Promise<void>((r) => (releaseHeld = r));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // WebSocket (socket.io): a plain byte pipe to the server, cut when either side goes.
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const up = net.connect(opts.targetPort, host, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    sockets.add(up);
    up.on('close', () => {
      sockets.delete(up);
      client.destroy();
    });
    client.on('close', () => up.destroy());
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    matched,
    clear() {
      matched.length = 0;
    },
    dropNext(n, o = {}) {
      toDrop = n;
      holdAfterDrop = o.thenHold ?? false;
      dropMode = o.mode ?? 'reset';
    },
    hold,
    cut(pred) {
      cutPred = pred;
    },
    cutRequests,
    release() {
      held = false;
      releaseHeld();
    },
    async waitFor(pred, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pred(matched)) {
        if (Date.now() > deadline) throw new Error(`proxy: condition not met in ${timeoutMs} ms; requests seen: ${JSON.stringify(matched.map(({ body: _b, ...r }) => r))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      held = false;
      releaseHeld();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
