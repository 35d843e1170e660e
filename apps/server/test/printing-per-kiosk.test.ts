import { decodeEscPosJob, rasterOf, startFakePrinter, type EscPosCommand, type FakePrinter } from '@luot/ticket-printer/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseKioskPrinters } from '../src/printing/kiosk-printers.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * Server printing per kiosk, through real HTTP on the real server: each kiosk's ticket goes to
 * the printer the admin assigned to it, at that printer's paper width and in its mode, read back
 * from the bytes the fake printers received; a kiosk with none assigned falls back to
 * LUOT_KIOSK_PRINTER at 80 mm raster; an admin's reprint goes to the issuing kiosk's printer.
 */
let ts: TestServer;
let fallback: FakePrinter;
let narrow: FakePrinter;
let kioskId: number;

/** The ticket's words as a printer with WPC1258 selected would print them (decoded independently of our encoder). */
function printedText(cmds: readonly EscPosCommand[]): string {
  const lines: string[] = [];
  let line: number[] = [];
  for (const c of cmds) {
    if (c.kind === 'text') line.push(...c.bytes);
    if (c.kind === 'newline') {
      lines.push(new TextDecoder('windows-1258').decode(Uint8Array.from(line)).normalize('NFC'));
      line = [];
    }
  }
  return lines.join('\n');
}

async function landId(): Promise<number> {
  const services = await ts.api('GET', '/services');
  return (services.body as { id: number; code: string }[]).find((s) => s.code === 'land')!.id;
}

async function issue(token = ts.kioskToken): Promise<{ id: string; number: string }> {
  const r = await ts.api('POST', '/tickets', { token, body: { serviceId: await landId() } });
  expect(r.status).toBe(201);
  return r.body;
}

const print = (id: string, token = ts.kioskToken, body: unknown = {}) => ts.api('POST', `/tickets/${id}/print`, { token, body });

