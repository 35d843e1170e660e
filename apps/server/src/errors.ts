import { ERRORS, type ApiErrorBody, type ErrorCode } from '@luot/protocol';

/** A failure with a code from the protocol catalogue; the HTTP and socket edges turn it into a body. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly issues: ApiErrorBody['issues'];

  constructor(code: ErrorCode, detail?: string, issues?: ApiErrorBody['issues']) {
    super(detail ? `${ERRORS[code].en} ${detail}` : ERRORS[code].en);
    this.code = code;
    this.status = ERRORS[code].status;
    this.issues = issues;
  }

  toBody(): ApiErrorBody {
    const body: ApiErrorBody = { code: this.code, message: this.message, messageVi: ERRORS[this.code].vi };
    if (this.issues) body.issues = this.issues;
    return body;
  }
}
