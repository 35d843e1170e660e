import { ApiError, createHttpClient, randomKey, type RetryOptions } from '@luot/client';
import type { CccdCheckInBody, Device, LoginResult, Ticket } from '@luot/protocol';

/**
 * The few HTTP calls the kiosk makes, same origin as the page (the server serves /kiosk), through
 * @luot/client's HTTP client: each has a timeout (a kiosk must never hang on "Đang in số…"
 * because a request went into the void) and fails with the one ApiError.
 */
export { ApiError, randomKey };

export interface ApiClient {
  /**
   * Issues a ticket. `idempotencyKey` is made once per tap: the request is retried with that same
   * key while no answer comes or the server fails, so a lost answer (a timeout, a Wi-Fi blip, a
   * server restart) gives back the ticket the server already issued, never a second one.
   * `checkIn`: the four fields of a scanned ID card (issue 16), sent with this request only.
   */
  issueTicket(serviceId: number, priority: boolean, idempotencyKey: string, checkIn?: CccdCheckInBody): Promise<Ticket>;
  printOnServer(ticketId: string): Promise<ServerPrintResult>;
  printFailed(ticketId: string, code: string): Promise<Ticket | null>;
  alert(a: { code: string; message: string; messageVi: string; active: boolean }): Promise<void>;
  login(username: string, password: string): Promise<LoginResult>;
  registerKiosk(adminToken: string, name: string): Promise<Device>;
}

/** What `POST /api/v1/tickets/:id/print` answers (apps/server/src/printing). */
export type ServerPrintResult = { printed: true; duplicate?: boolean } | { printed: false; code: string; message?: string };

export interface ApiClientOptions {
  baseUrl?: string;
  token: () => string | null;
  /** Each try (default 8 s). */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  /** How long one tap may keep retrying its issue request (default 20 s). */
  issueRetry?: RetryOptions;
}

export function createApiClient(opts: ApiClientOptions): ApiClient {
  const http = createHttpClient({
    ...(opts.baseUrl !== undefined ? { baseUrl: opts.baseUrl } : {}),
    token: opts.token,
    timeoutMs: opts.timeoutMs ?? 8000,
    ...(opts.fetchImpl ? { fetch: opts.fetchImpl } : {}),
  });

  return {
    issueTicket: (serviceId, priority, idempotencyKey, checkIn) =>
      http.requestIdempotent<Ticket>('POST', '/tickets', {
        body: { serviceId, priority, ...(checkIn ? { checkIn } : {}) },
        idempotencyKey,
        deadlineMs: 20_000,
        ...opts.issueRetry,
      }),
    printOnServer: (ticketId) => http.request<ServerPrintResult>('POST', `/tickets/${encodeURIComponent(ticketId)}/print`, { body: {} }),
    async printFailed(ticketId, code) {
      const r = await http.request<Ticket | { ticket: Ticket } | null>('POST', `/tickets/${encodeURIComponent(ticketId)}/print-failed`, { body: { code } });
      if (r && typeof r === 'object' && 'ticket' in r) return r.ticket;
      return r ?? null;
    },
    async alert(a) {
      await http.request<unknown>('POST', '/alerts', { body: a });
    },
    login: (username, password) => http.request<LoginResult>('POST', '/auth/login', { body: { username, password }, token: null }),
    registerKiosk: (adminToken, name) => http.request<Device>('POST', '/devices', { body: { kind: 'kiosk', name }, token: adminToken }),
  };
}
