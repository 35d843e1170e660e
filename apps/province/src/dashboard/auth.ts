import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearer } from '../ingest/keys.js';

/**
 * Province admin sign-in for the dashboard. The secret is the one the admin API takes
 * (PROVINCE_ADMIN_TOKEN): it is checked by asking the admin API itself (an in-process request),
 * so the dashboard accepts exactly what the admin API accepts and never holds the token.
 *
 * A signed-in browser holds a session cookie: 256 random bits, HttpOnly, SameSite=Strict (never
 * sent on a request started by another site), Secure on HTTPS; the province keeps only its
 * SHA-256 and an expiry, in memory (a restart signs everyone out). Scripts call the JSON API
 * with `Authorization: Bearer <PROVINCE_ADMIN_TOKEN>` instead.
 */
export const SESSION_COOKIE = 'luot_province_session';
export const SESSION_TTL_MS = 12 * 3600_000;
const MAX_SESSIONS = 1000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export type TokenCheck = 'ok' | 'wrong' | 'off' | 'unavailable';

export function createAuth(app: FastifyInstance, now: () => number) {
  const sessions = new Map<string, number>(); // sha256(session id) -> expiry (ms)
  // Bearer tokens the admin API accepted, briefly, so a script polling the JSON API does not
  // cost an admin API request each time.
  const accepted = new Map<string, number>();

  async function checkToken(token: string): Promise<TokenCheck> {
    if (!/^[A-Za-z0-9._~+/=-]{1,200}$/.test(token)) return 'wrong';
    const hit = accepted.get(sha256(token));
    if (hit !== undefined && hit > now()) return 'ok';
    const res = await app.inject({ method: 'GET', url: '/api/v1/admin/centers', headers: { authorization: `Bearer ${token}` } });
    if (res.statusCode === 200) {
      if (accepted.size > 100) accepted.clear();
      accepted.set(sha256(token), now() + 60_000);
      return 'ok';
    }
    if (res.statusCode === 503 && res.body.includes('ADMIN_NOT_CONFIGURED')) return 'off';
    if (res.statusCode >= 500) return 'unavailable';
    return 'wrong';
  }

  function cookieOf(req: FastifyRequest): string | null {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === SESSION_COOKIE) return v.join('=');
    }
    return null;
  }

  function sessionValid(req: FastifyRequest): boolean {
    const id = cookieOf(req);
    if (!id) return false;
    const key = sha256(id);
    const exp = sessions.get(key);
    if (exp === undefined) return false;
    if (exp <= now()) {
      sessions.delete(key);
      return false;
    }
    return true;
  }

  const cookieAttrs = (req: FastifyRequest, maxAgeS: number) => `Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${req.protocol === 'https' ? '; Secure' : ''}`;

  return {
    checkToken,
    sessionValid,
    /** Signed in by a session cookie, or a Bearer token the admin API accepts. */
    async allowed(req: FastifyRequest): Promise<boolean> {
      if (sessionValid(req)) return true;
      const token = bearer(req.headers.authorization);
      return token !== null && (await checkToken(token)) === 'ok';
    },
    startSession(req: FastifyRequest, reply: FastifyReply): void {
      const t = now();
      for (const [k, exp] of sessions) if (exp <= t) sessions.delete(k);
      // Oldest first (Map keeps insertion order): a flood of sign-ins cannot grow memory.
      while (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
      const id = randomBytes(32).toString('base64url');
      sessions.set(sha256(id), t + SESSION_TTL_MS);
      reply.header('set-cookie', `${SESSION_COOKIE}=${id}; ${cookieAttrs(req, SESSION_TTL_MS / 1000)}`);
    },
    endSession(req: FastifyRequest, reply: FastifyReply): void {
      const id = cookieOf(req);
      if (id) sessions.delete(sha256(id));
      reply.header('set-cookie', `${SESSION_COOKIE}=; ${cookieAttrs(req, 0)}`);
    },
  };
}
export type Auth = ReturnType<typeof createAuth>;

/**
 * A form POST must come from the dashboard's own pages (with SameSite=Strict, a second wall
 * against cross-site request forgery). Browsers say where a request started: Sec-Fetch-Site
 * (every current browser) decides; without it, the Origin header must name this host.
 */
export function sameOrigin(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin';
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return true; // not a browser (a script holding the token)
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false; // "null" (a sandboxed or privacy-stripped origin) or garbage
  }
}

/** A path on this site to return to after signing in (never another site: no open redirect). */
export const localPath = (p: unknown): string => (typeof p === 'string' && /^\/(?![/\\])[^\s]*$/.test(p) ? p : '/');
