import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from './helpers/test-server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const login = (username: string, password: string) => s.api('POST', '/auth/login', { body: { username, password } });

describe('sign-in and tokens', () => {
  it('signs in with the right password and never stores the token or password in clear', async () => {
    const r = await login('admin', ADMIN_PASSWORD);
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ username: 'admin', role: 'admin' });
    const dump = JSON.stringify(s.db.prepare('SELECT * FROM tokens').all()) + JSON.stringify(s.db.prepare('SELECT * FROM users').all());
    expect(dump).not.toContain(r.body.token);
    expect(dump).not.toContain(ADMIN_PASSWORD);
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const wrong = await login('canbo3', 'nope');
    const unknown = await login('nobody', 'nope');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('throttles guessing per account and address: after 5 failures even the right password waits', async () => {
    for (let i = 0; i < 5; i++) expect((await login('canbo2', `guess${i}`)).status).toBe(401);
    const blocked = await login('canbo2', 'demo');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_REQUESTS');
    // Other accounts are unaffected.
    expect((await login('canbo4', 'demo')).status).toBe(200);
  });

  it('creates users with roles; the new officer can sign in; names are unique regardless of case', async () => {
    const r = await s.api('POST', '/users', { token: s.adminToken, body: { username: 'canbo9', password: 'secret9', role: 'officer' } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ username: 'canbo9', role: 'officer' });
    expect((await login('canbo9', 'secret9')).body.user.role).toBe('officer');
    const dup = await s.api('POST', '/users', { token: s.adminToken, body: { username: 'CANBO9', password: 'secret9', role: 'officer' } });
    expect(dup.status).toBe(409);
  });

  it('keeps device tokens until an admin revokes them, and a revoked kiosk is cut off', async () => {
    const d = await s.api('POST', '/devices', { token: s.adminToken, body: { kind: 'kiosk', name: 'Kiosk tạm' } });
    expect(d.status).toBe(201);
    expect((await s.api('POST', '/tickets', { token: d.body.token, body: { serviceId: 1 } })).status).toBe(201);
    expect((await s.api('POST', `/devices/${d.body.id}/revoke`, { token: s.adminToken })).status).toBe(200);
    expect((await s.api('POST', '/tickets', { token: d.body.token, body: { serviceId: 1 } })).status).toBe(401);
  });
});
