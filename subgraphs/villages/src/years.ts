import { badInput } from '@kopdes/kit';
import { VILLAGES_SHAPE } from '@kopdes/kit/synthetic';

/** The years the dataset holds; fields without a year argument show the latest. */
export const DEVELOPMENT_YEARS: readonly number[] = VILLAGES_SHAPE.years;
export const LATEST_YEAR = Math.max(...DEVELOPMENT_YEARS);

/** The year asked for, or the latest; BAD_USER_INPUT for a year without data. */
export function checkYear(year: number | null | undefined): number {
  if (year === null || year === undefined) return LATEST_YEAR;
  if (!DEVELOPMENT_YEARS.includes(year)) {
    throw badInput(`There is no Indeks Desa for ${year}; years available: ${DEVELOPMENT_YEARS.join(', ')}.`, { argument: 'year' });
  }
  return year;
}
