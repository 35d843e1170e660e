import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../src/bootstrap.js';
import { openDatabase, type Db } from '../../src/db/open.js';
import { seedDemoIfEmpty } from '../../src/demo/seed-demo.js';
import { createServer, type LuotServer } from '../../src/server.js';
import { CLIENT_EVENTS } from '../../src/socket/socket.js';
import { ROUTES, SOCKET_ACTION_NAMES, SOCKET_ACTIONS, type Access, type RouteDef, type RouteId, type SocketAction } from '@luot/protocol';
import { ADMIN_PASSWORD, tempDataDir } from '../helpers/test-server.js';

/**
 * The role and ownership matrix over every HTTP route and every socket event (issue 12). The
 * routes are read from the server's own route table (Fastify's onRoute, server.routes) and the
 * socket events from the handlers a live socket has registered on the server, so a route or an
 * event added later without a line here FAILS this test: a new endpoint is covered by default,
 * and whoever adds it writes down who may call it.
 *
 * Who may call an API route is the protocol's route table (packages/protocol/src/routes.ts,
 * `roles`), which the server registers its routes from: each route's expectation below is built
 * from its entry, plus what no role list says, the ownership rules (another counter's officer:
 * 409 COUNTER_TAKEN or 403 NOT_YOUR_COUNTER). A registered /api route that is not in the table,
 * or an entry the server does not register, fails.
 *
 * Roles: nobody (no token), a kiosk, a TV (display), an officer at their own counter (canbo1 at
 * counter 1), an officer of another counter (canbo2 at counter 2, acting on counter 1 and its
 * ticket) and an admin. Expected: 401 / 403 / 409 exactly, or 'ok' = let through (neither 401
 * nor 403 nor COUNTER_TAKEN, and no server error: the sample request may still be refused for
 * its content, e.g. 404 for a made-up id, which shows the role check passed). Pages are 'page':
 * never 401/403 (they are served to anyone; the data behind them is what is guarded).
 * Every /api answer must also carry Cache-Control: no-store.
 *
 * The server is built here with every optional part that adds routes (the voice folder), so that
 * no route registered only in production escapes the table.
 */
type Role = 'none' | 'kiosk' | 'display' | 'officer' | 'other' | 'admin';
const ROLES: Role[] = ['none', 'kiosk', 'display', 'other', 'officer', 'admin'];
type Expect = 'ok' | 'page' | 401 | 403 | 409;
type Policy = Record<Role, Expect>;

const policy = (allowed: readonly Role[], denied: { other?: Expect } = {}): Policy => {
  const p = {} as Policy;
  for (const r of ROLES) p[r] = allowed.includes(r) ? 'ok' : r === 'none' ? 401 : 403;
  if (denied.other !== undefined) p.other = denied.other;
  return p;
};
/** The matrix's roles a route table entry lets through: an officer is both canbo1 and canbo2. */
const allowedBy = (access: Access): readonly Role[] =>
  access === 'public' ? ROLES : access.flatMap((r): Role[] => (r === 'officer' ? ['officer', 'other'] : [r]));
const PAGE: Policy = { none: 'page', kiosk: 'page', display: 'page', officer: 'page', other: 'page', admin: 'page' };

interface Fixtures {
  /** The ticket being served at counter 1 (by canbo1). */
  served: string;
  /** A ticket waiting for service 1. */
  waiting: string;
}
interface Sample {
  /** The URL to request, for a route with parameters. */
  path?: (f: Fixtures) => string;
  body?: (f: Fixtures) => unknown;
  /** What another counter's officer gets where the route's roles let officers through. */
  other?: Expect;
  /** Each user role signs in afresh for this row (sign-out ends the token used). */
  freshUserTokens?: boolean;
}
interface Row extends Sample {
  policy: Policy;
  /** Registered only when the pages are built (static files). */
  optional?: boolean;
}

const day = '2026-01-05';
const NO_ID = 9999;
/** Acting on counter 1: another officer is refused (counter taken). */
const OWN_COUNTER = 409;
/** The ticket served at counter 1, or what counter 1 alone may see (its checked-in citizen): another officer 403 NOT_YOUR_COUNTER. */
const OWN_TICKET = 403;

