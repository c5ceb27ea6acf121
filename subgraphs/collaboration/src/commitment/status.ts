import { share } from './quantity';

/**
 * A commitment's status, evaluated on a day from its target, baseline and the level the owning
 * ministry publishes now (realised), all in the indicator's unit:
 * - DONE: realised ≥ target (whatever the date);
 * - LATE: not done, and the due date has passed (due dates are inclusive: late from the next day);
 * - AT_RISK: progress, (realised − baseline) / (target − baseline), trails the time elapsed,
 *   (day − startDate) / (dueDate − startDate), by more than AT_RISK_MARGIN (10 points);
 * - ON_TRACK: otherwise.
 */
export type CommitmentStatus = 'ON_TRACK' | 'AT_RISK' | 'LATE' | 'DONE';

export const AT_RISK_MARGIN = 0.1;
const DAY = 86_400_000;

export interface StatusInput {
  /** Hundredths of the indicator's unit (see quantity.ts). */
  target: bigint;
  baseline: bigint;
  /** Null when the owning ministry's figure could not be read. */
  realised: bigint | null;
  startDate: Date;
  dueDate: Date;
  /** The day evaluated (UTC midnight). */
  on: Date;
}

export interface Evaluation {
  /** Share of the way from baseline to target, 0..1; null when realised is unknown. */
  progress: number | null;
  /** Share of the time from start to due date elapsed on `on`, 0..1. */
  expectedProgress: number;
  status: CommitmentStatus | null;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** The UTC day a moment falls on. */
export function utcDay(moment: Date): Date {
  return new Date(Date.UTC(moment.getUTCFullYear(), moment.getUTCMonth(), moment.getUTCDate()));
}

export function evaluateCommitment({ target, baseline, realised, startDate, dueDate, on }: StatusInput): Evaluation {
  const span = dueDate.getTime() - startDate.getTime();
  const expectedProgress = span <= 0 ? 1 : clamp01((utcDay(on).getTime() - startDate.getTime()) / span);
  if (realised === null) return { progress: null, expectedProgress, status: null };
  const progress = target <= baseline ? (realised >= target ? 1 : 0) : clamp01(share(realised - baseline, target - baseline));
  if (realised >= target) return { progress: 1, expectedProgress, status: 'DONE' };
  if (utcDay(on).getTime() >= dueDate.getTime() + DAY) return { progress, expectedProgress, status: 'LATE' };
  if (progress < expectedProgress - AT_RISK_MARGIN) return { progress, expectedProgress, status: 'AT_RISK' };
  return { progress, expectedProgress, status: 'ON_TRACK' };
}

/** A calendar quarter, inclusive days. */
export interface Quarter {
  label: string;
  from: Date;
  to: Date;
}

export function quarterOf(day: Date): Quarter {
  const year = day.getUTCFullYear();
  const q = Math.floor(day.getUTCMonth() / 3);
  return { label: `${year}-Q${q + 1}`, from: new Date(Date.UTC(year, q * 3, 1)), to: new Date(Date.UTC(year, q * 3 + 3, 0)) };
}

/** "2026-Q2" → its first and last day; "current" → the quarter of `today`; null when neither. */
export function parseQuarter(text: string, today: Date): Quarter | null {
  if (text.trim().toLowerCase() === 'current') return quarterOf(today);
  const match = /^(\d{4})-Q([1-4])$/i.exec(text.trim());
  if (!match) return null;
  return quarterOf(new Date(Date.UTC(Number(match[1]), (Number(match[2]) - 1) * 3, 1)));
}
