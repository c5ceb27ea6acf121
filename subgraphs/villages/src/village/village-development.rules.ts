import { badInput, ruleViolation } from '@kopdes/kit';
import { statusForScore, VILLAGES_SHAPE } from '@kopdes/kit/synthetic';
import { type DevelopmentStatus, VillageKind } from '../generated/prisma/enums';

/**
 * Kemendes PDT rules: each broken rule is a BAD_USER_INPUT error whose `rule` names it and whose
 * message says how to comply.
 */
export const VILLAGE_LIMITS = {
  /** Dana Desa began with the 2015 budget (UU 6/2014); Indeks Desa figures start there too. */
  firstYear: 2015,
  maxDanaDesaCeiling: 5_000_000_000n,
} as const;

/** The current year where Indonesia's day starts first (WIT, UTC+9). */
export function currentYear(now = new Date()): number {
  return new Date(now.getTime() + 9 * 3_600_000).getUTCFullYear();
}

export function checkYear(year: number, last: number, what: string): void {
  if (!(Number.isInteger(year) && year >= VILLAGE_LIMITS.firstYear && year <= last)) {
    throw ruleViolation('year_range', `${what} years run from ${VILLAGE_LIMITS.firstYear} to ${last}; got ${year}.`);
  }
}

/**
 * The score band of a status, as the classification reads it: from the status's lower bound up
 * to the next status's (MANDIRI up to 1, SANGAT_TERTINGGAL from 0).
 */
export function scoreBand(status: DevelopmentStatus): { low: number; high: number } {
  const bands = VILLAGES_SHAPE.bands;
  const i = bands.findIndex(([s]) => s === status);
  return { low: i === bands.length - 1 ? 0 : bands[i]![1], high: i === 0 ? 1 : bands[i - 1]![1] };
}

export function checkScore(status: DevelopmentStatus, score: number): void {
  if (!(score >= 0 && score <= 1)) throw ruleViolation('score_range', `score is the Indeks Desa score, from 0 to 1; got ${score}.`);
  const actual = statusForScore(score);
  if (actual !== status) {
    const { low, high } = scoreBand(status);
    throw ruleViolation(
      'score_matches_status',
      `A ${status} village scores from ${low} to ${high === 1 ? '1' : `below ${high}`}; score ${score} is ${actual}. Send the status that matches the score, or check the score.`,
    );
  }
}

export function checkClassifiable(code: string, kind: VillageKind): void {
  if (kind === VillageKind.KELURAHAN) {
    throw ruleViolation('kelurahan_not_classified', `${code} is a kelurahan: the Indeks Desa classifies desa only, so a kelurahan has no development status.`);
  }
}

export function checkDanaDesa(code: string, kind: VillageKind, ceiling: bigint): void {
  if (kind === VillageKind.KELURAHAN) {
    throw ruleViolation('kelurahan_no_dana_desa', `${code} is a kelurahan: it receives no Dana Desa (it is funded through DAU/DBH), so it has no ceiling.`);
  }
  if (!(ceiling > 0n && ceiling <= VILLAGE_LIMITS.maxDanaDesaCeiling)) {
    throw ruleViolation(
      'ceiling_range',
      `ceiling must be more than Rp 0 and at most Rp ${VILLAGE_LIMITS.maxDanaDesaCeiling.toLocaleString('en')}; got Rp ${ceiling.toLocaleString('en')}.`,
    );
  }
}

/** The years the dataset holds; fields without a year argument show the latest. */
export const DEVELOPMENT_YEARS: readonly number[] = VILLAGES_SHAPE.years;
export const LATEST_YEAR = Math.max(...DEVELOPMENT_YEARS);

/** The year asked for, or the latest; BAD_USER_INPUT for a year without data. */
export function dataYear(year: number | null | undefined): number {
  if (year === null || year === undefined) return LATEST_YEAR;
  if (!DEVELOPMENT_YEARS.includes(year)) {
    throw badInput(`There is no Indeks Desa for ${year}; years available: ${DEVELOPMENT_YEARS.join(', ')}.`, { argument: 'year' });
  }
  return year;
}
