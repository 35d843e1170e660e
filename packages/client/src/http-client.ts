import type { Answer, ErrorCode, FileDownload, RouteAnswer, RouteDef, RouteInput } from '@luot/protocol';
import { ERRORS, routePath } from '@luot/protocol';
import { backoffDelay, systemTiming, type BackoffPolicy, type Timing } from './timing.js';

/** A code of the server's catalogue, or NETWORK / TIMEOUT when no answer came. */
export type ApiErrorCode = ErrorCode | 'NETWORK' | 'TIMEOUT';

export interface ApiErrorBody {
  /** A newer server may answer a code this build does not know yet: still a string to show. */
  code: ApiErrorCode | (string & {});
  message: string;
  messageVi: string;
  /** Which input fields were wrong, for INVALID_INPUT. */
  issues?: { path: string; message: string }[];
}

/** The texts of the two "no answer" codes, Vietnamese first. */
export const NO_ANSWER = {
  NETWORK: { en: 'Cannot reach the server.', vi: 'Không kết nối được máy chủ.' },
  TIMEOUT: { en: 'The server did not answer in time.', vi: 'Máy chủ không trả lời kịp.' },
} as const;

/**
 * Every failed API call, on every screen: the HTTP status (0 when no answer came), the code
 * screens switch on, and the message in English and Vietnamese (screens show `messageVi` first).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorBody['code'];
  readonly messageVi: string;
  readonly issues: ApiErrorBody['issues'];

  constructor(status: number, body: ApiErrorBody);
  /** @deprecated The kiosk's old form; use `new ApiError(status, { code, message, messageVi })`. */
  constructor(status: number, code: string, message: string, messageVi: string);
  constructor(status: number, bodyOrCode: ApiErrorBody | string, message?: string, messageVi?: string) {
    const body: ApiErrorBody = typeof bodyOrCode === 'string' ? { code: bodyOrCode, message: message ?? bodyOrCode, messageVi: messageVi ?? message ?? bodyOrCode } : bodyOrCode;
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.messageVi = body.messageVi;
    this.issues = body.issues;
  }

  /** The error as the server's `{ error: ... }` body carries it. */
  get body(): ApiErrorBody {
    return { code: this.code, message: this.message, messageVi: this.messageVi, ...(this.issues ? { issues: this.issues } : {}) };
  }

  /** No answer came: the request may or may not have reached the server. */
  get noAnswer(): boolean {
    return this.code === 'NETWORK' || this.code === 'TIMEOUT';
  }
}

/** Any thrown value as something a screen can show. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new ApiError(0, { code: 'INTERNAL', message: message || ERRORS.INTERNAL.en, messageVi: ERRORS.INTERNAL.vi });
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface HttpClientOptions {
  /** The server's origin (`http://10.0.0.2:8080`); omitted: the page's own (same-origin paths). */
  baseUrl?: string;
  /** The bearer token for each request, read at the time of the request; none when it gives null. */
  token?: () => string | null | undefined;
  /** No answer within this long is a TIMEOUT (default 10 s: a screen must never hang on a request). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  /** Sent as JSON; bytes (a WAV file) are sent as they are, as application/octet-stream. */
  body?: unknown;
  /** This token instead of the client's (null or '': none, as for signing in). */
  token?: string | null;
  headers?: Record<string, string>;
  timeoutMs?: number;
  accept?: string;
}

/** What a route's call resolves with: its answer, or for a file download the raw Response. */
export type CallResult<R extends RouteDef> = RouteAnswer<R> extends FileDownload ? Response : RouteAnswer<R>;
/** A route's input (path parameters, query, body: typed by the table) and the request's own options. */
export type CallOptions<R extends RouteDef> = RouteInput<R> & Omit<RequestOptions, 'body'>;
/** A route whose answer is a file (CSV, Excel, a voice file). */
export type FileRoute = RouteDef & { readonly answer: Answer<FileDownload> };
/** The input may be left out when the route needs none. */
export type CallArgs<R extends RouteDef> = Record<never, never> extends RouteInput<R> ? [input?: CallOptions<R>] : [input: CallOptions<R>];

