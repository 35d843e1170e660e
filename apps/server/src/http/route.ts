import type { FileDownload, ParsedBody, ParsedParams, ParsedQuery, RouteAnswer, RouteDef } from '@luot/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { AppError } from '../errors.js';
import type { Actor } from '../queue/actor.js';
import { parseInput } from '../validate.js';

/** Who the handler acts for: a signed-in actor, or (open routes) whoever asked. */
export type ActorOf<R extends RouteDef> = R['roles'] extends 'public' ? Actor | null : Actor;

export interface RouteCall<R extends RouteDef> {
  actor: ActorOf<R>;
  params: ParsedParams<R>;
  query: ParsedQuery<R>;
  body: ParsedBody<R>;
  req: FastifyRequest;
  reply: FastifyReply;
}

/** A file route answers with the reply it has sent; a 204 route with nothing; the others with their answer. */
export type HandlerResult<R extends RouteDef> = RouteAnswer<R> extends FileDownload ? FastifyReply : RouteAnswer<R>;

export type RouteHandler<R extends RouteDef> = (call: RouteCall<R>) => HandlerResult<R> | Promise<HandlerResult<R>>;

export interface RouteOptions<R extends RouteDef> {
  /** Fastify's own route options (a body limit, an onRequest hook). */
  fastify?: Pick<RouteShorthandOptions, 'bodyLimit' | 'onRequest'>;
  /** Parses the body instead of the table's schema, to the same type (a form whose refusals name each field). */
  parseBody?: (raw: unknown) => ParsedBody<R>;
}

/** 401 without a valid token, 403 with a role the route does not list. */
function actorFor<R extends RouteDef>(req: FastifyRequest, def: R): ActorOf<R>;
function actorFor(req: FastifyRequest, def: RouteDef): Actor | null {
  if (def.roles === 'public') return req.actor;
  if (!req.actor) throw new AppError('UNAUTHORIZED');
  if (!def.roles.includes(req.actor.role)) throw new AppError('FORBIDDEN', def.refusedRole);
  return req.actor;
}

/**
 * Registers one route of the protocol's table (packages/protocol/src/routes.ts): its method and
 * path, the role check, and the parsing of params, query and body (INVALID_INPUT with the fields
 * named), in that order, before the handler runs; the handler's answer is typed by the table, and
 * the success status is the table's. Handlers only translate to a use case and back; ownership
 * (the officer of that counter) is the use case's to check.
 */
export function route<R extends RouteDef>(
  app: FastifyInstance,
  def: R,
  // NoInfer: the entry alone decides R, so an answer's literal types ({status: 'ok'}) are checked against the table's.
  handler: NoInfer<RouteHandler<R>>,
  opts: NoInfer<RouteOptions<R>> = {},
): void {
  app.route({
    method: def.method,
    url: def.path,
    ...opts.fastify,
    handler: async (req, reply) => {
      const actor = actorFor(req, def);
      // Each value is what R's types say (the schema that parses it is R's own); the compiler
      // cannot follow a run-time check on `def` into the conditional types, hence the assertions.
      const params = (def.params ? parseInput(def.params, req.params) : undefined) as ParsedParams<R>;
      const query = (def.query ? parseInput(def.query, req.query) : undefined) as ParsedQuery<R>;
      const raw = def.optionalBody ? (req.body ?? {}) : req.body;
      const body = (opts.parseBody ? opts.parseBody(raw) : def.body && 'parse' in def.body ? parseInput(def.body, raw) : def.body ? raw : undefined) as ParsedBody<R>;
      if (def.status !== undefined && def.status !== 204) void reply.status(def.status);
      const out = await handler({ actor, params, query, body, req, reply });
      if (def.answer.kind === 'empty') return reply.status(204).send();
      return out;
    },
  });
}
