import type { PublicTicket, QueueEvent } from '@luot/protocol';

/**
 * Which tickets citizens' phones are watching, and which of them an event concerns. A phone sees
 * its ticket move when anything changes in its service (someone ahead was called, transferred
 * away, cancelled; a counter opened and the estimate moved), so the watch is keyed by service.
 * It also remembers what each ticket's phones were last sent, so an unchanged status (every
 * issue: a new ticket joins behind everyone) is not sent again.
 */
export function createTicketWatch() {
  // ticketId -> { serviceId, sockets watching, the status last sent to its room (JSON) }
  const watched = new Map<string, { serviceId: number; sockets: number; sent: string | null }>();

  return {
    /**
     * A phone watches `ticketId`, and was just sent `status`. The first phone's status is what the
     * ticket's room was sent; a further phone's is not recorded (a phone already watching may
     * still hold an older one, which the next computed status must reach).
     */
    add(ticketId: string, serviceId: number, status?: PublicTicket) {
      const w = watched.get(ticketId);
      if (w) w.sockets++;
      else watched.set(ticketId, { serviceId, sockets: 1, sent: status ? JSON.stringify(status) : null });
    },
    remove(ticketId: string) {
      const w = watched.get(ticketId);
      if (!w) return;
      if (--w.sockets <= 0) watched.delete(ticketId);
    },
    /** The watched tickets these events may have changed; updates each one's service (transfers). */
    affected(events: readonly QueueEvent[]): string[] {
      if (watched.size === 0) return [];
      const services = new Set<number>();
      const tickets = new Map<string, number>();
      for (const e of events) {
        // A ticket issued without priority joins behind everyone: no place, estimate or "now
        // serving" of its service moves (a priority one goes ahead of the normal tickets).
        if (e.type === 'ticket:issued' && !e.payload.ticket.priority) continue;
        if (e.type === 'ticket:issued' || e.type === 'ticket:called' || e.type === 'ticket:updated') {
          services.add(e.payload.ticket.serviceId);
          tickets.set(e.payload.ticket.id, e.payload.ticket.serviceId);
          for (const s of e.payload.services ?? []) services.add(s.id);
        } else if (e.type === 'counter:updated') {
          // A counter opening or closing moves its services' wait estimates.
          for (const s of e.payload.services ?? []) services.add(s.id);
        } else if (e.type === 'service:updated') {
          services.add(e.payload.service.id);
        }
      }
      const out: string[] = [];
      for (const [id, w] of watched) {
        const moved = tickets.get(id);
        if (moved !== undefined) w.serviceId = moved;
        if (moved !== undefined || services.has(w.serviceId)) out.push(id);
      }
      return out;
    },
    /** The service each of these watched tickets was last known in (for computing them together). */
    withServices(ticketIds: Iterable<string>): { id: string; serviceId: number }[] {
      const out: { id: string; serviceId: number }[] = [];
      for (const id of ticketIds) {
        const w = watched.get(id);
        if (w) out.push({ id, serviceId: w.serviceId });
      }
      return out;
    },
    /** True if `status` differs from what its ticket's phones were last sent (and remembers it). */
    changed(status: PublicTicket): boolean {
      const w = watched.get(status.id);
      if (!w) return false;
      const json = JSON.stringify(status);
      if (json === w.sent) return false;
      w.sent = json;
      return true;
    },
    size: () => watched.size,
  };
}
export type TicketWatch = ReturnType<typeof createTicketWatch>;

export interface PhoneUpdateDeps {
  watch: TicketWatch;
  /** The statuses of these tickets, each with its last known service, computed together (queue.publicTickets). */
  compute(tickets: readonly { id: string; serviceId: number }[]): Map<string, PublicTicket>;
  /** Sends one ticket's status to the phones watching it. */
  send(ticketId: string, status: PublicTicket): void;
  onError(err: unknown): void;
  /** When to compute (default setImmediate: after the action's answer and its screens' events). */
  schedule?: (fn: () => void) => void;
  /**
   * Statuses sent in one turn of the event loop at most (default 8); the rest follow in the next
   * turns, so a counter's next request waits behind a few phones' writes (and their completions),
   * never behind a hundred.
   */
  sendsPerTurn?: number;
}

/**
 * Citizens' phones get their own ticket's new status after each event, at a cost that grows with
 * the services an event touches, not with the phones (issue 14: 300 phones made every call-next
 * 38-57 ms, each phone's status read with five queries before the HTTP answer). Events only mark
 * the watched tickets they concern; once per turn of the event loop, after the answers and the
 * screens' events have gone out, every marked ticket's status is computed at once (one read of
 * the queue for all of them) and sent to the phones whose status changed.
 */
export function createPhoneUpdates(deps: PhoneUpdateDeps) {
  const schedule = deps.schedule ?? ((fn) => void setImmediate(fn));
  const sendsPerTurn = deps.sendsPerTurn ?? 8;
  let pending: Set<string> | null = null;
  // Computed statuses not sent yet (a later computation replaces a ticket's entry: only the
  // newest is sent).
  const outgoing = new Map<string, PublicTicket>();
  let sending = false;

  function sendSome() {
    sending = false;
    let n = 0;
    for (const [id, status] of outgoing) {
      if (n >= sendsPerTurn) {
        sending = true;
        return schedule(sendSome);
      }
      outgoing.delete(id);
      if (deps.watch.changed(status)) {
        deps.send(id, status);
        n++;
      }
    }
  }

  function flush() {
    const ids = pending;
    pending = null;
    if (!ids?.size) return;
    let statuses: Map<string, PublicTicket>;
    try {
      // Phones that left meanwhile are skipped.
      statuses = deps.compute(deps.watch.withServices(ids));
    } catch (err) {
      // The actions are committed: a failed read is logged; the next event or a reconnect brings
      // the status (the phone page also refetches it over HTTP).
      return deps.onError(err);
    }
    for (const [id, status] of statuses) {
      outgoing.delete(id);
      outgoing.set(id, status);
    }
    if (!sending) sendSome();
  }

  return {
    /** Marks what these committed events may have changed; the statuses follow shortly. */
    published(events: readonly QueueEvent[]) {
      const ids = deps.watch.affected(events);
      if (ids.length === 0) return;
      if (!pending) {
        pending = new Set();
        schedule(flush);
      }
      for (const id of ids) pending.add(id);
    },
    /** Computes what is marked now and sends the first statuses (tests, shutdown). */
    flush,
  };
}
export type PhoneUpdates = ReturnType<typeof createPhoneUpdates>;
