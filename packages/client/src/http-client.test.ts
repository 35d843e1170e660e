import { ROUTES } from '@luot/protocol';
import { describe, expect, it } from 'vitest';
import { ApiError, createHttpClient, retryUntilAnswered, toApiError } from './http-client.js';
import { FakeTiming } from './test-support.js';

/** A fetch that answers from a list and records each request. */
function fakeFetch(answers: (() => Promise<Response>)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const f = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    calls.push({ url: String(input), init: init ?? {} });
    const next = answers.shift();
    if (!next) throw new Error('no answer left');
    return next();
  };
  return { fetch: f as typeof fetch, calls };
}
const json = (status: number, body: unknown) => () => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
const down = () => Promise.reject(new TypeError('fetch failed'));
/** Never answers; rejects like fetch does when its signal aborts. */
const hang = (init?: RequestInit) =>
  new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
const headersOf = (init: RequestInit) => init.headers as Record<string, string>;

/** Runs `p` to the end, moving the fake clock to each timer it waits on. */
async function settle<T>(p: Promise<T>, timing: FakeTiming): Promise<T> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 1000 && !done; i++) {
    await new Promise((r) => setTimeout(r, 0));
    const next = timing.pending()[0];
    if (!done && next !== undefined) timing.advance(next);
  }
  return p;
}

describe('createHttpClient', () => {
  it('sends JSON to /api/v1 on the base URL with the bearer token of the moment', async () => {
    let token: string | null = 'tok-1';
    const f = fakeFetch([json(200, { ok: 1 }), json(200, null), json(200, {})]);
    const http = createHttpClient({ baseUrl: 'http://10.0.0.2:8080/', token: () => token, fetch: f.fetch });
    expect(await http.request('POST', '/tickets', { body: { serviceId: 1 } })).toEqual({ ok: 1 });
    expect(f.calls[0]?.url).toBe('http://10.0.0.2:8080/api/v1/tickets');
    expect(f.calls[0]?.init.body).toBe('{"serviceId":1}');
    expect(headersOf(f.calls[0]!.init)).toMatchObject({ authorization: 'Bearer tok-1', 'content-type': 'application/json', accept: 'application/json' });
    token = null;
    await http.request('GET', '/services');
    expect(headersOf(f.calls[1]!.init).authorization).toBeUndefined();
    token = 'tok-2';
    await http.request('POST', '/auth/login', { token: '', body: {} });
    expect(headersOf(f.calls[2]!.init).authorization).toBeUndefined();
  });

  it('turns the server\'s error body into one ApiError (code, message, messageVi, issues)', async () => {
    const body = { error: { code: 'INVALID_INPUT', message: 'The request is not valid. name: required', messageVi: 'Yêu cầu không hợp lệ.', issues: [{ path: 'name', message: 'required' }] } };
    const http = createHttpClient({ fetch: fakeFetch([json(400, body)]).fetch });
    const e = await http.request('POST', '/admin/services').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 400, code: 'INVALID_INPUT', message: body.error.message, messageVi: 'Yêu cầu không hợp lệ.', issues: [{ path: 'name', message: 'required' }] });
    expect((e as ApiError).body).toEqual(body.error);
  });

  it('names an answer that is not ours (a proxy\'s page) after its status, in both languages', async () => {
    const html = (status: number) => () => Promise.resolve(new Response('<html>Bad gateway</html>', { status }));
    const http = createHttpClient({ fetch: fakeFetch([html(502), html(404)]).fetch });
    await expect(http.request('GET', '/x')).rejects.toMatchObject({ status: 502, code: 'INTERNAL', messageVi: 'Máy chủ gặp sự cố.' });
    await expect(http.request('GET', '/x')).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('says NETWORK when the server cannot be reached and TIMEOUT when it does not answer in time', async () => {
    const http = createHttpClient({ fetch: fakeFetch([down]).fetch, timeoutMs: 20 });
    await expect(http.request('GET', '/x')).rejects.toMatchObject({ status: 0, code: 'NETWORK', messageVi: 'Không kết nối được máy chủ.', noAnswer: true });
    const slow = createHttpClient({ fetch: ((_: unknown, init?: RequestInit) => hang(init)) as typeof fetch, timeoutMs: 20 });
    await expect(slow.request('GET', '/x')).rejects.toMatchObject({ status: 0, code: 'TIMEOUT', messageVi: 'Máy chủ không trả lời kịp.', noAnswer: true });
  });

  it('gives the raw response for downloads, and the same ApiError when refused', async () => {
    const http = createHttpClient({ fetch: fakeFetch([() => Promise.resolve(new Response('a,b\n1,2\n', { status: 200 })), json(403, { error: { code: 'FORBIDDEN', message: 'no', messageVi: 'không' } })]).fetch });
    expect(await (await http.response('GET', '/reports/export')).text()).toBe('a,b\n1,2\n');
    await expect(http.response('GET', '/reports/export')).rejects.toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });
});

