import type pg from 'pg';
import { createProvinceServer, type ProvinceServer } from '../../src/server.js';
import type { TestPostgres } from './postgres.js';

export const ADMIN_TOKEN = 'province-admin-token-for-tests-0123456789';

export interface TestProvince {
  url: string;
  port: number;
  pool: pg.Pool;
  server: ProvinceServer;
  /** fetch against the province with JSON in and out. */
  api(method: string, path: string, o?: { token?: string | null; body?: unknown; rawBody?: string }): Promise<{ status: number; body: any }>;
  /** Registers a center through the admin API: its id and key. */
  register(code: string, name?: string): Promise<{ id: number; key: string }>;
  /** Stops the HTTP service (the link is cut; PostgreSQL keeps running). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

/** The real province service on 127.0.0.1 over a fresh, migrated database of `pgs`. */
export async function startProvince(pgs: TestPostgres, o: { pool?: pg.Pool; poolMax?: number } = {}): Promise<TestProvince> {
  const pool = o.pool ?? (await pgs.freshDatabase({ max: o.poolMax ?? 10 }));
  let server = await createProvinceServer({ pool, adminToken: ADMIN_TOKEN });
  const url = await server.listen(0, '127.0.0.1');
  const port = Number(new URL(url).port);
  let up = true;
  const api: TestProvince['api'] = async (method, path, opt = {}) => {
    const headers: Record<string, string> = {};
    const token = opt.token === undefined ? ADMIN_TOKEN : opt.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (opt.rawBody !== undefined) body = opt.rawBody;
    else if (opt.body !== undefined) body = JSON.stringify(opt.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* keep the text */
    }
    return { status: res.status, body: parsed };
  };
  const handle: TestProvince = {
    url,
    port,
    pool,
    get server() {
      return server;
    },
    api,
    async register(code, name = `Trung tâm ${code}`) {
      const r = await api('POST', '/api/v1/admin/centers', { body: { code, name } });
      if (r.status !== 201) throw new Error(`register ${code}: ${r.status} ${JSON.stringify(r.body)}`);
      return { id: r.body.id, key: r.body.key };
    },
    async stop() {
      if (!up) return;
      up = false;
      await server.close();
    },
    async restart() {
      if (up) return;
      server = await createProvinceServer({ pool, adminToken: ADMIN_TOKEN });
      await server.listen(port, '127.0.0.1');
      up = true;
    },
  };
  return handle;
}

/** Polls `check` until it returns true (or throws after `timeoutMs`): no fixed sleeps. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000, everyMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
