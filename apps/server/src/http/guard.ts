import type { Actor } from '../queue/actor.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who presented the request's token (server.ts's onRequest hook); null without a valid one. */
    actor: Actor | null;
  }
}

/** The token of an `Authorization: Bearer <token>` header; roles are checked by route.ts from the route table. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
  return m ? (m[1] as string) : null;
}
