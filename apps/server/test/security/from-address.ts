import { request } from 'node:http';

/**
 * A JSON request to the test server from a chosen loopback source address (127.0.0.0/8 is all
 * loopback on Linux), so tests can be "another machine on the Wi-Fi" without leaving the host.
 */
export function apiFrom(
  baseUrl: string,
  localAddress: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<{ status: number; body: any; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(`/api/v1${path}`, baseUrl);
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        localAddress,
        // A fresh connection per request: keep-alive would reuse another source address's socket.
        agent: false,
        headers: {
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            /* not JSON: keep the text */
          }
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** A sign-in from an address; the password is never logged anywhere by this helper. */
export const signInFrom = (baseUrl: string, address: string, username: string, password: string) =>
  apiFrom(baseUrl, address, 'POST', '/auth/login', { body: { username, password } });