describe('call: a route of the protocol table', () => {
  it('fills the path parameters, adds the query, sends the body, and gives the answer', async () => {
    const f = fakeFetch([json(200, { ticket: null }), json(200, []), json(200, { id: 3 })]);
    const http = createHttpClient({ token: () => 'tok', fetch: f.fetch });
    expect(await http.call(ROUTES.callNext, { params: { id: 3 }, body: { expectTicketId: null } })).toEqual({ ticket: null });
    expect(f.calls[0]).toMatchObject({ url: '/api/v1/counters/3/call-next', init: { method: 'POST', body: '{"expectTicketId":null}' } });
    await http.call(ROUTES.audit, { query: { limit: 200, kind: 'sign-ins' } });
    expect(f.calls[1]).toMatchObject({ url: '/api/v1/admin/audit?limit=200&kind=sign-ins', init: { method: 'GET', body: null } });
    // A ticket id is encoded into its path; the request's own options (a token) still apply.
    await http.call(ROUTES.setDossierCode, { params: { id: 'a/b c' }, body: { dossierCode: 'HS-1' }, token: 'other' });
    expect(f.calls[2]?.url).toBe('/api/v1/tickets/a%2Fb%20c/dossier-code');
    expect(f.calls[2]?.init.method).toBe('PUT');
    expect(headersOf(f.calls[2]!.init).authorization).toBe('Bearer other');
  });

  it('gives a file route\'s raw Response, and an empty answer (204) as nothing', async () => {
    const f = fakeFetch([() => Promise.resolve(new Response('a;b', { status: 200, headers: { 'content-type': 'text/csv' } })), () => Promise.resolve(new Response(null, { status: 204 }))]);
    const http = createHttpClient({ fetch: f.fetch });
    const res = await http.download(ROUTES.reportCsv, { query: { from: '2026-01-01', to: '2026-01-31' } });
    expect(await res.text()).toBe('a;b');
    expect(f.calls[0]?.url).toBe('/api/v1/admin/reports.csv?from=2026-01-01&to=2026-01-31');
    expect(await http.call(ROUTES.logout)).toBeNull();
  });

  it('retries an idempotent route with its key', async () => {
    const timing = new FakeTiming();
    const f = fakeFetch([down, json(201, { id: 't1' })]);
    const http = createHttpClient({ fetch: f.fetch });
    const t = await settle(http.callIdempotent(ROUTES.issueTicket, { body: { serviceId: 1 }, idempotencyKey: 'key-12345', timing }), timing);
    expect(t).toEqual({ id: 't1' });
    expect(f.calls.map((c) => [c.url, headersOf(c.init)['idempotency-key']])).toEqual([
      ['/api/v1/tickets', 'key-12345'],
      ['/api/v1/tickets', 'key-12345'],
    ]);
  });

  it('sends bytes as they are', async () => {
    const f = fakeFetch([json(200, {})]);
    await createHttpClient({ fetch: f.fetch }).call(ROUTES.installClip, { params: { lang: 'vi', clip: 'chime' }, body: new Uint8Array([82, 73, 70, 70]) });
    expect(headersOf(f.calls[0]!.init)['content-type']).toBe('application/octet-stream');
    expect([...(f.calls[0]!.init.body as Uint8Array)]).toEqual([82, 73, 70, 70]);
  });
});

