import type * as UsbNamespace from 'usb';
import type { Device, InEndpoint, Interface, OutEndpoint } from 'usb';
import { PrinterError } from '../printer-error.js';
import { withTimeout, type PrinterConnection, type PrinterTransport } from './transport.js';
import { pickPrinterEndpoints } from './usb-endpoints.js';

export interface UsbTransportConfig {
  kind: 'usb';
  vendorId: number;
  productId: number;
}

type UsbModule = typeof UsbNamespace;

/**
 * A USB printer driven through libusb (the `usb` package, optional: its prebuilt binary is not
 * there on every platform, so it is imported only when a USB printer is configured). On Linux
 * it detaches the kernel's usblp driver for the job; on Windows libusb needs the WinUSB driver,
 * which takes the printer away from the spooler: prefer a network printer or the spooler there.
 */
export function usbTransport(config: UsbTransportConfig, loadUsb: () => Promise<UsbModule> = () => import('usb')): PrinterTransport {
  const id = `${hex4(config.vendorId)}:${hex4(config.productId)}`;
  const description = `usb ${id}`;
  return {
    description,
    canRead: true,
    async connect(timeoutMs) {
      let usb: UsbModule;
      try {
        usb = await loadUsb();
      } catch (e) {
        throw new PrinterError('PRINTER_UNREACHABLE', `${description}: the optional 'usb' package cannot be loaded`, { cause: e });
      }
      const device = usb.findByIds(config.vendorId, config.productId);
      if (!device) throw new PrinterError('PRINTER_UNREACHABLE', `${description}: no such device is plugged in`);
      return openDevice(device, description, timeoutMs);
    },
  };
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

function openDevice(device: Device, description: string, timeoutMs: number): PrinterConnection {
  let iface: Interface;
  let out: OutEndpoint;
  let input: InEndpoint | undefined;
  try {
    device.open();
    const picked = pickPrinterEndpoints(device.configDescriptor?.interfaces ?? []);
    if (!picked) throw new Error('no bulk OUT endpoint: is this a printer?');
    iface = device.interface(picked.interfaceNumber);
    if (process.platform === 'linux' && iface.isKernelDriverActive()) iface.detachKernelDriver();
    iface.claim();
    out = iface.endpoint(picked.outAddress) as OutEndpoint;
    input = picked.inAddress === undefined ? undefined : (iface.endpoint(picked.inAddress) as InEndpoint);
    device.timeout = timeoutMs;
  } catch (e) {
    try {
      device.close();
    } catch {
      // Already closed or never opened: nothing to undo.
    }
    throw new PrinterError('PRINTER_UNREACHABLE', `${description}: ${(e as Error).message}`, { cause: e });
  }
  const pending: number[] = [];
  return {
    async write(data, ms) {
      device.timeout = ms;
      await withTimeout(out.transferAsync(Buffer.from(data)), ms + 500, `${description} write`).catch((e: unknown) => {
        if (e instanceof PrinterError) throw e;
        throw new PrinterError('PRINTER_TIMEOUT', `${description}: ${(e as Error).message}`, { cause: e });
      });
    },
    async readByte(ms) {
      const queued = pending.shift();
      if (queued !== undefined) return queued;
      if (!input) throw new PrinterError('PRINTER_TIMEOUT', `${description}: the printer has no IN endpoint to answer on`);
      device.timeout = ms;
      const data = await withTimeout(input.transferAsync(64), ms + 500, `${description} read`).catch((e: unknown) => {
        if (e instanceof PrinterError) throw e;
        throw new PrinterError('PRINTER_TIMEOUT', `${description}: ${(e as Error).message}`, { cause: e });
      });
      pending.push(...(data ?? []));
      const b = pending.shift();
      if (b === undefined) throw new PrinterError('PRINTER_TIMEOUT', `${description}: empty answer`);
      return b;
    },
    discardInput: () => void pending.splice(0),
    async close() {
      await iface.releaseAsync().catch(() => {});
      try {
        if (process.platform === 'linux') iface.attachKernelDriver();
      } catch {
        // The kernel driver was not attached before, or the device is gone.
      }
      try {
        device.close();
      } catch {
        // Device unplugged mid-job: nothing left to close.
      }
    },
  };
}
