/**
 * One error of a catalogue: the HTTP status and the message a person reads, in English and
 * Vietnamese. The center's API (ERRORS below) and the province's (PROVINCE_ERRORS,
 * province-wire.ts) are catalogues of this one shape, answered as one body shape: `ErrorBodyOf`.
 */
export interface ErrorDef {
  status: number;
  en: string;
  vi: string;
}

/**
 * A catalogue of errors by code. Returns its argument as it is, typed with its literal codes and
 * statuses (as `as const` would), after checking every entry has the shape of `ErrorDef`.
 */
export function defineErrors<const T extends Record<string, ErrorDef>>(catalogue: T): T {
  return catalogue;
}

/** What every error body carries: the code a client switches on and the two messages it shows. */
export interface ErrorBodyOf<C extends string> {
  code: C;
  message: string;
  messageVi: string;
}

/** The English message of an error: the catalogue's, then the detail of this occurrence. */
export function errorMessage(def: ErrorDef, detail?: string): string {
  return detail ? `${def.en} ${detail}` : def.en;
}

/** The body of an error of `catalogue`: its code, English message (with `detail`) and Vietnamese. */
export function catalogueErrorBody<C extends string>(catalogue: Readonly<Record<C, ErrorDef>>, code: C, detail?: string): ErrorBodyOf<C> {
  const e = catalogue[code];
  return { code, message: errorMessage(e, detail), messageVi: e.vi };
}

/**
 * Every error code the API can answer, with its HTTP status and the message a person reads,
 * Vietnamese first. Clients show `messageVi` (and `message` in English mode); they switch on `code`.
 */
export const ERRORS = defineErrors({
  INVALID_INPUT: { status: 400, en: 'The request is not valid.', vi: 'Yêu cầu không hợp lệ.' },
  UNAUTHORIZED: { status: 401, en: 'Please sign in.', vi: 'Vui lòng đăng nhập.' },
  INVALID_CREDENTIALS: { status: 401, en: 'Wrong username or password.', vi: 'Sai tên đăng nhập hoặc mật khẩu.' },
  FORBIDDEN: { status: 403, en: 'You are not allowed to do this.', vi: 'Bạn không có quyền thực hiện thao tác này.' },
  NOT_FOUND: { status: 404, en: 'Not found.', vi: 'Không tìm thấy.' },
  SERVICE_NOT_FOUND: { status: 404, en: 'This service does not exist.', vi: 'Không có lĩnh vực này.' },
  NUMBERS_CLASH: {
    status: 409,
    en: 'Another service could give the same ticket numbers: change this service\'s prefix or number of digits.',
    vi: 'Lĩnh vực này có thể cấp trùng số vé với một lĩnh vực khác: hãy đổi tiền tố hoặc số chữ số của số vé.',
  },
  TICKET_NOT_FOUND: { status: 404, en: 'This ticket does not exist.', vi: 'Không có số thứ tự này.' },
  COUNTER_NOT_FOUND: { status: 404, en: 'This counter does not exist.', vi: 'Không có quầy này.' },
  DEVICE_NOT_FOUND: { status: 404, en: 'This device does not exist.', vi: 'Không có thiết bị này.' },
  USERNAME_TAKEN: { status: 409, en: 'This username is already taken.', vi: 'Tên đăng nhập đã có người dùng.' },
  SERVICE_CLOSED: { status: 409, en: 'This service is closed now.', vi: 'Lĩnh vực này hiện không nhận hồ sơ.' },
  DAILY_LIMIT_REACHED: {
    status: 409,
    en: 'This service has given out all of today’s numbers.',
    vi: 'Lĩnh vực này đã hết số thứ tự trong ngày.',
  },
  COUNTER_TAKEN: { status: 409, en: 'Another officer is working at this counter.', vi: 'Quầy này đang có cán bộ khác làm việc.' },
  COUNTER_NOT_OPEN: { status: 409, en: 'Open the counter first.', vi: 'Vui lòng mở quầy trước.' },
  COUNTER_PAUSED: { status: 409, en: 'The counter is paused: press Resume to call again.', vi: 'Quầy đang tạm dừng: nhấn Tiếp tục để gọi số.' },
  NO_CURRENT_TICKET: { status: 409, en: 'No citizen is being served at this counter.', vi: 'Quầy chưa gọi số nào.' },
  TICKET_NOT_WAITING: { status: 409, en: 'This ticket is not waiting any more.', vi: 'Số này không còn trong hàng chờ.' },
  INVALID_TRANSITION: { status: 409, en: 'This ticket cannot do that now.', vi: 'Không thể thực hiện thao tác này với số hiện tại.' },
  SERVICE_NOT_SERVED: { status: 409, en: 'This counter does not serve that service.', vi: 'Quầy này không phục vụ lĩnh vực đó.' },
  STALE_REQUEST: {
    status: 409,
    en: 'The counter changed before this action arrived (a second press or another open tab). The screen now shows the current state; check it and try again.',
    vi: 'Quầy đã thay đổi trước khi thao tác này đến (bấm hai lần hoặc mở hai cửa sổ). Màn hình đã cập nhật trạng thái mới; vui lòng kiểm tra rồi thao tác lại.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    en: 'This request key was already used for a different request.',
    vi: 'Mã yêu cầu này đã được dùng cho một yêu cầu khác.',
  },
  ISSUE_ABANDONED: {
    status: 409,
    en: 'The kiosk gave up on this ticket request, so no number was issued for it. Please take a new number.',
    vi: 'Máy lấy số đã hủy yêu cầu này nên không cấp số. Vui lòng lấy số mới.',
  },
  NOT_YOUR_COUNTER: {
    status: 403,
    en: 'Only the officer working at that counter, or an administrator, can do this.',
    vi: 'Chỉ cán bộ đang làm việc tại quầy đó hoặc quản trị viên mới được thực hiện thao tác này.',
  },
  USERNAME_CONFUSABLE: {
    status: 409,
    en: 'This username looks too much like an existing one.',
    vi: 'Tên đăng nhập này quá giống một tên đã có.',
  },
  TOO_MANY_REQUESTS: { status: 429, en: 'Too many attempts. Please wait a moment.', vi: 'Thao tác quá nhiều lần. Vui lòng chờ một lát.' },
  STORAGE_FULL: {
    status: 503,
    en: 'The server’s disk is full, so nothing new can be saved. Staff have been alerted; please wait.',
    vi: 'Ổ đĩa của máy chủ đã đầy nên không lưu được dữ liệu mới. Cán bộ đã được báo; vui lòng chờ.',
  },
  STORAGE_ERROR: {
    status: 503,
    en: 'The server cannot read its data right now. Staff have been alerted.',
    vi: 'Máy chủ hiện không đọc được dữ liệu. Cán bộ đã được báo.',
  },
  SERVER_RESTARTING: {
    status: 503,
    en: 'The server is restarting. Please try again in a moment.',
    vi: 'Máy chủ đang khởi động lại. Vui lòng thử lại sau giây lát.',
  },
  INTERNAL: { status: 500, en: 'Something went wrong on the server.', vi: 'Máy chủ gặp sự cố.' },
});

export type ErrorCode = keyof typeof ERRORS;

export interface ApiErrorBody extends ErrorBodyOf<ErrorCode> {
  /** Which input fields were wrong, for INVALID_INPUT. */
  issues?: { path: string; message: string }[];
}

export function errorBody(code: ErrorCode, detail?: string): ApiErrorBody {
  return catalogueErrorBody(ERRORS, code, detail);
}
