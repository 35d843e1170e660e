import type { ApiErrorBody } from '@luot/protocol';
import { ERRORS } from '@luot/protocol';

/**
 * A failed API call, carrying the server's error body so screens can show `messageVi` first and
 * `message` second. Network failures get a code of their own (the server is on the LAN: when it
 * is unreachable, say so rather than "something went wrong").
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Pick<ApiErrorBody, 'code' | 'message' | 'messageVi'> | { code: 'NETWORK'; message: string; messageVi: string },
  ) {
    super(body.message);
  }
  get code(): string {
    return this.body.code;
  }
}

const NETWORK_ERROR = {
  code: 'NETWORK' as const,
  message: 'Cannot reach the server.',
  messageVi: 'Không kết nối được máy chủ.',
};

/** Same origin: the server serves this page, so `/api/v1` is always beside it. */
export async function api<T>(method: 'GET' | 'POST', path: string, opts: { token?: string | null; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: opts.body === undefined ? null : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, NETWORK_ERROR);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // A non-JSON answer (a proxy's HTML error page): fall through to the status-based error.
  }
  if (!res.ok) throw new ApiError(res.status, errorFrom(res.status, json));
  return json as T;
}

function errorFrom(status: number, json: unknown): ApiError['body'] {
  const e = (json as { error?: Partial<ApiErrorBody> } | null)?.error;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    return { code: e.code, message: e.message, messageVi: e.messageVi ?? e.message };
  }
  const code = status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : 'INTERNAL';
  return { code, message: ERRORS[code].en, messageVi: ERRORS[code].vi };
}

/** Any thrown value as something a screen can show. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(0, { code: 'INTERNAL', message: String((e as Error)?.message ?? e), messageVi: ERRORS.INTERNAL.vi });
}
