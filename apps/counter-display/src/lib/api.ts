import { ApiError, createHttpClient, toApiError, type Method } from '@luot/client';

/**
 * The pages' HTTP calls, through @luot/client's one HTTP client: same origin (the server serves
 * these pages, so `/api/v1` is always beside them), a timeout, and one ApiError (status, code,
 * message, messageVi; NETWORK or TIMEOUT when no answer came), which screens show Vietnamese first.
 */
export { ApiError, toApiError };

const http = createHttpClient();

export function api<T>(method: Method, path: string, opts: { token?: string | null; body?: unknown } = {}): Promise<T> {
  return http.request<T>(method, path, { token: opts.token ?? null, ...(opts.body !== undefined ? { body: opts.body } : {}) });
}
