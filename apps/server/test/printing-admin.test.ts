import { decodeEscPosJob, rasterOf, startFakePrinter, type FakePrinter } from '@luot/ticket-printer/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseKioskPrinters } from '../src/printing/kiosk-printers.js';
import { freePort, startTestServer, type TestServer } from './helpers/test-server.js';

/**
 * The admin's printer list through real HTTP on the real server and SQLite: who may use it, what
 * it refuses (and says so in Vietnamese and English), the audit trail of every change, kiosks
 * moving between printers, the test page on a fake printer, and the list surviving a restart.
 */
let ts: TestServer;
let fake: FakePrinter;
let kioskId: number;
let displayId: number;

const admin = (method: string, path: string, body?: unknown, token = ts.adminToken) => ts.api(method, path, { token, ...(body !== undefined ? { body } : {}) });
const good = () => ({ name: 'Máy in sảnh', address: `tcp://${fake.host}:${fake.port}`, widthMm: 58, mode: 'raster', kioskIds: [kioskId] });

async function auditOf(action: string): Promise<{ action: string; target: string; username: string; detail: any }[]> {
  const r = await admin('GET', '/admin/audit');
  return (r.body as { action: string; target: string; username: string; detail: any }[]).filter((a) => a.action === action);
}

beforeEach(async () => {
  fake = await startFakePrinter();
  ts = await startTestServer({ print: { printers: parseKioskPrinters(''), timeoutMs: 1000 } });
  const devices = (await admin('GET', '/admin/devices')).body as { id: number; kind: string }[];
  kioskId = devices.find((d) => d.kind === 'kiosk')!.id;
  displayId = devices.find((d) => d.kind === 'display')!.id;
});
afterEach(async () => {
  await ts.close();
  await fake.close();
});