describe('requestIdempotent / retryUntilAnswered', () => {
  it('retries with the same Idempotency-Key while no answer comes or the server fails, and returns the answer', async () => {
    const timing = new FakeTiming();
    const f = fakeFetch([down, json(503, { error: { code: 'SERVER_RESTARTING', message: 'restarting', messageVi: 'đang khởi động lại' } }), json(500, {}), json(201, { id: 't1' })]);
    const http = createHttpClient({ fetch: f.fetch });
    const retries: string[] = [];
    const ticket = await settle(http.requestIdempotent<{ id: string }>('POST', '/tickets', { body: { serviceId: 1 }, idempotencyKey: 'key-123456', timing, onRetry: (r) => retries.push(r.error.code) }), timing);
    expect(ticket).toEqual({ id: 't1' });
    expect(f.calls.map((c) => headersOf(c.init)['idempotency-key'])).toEqual(['key-123456', 'key-123456', 'key-123456', 'key-123456']);
    expect(retries).toEqual(['NETWORK', 'SERVER_RESTARTING', 'INTERNAL']);
  });

  it('does not retry an answer that is a refusal (closed, limit, rate limit, bad key)', async () => {
    const timing = new FakeTiming();
    for (const [status, code] of [[409, 'SERVICE_CLOSED'], [429, 'TOO_MANY_REQUESTS'], [422, 'INVALID_INPUT']] as const) {
      const f = fakeFetch([json(status, { error: { code, message: code, messageVi: code } })]);
      const http = createHttpClient({ fetch: f.fetch });
      await expect(settle(http.requestIdempotent('POST', '/tickets', { idempotencyKey: 'k-12345678', timing }), timing)).rejects.toMatchObject({ status, code });
      expect(f.calls).toHaveLength(1);
    }
  });

  it('gives up at the deadline with the last code and a message that says the server did not answer', async () => {
    const timing = new FakeTiming();
    let tries = 0;
    const attempt = (remaining: number) => {
      tries++;
      expect(remaining).toBeGreaterThan(0);
      return Promise.reject(new ApiError(0, { code: 'NETWORK', message: 'x', messageVi: 'x' }));
    };
    const e = await settle(retryUntilAnswered(attempt, { timing, deadlineMs: 20_000 }), timing).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'NETWORK', status: 0 });
    expect((e as ApiError).messageVi).toContain('Máy chủ không trả lời');
    expect((e as ApiError).message).toContain('did not answer');
    expect(timing.now()).toBeLessThan(20_000);
    expect(tries).toBeGreaterThan(5);
  });

  it('bounds each try by the time left', async () => {
    const timing = new FakeTiming();
    const given: number[] = [];
    const attempt = (remaining: number) => {
      given.push(remaining);
      timing.advance(8000); // each try takes its whole timeout
      return Promise.reject(new ApiError(0, { code: 'TIMEOUT', message: 'x', messageVi: 'x' }));
    };
    await settle(retryUntilAnswered(attempt, { timing, deadlineMs: 20_000 }), timing).catch(() => undefined);
    expect(given[0]).toBe(20_000);
    expect(given.every((g, i) => i === 0 || g < given[i - 1]!)).toBe(true);
  });
});

describe('toApiError', () => {
  it('keeps an ApiError and wraps anything else', () => {
    const e = new ApiError(409, { code: 'STALE_REQUEST', message: 'm', messageVi: 'v' });
    expect(toApiError(e)).toBe(e);
    expect(toApiError(new Error('boom'))).toMatchObject({ status: 0, code: 'INTERNAL', message: 'boom' });
  });

  it('still accepts the kiosk\'s old four-argument form', () => {
    expect(new ApiError(403, 'FORBIDDEN', 'no', 'không')).toMatchObject({ status: 403, code: 'FORBIDDEN', message: 'no', messageVi: 'không' });
  });
});
