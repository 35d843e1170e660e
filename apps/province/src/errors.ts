import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * The province's error catalogue. Every refusal is `{ error: { code, message, messageVi } }`
 * (the center's error shape, docs/api.md), plus fields a client acts on (SEQ_GAP's ackSeq).
 */
export const PROVINCE_ERRORS = {
  UNAUTHORIZED: { status: 401, en: 'Unknown or revoked key.', vi: 'Khóa không hợp lệ hoặc đã bị thu hồi.' },
  FORBIDDEN: { status: 403, en: 'Not allowed.', vi: 'Không có quyền.' },
  INVALID_INPUT: { status: 400, en: 'Invalid input.', vi: 'Dữ liệu không hợp lệ.' },
  NOT_FOUND: { status: 404, en: 'Not found.', vi: 'Không tìm thấy.' },
  PAYLOAD_TOO_LARGE: { status: 413, en: 'Batch too large (at most 500 events and 1 MiB).', vi: 'Lô dữ liệu quá lớn (tối đa 500 sự kiện và 1 MiB).' },
  SEQ_GAP: { status: 409, en: 'Events missing before this batch: resend from ackSeq + 1.', vi: 'Thiếu sự kiện trước lô này: gửi lại từ ackSeq + 1.' },
  CENTER_MISMATCH: {
    status: 409,
    en: 'This key belongs to another center database (centerUid differs); a province admin must re-bind it.',
    vi: 'Khóa này thuộc về cơ sở dữ liệu của trung tâm khác (centerUid khác); quản trị tỉnh cần gắn lại.',
  },
  CENTER_CODE_TAKEN: { status: 409, en: 'A center with this code already exists.', vi: 'Đã có trung tâm với mã này.' },
  ADMIN_NOT_CONFIGURED: {
    status: 503,
    en: 'The province admin API is off: set PROVINCE_ADMIN_TOKEN.',
    vi: 'API quản trị tỉnh chưa bật: đặt PROVINCE_ADMIN_TOKEN.',
  },
  DATABASE_UNAVAILABLE: { status: 503, en: 'The province database is unavailable; try again later.', vi: 'Cơ sở dữ liệu của tỉnh đang không truy cập được; thử lại sau.' },
  INTERNAL: { status: 500, en: 'Internal error.', vi: 'Lỗi hệ thống.' },
} as const;
export type ProvinceErrorCode = keyof typeof PROVINCE_ERRORS;

export class ProvinceError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProvinceErrorCode,
    detail?: string,
    /** Extra fields of the error body, e.g. { ackSeq } for SEQ_GAP, { issues } for INVALID_INPUT. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ? `${PROVINCE_ERRORS[code].en} ${detail}` : PROVINCE_ERRORS[code].en);
    this.status = PROVINCE_ERRORS[code].status;
  }
  toBody() {
    return { error: { code: this.code, message: this.message, messageVi: PROVINCE_ERRORS[this.code].vi, ...this.extra } };
  }
}

/** node-postgres errors that mean "the database is not there right now", not "the request is bad". */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  // Connection refused/reset/timeouts, and PostgreSQL's class 08 (connection), 57P0x (shutdown,
  // admin/crash restart, cannot connect now), 53 (insufficient resources).
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
  if (/^(08|57P0|53)/.test(code)) return true;
  const msg = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(msg);
}

/** One error shape for every route (the dashboard's too). */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ProvinceError) return reply.code(err.status).send(err.toBody());
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send(new ProvinceError('PAYLOAD_TOO_LARGE').toBody());
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (err.statusCode === 400 && err.validation === undefined)) {
      return reply.code(400).send(new ProvinceError('INVALID_INPUT', err.message).toBody());
    }
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ err }, 'PostgreSQL unavailable');
      return reply.code(503).header('retry-after', '5').send(new ProvinceError('DATABASE_UNAVAILABLE').toBody());
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send(new ProvinceError('INTERNAL').toBody());
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(new ProvinceError('NOT_FOUND', `${req.method} ${req.url}`).toBody()));
}
