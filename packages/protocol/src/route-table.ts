import type { z } from 'zod';
import type { Role } from './schemas.js';

/**
 * What a route table entry is (routes.ts holds the entries): the one definition of an HTTP route
 * that the server registers it from (apps/server/src/http/route.ts), the shared client calls it
 * with (@luot/client `call`), the role matrix tests and docs/api.md lists. No zod value is
 * imported here, so pages that must stay small can use these types alone.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Who may call: anyone ('public'), or a signed-in person or device with one of these roles. */
export type Access = 'public' | readonly Role[];

/**
 * The answer of a route. Most answers are TypeScript types, not zod schemas (the server builds
 * them, nobody needs to parse them at run time), so the type rides along for the type checker
 * only; `name` is the protocol type's name for the docs.
 */
export interface Answer<T> {
  readonly kind: 'json' | 'file' | 'empty';
  readonly name: string;
  /** Never set: carries T for the type checker. */
  readonly _type?: T;
}

/** A file download (CSV, Excel, a voice file): the client gets the raw Response. */
export interface FileDownload {
  readonly _file: true;
}

/** A body the handler reads itself (raw bytes, a file's JSON judged by its content); T is what a client sends. */
export interface RawBody<T> {
  readonly kind: 'raw';
  readonly name: string;
  readonly _type?: T;
}

export interface RouteDef {
  readonly method: HttpMethod;
  /** Under /api/v1, Fastify's form (`/counters/:id/open`). */
  readonly path: `/${string}`;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType | RawBody<unknown>;
  /** A request without a body is read as `{}` (scripts and clients from before the body existed). */
  readonly optionalBody?: true;
  readonly answer: Answer<unknown>;
  /** The success status (default 200). */
  readonly status?: 200 | 201 | 204;
  readonly roles: Access;
  /** Said (in English, after the catalogue's words) to a signed-in caller whose role is not listed. */
  readonly refusedRole?: string;
  /** Headers the route reads, for the docs. */
  readonly headers?: string;
  /** What the route does, its refusals and rules: the notes column of docs/api.md. */
  readonly doc: string;
}

/** Keeps each entry's literal types (method, path, schemas) while checking it is a RouteDef. */
export const defineRoute = <const R extends RouteDef>(r: R): R => r;

export const json = <T>(name: string): Answer<T> => ({ kind: 'json', name });
export const file = (name: string): Answer<FileDownload> => ({ kind: 'file', name });
export const noContent = (): Answer<void> => ({ kind: 'empty', name: '' });
export const rawBody = <T>(name: string): RawBody<T> => ({ kind: 'raw', name });

// ---- types derived from an entry ----

/** `'id'` for `/counters/:id/open`, `'lang' | 'clip'` for `/voice/:lang/clips/:clip`. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

export type RouteAnswer<R extends RouteDef> = R extends { answer: Answer<infer T> } ? T : never;

/** What the server's handler gets, parsed: the params, query and body schemas' output (a raw body: unknown). */
export type ParsedParams<R extends RouteDef> = R extends { params: infer S extends z.ZodType } ? z.output<S> : undefined;
export type ParsedQuery<R extends RouteDef> = R extends { query: infer S extends z.ZodType } ? z.output<S> : undefined;
export type ParsedBody<R extends RouteDef> = R extends { body: infer S } ? (S extends z.ZodType ? z.output<S> : unknown) : undefined;

/** What a client passes: path parameters by name, the query and body schemas' input. */
type ParamsInput<R extends RouteDef> = [PathParams<R['path']>] extends [never] ? { params?: undefined } : { params: Record<PathParams<R['path']>, string | number> };
type QueryInput<R extends RouteDef> = R extends { query: infer S extends z.ZodType } ? { query: z.input<S> } : { query?: undefined };
type BodyInput<R extends RouteDef> = R extends { body: infer S }
  ? S extends z.ZodType
    ? R extends { optionalBody: true }
      ? { body?: z.input<S> }
      : { body: z.input<S> }
    : S extends RawBody<infer T>
      ? { body: T }
      : never
  : { body?: undefined };
export type RouteInput<R extends RouteDef> = ParamsInput<R> & QueryInput<R> & BodyInput<R>;

/** `/counters/:id/open` with `{ id: 3 }` is `/counters/3/open`; the query, when given, follows. */
export function routePath(route: Pick<RouteDef, 'path'>, params?: Record<string, string | number>, query?: object): string {
  const path = route.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined) throw new Error(`${route.path}: no value for :${name}`);
    return encodeURIComponent(String(v));
  });
  const pairs = Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== null);
  return pairs.length ? `${path}?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}` : path;
}
