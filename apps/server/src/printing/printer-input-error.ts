import type { ApiErrorBody, ErrorCode } from '@luot/protocol';
import { AppError } from '../errors.js';

/**
 * An input error whose Vietnamese line says what is wrong with this field (the catalogue's
 * INVALID_INPUT says only "Yêu cầu không hợp lệ."): an admin typing a printer's address must read
 * why it was refused and what to type instead, in both languages.
 */
export class PrinterInputError extends AppError {
  constructor(
    code: ErrorCode,
    readonly en: string,
    readonly vi: string,
    path?: string,
  ) {
    super(code, en, path ? [{ path, message: en }] : undefined);
  }

  override toBody(): ApiErrorBody {
    return { ...super.toBody(), message: this.en, messageVi: this.vi };
  }
}
