/**
 * GET /api/v1/admin/province: the center's link to the province roll-up (docs/province.md), as
 * the center's shipper reports it. Never the key.
 */
export interface ProvinceLink {
  configured: boolean;
  state: 'ok' | 'retrying' | 'refused' | 'off';
  /** The province's address (never the key). */
  url: string | null;
  centerUid: string | null;
  epoch: number | null;
  /** The last seq the province acknowledged (null: not known yet). */
  lastAckSeq: number | null;
  /** This center's last event seq. */
  lastSeq: number;
  /** Events the province does not hold yet. */
  behindEvents: number;
  lastSuccessAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  /** When the next try is due while retrying or refused. */
  nextAttemptAt: string | null;
}
