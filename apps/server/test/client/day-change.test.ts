import { createQueueClient, type StateCause } from '@luot/client';
import type { Snapshot } from '@luot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestServer, type TestServer } from '../helpers/test-server.js';
import { freshSnapshot, waitUntil } from './support.js';

/**
 * A screen that stays connected across midnight: the server cancels yesterday's open tickets and
 * pushes the new day whole; the screen replaces its state (yesterday's calls gone, the new date)
 * and says it is a new day rather than a change to diff against yesterday.
 */
const clock = manualClock(Date.parse('2026-11-23T16:50:00+07:00'));
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ clock });
});
afterAll(() => s.close());

describe('a screen on @luot/client across midnight', () => {
  it('takes the new day as a new state, equal to a fresh snapshot', async () => {
    const changes: { state: Snapshot; cause: StateCause }[] = [];
    const tv = createQueueClient({ url: s.url, token: s.displayToken, onState: (state, cause) => changes.push({ state, cause }) });
    const officer = await s.login('canbo1');
    await s.api('POST', '/counters/1/open', { token: officer });
    for (const serviceId of [1, 1, 2]) await s.api('POST', '/tickets', { token: s.kioskToken, body: { serviceId } });
    clock.advance(60_000);
    await s.api('POST', '/counters/1/call-next', { token: officer });
    const evening = await freshSnapshot(s.url, s.displayToken);
    await waitUntil(() => tv.status === 'live' && tv.state?.seq === evening.seq, 5000, 'in step in the evening');
    expect(tv.state?.recentCalls).toHaveLength(1);
    // A TV shows how many wait per service (its snapshot has no list, issue 14).
    expect(tv.state?.services.reduce((n, x) => n + x.waiting, 0)).toBe(2);

    clock.set(Date.parse('2026-11-24T00:00:30+07:00'));
    s.server.tick(); // what the minute timer does
    const morning = await freshSnapshot(s.url, s.displayToken);
    expect(morning.businessDay).toBe('2026-11-24');
    await waitUntil(() => tv.state?.businessDay === '2026-11-24' && tv.state.seq === morning.seq, 5000, 'the new day on screen');
    expect(tv.state).toEqual(morning);
    expect(tv.state?.recentCalls).toEqual([]);
    expect(tv.state?.waiting).toEqual([]);
    expect(changes.at(-1)?.cause).toEqual({ kind: 'snapshot', previous: null, newDay: true });
    expect(tv.status).toBe('live');
    tv.close();
  });
});
