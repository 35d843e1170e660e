import { describe, expect, it } from 'vitest';
import type { TicketPrintJob } from '../shared/kiosk-api.js';
import { createAdminHandler } from './admin-handler.js';
import { createPinGuard, hashPin } from './admin-pin.js';
import type { PrinterPort } from './print-handler.js';

const ORIGIN = 'http://10.0.0.2:8080';
const page = { senderFrame: { url: `${ORIGIN}/kiosk` } };
const config = { serverUrl: ORIGIN, printer: 'tcp://10.0.0.9:9100', kioskName: 'Kiosk sảnh', configPath: '/etc/kiosk.json', version: '0.1.0' };

function setup(printer: PrinterPort | null = null) {
  const calls: string[] = [];
  const handle = createAdminHandler({
    serverOrigin: ORIGIN,
    pinGuard: createPinGuard({ hash: hashPin('1357') }),
    publicConfig: config,
    printer,
    reload: () => calls.push('reload'),
    quit: () => calls.push('quit'),
  });
  return { handle, calls };
}

describe('kiosk:admin handler', () => {
  it('needs the PIN on every action, checked here and not in the page', async () => {
    const { handle, calls } = setup();
    expect(await handle(page, { action: 'quit', pin: '0000' })).toMatchObject({ ok: false, code: 'wrong_pin' });
    expect(calls).toEqual([]);
    expect(await handle(page, { action: 'unlock', pin: '1357' })).toEqual({ ok: true, config });
    expect(await handle(page, { action: 'reload', pin: '1357' })).toEqual({ ok: true });
    expect(await handle(page, { action: 'quit', pin: '1357' })).toEqual({ ok: true });
    expect(calls).toEqual(['reload', 'quit']);
  });

  it('never reveals the device token', async () => {
    const { handle } = setup();
    const r = await handle(page, { action: 'config', pin: '1357' });
    expect(JSON.stringify(r)).not.toMatch(/token/i);
  });

  it('refuses other pages and malformed requests without counting a PIN attempt', async () => {
    const { handle } = setup();
    expect(await handle({ senderFrame: { url: 'http://evil/kiosk' } }, { action: 'unlock', pin: '1357' })).toMatchObject({ code: 'invalid' });
    expect(await handle(page, { action: 'format-disk', pin: '1357' })).toMatchObject({ code: 'invalid' });
    expect(await handle(page, { action: 'unlock', pin: 1357 })).toMatchObject({ code: 'invalid' });
  });

  it('test-prints through the printer port and reports a printer problem', async () => {
    const printed: TicketPrintJob[] = [];
    let paper = true;
    const port: PrinterPort = {
      status: async () => (paper ? { ok: true, paperLow: false } : { ok: false, code: 'paper_end', message: 'out of paper' }),
      print: async (j) => void printed.push(j),
    };
    const { handle } = setup(port);
    expect(await handle(page, { action: 'test-print', pin: '1357' })).toEqual({ ok: true, message: 'printed' });
    expect(printed[0]).toMatchObject({ number: 'TEST', serviceName: { vi: 'In thử', en: 'Test print' } });
    paper = false;
    expect(await handle(page, { action: 'test-print', pin: '1357' })).toMatchObject({ ok: false, message: expect.stringContaining('paper_end') });
  });
});
