import type { Actor } from '../queue/actor.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who presented the request's token (server.ts's onRequest hook); null without a valid one. */
    actor: Actor | null;
  }
}

/**
 * The token of an `Authorization: Bearer <token>` header; roles are checked by route.ts from the
 * route table. The scheme's name is case-insensitive (RFC 7235 §2.1): `bearer` and `BEARER` work.
 */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^bearer +([A-Za-z0-9_-]{1,200})$/i.exec(header);
  return m ? (m[1] as string) : null;
}
