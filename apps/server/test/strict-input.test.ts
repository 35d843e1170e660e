import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * Small findings of an attacker test: ids read loosely (1e0, 0x1, " 1" all meant counter 1), a
 * lower-case `bearer` refused, impossible report dates accepted or refused for the wrong reason,
 * and a message that said its sentence twice.
 */
let s: TestServer;
let officer: string;
beforeAll(async () => {
  s = await startTestServer();
  officer = await s.login('canbo1', 'demo');
});
afterAll(async () => {
  await s.close();
});

/** A request with the path sent exactly as written and any Authorization header. */
const raw = (method: string, path: string, authorization?: string) => {
  const { port } = new URL(s.url);
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path: `/api/v1${path}`, agent: false, headers: authorization ? { authorization } : {} },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end();
  });
};

describe('strict reading of input', () => {
  it('call-next on a counter nobody opened says "Open the counter first." once', async () => {
    const r = await s.api('POST', '/counters/2/call-next', { token: officer, body: {} });
    expect(r.status).toBe(409);
    expect(r.body.error).toEqual({ code: 'COUNTER_NOT_OPEN', message: 'Open the counter first.', messageVi: 'Vui lòng mở quầy trước.' });
  });

  it.each(['1e0', '0x1', '%201', '01', '1.0', '+1', '0', '99999999999'])('counter id "%s" is refused, not read as a number', async (id) => {
    const r = await raw('POST', `/counters/${id}/open`, `Bearer ${officer}`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'INVALID_INPUT', messageVi: 'Yêu cầu không hợp lệ.' });
    expect(r.body.error.issues[0].path).toBe('id');
    // Nothing happened to counter 1.
    const counters = await s.api('GET', '/counters', { token: officer });
    expect(counters.body.find((c: { id: number }) => c.id === 1)).toMatchObject({ state: 'closed' });
  });

  it('a plain decimal id still acts on its counter', async () => {
    const r = await raw('POST', '/counters/1/open', `Bearer ${officer}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 1, state: 'open' });
    expect((await raw('POST', '/counters/1/close', `Bearer ${officer}`)).status).toBe(200);
  });

  it.each(['bearer', 'BEARER', 'Bearer'])('the Authorization scheme "%s" is accepted (case-insensitive)', async (scheme) => {
    const r = await raw('GET', '/counters', `${scheme} ${officer}`);
    expect(r.status).toBe(200);
  });

  it('a scheme other than Bearer, or no token, is still 401', async () => {
    expect((await raw('GET', '/counters', `Basic ${officer}`)).status).toBe(401);
    expect((await raw('GET', '/counters', 'bearer ')).status).toBe(401);
  });

  it.each([
    ['2026-02-31', '2026-02-31', 'from'],
    ['2026-02-30', '2026-13-01', 'from'],
    ['2026-04-01', '2026-04-31', 'to'],
    ['2026-00-10', '2026-01-10', 'from'],
  ])('report dates from=%s to=%s: refused as no such day', async (from, to, field) => {
    const r = await s.api('GET', `/admin/reports?from=${from}&to=${to}`, { token: s.adminToken });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('INVALID_INPUT');
    expect(r.body.error.message).toMatch(/no such day/);
    expect(r.body.error.message).not.toMatch(/366/);
    expect(r.body.error.issues).toContainEqual(expect.objectContaining({ path: field }));
  });

  it('real report dates, 29 February of a leap year included, are accepted', async () => {
    const r = await s.api('GET', '/admin/reports?from=2028-02-29&to=2028-03-01', { token: s.adminToken });
    expect(r.status).toBe(200);
  });
});
