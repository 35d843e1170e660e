import type { Service } from '@luot/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLosingProxy } from '../../../server/test/client/support.js';
import { startTestServer, type TestServer } from '../../../server/test/helpers/test-server.js';
import { createApiClient, randomKey } from './api.js';
import { shellOrServerPrinter, takeTicket, type TicketPrinter } from './take-ticket.js';

/**
 * One tap, start to end, against the real server (in-process) behind a loopback proxy that can
 * lose the server's answer: one tap gives exactly one ticket, and the kiosk gets that ticket.
 */
let s: TestServer;
let land: Service;
beforeAll(async () => {
  s = await startTestServer();
  land = ((await s.api('GET', '/services')).body as Service[]).find((x) => x.code === 'land')!;
});
afterAll(() => s.close());

const printed: string[] = [];
const printer: TicketPrinter = {
  async print(ticket) {
    printed.push(ticket.number);
    return { ok: true };
  },
};
const ticketCount = () => (s.db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n;

describe('takeTicket', () => {
  it('the answer is lost twice: the same key is sent again, one ticket exists, and it is the one printed', async () => {
    const proxy = await startLosingProxy(Number(new URL(s.url).port));
    try {
      const api = createApiClient({ baseUrl: proxy.url, token: () => s.kioskToken, timeoutMs: 3000 });
      const keys: string[] = [];
      const before = ticketCount();
      proxy.loseNext(2);
      const r = await takeTicket({ api, printer, newKey: () => (keys.push(randomKey()), keys.at(-1)!) }, land, false);
      expect(r.kind).toBe('printed');
      if (r.kind !== 'printed') return;
      expect(ticketCount() - before).toBe(1);
      expect(printed.at(-1)).toBe(r.ticket.number);
      expect(keys).toHaveLength(1);
      expect(proxy.seen.map((x) => [x.fate, x.idempotencyKey])).toEqual([
        ['lost', keys[0]],
        ['lost', keys[0]],
        ['answered', keys[0]],
      ]);
    } finally {
      await proxy.close();
    }
  });

  it('a refusal is an answer: not retried, shown with its words', async () => {
    const proxy = await startLosingProxy(Number(new URL(s.url).port));
    try {
      const api = createApiClient({ baseUrl: proxy.url, token: () => s.kioskToken });
      const r = await takeTicket({ api, printer, newKey: randomKey }, { ...land, id: 999 }, false);
      expect(r).toMatchObject({ kind: 'refused', code: 'SERVICE_NOT_FOUND', messageVi: 'Không có lĩnh vực này.' });
      expect(proxy.seen).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('a check-in travels with the tap; one the server refuses comes back with its rule (issue 16)', async () => {
    const api = createApiClient({ baseUrl: s.url, token: () => s.kioskToken });
    const tho = { idNumber: '001050012345', fullName: 'Nguyễn Văn Thọ', dateOfBirth: '1950-03-15', sex: 'male' } as const;
    const ok = await takeTicket({ api, printer, newKey: randomKey }, land, false, tho);
    expect(ok.kind === 'printed' && ok.ticket.priority).toBe(true);
    const bad = await takeTicket({ api, printer, newKey: randomKey }, land, false, { ...tho, dateOfBirth: '1951-03-15' });
    expect(bad).toMatchObject({ kind: 'refused', code: 'INVALID_INPUT', checkIn: 'id_mismatch' });
    await s.api('PATCH', '/admin/settings', { token: s.adminToken, body: { checkInEnabled: false } });
    const off = await takeTicket({ api, printer, newKey: randomKey }, land, false, tho);
    expect(off).toMatchObject({ kind: 'refused', checkIn: 'check_in_off' });
    // Without a card, the refusal carries no check-in reason.
    const gaveUp: string[] = [];
    const plain = await takeTicket({ api, printer, newKey: randomKey, onGiveUp: (k) => gaveUp.push(k) }, { ...land, id: 999 }, false);
    expect(plain.kind === 'refused' && 'checkIn' in plain).toBe(false);
    // A refusal is an answer: nothing to abandon.
    expect(plain.kind === 'refused' && plain.gaveUp).toBeFalsy();
    expect(gaveUp).toEqual([]);
    await s.api('PATCH', '/admin/settings', { token: s.adminToken, body: { checkInEnabled: true } });
  });

  it('no printer configured (not_configured): screen-only, the ticket kept under the default "cancel" rule, no alert', async () => {
    const api = createApiClient({ baseUrl: s.url, token: () => s.kioskToken });
    const none: TicketPrinter = { print: async () => ({ ok: false, code: 'not_configured' }) };
    expect((await s.api('GET', '/admin/settings', { token: s.adminToken })).body).toMatchObject({ printFailure: 'cancel' });
    const r = await takeTicket({ api, printer: none, newKey: randomKey }, land, false);
    expect(r.kind).toBe('screen-only');
    if (r.kind !== 'screen-only') return;
    expect((s.db.prepare('SELECT status FROM tickets WHERE id = ?').get(r.ticket.id) as { status: string }).status).toBe('waiting');
    expect((await s.api('GET', '/alerts', { token: s.adminToken })).body).toEqual([]);
    // The shell without a printer hands the ticket to the server's; only when neither has one is it screen-only.
    const viaServer = await takeTicket({ api, printer: shellOrServerPrinter(none, printer), newKey: randomKey }, land, false);
    expect(viaServer.kind).toBe('printed');
    expect(printed.at(-1)).toBe(viaServer.kind === 'printed' ? viaServer.ticket.number : null);
    // A configured printer that fails is still a failure: alerted, and cancelled by the default rule.
    const broken: TicketPrinter = { print: async () => ({ ok: false, code: 'paper_end' }) };
    const failed = await takeTicket({ api, printer: shellOrServerPrinter(broken, none), newKey: randomKey }, land, false);
    expect(failed).toMatchObject({ kind: 'not-issued', printCode: 'paper_end' });
    await expect.poll(async () => (await s.api('GET', '/alerts', { token: s.adminToken })).body).toEqual([expect.objectContaining({ code: 'printer_paper_end', active: true })]);
    await api.alert({ code: 'printer_paper_end', message: 'ok', messageVi: 'ok', active: false });
  });

  it('no answer at all: gives up at the deadline and says so in Vietnamese and English', async () => {
    const proxy = await startLosingProxy(Number(new URL(s.url).port));
    try {
      const api = createApiClient({ baseUrl: proxy.url, token: () => s.kioskToken, issueRetry: { deadlineMs: 2000 } });
      proxy.loseNext(1000);
      const gaveUp: string[] = [];
      const r = await takeTicket({ api, printer, newKey: randomKey, onGiveUp: (k) => gaveUp.push(k) }, land, false);
      expect(r).toMatchObject({ kind: 'refused', code: 'NETWORK', gaveUp: true });
      // The tap's key is handed over to be abandoned (abandoned-taps.ts): the one every try carried.
      expect(gaveUp).toEqual([proxy.seen[0]!.idempotencyKey]);
      if (r.kind !== 'refused') return;
      expect(r.messageVi).toContain('Máy chủ không trả lời');
      expect(r.message).toContain('did not answer');
      // Every try carried the one key, so the server still holds one ticket for the tap.
      expect(new Set(proxy.seen.map((x) => x.idempotencyKey)).size).toBe(1);
      expect(new Set(proxy.seen.map((x) => (JSON.parse(x.body!) as { id: string }).id)).size).toBe(1);
    } finally {
      await proxy.close();
    }
  });
});