describe('/admin/printers', () => {
  it('admins only: 401 without a token, 403 for an officer, a kiosk and a display', async () => {
    const created = await admin('POST', '/admin/printers', good());
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const officer = await ts.login('canbo1');
    const calls: [string, string, unknown?][] = [
      ['GET', '/admin/printers'],
      ['POST', '/admin/printers', { ...good(), address: 'tcp://192.168.1.60:9100' }],
      ['PATCH', `/admin/printers/${id}`, { name: 'x' }],
      ['POST', `/admin/printers/${id}/delete`],
      ['POST', `/admin/printers/${id}/test`],
    ];
    for (const [method, path, body] of calls) {
      expect((await ts.api(method, path, body !== undefined ? { body } : {})).status, `${method} ${path}`).toBe(401);
      for (const token of [officer, ts.kioskToken, ts.displayToken]) {
        const r = await admin(method, path, body, token);
        expect(r.status, `${method} ${path}`).toBe(403);
        expect(r.body.error.code).toBe('FORBIDDEN');
      }
    }
    // Nothing changed, nothing printed.
    expect((await admin('GET', '/admin/printers')).body).toHaveLength(1);
    expect((await admin('GET', '/admin/printers')).body[0].name).toBe('Máy in sảnh');
    expect(fake.jobs).toHaveLength(0);
  });

  it('adds a printer: the address in its normal form, the code page defaulted, the kiosk assigned, audited', async () => {
    const r = await admin('POST', '/admin/printers', { name: '  Sảnh chính ', address: '192.168.1.50', widthMm: 80, mode: 'text', kioskIds: [kioskId] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Sảnh chính', address: 'tcp://192.168.1.50:9100', widthMm: 80, mode: 'text', codePage: 52, kioskIds: [kioskId] });
    expect(r.body.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const v6 = await admin('POST', '/admin/printers', { name: 'IPv6', address: 'tcp://[FD00::50]:9101', widthMm: 58, mode: 'raster' });
    expect(v6.status).toBe(201);
    expect(v6.body).toMatchObject({ address: 'tcp://[fd00::50]:9101', kioskIds: [] });
    expect((await admin('GET', '/admin/printers')).body.map((p: { name: string }) => p.name)).toEqual(['IPv6', 'Sảnh chính']);

    const [entry] = await auditOf('printer.create').then((a) => a.filter((e) => e.target === `printer:${r.body.id}`));
    expect(entry).toMatchObject({ username: 'admin', detail: { name: 'Sảnh chính', address: 'tcp://192.168.1.50:9100', widthMm: 80, mode: 'text', codePage: 52, kioskIds: [kioskId] } });
  });

  it('refuses addresses that are not an IP on the center’s network, saying why in Vietnamese and English', async () => {
    const cases: [string, RegExp][] = [
      ['printer.local', /địa chỉ IP/],
      ['tcp://may-in-sanh:9100', /địa chỉ IP/],
      ['8.8.8.8', /mạng nội bộ/],
      ['tcp://203.113.1.5:9100', /mạng nội bộ/],
      ['tcp://172.32.0.1:9100', /mạng nội bộ/],
      ['tcp://[2001:db8::1]:9100', /mạng nội bộ/],
      ['tcp://192.168.1.50:0', /Cổng/],
      ['tcp://192.168.1.50:65536', /Cổng/],
      ['http://192.168.1.50/', /tcp:\/\//],
      ['tcp://192.168.001.50:9100', /tcp:\/\//],
      ['tcp://192.168.1.50:9100/x', /tcp:\/\//],
      ['', /tcp:\/\//],
    ];
    for (const [address, vi] of cases) {
      const r = await admin('POST', '/admin/printers', { ...good(), address });
      expect(r.status, address).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'INVALID_INPUT', messageVi: expect.stringMatching(vi), issues: [{ path: 'address' }] });
      expect(r.body.error.message).not.toBe(r.body.error.messageVi);
    }
    // The same check on a change.
    const p = await admin('POST', '/admin/printers', good());
    const bad = await admin('PATCH', `/admin/printers/${p.body.id}`, { address: 'example.com:9100' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.messageVi).toMatch(/địa chỉ IP/);
    expect((await admin('GET', '/admin/printers')).body).toHaveLength(1);
    expect((await admin('GET', '/admin/printers')).body[0].address).toBe(`tcp://${fake.host}:${fake.port}`);
  });

  it('refuses a bad width, mode, name, code page or unknown field, and the same address twice', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ widthMm: 72 }, 'widthMm', /58 mm hoặc 80 mm/],
      [{ widthMm: '58' }, 'widthMm', /58 mm hoặc 80 mm/],
      [{ mode: 'pdf' }, 'mode', /raster/],
      [{ name: '   ' }, 'name', /tên/],
      [{ name: 'x'.repeat(61) }, 'name', /tên/],
      [{ codePage: 256 }, 'codePage', /Bảng mã/],
      [{ kioskIds: [kioskId, kioskId] }, 'kioskIds', /mỗi máy một lần/],
    ];
    for (const [patch, path, vi] of cases) {
      const r = await admin('POST', '/admin/printers', { ...good(), ...patch });
      expect(r.status, JSON.stringify(patch)).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'INVALID_INPUT', messageVi: expect.stringMatching(vi), issues: [{ path }] });
    }
    const extra = await admin('POST', '/admin/printers', { ...good(), password: 'x' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.code).toBe('INVALID_INPUT');
    expect((await admin('POST', '/admin/printers', { name: 'thiếu' })).status).toBe(400);

    expect((await admin('POST', '/admin/printers', good())).status).toBe(201);
    const twice = await admin('POST', '/admin/printers', { ...good(), name: 'Bản sao', kioskIds: [] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.messageVi).toContain('Máy in sảnh');
    expect((await admin('GET', '/admin/printers')).body).toHaveLength(1);
    expect(await auditOf('printer.create')).toHaveLength(1);
  });

  it('assigns only kiosks: an unknown id, a display or a revoked kiosk is refused', async () => {
    const unknown = await admin('POST', '/admin/printers', { ...good(), kioskIds: [kioskId, 9999] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'DEVICE_NOT_FOUND', messageVi: expect.stringContaining('9999') });
    const display = await admin('POST', '/admin/printers', { ...good(), kioskIds: [displayId] });
    expect(display.status).toBe(400);
    expect(display.body.error.messageVi).toContain('không phải máy lấy số');
    const old = await admin('POST', '/devices', { kind: 'kiosk', name: 'Kiosk cũ' });
    await admin('POST', `/devices/${old.body.id}/revoke`);
    const revoked = await admin('POST', '/admin/printers', { ...good(), kioskIds: [old.body.id] });
    expect(revoked.status).toBe(400);
    expect(revoked.body.error.messageVi).toContain('đã bị thu hồi');
    // Nothing half-done: no printer was stored by the refused requests.
    expect((await admin('GET', '/admin/printers')).body).toEqual([]);
    const p = await admin('POST', '/admin/printers', good());
    const patch = await admin('PATCH', `/admin/printers/${p.body.id}`, { kioskIds: [9999] });
    expect(patch.status).toBe(404);
    expect((await admin('GET', '/admin/printers')).body[0].kioskIds).toEqual([kioskId]);
    expect((await admin('PATCH', '/admin/printers/4242', { name: 'x' })).status).toBe(404);
    expect((await admin('POST', '/admin/printers/4242/delete')).status).toBe(404);
    expect((await admin('POST', '/admin/printers/abc/test')).status).toBe(400);
  });

  it('a kiosk assigned to a second printer moves there (one printer per kiosk); changes and deletes are audited', async () => {
    const second = await admin('POST', '/devices', { kind: 'kiosk', name: 'Kiosk 2' });
    const a = (await admin('POST', '/admin/printers', { ...good(), kioskIds: [kioskId, second.body.id] })).body;
    const b = (await admin('POST', '/admin/printers', { name: 'Tầng 2', address: 'tcp://10.0.0.9:9100', widthMm: 80, mode: 'raster', kioskIds: [second.body.id] })).body;
    const list = (await admin('GET', '/admin/printers')).body as { id: number; kioskIds: number[] }[];
    expect(list.find((p) => p.id === a.id)!.kioskIds).toEqual([kioskId]);
    expect(list.find((p) => p.id === b.id)!.kioskIds).toEqual([second.body.id]);
    const [created] = (await auditOf('printer.create')).filter((e) => e.target === `printer:${b.id}`);
    expect(created!.detail.moved).toEqual([{ deviceId: second.body.id, fromPrinterId: a.id }]);

    const changed = await admin('PATCH', `/admin/printers/${a.id}`, { widthMm: 80, mode: 'text', codePage: 27, address: '127.0.0.1:9100' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ widthMm: 80, mode: 'text', codePage: 27, address: 'tcp://127.0.0.1:9100', name: 'Máy in sảnh', kioskIds: [kioskId] });
    const [update] = await auditOf('printer.update');
    expect(update).toMatchObject({ target: `printer:${a.id}`, username: 'admin', detail: { widthMm: 80, mode: 'text', codePage: 27, address: 'tcp://127.0.0.1:9100' } });

    expect((await admin('POST', `/admin/printers/${b.id}/delete`)).body).toEqual({ id: b.id, deleted: true });
    const [deleted] = await auditOf('printer.delete');
    expect(deleted).toMatchObject({ target: `printer:${b.id}`, detail: { name: 'Tầng 2', address: 'tcp://10.0.0.9:9100', kioskIds: [second.body.id] } });
    expect((await admin('GET', '/admin/printers')).body.map((p: { id: number }) => p.id)).toEqual([a.id]);
  });

  it('is kept in SQLite across a restart', async () => {
    const p = (await admin('POST', '/admin/printers', { ...good(), mode: 'text', codePage: 94 })).body;
    const dataDir = ts.dataDir;
    await ts.close({ keepData: true });
    ts = await startTestServer({ dataDir, print: { printers: parseKioskPrinters(''), timeoutMs: 1000 } });
    expect((await admin('GET', '/admin/printers')).body).toEqual([p]);
  });
});

describe('POST /admin/printers/:id/test', () => {
  it('prints a test page at the printer’s width and mode, naming the printer', async () => {
    const p = (await admin('POST', '/admin/printers', { ...good(), mode: 'text' })).body;
    const r = await admin('POST', `/admin/printers/${p.id}/test`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ printed: true });
    const [job] = await fake.waitForJobs(1);
    const cmds = decodeEscPosJob(job!);
    expect(fake.decodeErrors).toEqual([]);
    expect(cmds).toContainEqual({ kind: 'codePage', n: 52 });
    expect(rasterOf(cmds).width).toBeLessThanOrEqual(384);
    // Lines joined by spaces: the double-size service line wraps at 16 columns on 58 mm.
    const bytes = cmds.flatMap((c) => (c.kind === 'text' ? [...c.bytes] : c.kind === 'newline' ? [0x20] : []));
    const text = new TextDecoder('windows-1258').decode(Uint8Array.from(bytes)).normalize('NFC');
    expect(text).toContain('In thử: Máy in sảnh');
    expect(text).toContain('Test print: Máy in sảnh');
    expect(text).toContain(`tcp://${fake.host}:${fake.port} · 58 mm · text WPC1258 (ESC t 52)`);

    await admin('PATCH', `/admin/printers/${p.id}`, { mode: 'raster', widthMm: 80 });
    expect((await admin('POST', `/admin/printers/${p.id}/test`)).body).toEqual({ printed: true });
    const jobs = await fake.waitForJobs(2);
    expect(rasterOf(decodeEscPosJob(jobs[1]!)).width).toBe(576);
  });

  it('says why a test page did not print: out of paper, or nothing at that address', async () => {
    fake.state = 'paper-end';
    const p = (await admin('POST', '/admin/printers', good())).body;
    expect((await admin('POST', `/admin/printers/${p.id}/test`)).body).toMatchObject({ printed: false, code: 'paper_end', printerError: 'PRINTER_PAPER_END', messageVi: expect.stringContaining('hết giấy') });
    expect(fake.jobs).toHaveLength(0);

    const nobody = await freePort();
    await admin('PATCH', `/admin/printers/${p.id}`, { address: `tcp://127.0.0.1:${nobody}` });
    expect((await admin('POST', `/admin/printers/${p.id}/test`)).body).toMatchObject({
      printed: false,
      code: 'offline',
      printerError: 'PRINTER_UNREACHABLE',
      messageVi: expect.stringContaining('Không kết nối được'),
    });
  });
});
