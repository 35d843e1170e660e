import type { Device, LoginResult, Ticket } from '@luot/protocol';

/**
 * The few HTTP calls the kiosk makes, same origin as the page (the server serves /kiosk). Each
 * has a timeout: a kiosk must never hang on "Đang in số…" because a request went into the void.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** A code from the server's catalogue, or NETWORK / TIMEOUT when no answer came. */
    readonly code: string,
    message: string,
    readonly messageVi: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClient {
  issueTicket(serviceId: number, priority: boolean, idempotencyKey: string): Promise<Ticket>;
  printOnServer(ticketId: string): Promise<ServerPrintResult>;
  printFailed(ticketId: string, code: string): Promise<Ticket | null>;
  alert(a: { code: string; message: string; messageVi: string; active: boolean }): Promise<void>;
  login(username: string, password: string): Promise<LoginResult>;
  registerKiosk(adminToken: string, name: string): Promise<Device>;
}

/** What `POST /api/v1/tickets/:id/print` answers (apps/server/src/printing). */
export type ServerPrintResult = { printed: true; duplicate?: boolean } | { printed: false; code: string; message?: string };

export function createApiClient(opts: { baseUrl?: string; token: () => string | null; timeoutMs?: number; fetchImpl?: typeof fetch }): ApiClient {
  const base = (opts.baseUrl ?? '').replace(/\/+$/, '') + '/api/v1';
  const timeoutMs = opts.timeoutMs ?? 8000;
  const f = opts.fetchImpl ?? ((...a: Parameters<typeof fetch>) => fetch(...a));

  async function call<T>(method: string, path: string, body?: unknown, extra: { token?: string; headers?: Record<string, string> } = {}): Promise<T> {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), timeoutMs);
    const token = extra.token ?? opts.token();
    const headers: Record<string, string> = { ...extra.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await f(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: ctrl.signal });
    } catch (e) {
      const aborted = (e as Error).name === 'AbortError';
      throw new ApiError(0, aborted ? 'TIMEOUT' : 'NETWORK', aborted ? 'The server did not answer in time.' : 'Cannot reach the server.', 'Không kết nối được máy chủ.');
    } finally {
      clearTimeout(timer);
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // A proxy's HTML error page: fall through to the generic error below.
    }
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string; messageVi?: string } } | null)?.error;
      throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? res.statusText, err?.messageVi ?? 'Máy chủ gặp sự cố.');
    }
    return json as T;
  }

  return {
    issueTicket: (serviceId, priority, idempotencyKey) =>
      // The key lets the server answer a retried request with the ticket it already issued
      // (a lost response must not become a second ticket); a server that ignores it is no worse off.
      call<Ticket>('POST', '/tickets', { serviceId, priority }, { headers: { 'idempotency-key': idempotencyKey } }),
    printOnServer: (ticketId) => call<ServerPrintResult>('POST', `/tickets/${encodeURIComponent(ticketId)}/print`, {}),
    async printFailed(ticketId, code) {
      const r = await call<Ticket | { ticket: Ticket } | null>('POST', `/tickets/${encodeURIComponent(ticketId)}/print-failed`, { code });
      if (r && typeof r === 'object' && 'ticket' in r) return r.ticket;
      return (r as Ticket | null) ?? null;
    },
    async alert(a) {
      await call<unknown>('POST', '/alerts', a);
    },
    login: (username, password) => call<LoginResult>('POST', '/auth/login', { username, password }, { token: '' }),
    registerKiosk: (adminToken, name) => call<Device>('POST', '/devices', { kind: 'kiosk', name }, { token: adminToken }),
  };
}

/** A random key without crypto.randomUUID, which browsers hide on plain-http LAN pages. */
export function randomKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