/** A sample request for every route of the protocol's table (a route added there without one does not compile). */
const SAMPLES: Record<RouteId, Sample> = {
  // ---- public: no token needed (the ticket id itself is the phone's authority) ----
  health: {},
  services: {},
  ticket: { path: (f) => `/api/v1/tickets/${f.waiting}` },
  login: { body: () => ({ username: 'canbo4', password: 'demo' }) },
  phoneRatingState: { path: (f) => `/api/v1/tickets/${f.served}/rating` },
  phoneRate: { path: (f) => `/api/v1/tickets/${f.waiting}/rating`, body: () => ({}) },
  voiceVersion: { path: () => '/api/v1/voice/vi/version' },
  phoneReason: { path: (f) => `/api/v1/tickets/${f.waiting}/rating/reason`, body: () => ({}) },
  // ---- a person's own session ----
  logout: { freshUserTokens: true },
  // ---- devices and staff ----
  counters: {},
  issueTicket: { body: () => ({ serviceId: 3 }) },
  abandonIssue: { body: () => ({ idempotencyKey: `matrix-${Date.now()}` }) },
  printFailed: { path: (f) => `/api/v1/tickets/${f.waiting}/print-failed`, body: () => ({}) },
  printTicket: { path: (f) => `/api/v1/tickets/${f.waiting}/print`, body: () => ({}) },
  reportAlert: { body: () => ({ code: 'matrix', message: 'm', messageVi: 'm', active: false }) },
  alerts: {},
  rateLegacy: { body: () => ({}) },
  ratingForm: {},
  rateAnswer: { body: () => ({}) },
  rateReason: { body: () => ({}) },
  // ---- counter work: the officer at that counter, or an admin ----
  openCounter: { other: OWN_COUNTER, path: () => '/api/v1/counters/1/open' },
  pauseCounter: { other: OWN_COUNTER, path: () => '/api/v1/counters/1/pause' },
  closeCounter: { other: OWN_COUNTER, path: () => '/api/v1/counters/1/close' },
  callNext: { other: OWN_COUNTER, path: () => '/api/v1/counters/1/call-next' },
  recall: { other: OWN_COUNTER, path: () => '/api/v1/counters/1/recall' },
  complete: { other: OWN_COUNTER, path: () => '/api/v1/counters/1/complete' },
  noShow: { other: OWN_COUNTER, path: () => '/api/v1/counters/1/no-show' },
  transfer: { other: OWN_COUNTER, path: () => '/api/v1/counters/1/transfer', body: () => ({ serviceId: 2 }) },
  callTicket: { other: OWN_COUNTER, path: () => '/api/v1/counters/1/call', body: (f) => ({ ticketId: f.waiting }) },
  cancelTicket: { other: OWN_TICKET, path: (f) => `/api/v1/tickets/${f.served}/cancel`, body: () => ({}) },
  dossierCode: { other: OWN_TICKET, path: (f) => `/api/v1/tickets/${f.served}/dossier-code` },
  counterNoShows: { path: () => '/api/v1/counters/1/no-shows' },
  counterCitizen: { other: OWN_TICKET, path: () => '/api/v1/counters/1/citizen' },
  setDossierCode: { other: OWN_TICKET, path: (f) => `/api/v1/tickets/${f.served}/dossier-code`, body: () => ({ dossierCode: 'HS-001' }) },
  // ---- admin only ----
  createDevice: { body: () => ({ kind: 'display', name: 'TV ma trận' }) },
  revokeDevice: { path: () => `/api/v1/devices/${NO_ID}/revoke` },
  createUser: { body: () => ({ username: `matran${Date.now()}`, password: 'mat-khau-1', role: 'officer' }) },
  revokeSessions: { path: () => `/api/v1/users/${NO_ID}/revoke-sessions` },
  settings: {},
  updateSettings: { body: () => ({ tickerText: 'Ma trận quyền' }) },
  adminServices: {},
  createService: { body: () => ({}) },
  updateService: { path: () => `/api/v1/admin/services/${NO_ID}`, body: () => ({ sortOrder: 9 }) },
  adminCounters: {},
  createCounter: { body: () => ({}) },
  updateCounter: { path: () => `/api/v1/admin/counters/${NO_ID}`, body: () => ({ name: 'X' }) },
  adminUsers: {},
  updateUser: { path: () => `/api/v1/admin/users/${NO_ID}`, body: () => ({ disabled: false }) },
  adminDevices: {},
  audit: {},
  report: { path: () => `/api/v1/admin/reports?from=${day}&to=${day}` },
  reportCsv: { path: () => `/api/v1/admin/reports.csv?from=${day}&to=${day}` },
  reportXlsx: { path: () => `/api/v1/admin/reports.xlsx?from=${day}&to=${day}` },
  unseenRatings: {},
  markRatingSeen: { path: () => `/api/v1/admin/ratings/${NO_ID}/seen` },
  province: {},
  backups: {},
  voice: { path: () => '/api/v1/voice/vi' },
  resetVoice: { path: () => '/api/v1/voice/vi' },
  installClip: { path: () => '/api/v1/voice/vi/clips/chime', body: () => ({}) },
  removeClip: { path: () => '/api/v1/voice/vi/clips/chime' },
  exportVoice: { path: () => '/api/v1/voice/vi/pack' },
  importVoice: { path: () => '/api/v1/voice/vi/pack', body: () => ({}) },
  printers: {},
  createPrinter: { body: () => ({}) },
  updatePrinter: { path: () => `/api/v1/admin/printers/${NO_ID}`, body: () => ({}) },
  deletePrinter: { path: () => `/api/v1/admin/printers/${NO_ID}/delete` },
  testPrinter: { path: () => `/api/v1/admin/printers/${NO_ID}/test` },
};

