/**
 * Which interface and endpoints of a USB device to print through, from its configuration
 * descriptor alone (pure, so it is tested without a device). Plain shapes that libusb's
 * descriptors satisfy, so this file needs no `usb` import.
 */
export interface UsbEndpointShape {
  bEndpointAddress: number;
  bmAttributes: number;
}
export interface UsbInterfaceShape {
  bInterfaceNumber: number;
  bAlternateSetting: number;
  bInterfaceClass: number;
  endpoints: UsbEndpointShape[];
}

export interface PrinterEndpoints {
  interfaceNumber: number;
  outAddress: number;
  /** Absent on write-only printers: then status cannot be read. */
  inAddress: number | undefined;
}

const USB_CLASS_PRINTER = 7;
const TRANSFER_BULK = 2;
const DIRECTION_IN = 0x80;

/**
 * Prefers an interface of the printer class (7); many Chinese clones declare vendor class 0xFF
 * instead, so any interface with a bulk OUT endpoint comes second.
 */
export function pickPrinterEndpoints(interfaces: readonly (readonly UsbInterfaceShape[])[]): PrinterEndpoints | null {
  const settings = interfaces.map((alts) => alts.find((a) => a.bAlternateSetting === 0) ?? alts[0]).filter((a) => a !== undefined);
  const bulk = (i: UsbInterfaceShape, dirIn: boolean) =>
    i.endpoints.find((e) => (e.bmAttributes & 3) === TRANSFER_BULK && ((e.bEndpointAddress & DIRECTION_IN) !== 0) === dirIn);
  const ranked = [...settings.filter((i) => i.bInterfaceClass === USB_CLASS_PRINTER), ...settings.filter((i) => i.bInterfaceClass !== USB_CLASS_PRINTER)];
  for (const i of ranked) {
    const out = bulk(i, false);
    if (out) return { interfaceNumber: i.bInterfaceNumber, outAddress: out.bEndpointAddress, inAddress: bulk(i, true)?.bEndpointAddress };
  }
  return null;
}
