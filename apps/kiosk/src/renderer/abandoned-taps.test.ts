import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../../server/test/client/support.js';
import { freePort, startTestServer, type TestServer } from '../../../server/test/helpers/test-server.js';
import { createAbandonedTaps, type AbandonedTaps } from './abandoned-taps.js';
import { createApiClient, randomKey } from './api.js';

/**
 * The kiosk's list of taps it gave up on, against the real server (in-process, real SQLite):
 * while the server cannot be reached the key is kept (in memory and in the page's storage) and
 * retried on a timer; once it answers, the ghost ticket is cancelled and the key forgotten. A new
 * page (a reload) picks up what the last one left. "Unreachable" is a real closed port.
 */
let s: TestServer;
let closedPort = 0;
beforeAll(async () => {
  s = await startTestServer();
  closedPort = await freePort();
});
afterAll(() => s.close());

/** The page's localStorage, as far as the list uses it. */
function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

const live = () => createApiClient({ baseUrl: s.url, token: () => s.kioskToken, timeoutMs: 2000 });
const down = () => createApiClient({ baseUrl: `http://127.0.0.1:${closedPort}`, token: () => s.kioskToken, timeoutMs: 2000 });
const status = (id: string) => s.db.prepare('SELECT status, cancel_reason FROM tickets WHERE id = ?').get(id) as { status: string; cancel_reason: string | null };
const FAST = { firstDelayMs: 50, factor: 2, maxDelayMs: 200, jitter: 0 };
const lists: AbandonedTaps[] = [];
function list(o: Parameters<typeof createAbandonedTaps>[0]) {
  const l = createAbandonedTaps({ policy: FAST, ...o });
  lists.push(l);
  l.start();
  return l;
}
afterAll(() => lists.forEach((l) => l.stop()));

describe('abandoned taps', () => {
  it('kept while the server is unreachable, retried on its timer, and once answered the ghost ticket is cancelled and the key forgotten', async () => {
    const key = randomKey();
    const ghost = await live().issueTicket(1, false, key);
    expect(status(ghost.id).status).toBe('waiting');

    let reachable = false;
    let tries = 0;
    const settled: string[] = [];
    const storage = memoryStorage();
    const taps = list({
      storage,
      abandon: (k) => {
        tries++;
        return (reachable ? live() : down()).abandonIssue(k);
      },
      onSettled: (k, r) => settled.push(`${k}:${r.outcome}`),
    });
    taps.add(key);
    // Tried, failed, tried again on the timer: still pending, in storage, the ticket untouched.
    await waitUntil(() => tries >= 3, 5000, 'three tries while down');
    expect(taps.pending()).toEqual([key]);
    expect(JSON.parse(storage.m.get('luot.kiosk.abandonedTaps')!)).toEqual([{ key, at: expect.any(Number) }]);
    expect(status(ghost.id).status).toBe('waiting');

    reachable = true;
    await waitUntil(() => taps.pending().length === 0, 5000, 'acknowledged');
    expect(settled).toEqual([`${key}:cancelled`]);
    expect(status(ghost.id)).toEqual({ status: 'cancelled', cancel_reason: 'not_printed' });
    expect(storage.m.has('luot.kiosk.abandonedTaps')).toBe(false);
  });

  it('a reloaded page sends what the last one left: a key with no ticket is then refused by the server', async () => {
    const storage = memoryStorage();
    const key = randomKey();
    const first = list({ storage, abandon: (k) => down().abandonIssue(k) });
    first.add(key);
    first.stop();
    expect(first.pending()).toEqual([key]);

    const settled: string[] = [];
    const second = list({ storage, abandon: (k) => live().abandonIssue(k), onSettled: (k, r) => settled.push(`${k}:${r.outcome}`) });
    await waitUntil(() => second.pending().length === 0, 5000, 'sent after the reload');
    expect(settled).toEqual([`${key}:not_issued`]);
    // The request of that tap, arriving late, issues nothing.
    await expect(live().issueTicket(1, false, key)).rejects.toMatchObject({ status: 409, code: 'ISSUE_ABANDONED' });
  });

  it('a refusal that will not change (a malformed key) is an answer: dropped, not retried forever', async () => {
    const settled: string[] = [];
    let tries = 0;
    const taps = list({
      storage: memoryStorage(),
      abandon: (k) => {
        tries++;
        return live().abandonIssue(k);
      },
      onSettled: (k, r) => settled.push(`${k}:${r.outcome}:${'code' in r ? r.code : ''}`),
    });
    taps.add('bad key!');
    await waitUntil(() => taps.pending().length === 0, 5000, 'dropped');
    expect(settled).toEqual(['bad key!:refused:INVALID_INPUT']);
    expect(tries).toBe(1);
  });
});
