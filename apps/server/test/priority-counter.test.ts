import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestServer, type TestServer } from './helpers/test-server.js';

// Issue 15, "Priority counter": Decree 61/2018/NĐ-CP as amended by 107/2021/NĐ-CP lets a center
// keep a counter for the elderly, pregnant women and persons with disabilities. A counter's
// priorityMode: 'first' calls waiting priority tickets of its services before any other (no
// streak cap), 'only' calls nothing else.
const clock = manualClock(Date.parse('2026-11-23T08:00:00+07:00'));
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ clock });
});
afterAll(() => s.close());

const LAND = 1;
const CERT = 3;
const admin = (method: string, path: string, body?: unknown) => s.api(method, path, { token: s.adminToken, body });
const issue = async (serviceId: number, priority = false) => {
  const r = await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId, priority } });
  expect(r.status).toBe(201);
  clock.advance(1000);
  return r.body as { id: string; number: string };
};
const callNext = async (token: string, counter: number) => {
  const r = await s.api('POST', `/counters/${counter}/call-next`, { token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.ticket as { id: string } | null;
};

describe('priority counters', () => {
  it('is stored and shown in the admin counters (GET, POST, PATCH), audited, and refused when unknown', async () => {
    const before = (await admin('GET', '/admin/counters')).body as { number: number; priorityMode: string }[];
    expect(before.map((c) => c.priorityMode)).toEqual(['normal', 'normal', 'normal', 'normal']);

    const patched = await admin('PATCH', '/admin/counters/3', { priorityMode: 'only' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: 3, number: 3, priorityMode: 'only', serviceIds: [CERT, LAND] });
    // A patch of something else keeps the mode.
    expect((await admin('PATCH', '/admin/counters/3', { name: 'Quầy ưu tiên' })).body).toMatchObject({ name: 'Quầy ưu tiên', priorityMode: 'only' });

    const created = await admin('POST', '/admin/counters', { number: 5, name: 'Quầy 5', serviceIds: [LAND, 2], active: true, priorityMode: 'first' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ number: 5, priorityMode: 'first' });

    const after = (await admin('GET', '/admin/counters')).body as { id: number; number: number; priorityMode: string }[];
    expect(after.map((c) => [c.number, c.priorityMode])).toEqual([
      [1, 'normal'],
      [2, 'normal'],
      [3, 'only'],
      [4, 'normal'],
      [5, 'first'],
    ]);

    const bad = await admin('PATCH', '/admin/counters/3', { priorityMode: 'sometimes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_INPUT');
    expect((await admin('GET', '/admin/counters')).body[2].priorityMode).toBe('only');

    const audit = (await admin('GET', '/admin/audit')).body as { action: string; target: string; detail: Record<string, unknown> }[];
    expect(audit.find((a) => a.action === 'counter.update' && a.detail.priorityMode === 'only')?.target).toBe('counter:3');
  });

  it('"only" calls priority tickets and nothing else: with none waiting, nobody, as with an empty queue', async () => {
    const officer = await s.login('canbo3');
    expect((await s.api('POST', '/counters/3/open', { token: officer })).status).toBe(200);
    const n1 = await issue(LAND);
    const n2 = await issue(CERT);
    expect(await callNext(officer, 3)).toBeNull();
    const p1 = await issue(LAND, true);
    const p2 = await issue(CERT, true);
    // Its own service order among priority tickets: certification first, then land.
    expect((await callNext(officer, 3))?.id).toBe(p2.id);
    expect((await callNext(officer, 3))?.id).toBe(p1.id);
    expect(await callNext(officer, 3)).toBeNull();
    // The normal tickets wait for the other counters, untouched.
    for (const t of [n1, n2]) expect((await s.api('GET', `/tickets/${t.id}`)).body).toMatchObject({ status: 'waiting', ahead: 0 });
    const other = await s.login('canbo1');
    await s.api('POST', '/counters/1/open', { token: other });
    expect((await callNext(other, 1))?.id).toBe(n1.id);
    await s.api('POST', '/counters/1/complete', { token: other });
  });

  it('"first" calls every waiting priority ticket first, past the streak cap an ordinary counter keeps', async () => {
    const officer = await s.login('canbo4');
    expect((await s.api('POST', '/counters/5/open', { token: officer })).status).toBe(200);
    const n = await issue(LAND);
    const ps = [await issue(LAND, true), await issue(LAND, true), await issue(LAND, true)];
    // maxPriorityInRow is 2: an ordinary counter would call a normal ticket third.
    const calls: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) calls.push((await callNext(officer, 5))?.id);
    expect(calls).toEqual([...ps.map((p) => p.id), n.id]);
    expect(await callNext(officer, 5)).toBeNull();
  });

  it('back to normal, the counter keeps the center\'s cap again', async () => {
    expect((await admin('PATCH', '/admin/counters/5', { priorityMode: 'normal' })).body.priorityMode).toBe('normal');
    const officer = await s.login('canbo4');
    const n = await issue(LAND);
    const ps = [await issue(LAND, true), await issue(LAND, true), await issue(LAND, true)];
    const calls: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) calls.push((await callNext(officer, 5))?.id);
    expect(calls).toEqual([ps[0]!.id, ps[1]!.id, n.id, ps[2]!.id]);
  });
});
