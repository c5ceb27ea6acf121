// Numbers and disclosure control: formatting, sums that stay honest about withheld (suppressed) figures.
import { type ReactNode } from 'react';
import type { Row, SliceKey, SuppressedFigure } from './shapes';

export const int = (n: number | null | undefined) => (n === null || n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));
export const pct = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? '—' : `${(n * 100).toFixed(1)}%`);
export const share = (part: number | null | undefined, whole: number | null | undefined) =>
  part === null || part === undefined || !whole ? null : part / whole;

/** Whole rupiah, summed exactly (BigInt), shown compactly: Rp 1.23 tn / bn / m. */
export function rupiah(value: bigint | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const units: [bigint, string][] = [
    [10n ** 12n, 'tn'],
    [10n ** 9n, 'bn'],
    [10n ** 6n, 'm'],
  ];
  for (const [unit, name] of units) {
    if (value >= unit) return `Rp ${(Number((value * 100n) / unit) / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })} ${name}`;
  }
  return `Rp ${value.toLocaleString('en-US')}`;
}
export const kwp = (n: number | null | undefined) =>
  n === null || n === undefined
    ? '—'
    : n >= 1000
      ? `${(n / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} MWp`
      : `${Math.round(n).toLocaleString('en-US')} kWp`;

/** Sum of region counts over rows; null when one is missing. */
export function total<T>(rows: T[], pick: (row: T) => number | null | undefined): number | null {
  let sum = 0;
  for (const row of rows) {
    const v = pick(row);
    if (v === null || v === undefined) return null;
    sum += v;
  }
  return sum;
}

/** A ministry slice of one region (or village) as far as suppression goes. */
export type AnySlice = { suppressed: SuppressedFigure[] } & object;
/** The first of `fields` a slice withholds from the public, if any. */
export const withheldIn = (slice: AnySlice | null | undefined, fields: readonly string[]) => slice?.suppressed?.find((s) => fields.includes(s.field));
/** The first suppressed figure among `refs` ([ministry, field]) of a region. */
export function withheldOf(row: Row, refs: readonly FieldRef[]): SuppressedFigure | undefined {
  for (const [key, field] of refs) {
    const hit = withheldIn(row[key] as AnySlice | undefined, [field]);
    if (hit) return hit;
  }
  return undefined;
}
export type FieldRef = readonly [SliceKey, string];

/**
 * A sum over regions (or villages) of one figure: unavailable when the ministry's slice is missing for
 * any of them; suppressed when any of them withholds it (a partial sum would pass for the whole).
 */
export type Sum<V> = { status: 'unavailable' } | { status: 'suppressed'; figure: SuppressedFigure; regions: number } | { status: 'ok'; value: V };
export function sumOf<T, V extends number | bigint>(items: T[], sliceOf: (item: T) => AnySlice | null | undefined, field: string, zero: V): Sum<V> {
  let value = zero;
  let figure: SuppressedFigure | undefined;
  let regions = 0;
  for (const item of items) {
    const slice = sliceOf(item) as (AnySlice & Record<string, unknown>) | null | undefined;
    if (!slice) return { status: 'unavailable' };
    const hit = withheldIn(slice, [field]);
    const v = slice[field];
    if (hit) {
      figure ??= hit;
      regions += 1;
    } else if (typeof v === 'number' || typeof v === 'string') {
      value = (typeof zero === 'bigint' ? (value as bigint) + BigInt(v) : (value as number) + Number(v)) as V;
    } else return { status: 'unavailable' };
  }
  return figure ? { status: 'suppressed', figure, regions } : { status: 'ok', value };
}
export const valueOf = <V,>(sum: Sum<V>): V | null => (sum.status === 'ok' ? sum.value : null);

/** What a suppressed figure says instead of a number. */
export function suppressedText(figure: SuppressedFigure, regions?: number): string {
  const where = regions === undefined ? '' : ` in ${regions} ${regions === 1 ? 'region' : 'regions'}`;
  return figure.reason === 'BELOW_THRESHOLD' ? `suppressed${where} (< ${figure.threshold} cooperatives)` : `suppressed${where} (complementary)`;
}
export function suppressedTitle(figure: SuppressedFigure): string {
  return figure.reason === 'BELOW_THRESHOLD'
    ? `Withheld from the public: it covers fewer than ${figure.threshold} cooperatives (disclosure control). Analysts see it.`
    : `Withheld from the public: with the published figures it would reveal one covering fewer than ${figure.threshold} cooperatives (complementary suppression). Analysts see it.`;
}
export function Suppressed({ figure, regions }: { figure: SuppressedFigure; regions?: number }) {
  return (
    <span className="suppressed" data-suppressed={figure.reason} title={suppressedTitle(figure)}>
      {suppressedText(figure, regions)}
    </span>
  );
}
/** A summed figure: its value, or why there is none. */
export function SumView<V>({ sum, owner, show }: { sum: Sum<V>; owner: string; show: (value: V) => ReactNode }) {
  if (sum.status === 'unavailable') return <span className="na">{owner} data unavailable</span>;
  if (sum.status === 'suppressed') return <Suppressed figure={sum.figure} regions={sum.regions} />;
  return <>{show(sum.value)}</>;
}
/** a + b, or null when either is withheld or missing. */
export const plus = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || b === null || b === undefined ? null : a + b;