/** HEAD routes are Fastify's automatic twins of GET routes: checked with the GET line. */
const TABLE: Record<string, Row> = {
  // ---- the API: every route of the protocol's table, its policy from its roles ----
  ...Object.fromEntries(
    (Object.entries(ROUTES) as [RouteId, RouteDef][]).map(([id, r]) => {
      const { other, ...sample } = SAMPLES[id];
      return [`${r.method} /api/v1${r.path}`, { ...sample, policy: policy(allowedBy(r.roles), other === undefined ? {} : { other }) }];
    }),
  ),
  // ---- pages (HTML, scripts, voice clips): open to anyone ----
  'GET /': { policy: PAGE },
  'GET /counter': { policy: PAGE },
  'GET /display': { policy: PAGE },
  'GET /admin': { policy: PAGE },
  'GET /rating': { policy: PAGE },
  'GET /kiosk': { policy: PAGE },
  'GET /t/:id': { policy: PAGE, path: (f) => `/t/${f.waiting}` },
  // The same pages typed with a trailing slash: a redirect to the page (http/pages.ts).
  'GET /counter/': { policy: PAGE },
  'GET /display/': { policy: PAGE },
  'GET /admin/': { policy: PAGE },
  'GET /rating/': { policy: PAGE },
  'GET /kiosk/': { policy: PAGE },
  'GET /t/:id/': { policy: PAGE, path: (f) => `/t/${f.waiting}/` },
  'GET /voice/:lang/:file': { policy: PAGE, path: () => '/voice/vi/chime.ogg' },
  'GET /ui/*': { policy: PAGE, path: () => '/ui/index.html', optional: true },
  'GET /kiosk/*': { policy: PAGE, path: () => '/kiosk/index.html', optional: true },
};

type Ack = { ok: true; data: unknown } | { ok: false; error: { code: string } };
type SocketExpect = 'ok' | 'FORBIDDEN' | 'COUNTER_TAKEN';
type SocketRole = Exclude<Role, 'none'>;
const SOCKET_ROLES: SocketRole[] = ['kiosk', 'display', 'other', 'officer', 'admin'];
const READ: Record<SocketRole, SocketExpect> = { kiosk: 'ok', display: 'ok', officer: 'ok', other: 'ok', admin: 'ok' };
/** A socket counter action: its route's roles, and another counter's officer is refused (counter taken). */
const socketPolicy = (r: RouteDef): Record<SocketRole, SocketExpect> => {
  const allowed = allowedBy(r.roles);
  const p = {} as Record<SocketRole, SocketExpect>;
  for (const role of SOCKET_ROLES) p[role] = !allowed.includes(role) ? 'FORBIDDEN' : role === 'other' ? 'COUNTER_TAKEN' : 'ok';
  return p;
};
/** A sample payload (on counter 1) for every counter action of the protocol's SOCKET_ACTIONS. */
const SOCKET_SAMPLES: Record<SocketAction, (f: Fixtures) => unknown> = {
  'counter:open': () => ({ counterId: 1 }),
  'counter:pause': () => ({ counterId: 1 }),
  'counter:close': () => ({ counterId: 1 }),
  'counter:call-next': () => ({ counterId: 1 }),
  'counter:recall': () => ({ counterId: 1 }),
  'counter:complete': () => ({ counterId: 1 }),
  'counter:no-show': () => ({ counterId: 1 }),
  'counter:transfer': () => ({ counterId: 1, serviceId: 2 }),
  'counter:call': (f) => ({ counterId: 1, ticketId: f.waiting }),
};
/** Every socket event with its policy and a sample payload. A phone may send none. */
const SOCKET_TABLE: Record<string, { policy: Record<SocketRole, SocketExpect>; payload?: (f: Fixtures) => unknown }> = {
  'queue:sync': { policy: READ },
  ...Object.fromEntries(SOCKET_ACTION_NAMES.map((e) => [e, { policy: socketPolicy(SOCKET_ACTIONS[e].route), payload: SOCKET_SAMPLES[e] }])),
};

