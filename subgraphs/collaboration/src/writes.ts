import { ruleViolation } from '@kopdes/kit';
import type { CollaborationDb } from './db';
import type { Prisma } from './generated/prisma/client';

export type Tx = Prisma.TransactionClient;

export const IDEMPOTENCY = { description: 'Any unique string (a UUID works); retrying with the same key applies the write once.' };

/** Every secretariat write runs in one interactive transaction with its idempotency and audit records. */
export function transaction(prisma: CollaborationDb) {
  return <T>(fn: (tx: Tx) => Promise<T>) => prisma.$transaction(fn);
}

/** A calendar date written YYYY-MM-DD (a real day: no 2026-02-30), as UTC midnight. */
export function parseDate(value: string, field: string): Date {
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw ruleViolation(`${field}_format`, `${field} "${value}" is not a date; write YYYY-MM-DD.`);
  }
  return date;
}

/** Today as officers in Indonesia's easternmost zone (WIT, UTC+9) see it: no date after it has happened yet. */
export function latestPossibleDay(now = new Date()): Date {
  const east = new Date(now.getTime() + 9 * 3_600_000);
  return new Date(Date.UTC(east.getUTCFullYear(), east.getUTCMonth(), east.getUTCDate()));
}

export const isoDay = (date: Date): string => date.toISOString().slice(0, 10);
