import { ApiError, createHttpClient, randomKey, type RetryOptions } from '@luot/client';
import { ROUTES, type AbandonIssueResult, type CccdCheckInBody, type Device, type LoginResult, type ServerPrintOutcome, type Ticket } from '@luot/protocol';

/**
 * The few HTTP calls the kiosk makes, same origin as the page (the server serves /kiosk), through
 * @luot/client's HTTP client: each has a timeout (a kiosk must never hang on "Đang in số…"
 * because a request went into the void) and fails with the one ApiError. Each names its route in
 * the protocol's table, which types what it sends and what it gets back.
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
  /**
   * The kiosk gave up on the tap with this key (no answer within the retry window): its ticket,
   * if the server issued one after all, is cancelled; if none, a late request with the key is
   * refused. One try; the caller (abandoned-taps.ts) repeats it until answered.
   */
  abandonIssue(idempotencyKey: string): Promise<AbandonIssueResult>;
  /** The server prints it (plain-browser kiosks): printed, or why not. */
  printOnServer(ticketId: string): Promise<ServerPrintOutcome>;
  /** The ticket as it is after the failure: cancelled, or kept (the center shows unprinted tickets). */
  printFailed(ticketId: string, code: string): Promise<Ticket>;
  alert(a: { code: string; message: string; messageVi: string; active: boolean }): Promise<void>;
  login(username: string, password: string): Promise<LoginResult>;
  registerKiosk(adminToken: string, name: string): Promise<Device>;
}

export interface ApiClientOptions {
  baseUrl?: string;
  token: () => string | null;
  /** Each try (default 8 s). */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  /** How long one tap may keep retrying its issue request (default 20 s). */
  issueRetry?: RetryOptions;
}

/**
 * How long the kiosk waits for the server to print a ticket: longer than the server's own budget
 * for the whole job (10 s, apps/server/src/printing/ticket-printing.ts FINISH_WITHIN_MS, its wait
 * in line behind other kiosks' tickets included), so the kiosk hears what the printer said rather
 * than giving up while the paper may still come out.
 */
export const PRINT_TIMEOUT_MS = 12_000;

export function createApiClient(opts: ApiClientOptions): ApiClient {
  const http = createHttpClient({
    ...(opts.baseUrl !== undefined ? { baseUrl: opts.baseUrl } : {}),
    token: opts.token,
    timeoutMs: opts.timeoutMs ?? 8000,
    ...(opts.fetchImpl ? { fetch: opts.fetchImpl } : {}),
  });

  return {
    issueTicket: (serviceId, priority, idempotencyKey, checkIn) =>
      http.callIdempotent(ROUTES.issueTicket, {
        body: { serviceId, priority, ...(checkIn ? { checkIn } : {}) },
        idempotencyKey,
        deadlineMs: 20_000,
        ...opts.issueRetry,
      }),
    abandonIssue: (idempotencyKey) => http.call(ROUTES.abandonIssue, { body: { idempotencyKey } }),
    printOnServer: (ticketId) => http.call(ROUTES.printTicket, { params: { id: ticketId }, body: {}, timeoutMs: PRINT_TIMEOUT_MS }),
    printFailed: async (ticketId, code) => (await http.call(ROUTES.printFailed, { params: { id: ticketId }, body: { code } })).ticket,
    async alert(a) {
      await http.call(ROUTES.reportAlert, { body: a });
    },
    login: (username, password) => http.call(ROUTES.login, { body: { username, password }, token: null }),
    registerKiosk: (adminToken, name) => http.call(ROUTES.createDevice, { body: { kind: 'kiosk', name }, token: adminToken }),
  };
}
