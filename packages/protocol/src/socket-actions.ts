import { z } from 'zod';
import type { Ack } from './events.js';
import { ROUTES } from './routes.js';
import type { RouteAnswer } from './route-table.js';
import { CallTicketBody, CounterActionBody, Id, TransferBody, type Snapshot } from './schemas.js';

/**
 * The counter actions over socket.io, each the twin of an HTTP route of the table: the same use
 * case, roles and answer (the ack's data is the route's answer), with the counter's id in the
 * payload instead of the path. api-v1 offers them to other vendors' counter devices ("optional,
 * same rules as HTTP"), so they stay; the pages use HTTP. The payload schemas are the route's
 * body plus `counterId`, so the two cannot drift apart, and `ClientToServerEvents` is derived
 * from them.
 */
const CounterId = z.strictObject({ counterId: Id });
const withCounter = <S extends z.ZodRawShape>(body: z.ZodObject<S>) => z.strictObject({ counterId: Id, ...body.shape });

const ACTIONS = {
  'counter:open': { route: ROUTES.openCounter, payload: CounterId },
  'counter:pause': { route: ROUTES.pauseCounter, payload: CounterId },
  'counter:close': { route: ROUTES.closeCounter, payload: CounterId },
  'counter:call-next': { route: ROUTES.callNext, payload: withCounter(CounterActionBody) },
  'counter:recall': { route: ROUTES.recall, payload: withCounter(CounterActionBody) },
  'counter:complete': { route: ROUTES.complete, payload: withCounter(CounterActionBody) },
  'counter:no-show': { route: ROUTES.noShow, payload: withCounter(CounterActionBody) },
  'counter:transfer': { route: ROUTES.transfer, payload: withCounter(TransferBody) },
  'counter:call': { route: ROUTES.callTicket, payload: withCounter(CallTicketBody) },
} as const;

export type SocketAction = keyof typeof ACTIONS;
/** What a socket action's payload is, as parsed by the server (the schema's output). */
export type SocketPayload<E extends SocketAction> = z.output<(typeof ACTIONS)[E]['payload']>;
/** What a socket action's ack carries on success: its HTTP route's answer. */
export type SocketAnswer<E extends SocketAction> = RouteAnswer<(typeof ACTIONS)[E]['route']>;

export interface SocketActionDef<E extends SocketAction> {
  /** The HTTP route this action mirrors: its roles and answer. */
  readonly route: (typeof ACTIONS)[E]['route'];
  readonly payload: z.ZodType<SocketPayload<E>, z.input<(typeof ACTIONS)[E]['payload']>>;
}
/**
 * Typed as a map from each action to its own definition, so code generic over the action (the
 * server's one handler) gets that action's payload type, not the union of all.
 */
export const SOCKET_ACTIONS: { readonly [E in SocketAction]: SocketActionDef<E> } = ACTIONS;
export const SOCKET_ACTION_NAMES = Object.keys(ACTIONS) as SocketAction[];

/** A counter action on a citizen: `expectTicketId` is the ticket the page believes the counter serves (null: none). */
export type CounterActionPayload = SocketPayload<'counter:call-next'>;

/**
 * The socket.io map of what a client may send: `queue:sync` (answered with a fresh snapshot)
 * and the counter actions, derived from SOCKET_ACTIONS.
 */
export type ClientToServerEvents = { 'queue:sync': (ack: Ack<Snapshot>) => void } & {
  [E in SocketAction]: (payload: z.input<(typeof ACTIONS)[E]['payload']>, ack: Ack<SocketAnswer<E>>) => void;
};