async function addPrinter(body: Record<string, unknown>): Promise<{ id: number }> {
  const r = await ts.api('POST', '/admin/printers', { token: ts.adminToken, body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

beforeEach(async () => {
  [fallback, narrow] = await Promise.all([startFakePrinter(), startFakePrinter()]);
  ts = await startTestServer({ print: { printers: parseKioskPrinters(`tcp://${fallback.host}:${fallback.port}`), timeoutMs: 1500 } });
  const devices = await ts.api('GET', '/admin/devices', { token: ts.adminToken });
  kioskId = (devices.body as { id: number; kind: string }[]).find((d) => d.kind === 'kiosk')!.id;
});
afterEach(async () => {
  await ts.close();
  await Promise.all([fallback.close(), narrow.close()]);
});

describe('server printing at the kiosk’s printer’s width and mode', () => {
  it('58 mm raster: the image is 384 dots wide, never wider than the print head', async () => {
    await addPrinter({ name: 'Sảnh 58', address: `tcp://${narrow.host}:${narrow.port}`, widthMm: 58, mode: 'raster', kioskIds: [kioskId] });
    const t = await issue();
    expect((await print(t.id)).body).toEqual({ printed: true });
    const [job] = await narrow.waitForJobs(1);
    const cmds = decodeEscPosJob(job!);
    const image = rasterOf(cmds);
    expect(image.width).toBe(384);
    // Every image command fits the head on its own too, not only the stack.
    for (const c of cmds) if (c.kind === 'raster') expect(c.bitmap.width).toBeLessThanOrEqual(384);
    expect(image.height).toBeGreaterThan(300);
    expect(cmds.some((c) => c.kind === 'cut')).toBe(true);
    expect(narrow.decodeErrors).toEqual([]);
    // Confirmed after the last byte (issue 11): the printer was asked its status after the ticket.
    expect(narrow.statusQueries.length).toBeGreaterThanOrEqual(8);
    expect(fallback.jobs).toHaveLength(0);
  });

  it('58 mm text: WPC1258 selected with the printer’s code page, and its bytes read back as the Vietnamese words', async () => {
    await addPrinter({ name: 'Sảnh chữ', address: `tcp://${narrow.host}:${narrow.port}`, widthMm: 58, mode: 'text', codePage: 94, kioskIds: [kioskId] });
    await ts.api('PATCH', '/admin/settings', { token: ts.adminToken, body: { centerName: 'Trung tâm Phục vụ hành chính công xã Tân Phú', ticketFooter: 'Giờ làm việc: thứ Hai – thứ Sáu' } });
    const t = await issue();
    expect((await print(t.id)).body).toEqual({ printed: true });
    const [job] = await narrow.waitForJobs(1);
    const cmds = decodeEscPosJob(job!);
    expect(narrow.decodeErrors).toEqual([]);
    expect(cmds).toContainEqual({ kind: 'codePage', n: 94 });
    // The words are text, not an image; the only image is the QR code, within the 58 mm head.
    expect(rasterOf(cmds).width).toBeLessThanOrEqual(384);
    const text = printedText(cmds);
    for (const words of ['Đất đai', 'Số thứ tự của quý công dân', t.number, 'Không có ai đang chờ trước', 'Quét mã để theo dõi lượt', 'Giờ làm việc: thứ Hai – thứ Sáu']) {
      expect(text, words).toContain(words);
    }
    // The center's name wraps at 32 columns (58 mm, font A), words unbroken.
    expect(text).toContain('Trung tâm Phục vụ hành chính');
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(32);
  });

  it('80 mm text on another kiosk, 58 mm raster on this one: each kiosk’s own printer and settings', async () => {
    const wide = await startFakePrinter();
    try {
      const other = await ts.api('POST', '/devices', { token: ts.adminToken, body: { kind: 'kiosk', name: 'Kiosk tầng 2' } });
      await addPrinter({ name: 'Tầng 1', address: `tcp://${narrow.host}:${narrow.port}`, widthMm: 58, mode: 'raster', kioskIds: [kioskId] });
      await addPrinter({ name: 'Tầng 2', address: `tcp://${wide.host}:${wide.port}`, widthMm: 80, mode: 'text', kioskIds: [other.body.id] });
      const a = await issue();
      const b = await issue(other.body.token);
      expect((await print(b.id, other.body.token)).body).toEqual({ printed: true });
      expect((await print(a.id)).body).toEqual({ printed: true });
      const [wideJob] = await wide.waitForJobs(1);
      const [narrowJob] = await narrow.waitForJobs(1);
      const wideCmds = decodeEscPosJob(wideJob!);
      expect(wideCmds).toContainEqual({ kind: 'codePage', n: 52 });
      expect(printedText(wideCmds)).toContain(b.number);
      expect(rasterOf(decodeEscPosJob(narrowJob!)).width).toBe(384);
      expect(wide.jobs).toHaveLength(1);
      expect(narrow.jobs).toHaveLength(1);
      expect(fallback.jobs).toHaveLength(0);
    } finally {
      await wide.close();
    }
  });

  it('falls back to LUOT_KIOSK_PRINTER at 80 mm raster when no printer is assigned, and again once it is removed', async () => {
    const t = await issue();
    expect((await print(t.id)).body).toEqual({ printed: true });
    const [job] = await fallback.waitForJobs(1);
    expect(rasterOf(decodeEscPosJob(job!)).width).toBe(576);

    // Assigned: the list wins over the environment.
    const p = await addPrinter({ name: 'Sảnh', address: `tcp://${narrow.host}:${narrow.port}`, widthMm: 58, mode: 'raster', kioskIds: [kioskId] });
    const t2 = await issue();
    expect((await print(t2.id)).body).toEqual({ printed: true });
    await narrow.waitForJobs(1);

    // Unassigned (the printer serves no kiosk now): back to the environment's printer.
    expect((await ts.api('PATCH', `/admin/printers/${p.id}`, { token: ts.adminToken, body: { kioskIds: [] } })).status).toBe(200);
    const t3 = await issue();
    expect((await print(t3.id)).body).toEqual({ printed: true });
    const jobs = await fallback.waitForJobs(2);
    expect(rasterOf(decodeEscPosJob(jobs[1]!)).width).toBe(576);
    expect(narrow.jobs).toHaveLength(1);

    // Deleted while assigned: its kiosks fall back too.
    await ts.api('PATCH', `/admin/printers/${p.id}`, { token: ts.adminToken, body: { kioskIds: [kioskId] } });
    expect((await ts.api('POST', `/admin/printers/${p.id}/delete`, { token: ts.adminToken })).status).toBe(200);
    const t4 = await issue();
    expect((await print(t4.id)).body).toEqual({ printed: true });
    await fallback.waitForJobs(3);
    expect(narrow.jobs).toHaveLength(1);
  });

  it('an assigned printer that is out of paper: printed:false paper_end, nothing sent, no fallback to another printer', async () => {
    narrow.state = 'paper-end';
    await addPrinter({ name: 'Sảnh', address: `tcp://${narrow.host}:${narrow.port}`, widthMm: 58, mode: 'raster', kioskIds: [kioskId] });
    const t = await issue();
    expect((await print(t.id)).body).toMatchObject({ printed: false, code: 'paper_end', printerError: 'PRINTER_PAPER_END', messageVi: expect.stringContaining('hết giấy') });
    expect(narrow.jobs).toHaveLength(0);
    expect(fallback.jobs).toHaveLength(0);
  });

  it('a 58 mm printer that resets mid-ticket is not counted as printed (PRINTER_NOT_CONFIRMED)', async () => {
    await addPrinter({ name: 'Sảnh', address: `tcp://${narrow.host}:${narrow.port}`, widthMm: 58, mode: 'raster', kioskIds: [kioskId] });
    const t = await issue();
    narrow.failNextJob({ afterBytes: 1500, fault: 'reset' });
    expect((await print(t.id)).body).toMatchObject({ printed: false, code: 'offline', printerError: 'PRINTER_NOT_CONFIRMED' });
    expect(narrow.lostJobs).toHaveLength(1);
  });
});

describe('reprint by an admin', () => {
  it('prints a waiting ticket again on the issuing kiosk’s printer, at its width, audited; a kiosk cannot ask for it', async () => {
    await addPrinter({ name: 'Sảnh 58', address: `tcp://${narrow.host}:${narrow.port}`, widthMm: 58, mode: 'raster', kioskIds: [kioskId] });
    const t = await issue();
    expect((await print(t.id)).body).toEqual({ printed: true });
    // The kiosk's own retry never prints twice, and it may not ask for a second paper.
    expect((await print(t.id)).body).toEqual({ printed: true, duplicate: true });
    const refused = await print(t.id, ts.kioskToken, { reprint: true });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    // Without reprint, the admin's request is the same duplicate answer.
    expect((await print(t.id, ts.adminToken)).body).toEqual({ printed: true, duplicate: true });

    expect((await print(t.id, ts.adminToken, { reprint: true })).body).toEqual({ printed: true });
    const jobs = await narrow.waitForJobs(2);
    expect(rasterOf(decodeEscPosJob(jobs[1]!)).width).toBe(384);
    expect(fallback.jobs).toHaveLength(0);

    const audit = await ts.api('GET', '/admin/audit', { token: ts.adminToken });
    const entry = (audit.body as { action: string; target: string; username: string; detail: Record<string, unknown> }[]).find((a) => a.action === 'ticket.reprint');
    expect(entry).toMatchObject({ target: `ticket:${t.id}`, username: 'admin', detail: { number: t.number, printed: true } });
    expect(String(entry!.detail.printer)).toMatch(/^printer:\d+$/);

    // An officer is not an admin; a bad body is refused.
    const officer = await ts.login('canbo1');
    expect((await print(t.id, officer, { reprint: true })).status).toBe(403);
    expect((await print(t.id, ts.adminToken, { reprint: 'yes' })).body.error.code).toBe('INVALID_INPUT');
  });
});
