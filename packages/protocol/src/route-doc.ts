import { z } from 'zod';
import type { RouteDef } from './route-table.js';
import { ROUTES } from './routes.js';
import { SOCKET_ACTIONS } from './socket-actions.js';

/**
 * docs/api.md's route table and socket action list, rendered from ROUTES and SOCKET_ACTIONS:
 * `pnpm gen:api-doc` writes them between the markers below, and a test fails when the file
 * differs from what the table renders (apps/server/test/api-doc.test.ts).
 */
export const API_DOC_MARKERS = {
  routes: { begin: '<!-- routes:begin (generated from packages/protocol/src/routes.ts: pnpm gen:api-doc) -->', end: '<!-- routes:end -->' },
  socket: { begin: '<!-- socket-actions:begin (generated from packages/protocol/src/socket-actions.ts: pnpm gen:api-doc) -->', end: '<!-- socket-actions:end -->' },
} as const;

/** `{serviceId, priority?, checkIn?}` from a zod object; a raw body by its description. */
function shapeOf(schema: RouteDef['body'] | RouteDef['query']): string {
  if (!schema) return '';
  if (!(schema instanceof z.ZodType)) return `(${schema.name})`;
  if (!(schema instanceof z.ZodObject)) return '';
  const keys = Object.entries(schema.shape as Record<string, z.ZodType>).map(([k, v]) => (v.safeParse(undefined).success ? `${k}?` : k));
  return `{${keys.join(', ')}}`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

function who(r: RouteDef): string {
  return r.roles === 'public' ? 'open' : r.roles.join(', ');
}

function request(r: RouteDef): string {
  const query = r.query instanceof z.ZodObject ? `?${Object.keys(r.query.shape as object).join('&')}` : '';
  const body = shapeOf(r.body);
  return `\`${r.method} ${r.path}${query}\`${body ? ` \`${body}\`${r.optionalBody ? ' (optional)' : ''}` : ''}${r.headers ? `, header \`${r.headers}\`` : ''}`;
}

function answer(r: RouteDef): string {
  const status = r.status ?? 200;
  if (r.answer.kind === 'empty') return String(status);
  return `${status} ${r.answer.kind === 'file' ? r.answer.name : `\`${r.answer.name}\``}`;
}

/** The HTTP route table, one row per route, in the table's order. */
export function renderRouteTable(routes: Record<string, RouteDef> = ROUTES): string {
  const rows = Object.values(routes).map((r) => `| ${cell(request(r))} | ${cell(who(r))} | ${cell(answer(r))} | ${cell(r.doc)} |`);
  return ['| request | who | answer | notes |', '|---|---|---|---|', ...rows].join('\n');
}

/** The socket actions, each with its payload and the HTTP route it mirrors. */
export function renderSocketActions(): string {
  const rows = Object.entries(SOCKET_ACTIONS).map(([event, a]) => `| \`${event}\` | \`${shapeOf(a.payload)}\` | \`${a.route.method} ${a.route.path}\` | ${who(a.route)} |`);
  return ['| event | payload | same as | who |', '|---|---|---|---|', ...rows].join('\n');
}

/** `doc` with each generated section replaced by what the tables render now. */
export function withGeneratedSections(doc: string): string {
  let out = doc;
  for (const [key, render] of [
    ['routes', renderRouteTable],
    ['socket', renderSocketActions],
  ] as const) {
    const { begin, end } = API_DOC_MARKERS[key];
    const from = out.indexOf(begin);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`docs/api.md: the markers ${begin} ... ${end} are missing`);
    out = `${out.slice(0, from + begin.length)}\n${render()}\n${out.slice(to)}`;
  }
  return out;
}
