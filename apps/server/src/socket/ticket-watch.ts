import type { QueueEvent } from '@luot/protocol';

/**
 * Which tickets citizens' phones are watching, and which of them an event concerns. A phone sees
 * its ticket move when anything changes in its service (someone ahead was called, transferred
 * away, cancelled), so the watch is keyed by service.
 */
export function createTicketWatch() {
  // ticketId -> { serviceId, sockets watching }
  const watched = new Map<string, { serviceId: number; sockets: number }>();

  return {
    add(ticketId: string, serviceId: number) {
      const w = watched.get(ticketId);
      if (w) w.sockets++;
      else watched.set(ticketId, { serviceId, sockets: 1 });
    },
    remove(ticketId: string) {
      const w = watched.get(ticketId);
      if (!w) return;
      if (--w.sockets <= 0) watched.delete(ticketId);
    },
    /** The watched tickets these events may have changed; updates each one's service (transfers). */
    affected(events: QueueEvent[]): string[] {
      if (watched.size === 0) return [];
      const services = new Set<number>();
      const tickets = new Map<string, number>();
      for (const e of events) {
        if (e.type !== 'ticket:issued' && e.type !== 'ticket:called' && e.type !== 'ticket:updated') continue;
        services.add(e.payload.ticket.serviceId);
        tickets.set(e.payload.ticket.id, e.payload.ticket.serviceId);
        for (const s of e.payload.services ?? []) services.add(s.id);
      }
      const out: string[] = [];
      for (const [id, w] of watched) {
        const moved = tickets.get(id);
        if (moved !== undefined) w.serviceId = moved;
        if (moved !== undefined || services.has(w.serviceId)) out.push(id);
      }
      return out;
    },
    size: () => watched.size,
  };
}
export type TicketWatch = ReturnType<typeof createTicketWatch>;
