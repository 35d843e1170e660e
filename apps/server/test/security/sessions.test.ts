import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, USER_TOKEN_TTL_MS, type SessionsEnded } from '../../src/auth/tokens.js';
import { manualClock, startTestServer, type TestServer } from '../helpers/test-server.js';

/** Sign-out, sessions that end when a user's rights change, and expiry, through real HTTP. */
const clock = manualClock(Date.parse('2026-11-23T09:00:00+07:00'));
let s: TestServer;
const ended: SessionsEnded[] = [];
beforeAll(async () => {
  s = await startTestServer({ clock });
  // The hook the socket layer will use to cut live connections.
  s.server.ctx.tokens.onSessionsEnded((e) => ended.push(e));
});
afterAll(() => s.close());

const admin = (method: string, path: string, body?: unknown) => s.api(method, path, { token: s.adminToken, body });
const canUse = async (token: string) => (await s.api('GET', '/counters', { token })).status;
const userId = (username: string) => s.server.ctx.repos.users.byUsername(username)!.id;

describe('sign-out', () => {
  it('revokes the presenting token only, answers 204, and tells the socket hook which token ended', async () => {
    const tablet = await s.login('canbo1');
    const phone = await s.login('canbo1');
    // A live socket keeps only the hash and re-checks by it.
    expect(s.server.ctx.tokens.sessionByHash(hashToken(tablet), clock.now())?.actor).toMatchObject({ kind: 'user', username: 'canbo1' });
    const out = await s.api('POST', '/auth/logout', { token: tablet });
    expect(out.status).toBe(204);
    expect(await canUse(tablet)).toBe(401);
    expect(await canUse(phone)).toBe(200);
    expect(s.server.ctx.tokens.sessionByHash(hashToken(tablet), clock.now())).toBeNull();
    expect(ended).toContainEqual({ userId: userId('canbo1'), tokenHash: hashToken(tablet), reason: 'sign-out' });
    const row = s.db.prepare(`SELECT user_id, detail FROM audit_log WHERE action = 'auth.sign-out' ORDER BY id DESC LIMIT 1`).get() as { user_id: number; detail: string };
    expect(row.user_id).toBe(userId('canbo1'));
    expect(JSON.parse(row.detail)).toEqual({ address: '127.0.0.1' });
  });

  it('needs a live token, and a device is not signed out this way', async () => {
    expect((await s.api('POST', '/auth/logout')).status).toBe(401);
    const token = await s.login('canbo2');
    await s.api('POST', '/auth/logout', { token });
    expect((await s.api('POST', '/auth/logout', { token })).status).toBe(401);
    const kiosk = await s.api('POST', '/auth/logout', { token: s.kioskToken });
    expect(kiosk.status).toBe(403);
    expect(await canUse(s.kioskToken)).toBe(200);
  });

  it('sends no-store on sign-in and sign-out answers', async () => {
    const res = await fetch(`${s.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'canbo3', password: 'demo' }) });
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { token } = (await res.json()) as { token: string };
    const out = await fetch(`${s.url}/api/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(out.headers.get('cache-control')).toBe('no-store');
  });
});

describe('every session of a user ends when their rights change', () => {
  it('a password change ends the sessions that existed, whoever changed it', async () => {
    const before = await s.login('canbo3');
    expect((await admin('PATCH', `/admin/users/${userId('canbo3')}`, { password: 'mat-khau-moi' })).status).toBe(200);
    expect(await canUse(before)).toBe(401);
    const after = await s.login('canbo3', 'mat-khau-moi');
    expect(await canUse(after)).toBe(200);
  });

  it('a disabled user stays signed out when enabled again', async () => {
    const before = await s.login('canbo4');
    await admin('PATCH', `/admin/users/${userId('canbo4')}`, { disabled: true });
    expect(await canUse(before)).toBe(401);
    await admin('PATCH', `/admin/users/${userId('canbo4')}`, { disabled: false });
    expect(await canUse(before)).toBe(401);
    expect(await canUse(await s.login('canbo4'))).toBe(200);
  });

  it('a demoted admin must sign in again, as an officer; a promotion keeps the session', async () => {
    const created = await admin('POST', '/users', { username: 'truongphong', password: 'truong-1234', role: 'officer' });
    expect(created.status).toBe(201);
    const officerSession = await s.login('truongphong', 'truong-1234');
    await admin('PATCH', `/admin/users/${created.body.id}`, { role: 'admin' });
    expect((await s.api('GET', '/admin/users', { token: officerSession })).status).toBe(200);
    await admin('PATCH', `/admin/users/${created.body.id}`, { role: 'officer' });
    expect(await canUse(officerSession)).toBe(401);
    const again = await s.login('truongphong', 'truong-1234');
    expect((await s.api('GET', '/admin/users', { token: again })).status).toBe(403);
  });

  it('an admin signs a user out everywhere (a lost tablet), with the count, the audit row and the socket hook', async () => {
    const a = await s.login('canbo2');
    const b = await s.login('canbo2');
    ended.length = 0;
    const r = await admin('POST', `/users/${userId('canbo2')}/revoke-sessions`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: userId('canbo2'), revoked: 2 });
    expect([await canUse(a), await canUse(b)]).toEqual([401, 401]);
    expect(ended).toEqual([{ userId: userId('canbo2'), tokenHash: null, reason: 'revoked' }]);
    const audit = (await admin('GET', '/admin/audit?limit=5')).body as { action: string; target: string; detail: any }[];
    expect(audit.find((x) => x.action === 'user.sessions-revoke')).toMatchObject({ target: `user:${userId('canbo2')}`, detail: { tokens: 2 } });
    expect((await admin('POST', `/users/${userId('canbo2')}/revoke-sessions`)).body.revoked).toBe(0);
    expect((await s.api('POST', `/users/${userId('canbo2')}/revoke-sessions`, { token: await s.login('canbo1') })).status).toBe(403);
    expect((await admin('POST', '/users/9999/revoke-sessions')).status).toBe(404);
  });

  it('revokeAllForUser counts only live tokens', async () => {
    const id = userId('canbo1');
    const tokens = s.server.ctx.tokens;
    tokens.revokeAllForUser(id, clock.now(), 'revoked');
    await s.login('canbo1');
    await s.login('canbo1');
    expect(tokens.revokeAllForUser(id, clock.now(), 'revoked')).toBe(2);
    expect(tokens.revokeAllForUser(id, clock.now(), 'revoked')).toBe(0);
  });
});

describe('expiry', () => {
  it('a user token stops working at its expiry, on every request', async () => {
    const token = await s.login('canbo1');
    const session = s.server.ctx.tokens.session(token, clock.now());
    expect(session?.expiresAt).toBe(clock.now() + USER_TOKEN_TTL_MS);
    clock.advance(USER_TOKEN_TTL_MS - 1);
    expect(await canUse(token)).toBe(200);
    clock.advance(1);
    expect(await canUse(token)).toBe(401);
    expect((await s.api('POST', '/auth/logout', { token })).status).toBe(401);
  });
});
