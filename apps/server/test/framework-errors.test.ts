import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * Requests refused before any route runs still answer in the API's shape,
 * `{ error: { code, message, messageVi } }` (an attacker test found Fastify's and Node's own
 * shapes, without Vietnamese, for these three).
 */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

/** A raw GET: the path is sent as written (no normalising), with extra headers. */
const rawGet = (path: string, headers: Record<string, string> = {}) => {
  const { port } = new URL(s.url);
  return new Promise<{ status: number; type: string | undefined; body: any }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
};

const invalidInput = (message: RegExp) => ({ error: { code: 'INVALID_INPUT', message: expect.stringMatching(message), messageVi: 'Yêu cầu không hợp lệ.' } });

describe('errors from the router and from Node, in the API shape', () => {
  it('a path part over 100 characters is 400 INVALID_INPUT', async () => {
    const r = await rawGet(`/api/v1/tickets/${'a'.repeat(200)}`, { authorization: `Bearer ${s.adminToken}` });
    expect(r.status).toBe(400);
    expect(r.type).toMatch(/^application\/json/);
    expect(r.body).toEqual(invalidInput(/too long/));
  });

  it('a malformed %-escape in the path is 400 INVALID_INPUT', async () => {
    const r = await rawGet('/api/v1/tickets/%E0%A4%A', { authorization: `Bearer ${s.adminToken}` });
    expect(r.status).toBe(400);
    expect(r.body).toEqual(invalidInput(/%-escape/));
  });

  it('headers over 16 KiB are 431 with INVALID_INPUT', async () => {
    const r = await rawGet('/api/v1/services', { 'x-filler': 'a'.repeat(20 * 1024) });
    expect(r.status).toBe(431);
    expect(r.type).toMatch(/^application\/json/);
    expect(r.body).toEqual(invalidInput(/headers are too large/));
  });

  it('a path part of 100 characters still reaches its route (which refuses it as no ticket id)', async () => {
    const r = await rawGet(`/api/v1/tickets/${'a'.repeat(100)}`, { authorization: `Bearer ${s.adminToken}` });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'id', message: 'not a ticket id' }] });
  });
});
