/**
 * Why a ticket did not print, as a code the kiosk can switch on and words a person can act on,
 * Vietnamese first (the protocol package's error catalogue does the same for the API).
 */
export const PRINTER_ERRORS = {
  PRINTER_PAPER_END: {
    vi: 'Máy in đã hết giấy. Vui lòng thay cuộn giấy mới.',
    en: 'The printer is out of paper. Please load a new roll.',
  },
  PRINTER_COVER_OPEN: {
    vi: 'Nắp máy in đang mở. Vui lòng đóng nắp lại.',
    en: 'The printer cover is open. Please close it.',
  },
  PRINTER_OFFLINE: {
    vi: 'Máy in đang tạm ngừng (offline) hoặc báo lỗi. Vui lòng kiểm tra máy in.',
    en: 'The printer is offline or reports an error. Please check it.',
  },
  PRINTER_TIMEOUT: {
    vi: 'Máy in không phản hồi kịp thời.',
    en: 'The printer did not answer in time.',
  },
  PRINTER_UNREACHABLE: {
    vi: 'Không kết nối được với máy in. Vui lòng kiểm tra nguồn điện, dây cáp và địa chỉ máy in.',
    en: 'Cannot reach the printer. Please check its power, cable and address.',
  },
  /** The bytes went out but the printer did not confirm afterwards (reset, link lost, no answer). */
  PRINTER_NOT_CONFIRMED: {
    vi: 'Máy in không xác nhận đã in xong vé (có thể bị khởi động lại hoặc mất kết nối giữa chừng). Vui lòng kiểm tra máy in.',
    en: 'The printer did not confirm the ticket was printed (it may have restarted or lost its link midway). Please check it.',
  },
} as const satisfies Record<string, { vi: string; en: string }>;

export type PrinterErrorCode = keyof typeof PRINTER_ERRORS;

export class PrinterError extends Error {
  override readonly name = 'PrinterError';
  readonly messageVi: string;
  readonly messageEn: string;

  constructor(
    readonly code: PrinterErrorCode,
    /** Technical detail for the log (host, errno...), never shown to a citizen. */
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    const { vi, en } = PRINTER_ERRORS[code];
    super(`${vi} / ${en}${detail ? ` (${detail})` : ''}`, options);
    this.messageVi = vi;
    this.messageEn = en;
  }
}

export function isPrinterError(e: unknown, code?: PrinterErrorCode): e is PrinterError {
  return e instanceof PrinterError && (code === undefined || e.code === code);
}
