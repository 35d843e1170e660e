import type { Ticket } from '@luot/protocol';

/**
 * How the counter desk sends an officer's action so that none is ever applied twice or to the
 * wrong ticket (issue 10). No React here: the desk feeds it what the screen shows, and tests
 * drive it with a fake server.
 *
 * - One action in flight per page, guarded by a plain field, not render state: a keydown
 *   handler's closure holds the render it was made in, so a second press in the same frame saw
 *   "not busy" and called a second citizen.
 * - Every action on a citizen says which ticket the officer saw at the counter
 *   (`expectTicketId`, null for none), read at the moment of the press from what is on screen.
 *   The server refuses it with 409 STALE_REQUEST if the counter has moved on (another tab, a
 *   retried request), so it never completes or recalls somebody the officer did not see.
 * - An action counts as finished when the screen shows its result, not when the HTTP answer
 *   arrives: the live update can trail the answer by a moment, and a press in that moment would
 *   otherwise carry the old ticket and be refused. If the update does not come (the socket is
 *   down), the desk is released after `settleTimeoutMs`; a press then is checked by the server.
 * - And it stays busy `cooldownMs` longer: a press that soon after the screen changed cannot be
 *   a reaction to the new screen (people need a few hundred ms to see and decide). On a quick
 *   server the first press of a double press is done and shown within 40 ms, so without this
 *   the second press would be a valid "call next" for the citizen just called, and call another.
 */
export type ServerAction = 'call-next' | 'recall' | 'complete' | 'no-show' | 'transfer' | 'call' | 'open' | 'pause' | 'close';

export interface ActionInput {
  /** transfer: the service to send the ticket to. */
  serviceId?: number;
  /** call: the waiting (or no-show) ticket to call. */
  ticketId?: string;
}

/** What the server answers a counter action (a ticket for actions on a citizen, the counter for open/pause/close). */
export type ActionAnswer = { ticket?: Ticket | null; currentTicket?: Ticket };

/** The request body of an action: the expectation for every action on a citizen, none for open/pause/close. */
export function actionBody(action: ServerAction, expectTicketId: string | null, input: ActionInput = {}): Record<string, unknown> | undefined {
  switch (action) {
    case 'open':
    case 'pause':
    case 'close':
      return undefined;
    case 'transfer':
      if (input.serviceId === undefined) throw new Error('transfer needs a serviceId');
      return { serviceId: input.serviceId, expectTicketId };
    case 'call':
      if (input.ticketId === undefined) throw new Error('call needs a ticketId');
      return { ticketId: input.ticketId, expectTicketId };
    default:
      return { expectTicketId };
  }
}

/**
 * The ticket the counter serves once the action has been applied, as the screen should come to
 * show it; undefined when the action does not change it (recall, open, pause).
 */
export function currentAfter(action: ServerAction, answer: ActionAnswer | null): string | null | undefined {
  switch (action) {
    case 'call-next':
    case 'call':
      return answer?.ticket?.id ?? null;
    case 'complete':
    case 'no-show':
    case 'transfer':
    case 'close':
      return null;
    default:
      return undefined;
  }
}

/**
 * The counter's current ticket as the screen shows it, updated when a render is committed; an
 * action waits here until its result is on screen.
 */
export class ShownTicket {
  private id: string | null = null;
  private waiters: { want: string | null; done: () => void }[] = [];

  get(): string | null {
    return this.id;
  }

  set(id: string | null): void {
    this.id = id;
    const ready = this.waiters.filter((w) => w.want === id);
    this.waiters = this.waiters.filter((w) => w.want !== id);
    for (const w of ready) w.done();
  }

  /** Resolves when the screen shows `want`, or after `timeoutMs` (true if it was shown). */
  waitFor(want: string | null, timeoutMs: number): Promise<boolean> {
    if (this.id === want) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        want,
        done: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}

export type ActionResult = { kind: 'done'; answer: ActionAnswer | null } | { kind: 'failed'; error: unknown } | { kind: 'busy' };

export interface DeskActionsDeps {
  /** Sends the action to the server; throws the server's error. */
  send(action: ServerAction, body: Record<string, unknown> | undefined): Promise<ActionAnswer | null>;
  shown: ShownTicket;
  /** Told when the desk becomes busy or free (for the buttons and `data-busy`). */
  onBusy?(busy: boolean): void;
  /** How long to wait for the screen to show an action's result (default 3 s). */
  settleTimeoutMs?: number;
  /** How long presses stay ignored once the result is shown (default DOUBLE_PRESS_MS). */
  cooldownMs?: number;
}

/** Presses this soon after an action's result is on screen are taken as a double press. */
export const DOUBLE_PRESS_MS = 500;

export class DeskActions {
  private inFlight = false;

  constructor(private readonly deps: DeskActionsDeps) {}

  get busy(): boolean {
    return this.inFlight;
  }

  /**
   * Runs `action` unless another is in flight ('busy': the press is ignored). `before`, run
   * once the action is certain to go (clear the last error), keeps a refused press from
   * touching the screen.
   */
  async perform(action: ServerAction, input: ActionInput = {}, before?: () => void): Promise<ActionResult> {
    if (this.inFlight) return { kind: 'busy' };
    this.inFlight = true;
    this.deps.onBusy?.(true);
    let result: ActionResult;
    try {
      result = await this.attempt(action, input, before);
    } catch (error) {
      result = { kind: 'failed', error };
    }
    // The caller acts on the result now; the guard stays up a little longer (see above).
    const release = () => {
      this.inFlight = false;
      this.deps.onBusy?.(false);
    };
    const cooldown = this.deps.cooldownMs ?? DOUBLE_PRESS_MS;
    if (cooldown > 0) setTimeout(release, cooldown);
    else release();
    return result;
  }

  private async attempt(action: ServerAction, input: ActionInput, before?: () => void): Promise<ActionResult> {
    before?.();
    const body = actionBody(action, this.deps.shown.get(), input);
    let answer: ActionAnswer | null;
    try {
      answer = await this.deps.send(action, body);
    } catch (error) {
      return { kind: 'failed', error };
    }
    const after = currentAfter(action, answer);
    if (after !== undefined) await this.deps.shown.waitFor(after, this.deps.settleTimeoutMs ?? 3000);
    return { kind: 'done', answer };
  }
}