export interface HttpClient {
  /**
   * A route of the protocol's table (`ROUTES.x`), typed end to end by it: its path parameters,
   * query and body in, its answer out (a file route: the raw Response). Rejects with ApiError.
   */
  call<R extends RouteDef>(route: R, ...input: CallArgs<R>): Promise<CallResult<R>>;
  /** A file route's raw Response (for a download). */
  download<R extends FileRoute>(route: R, ...input: CallArgs<R>): Promise<Response>;
  /** `call` with an `Idempotency-Key`, retried while no answer comes: see `requestIdempotent`. */
  callIdempotent<R extends RouteDef>(route: R, input: CallOptions<R> & { idempotencyKey: string } & RetryOptions): Promise<RouteAnswer<R>>;
  /** A JSON request; resolves with the parsed answer (null for an empty one), rejects with ApiError. */
  request<T>(method: Method, path: string, opts?: RequestOptions): Promise<T>;
  /** The raw successful response (for downloads); rejects with ApiError like `request`. */
  response(method: Method, path: string, opts?: RequestOptions): Promise<Response>;
  /**
   * A request that is safe to repeat because it carries an `Idempotency-Key` (the server answers
   * a repeat with what the first one did): retried with the same key while no answer comes
   * (NETWORK, TIMEOUT) or the server fails (5xx), until `deadlineMs`. See `retryUntilAnswered`.
   */
  requestIdempotent<T>(method: Method, path: string, opts: RequestOptions & { idempotencyKey: string } & RetryOptions): Promise<T>;
}

/** Requests go to `${baseUrl}/api/v1${path}`. */
export function createHttpClient(opts: HttpClientOptions = {}): HttpClient {
  const base = `${(opts.baseUrl ?? '').replace(/\/+$/, '')}/api/v1`;
  const defaultTimeout = opts.timeoutMs ?? 10_000;
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  /** Sends, and turns "no answer" into NETWORK / TIMEOUT. `done` ends the timeout once the caller has the body. */
  async function send(method: Method, path: string, o: RequestOptions, accept: string): Promise<{ res: Response; done: () => void }> {
    const headers: Record<string, string> = { accept, ...o.headers };
    const token = o.token !== undefined ? o.token : opts.token?.();
    if (token) headers.authorization = `Bearer ${token}`;
    const bytes = o.body instanceof Uint8Array ? o.body.slice() : null;
    if (o.body !== undefined) headers['content-type'] = bytes ? 'application/octet-stream' : 'application/json';
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, o.timeoutMs ?? defaultTimeout);
    const done = () => clearTimeout(timer);
    try {
      const res = await doFetch(base + path, { method, headers, body: bytes ?? (o.body === undefined ? null : JSON.stringify(o.body)), signal: ctrl.signal });
      return { res, done };
    } catch {
      done();
      const code = timedOut ? 'TIMEOUT' : 'NETWORK';
      throw new ApiError(0, { code, message: NO_ANSWER[code].en, messageVi: NO_ANSWER[code].vi });
    }
  }

  async function readText(res: Response, done: () => void): Promise<string> {
    try {
      return await res.text();
    } catch {
      // The connection broke (or the timeout fired) halfway through the answer.
      throw new ApiError(0, { code: 'NETWORK', message: NO_ANSWER.NETWORK.en, messageVi: NO_ANSWER.NETWORK.vi });
    } finally {
      done();
    }
  }

  async function response(method: Method, path: string, o: RequestOptions = {}): Promise<Response> {
    const { res, done } = await send(method, path, o, o.accept ?? '*/*');
    if (res.ok) {
      done();
      return res;
    }
    throw errorFrom(res.status, parseJson(await readText(res, done)));
  }

  async function request<T>(method: Method, path: string, o: RequestOptions = {}): Promise<T> {
    const { res, done } = await send(method, path, o, o.accept ?? 'application/json');
    const json = parseJson(await readText(res, done));
    if (!res.ok) throw errorFrom(res.status, json);
    return json as T;
  }

  /** The route's path with its parameters and query, and the request options without them. */
  function routeRequest(route: RouteDef, input: RequestOptions & { params?: Record<string, string | number> | undefined; query?: object | undefined } = {}) {
    const { params, query, ...opts } = input;
    return { path: routePath(route, params, query), opts };
  }

  function requestIdempotent<T>(method: Method, path: string, o: RequestOptions & { idempotencyKey: string } & RetryOptions) {
      const { idempotencyKey, deadlineMs, policy, timing, isRetryable, onRetry, ...rest } = o;
      const retry: RetryOptions = {
        ...(deadlineMs !== undefined ? { deadlineMs } : {}),
        ...(policy ? { policy } : {}),
        ...(timing ? { timing } : {}),
        ...(isRetryable ? { isRetryable } : {}),
        ...(onRetry ? { onRetry } : {}),
      };
      return retryUntilAnswered(
        // Each try ends by the deadline at the latest.
        (remainingMs) => request<T>(method, path, { ...rest, timeoutMs: Math.max(1, Math.min(rest.timeoutMs ?? defaultTimeout, remainingMs)), headers: { ...rest.headers, 'idempotency-key': idempotencyKey } }),
        retry,
      );
  }

  return {
    request,
    response,
    requestIdempotent,
    call<R extends RouteDef>(route: R, ...[input]: CallArgs<R>): Promise<CallResult<R>> {
      const { path, opts: o } = routeRequest(route, input);
      // The table says what the answer is; the server is what the table describes.
      return (route.answer.kind === 'file' ? response(route.method, path, o) : request(route.method, path, o)) as Promise<CallResult<R>>;
    },
    download<R extends FileRoute>(route: R, ...[input]: CallArgs<R>) {
      const { path, opts: o } = routeRequest(route, input);
      return response(route.method, path, o);
    },
    callIdempotent<R extends RouteDef>(route: R, input: CallOptions<R> & { idempotencyKey: string } & RetryOptions) {
      const { path, opts: o } = routeRequest(route, input);
      return requestIdempotent<RouteAnswer<R>>(route.method, path, { ...o, idempotencyKey: input.idempotencyKey });
    },
  };
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML error page): the status decides.
    return null;
  }
}

