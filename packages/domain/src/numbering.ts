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

/** Whether `rule` can print `number` (on some day, for some sequence). */
export function canPrint(rule: NumberingRule, number: string): boolean {
  if (number.length !== rule.prefix.length + rule.width || !number.startsWith(rule.prefix)) return false;
  const digits = number.slice(rule.prefix.length);
  return /^[0-9]+$/.test(digits) && Number(digits) >= 1;
}

/**
 * Whether two services' rules can print the same number on one day: then the TV calling "1001"
 * brings two citizens. That happens exactly when the numbers have the same length and one prefix
 * starts the other with digits only after it ("1" + 3 digits and "10" + 2 digits both give 1001;
 * "A" + 3 and "1" + 3 never meet; "1" + 3 and "1" + 4 differ in length).
 */
export function numbersClash(a: NumberingRule, b: NumberingRule): boolean {
  if (a.prefix.length + a.width !== b.prefix.length + b.width) return false;
  const [short, long] = a.prefix.length <= b.prefix.length ? [a, b] : [b, a];
  if (!long.prefix.startsWith(short.prefix)) return false;
  return /^[0-9]*$/.test(long.prefix.slice(short.prefix.length));
}
