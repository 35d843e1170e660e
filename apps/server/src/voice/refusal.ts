import type { ApiErrorBody } from '@luot/protocol';
import { AppError } from '../errors.js';

/**
 * A voice upload refused, with a message that says what was wrong in both languages (the generic
 * INVALID_INPUT text "Yêu cầu không hợp lệ" would not tell a staff member which clip or why).
 * An AppError, so the server's error handler answers it like any other: 400 INVALID_INPUT.
 */
export class VoiceRefusal extends AppError {
  constructor(
    readonly en: string,
    readonly vi: string,
    issues?: ApiErrorBody['issues'],
  ) {
    super('INVALID_INPUT', en, issues);
  }

  override toBody(): ApiErrorBody {
    return { ...super.toBody(), message: this.en, messageVi: this.vi };
  }
}
