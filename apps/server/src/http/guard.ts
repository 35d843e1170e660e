import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { Actor, Role } from '../queue/actor.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** 401 without a valid token, 403 with the wrong role. */
export function requireRole(req: FastifyRequest, ...roles: Role[]): Actor {
  if (!req.actor) throw new AppError('UNAUTHORIZED');
  if (!roles.includes(req.actor.role)) throw new AppError('FORBIDDEN');
  return req.actor;
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
  return m ? (m[1] as string) : null;
}