/** The server's `{ error: { code, message, messageVi } }`, or an error named after the status. */
export function errorFrom(status: number, json: unknown): ApiError {
  const e = json !== null && typeof json === 'object' && 'error' in json ? (json as { error: unknown }).error : null;
  if (e !== null && typeof e === 'object') {
    const { code, message, messageVi, issues } = e as Record<string, unknown>;
    if (typeof code === 'string' && typeof message === 'string') {
      return new ApiError(status, {
        code,
        message,
        messageVi: typeof messageVi === 'string' ? messageVi : message,
        ...(Array.isArray(issues) ? { issues: issues.map((i: unknown) => ({ path: String((i as { path?: unknown })?.path ?? ''), message: String((i as { message?: unknown })?.message ?? '') })) } : {}),
      });
    }
  }
  const code: ErrorCode =
    status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : status === 429 ? 'TOO_MANY_REQUESTS' : status === 503 ? 'SERVER_RESTARTING' : status >= 400 && status < 500 ? 'INVALID_INPUT' : 'INTERNAL';
  return new ApiError(status, { code, message: ERRORS[code].en, messageVi: ERRORS[code].vi });
}

// ---- idempotent retries ----

export interface RetryOptions {
  /** Give up this long after the first try (default 20 s). */
  deadlineMs?: number;
  /** Waits between tries (default 0.5 s doubling to 3 s, with jitter). */
  policy?: BackoffPolicy;
  timing?: Timing;
  /** Which failures are worth another try (default: `isWorthRetrying`). */
  isRetryable?: (e: ApiError) => boolean;
  /** Told before each new try (a screen may say "still trying"). */
  onRetry?: (info: { attempt: number; error: ApiError; delayMs: number }) => void;
}

export const RETRY_POLICY: BackoffPolicy = { firstDelayMs: 500, factor: 2, maxDelayMs: 3000, jitter: 0.3 };

/** No answer, or the server failed: the same request (same key) may well succeed a moment later. */
export function isWorthRetrying(e: ApiError): boolean {
  return e.noAnswer || e.status >= 500;
}

/**
 * Repeats `attempt` (given the time left) until it answers, fails with an error that is not
 * worth retrying (a refusal such as 409 or 429 is an answer), or `deadlineMs` passes. Only for
 * requests that are idempotent by construction (an `Idempotency-Key`): a lost answer followed by
 * a retry must return what the first try did, not do it twice. Giving up throws an ApiError with
 * the last code and a message that says the server did not answer.
 */
export async function retryUntilAnswered<T>(attempt: (remainingMs: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const timing = opts.timing ?? systemTiming;
  const deadlineMs = opts.deadlineMs ?? 20_000;
  const policy = opts.policy ?? RETRY_POLICY;
  const retryable = opts.isRetryable ?? isWorthRetrying;
  const start = timing.now();
  for (let n = 0; ; n++) {
    const remaining = deadlineMs - (timing.now() - start);
    let error: ApiError;
    try {
      return await attempt(remaining);
    } catch (e) {
      error = toApiError(e);
    }
    if (!retryable(error)) throw error;
    const delayMs = backoffDelay(n, policy, timing.random);
    if (timing.now() - start + delayMs >= deadlineMs) throw gaveUp(error, deadlineMs);
    opts.onRetry?.({ attempt: n + 1, error, delayMs });
    await new Promise<void>((resolve) => timing.setTimeout(resolve, delayMs));
  }
}

function gaveUp(last: ApiError, deadlineMs: number): ApiError {
  const s = Math.round(deadlineMs / 1000);
  return new ApiError(last.status, {
    code: last.code,
    message: `The server did not answer, after trying again for ${s} s (${last.code}). Please try again, or ask a staff member.`,
    messageVi: `Máy chủ không trả lời dù đã thử lại trong ${s} giây (${last.code}). Vui lòng thử lại hoặc báo cán bộ.`,
  });
}
