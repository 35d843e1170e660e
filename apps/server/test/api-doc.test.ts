import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_DOC_MARKERS, renderRouteTable, ROUTES, withGeneratedSections } from '@luot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * The protocol's route table is the contract: the server registers exactly its routes, and
 * docs/api.md lists exactly them. A route added, removed or changed in one place and not the
 * others fails here; `pnpm gen:api-doc` brings the doc back in line with the table.
 */
const docFile = fileURLToPath(new URL('../../../docs/api.md', import.meta.url));

describe('docs/api.md and the route table', () => {
  it('the generated sections of docs/api.md are what the table renders now (pnpm gen:api-doc)', () => {
    const doc = readFileSync(docFile, 'utf8');
    expect(doc.includes(API_DOC_MARKERS.routes.begin) && doc.includes(API_DOC_MARKERS.socket.begin), 'docs/api.md keeps its markers').toBe(true);
    expect(withGeneratedSections(doc), 'docs/api.md differs from the route table: run pnpm gen:api-doc').toBe(doc);
  });

  it('renders one row per route, with its roles, status and answer', () => {
    const rows = renderRouteTable().split('\n').slice(2);
    expect(rows).toHaveLength(Object.keys(ROUTES).length);
    expect(rows.find((r) => r.startsWith('| `POST /tickets` `{serviceId, priority?, checkIn?}`, header `Idempotency-Key` | kiosk, admin | 201 `Ticket` |'))).toBeDefined();
    expect(rows.find((r) => r.startsWith('| `POST /counters/:id/call-next` `{expectTicketId?}` (optional) | admin, officer | 200 `{ticket}` |'))).toBeDefined();
    expect(rows.find((r) => r.startsWith('| `GET /admin/reports.csv?from&to` | admin | 200 CSV file |'))).toBeDefined();
  });
});

describe('the server registers the route table', () => {
  let s: TestServer;
  let voiceDir: string;
  beforeAll(async () => {
    // With a voice folder: the voice routes are registered only with one.
    voiceDir = join(tmpdir(), `luot-api-doc-${process.pid}-${Date.now()}`);
    mkdirSync(join(voiceDir, 'vi'), { recursive: true });
    s = await startTestServer({ voiceDir });
  });
  afterAll(async () => {
    await s.close();
    rmSync(voiceDir, { recursive: true, force: true });
  });

  it('every /api/v1 route it serves is in the table, and every entry is served, with its method', () => {
    const served = s.server.routes.filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`);
    const table = Object.values(ROUTES).map((r) => `${r.method} /api/v1${r.path}`);
    expect(new Set(served).size, 'a route registered twice').toBe(served.length);
    expect([...served].sort()).toEqual([...table].sort());
  });

  it('answers with the table\'s success status and role check', async () => {
    expect((await s.api('GET', '/health')).status).toBe(200);
    const issued = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId: 1 } });
    expect(issued.status).toBe(ROUTES.issueTicket.status);
    // A display is not among POST /tickets' roles; nobody at all is 401.
    expect((await s.api('POST', '/tickets', { token: s.displayToken, body: { serviceId: 1 } })).body.error.code).toBe('FORBIDDEN');
    expect((await s.api('POST', '/tickets', { body: { serviceId: 1 } })).status).toBe(401);
  });
});
