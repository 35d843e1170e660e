/**
 * Ticket numbers: a per-service prefix and a zero-padded daily sequence ("1" + "005" = "1005",
 * "A" + "012" = "A012"). The sequence itself is taken in the database (one row per business day
 * and service, `UPDATE ... RETURNING` in the issuing transaction); this only formats and checks.
 */
export interface NumberingRule {
  prefix: string;
  /** Digits of the sequence part, zero-padded. */
  width: number;
}

export const PREFIX_PATTERN = /^[A-Z0-9]{0,3}$/;

export function formatTicketNumber(rule: NumberingRule, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`sequence must be a positive integer, got ${sequence}`);
  if (sequence > maxSequence(rule)) throw new RangeError(`sequence ${sequence} does not fit in ${rule.width} digits`);
  return rule.prefix + String(sequence).padStart(rule.width, '0');
}

/** The highest sequence a rule can print: width 3 gives 999 tickets a day per service. */
export function maxSequence(rule: NumberingRule): number {
  return 10 ** rule.width - 1;
}
