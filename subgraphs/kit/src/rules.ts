import { ruleViolation } from './errors';

/**
 * The date and amount rules every ministry's writes share. Each broken rule is a BAD_USER_INPUT
 * error whose `rule` names it and whose message says how to comply.
 */

/** A calendar date written YYYY-MM-DD (a real day: no 2025-02-31), as UTC midnight, or a rule error naming the field. */
export function parseDate(value: string, field: string): Date {
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw ruleViolation(`${field}_format`, `${field} "${value}" is not a date; write YYYY-MM-DD.`);
  }
  return date;
}

export const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

/** Today as officers in Indonesia's easternmost zone (WIT, UTC+9) see it: no date after it has happened yet. */
export function latestPossibleDay(now = new Date()): Date {
  const east = new Date(now.getTime() + 9 * 3_600_000);
  return new Date(Date.UTC(east.getUTCFullYear(), east.getUTCMonth(), east.getUTCDate()));
}

export function checkNotInFuture(date: Date, field: string): void {
  if (date > latestPossibleDay()) {
    throw ruleViolation('date_not_in_future', `${field} ${isoDay(date)} is in the future; record it once it has happened.`);
  }
}

/** A YYYY-MM-DD date that may not lie in the future. */
export function pastDate(value: string, field: string): Date {
  const date = parseDate(value, field);
  checkNotInFuture(date, field);
  return date;
}

/** `date` (named `field`) may not come before `earliest` (what it follows, described by `what`). */
export function checkNotBefore(date: Date, field: string, earliest: Date | null | undefined, what: string): void {
  if (earliest && date < earliest) {
    throw ruleViolation('dates_in_order', `${field} ${isoDay(date)} is before ${what} (${isoDay(earliest)}).`);
  }
}

/** Rp 3,000,000,000: money as officers read it in messages. */
export const rp = (amount: bigint) => `Rp ${amount.toLocaleString('en-US')}`;

export function checkPositive(amount: bigint, field: string): void {
  if (amount <= 0n) throw ruleViolation('amount_positive', `${field} must be a positive whole number of rupiah; got ${amount}.`);
}

export function checkNotNegative(amount: bigint, field: string): void {
  if (amount < 0n) throw ruleViolation('amount_not_negative', `${field} cannot be negative; got ${amount}.`);
}
