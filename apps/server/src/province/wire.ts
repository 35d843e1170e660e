/**
 * What a center sends the province (contract: docs/province.md, "Ingest"). The province
 * validates the same shape with zod (apps/province/src/ingest/schema.ts) and refuses any field
 * it does not know, so nothing personal can ride along: tickets carry ids, numbers, services,
 * counters, times and the officer's numeric id only; never a name, a username or ID-card data.
 */
export interface TicketFact {
  id: string;
  number: string;
  serviceId: number;
  issueServiceId: number;
  priority: boolean;
  status: 'waiting' | 'called' | 'done' | 'no_show' | 'cancelled';
  businessDay: string;
  issuedAt: string;
  calledAt: string | null;
  completedAt: string | null;
  counterId: number | null;
  officerId: number | null;
}

export interface RatingFact {
  ticketId: string;
  score: number;
  scale: 3 | 4 | 5;
  satisfied: boolean;
  reason?: string;
  dossierCode?: string;
  at?: string;
}

export interface WireEvent {
  seq: number;
  at: string;
  type: string;
  action: string;
  ticketId: string | null;
  /** The ticket's state when the batch was read (see batch.ts: at or after this event). */
  ticket?: TicketFact;
}

export interface NowBlock {
  at: string;
  businessDay: string;
  timeZone: string;
  waiting: number;
  openCounters: number;
  longestWaitSeconds: number | null;
  lastSeq: number;
}

export interface Batch {
  centerUid: string;
  epoch: number;
  fromSeq: number;
  toSeq: number;
  sentAt: string;
  events: WireEvent[];
  ratings: RatingFact[];
  services: { id: number; code: string; nameVi: string; nameEn: string; targetWaitMinutes: number | null }[];
  counters: { id: number; number: number; name: string }[];
  now: NowBlock;
}

/** The province's answer to a batch or to GET ingest/state. */
export interface StreamState {
  centerUid: string | null;
  epoch: number;
  ackSeq: number;
}
