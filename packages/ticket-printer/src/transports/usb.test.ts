import { describe, expect, it } from 'vitest';
import { PrinterError } from '../printer-error.js';
import { pickPrinterEndpoints, type UsbInterfaceShape } from './usb-endpoints.js';
import { usbTransport } from './usb.js';

// Only what needs no device: endpoint choice from descriptors (shaped like libusb's), and the
// errors when the module or the device is missing. Sending to a real printer is manual.
const bulk = (address: number) => ({ bEndpointAddress: address, bmAttributes: 2 });
const iface = (n: number, cls: number, endpoints: { bEndpointAddress: number; bmAttributes: number }[]): UsbInterfaceShape[] => [
  { bInterfaceNumber: n, bAlternateSetting: 0, bInterfaceClass: cls, endpoints },
];

describe('USB endpoint choice', () => {
  it('takes the printer-class interface with its bulk OUT and IN endpoints', () => {
    const picked = pickPrinterEndpoints([iface(0, 0xff, [bulk(0x02)]), iface(1, 7, [bulk(0x81), bulk(0x01)])]);
    expect(picked).toEqual({ interfaceNumber: 1, outAddress: 0x01, inAddress: 0x81 });
  });

  it('falls back to a vendor-class interface (Chinese clones) and copes without an IN endpoint', () => {
    expect(pickPrinterEndpoints([iface(0, 0xff, [{ bEndpointAddress: 0x83, bmAttributes: 3 }, bulk(0x03)])])).toEqual({
      interfaceNumber: 0,
      outAddress: 0x03,
      inAddress: undefined,
    });
  });

  it('finds nothing on a device with no bulk OUT endpoint (a keyboard, say)', () => {
    expect(pickPrinterEndpoints([iface(0, 3, [{ bEndpointAddress: 0x81, bmAttributes: 3 }])])).toBeNull();
  });
});

describe('USB transport without a device', () => {
  it('gives PRINTER_UNREACHABLE when no such printer is plugged in', async () => {
    const e = await usbTransport({ kind: 'usb', vendorId: 0xfffe, productId: 0xfffe }).connect(500).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(PrinterError);
    expect((e as PrinterError).code).toBe('PRINTER_UNREACHABLE');
    expect((e as PrinterError).detail).toMatch(/fffe:fffe/);
  });

  it('gives PRINTER_UNREACHABLE, not a crash, when the optional usb package is missing', async () => {
    const missing = () => Promise.reject(new Error("Cannot find package 'usb'"));
    const e = await usbTransport({ kind: 'usb', vendorId: 0x04b8, productId: 0x0202 }, missing).connect(500).catch((err: unknown) => err);
    expect((e as PrinterError).code).toBe('PRINTER_UNREACHABLE');
    expect((e as PrinterError).detail).toMatch(/optional 'usb' package/);
  });
});