/** The demo center (as test-server.ts seeds it) on a server with its voice folder. */
async function startMatrixServer() {
  const dataDir = tempDataDir();
  const voiceDir = join(dataDir, 'voice');
  mkdirSync(join(voiceDir, 'vi'), { recursive: true });
  const db: Db = openDatabase(join(dataDir, 'luot.sqlite'));
  const server: LuotServer = await createServer({ db, voiceDir, kioskRateLimit: null, maxSocketsPerAddress: 1000 });
  await ensureAdmin(server.ctx.repos, ADMIN_PASSWORD, Date.now());
  const links = (await seedDemoIfEmpty(server.ctx.repos, server.ctx.tokens, Date.now()))!;
  const url = await server.listen(0, '127.0.0.1');
  const api = async (method: string, path: string, o: { token?: string | undefined; body?: unknown } = {}) => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as any) : null };
  };
  const login = async (username: string) => {
    const r = await api('POST', '/auth/login', { body: { username, password: username === 'admin' ? ADMIN_PASSWORD : 'demo' } });
    if (r.status !== 200) throw new Error(`login ${username}: ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  };
  return {
    url,
    server,
    api,
    login,
    kioskToken: links.kioskToken,
    displayToken: links.displayToken,
    async close() {
      await server.close();
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let s: Awaited<ReturnType<typeof startMatrixServer>>;
const tokens = {} as Record<Exclude<Role, 'none'>, string>;
beforeAll(async () => {
  s = await startMatrixServer();
  tokens.kiosk = s.kioskToken;
  tokens.display = s.displayToken;
  tokens.officer = await s.login('canbo1');
  tokens.other = await s.login('canbo2');
  tokens.admin = await s.login('admin');
});
afterAll(() => s.close());

const api = (method: string, path: string, token?: string, body?: unknown) => s.api(method, path, { token, body });

/** Counter 1 open by canbo1 and serving a ticket, counter 2 open by canbo2, a ticket waiting. */
async function reset(): Promise<Fixtures> {
  const c1 = s.server.ctx.queue.counters().find((c) => c.id === 1)!;
  if (c1.officer && c1.officer.username !== 'canbo1') await api('POST', '/counters/1/close', tokens.admin);
  expect((await api('POST', '/counters/1/open', tokens.officer)).status).toBe(200);
  expect((await api('POST', '/counters/2/open', tokens.other)).status).toBe(200);
  const issue = async () => (await api('POST', '/tickets', tokens.kiosk, { serviceId: 1 })).body.id as string;
  let served = s.server.ctx.queue.counters().find((c) => c.id === 1)!.currentTicket?.id;
  if (!served || s.server.ctx.queue.counters().find((c) => c.id === 1)!.currentTicket?.status !== 'called') {
    await issue();
    const called = await api('POST', '/counters/1/call-next', tokens.officer);
    served = called.body.ticket.id as string;
  }
  return { served: served!, waiting: await issue() };
}

const verdict = (status: number, body: any): string => {
  if (status === 401 || status === 403) return String(status);
  if (body?.error?.code === 'COUNTER_TAKEN') return '409';
  return status >= 500 ? `server error ${status}` : 'ok';
};

describe('the role matrix over every HTTP route (from the route table)', () => {
  it('every registered route has a line in the table, and every line a route', () => {
    const registered = new Set(s.server.routes.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`));
    const missing = [...registered].filter((k) => !(k in TABLE));
    expect(missing, 'routes with no line in the role matrix: add one').toEqual([]);
    const stale = Object.keys(TABLE).filter((k) => !registered.has(k) && !TABLE[k]!.optional);
    expect(stale, 'lines for routes that no longer exist').toEqual([]);
    // HEAD is only ever the automatic twin of a GET.
    for (const r of s.server.routes.filter((x) => x.method === 'HEAD')) expect(registered.has(`GET ${r.url}`), r.url).toBe(true);
  });

  it('each role gets the expected answer from each route; every API answer is no-store', async () => {
    const wrong: string[] = [];
    for (const r of s.server.routes) {
      const key = `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`;
      const row = TABLE[key];
      if (!row) continue; // reported by the test above
      if (/[:*]/.test(r.url) && !row.path) throw new Error(`${key}: give a sample path`);
      for (const role of ROLES) {
        const f = await reset();
        let token = role === 'none' ? undefined : tokens[role];
        if (row.freshUserTokens && (role === 'officer' || role === 'other' || role === 'admin')) token = await s.login({ officer: 'canbo1', other: 'canbo2', admin: 'admin' }[role]);
        const path = row.path ? row.path(f) : r.url;
        const body = row.body && r.method !== 'GET' && r.method !== 'HEAD' ? row.body(f) : undefined;
        const res = await fetch(`${s.url}${path}`, {
          method: r.method,
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* a page or a file */
        }
        const got = verdict(res.status, parsed);
        const want = row.policy[role];
        const pass = want === 'page' ? got !== '401' && got !== '403' : String(want) === got;
        if (!pass) wrong.push(`${r.method} ${path} as ${role}: got ${res.status} ${text.slice(0, 120)}, want ${want}`);
        if (path.startsWith('/api/') && res.headers.get('cache-control') !== 'no-store') wrong.push(`${r.method} ${path} as ${role}: Cache-Control ${res.headers.get('cache-control')}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 180_000);
});

describe('the role matrix over every socket event (from the registered handlers)', () => {
  const open: Socket[] = [];
  afterAll(() => open.forEach((x) => x.close()));
  const connect = (auth: Record<string, string>) =>
    new Promise<Socket>((resolve, reject) => {
      const so = io(s.url, { auth, transports: ['websocket'], reconnection: false });
      open.push(so);
      so.once('connect', () => resolve(so));
      so.once('connect_error', reject);
    });
  const handlersOf = (client: Socket) =>
    s.server.io
      .of('/')
      .sockets.get(client.id!)!
      .eventNames()
      .map(String)
      // socket.io's own listeners (reserved events) are not handlers of client events.
      .filter((n) => n !== 'disconnect' && n !== 'disconnecting' && n !== 'error');

  it('the events handled are exactly those in the table (and in ClientToServerEvents)', async () => {
    const admin = await connect({ token: tokens.admin });
    expect(new Set(handlersOf(admin))).toEqual(new Set(Object.keys(SOCKET_TABLE)));
    expect(new Set(CLIENT_EVENTS)).toEqual(new Set(Object.keys(SOCKET_TABLE)));
    const kiosk = await connect({ token: tokens.kiosk });
    expect(new Set(handlersOf(kiosk))).toEqual(new Set(Object.keys(SOCKET_TABLE)));
  });

  it('nobody without a token connects; a phone (ticket id) has no handler for any event', async () => {
    await expect(connect({})).rejects.toMatchObject({ message: 'UNAUTHORIZED' });
    await expect(connect({ token: 'made-up' })).rejects.toMatchObject({ message: 'UNAUTHORIZED' });
    const f = await reset();
    const phone = await connect({ ticketId: f.waiting });
    expect(handlersOf(phone)).toEqual([]);
  });

  it('each role gets the expected answer to each event', async () => {
    const sockets = {} as Record<SocketRole, Socket>;
    for (const role of SOCKET_ROLES) sockets[role] = await connect({ token: tokens[role] });
    const wrong: string[] = [];
    for (const [event, row] of Object.entries(SOCKET_TABLE)) {
      for (const role of SOCKET_ROLES) {
        const f = await reset();
        const args = row.payload ? [row.payload(f)] : [];
        const ack = (await sockets[role].timeout(5000).emitWithAck(event, ...args)) as Ack;
        const got = ack.ok ? 'ok' : ['UNAUTHORIZED', 'FORBIDDEN', 'COUNTER_TAKEN', 'NOT_YOUR_COUNTER', 'INTERNAL', 'STORAGE_ERROR'].includes(ack.error.code) ? ack.error.code : 'ok';
        if (got !== row.policy[role]) wrong.push(`${event} as ${role}: got ${JSON.stringify(ack).slice(0, 160)}, want ${row.policy[role]}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
