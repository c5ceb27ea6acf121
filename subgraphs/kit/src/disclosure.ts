import { Directive, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Caller } from './subgraph';

/**
 * Disclosure control: the one rule every public region aggregate follows (README, "Who may see what").
 *
 * A cell is one figure of one region. It covers a population (the cooperatives, or for village figures
 * the villages, it speaks about) and is made of contributors (for a total: the units with a non-zero
 * value; for a count or share of units: the whole population). For callers below analyst:
 * - primary: a cell is suppressed (BELOW_THRESHOLD) when its population is under K, or when it is a
 *   total made of 1 to K-1 contributors;
 * - secondary: wherever a published cell equals the sum of other cells (a parent region and its
 *   children; a region and its KDMP and KKMP parts), the suppressed cells among them must together
 *   pass the same test (or cover nobody), else the smallest further ones are suppressed (COMPLEMENTARY);
 *   and every part of a suppressed cell is suppressed too, so it cannot be rebuilt from them.
 * The decision is made per parent group from one grouped statement (disclosure-loader.ts), so a cell
 * gets the same answer whichever query asks.
 */
export const DISCLOSURE_ENV = 'DISCLOSURE_MIN_COOPERATIVES';
const DEFAULT_THRESHOLD = 3;

let threshold: number | undefined;

/** K, read once per process from DISCLOSURE_MIN_COOPERATIVES (default 3; 1 suppresses only empty cells). */
export function disclosureThreshold(env: NodeJS.ProcessEnv = process.env): number {
  if (threshold !== undefined) return threshold;
  const text = env[DISCLOSURE_ENV]?.trim();
  const value = text ? Number(text) : DEFAULT_THRESHOLD;
  if (!Number.isInteger(value) || value < 1 || value > 1000) {
    throw new Error(
      `${DISCLOSURE_ENV}="${text}" is not a whole number from 1 to 1000: set the fewest cooperatives a public figure may cover (default ${DEFAULT_THRESHOLD}).`,
    );
  }
  return (threshold = value);
}

/** Analysts, officers and admins read unsuppressed figures; the public reads the controlled ones. */
export function seesUnsuppressed(caller: Caller): boolean {
  return caller.role !== 'public';
}

export enum SuppressionReason {
  BELOW_THRESHOLD = 'BELOW_THRESHOLD',
  COMPLEMENTARY = 'COMPLEMENTARY',
}
registerEnumType(SuppressionReason, {
  name: 'SuppressionReason',
  description:
    'Why a public figure is null. BELOW_THRESHOLD: it covers fewer than `threshold` cooperatives (or, for a total, is made of 1 to threshold-1 of them). ' +
    'COMPLEMENTARY: it would let a suppressed figure be derived by subtraction (from a parent region, its other children, or the KDMP/KKMP split).',
});

// Value type shared by every subgraph that publishes region aggregates.
@Directive('@shareable')
@ObjectType({
  description:
    'A figure of this aggregate withheld from the caller by disclosure control: it comes back null, without an error. Analysts and above see every figure.',
})
export class SuppressedFigure {
  @Field(() => String, { description: 'Name of the null field of this aggregate, e.g. "amountDisbursed".' }) field!: string;
  @Field(() => SuppressionReason) reason!: SuppressionReason;
  @Field(() => Int, { description: 'K: the fewest cooperatives a public figure must cover (DISCLOSURE_MIN_COOPERATIVES).' }) threshold!: number;
}

/** Options of a figure of a region aggregate: nullable, and says when it is null. */
export function figureField(description?: string) {
  return { nullable: true, description: `${description ? `${description} ` : ''}Null when suppressed for the caller (see suppressed).` } as const;
}

/** Options of the `suppressed` list of a region aggregate. */
export const SUPPRESSED_FIELD = {
  description: 'Figures of this aggregate that are null for the caller by disclosure control, each with its reason; empty for analysts and above.',
} as const;

/** Column names of a row that hold numbers. */
export type NumericColumn<Row> = { [K in keyof Row]-?: Row[K] extends number ? K : never }[keyof Row] & string;

/**
 * How many units one figure covers, read from its row: a count or share of the units of a population
 * (`count`: the population column), or a total over a population made of the units with a non-zero
 * value (`sum`: the column counting them, `of`: the population column).
 */
export type Cover<Row> = { count: NumericColumn<Row> } | { sum: NumericColumn<Row>; of: NumericColumn<Row> };

/** Figures that stand or fall together (one contains or is computed from another), with every cover they need. */
export interface DisclosureUnit<Row> {
  fields: readonly string[];
  covers: readonly Cover<Row>[];
}

/** A namespace's figures, grouped into units. Fields not listed are metadata (asOf, source, year). */
export type DisclosureSpec<Row> = readonly DisclosureUnit<Row>[];

/** Counts or shares of the units in `population`, one unit each (they share their cover, hence their fate). */
export function counts<Row>(fields: readonly string[], population: NumericColumn<Row>): DisclosureUnit<Row> {
  return { fields, covers: [{ count: population }] };
}

/** A total over `population` made of the `contributors` units with a non-zero value. */
export function total<Row>(field: string, contributors: NumericColumn<Row>, population: NumericColumn<Row>): DisclosureUnit<Row> {
  return { fields: [field], covers: [{ sum: contributors, of: population }] };
}

/** Units a cell covers: its population, and how many of them make up its value. */
export interface Coverage {
  population: number;
  contributors: number;
}

export function coverageOf<Row>(row: Row, cover: Cover<Row>): Coverage {
  const read = (column: string) => Number((row as Record<string, unknown>)[column] ?? 0);
  if ('count' in cover) {
    const population = read(cover.count);
    return { population, contributors: population };
  }
  return { population: read(cover.of), contributors: read(cover.sum) };
}

/** Primary rule: may a cell (or a derivable sum of cells) be seen by the public? */
export function passes({ population, contributors }: Coverage, k: number): boolean {
  return population >= k && (contributors === 0 || contributors >= k);
}

/** What a region's cell was decided, for one request's caller to read. */
export interface DisclosedCell<Row> {
  /** The region's row; null when it has no records. */
  row: Row | null;
  /** Fields withheld from the public, by reason. */
  reasons: ReadonlyMap<string, SuppressionReason>;
  /** Newest asOf among the cell's sibling group: what the public sees when a figure is withheld. */
  groupAsOf: Date | null;
}

/**
 * The figures as the caller may read them: for the public, withheld fields null and listed in
 * `suppressed`; for analysts and above, everything and an empty list.
 */
export function discloseFigures<T extends object>(
  figures: T,
  cell: DisclosedCell<unknown>,
  caller: Caller,
): { [K in keyof T]: T[K] | null } & { suppressed: SuppressedFigure[] } {
  if (seesUnsuppressed(caller) || cell.reasons.size === 0) return { ...figures, suppressed: [] };
  const out = { ...figures } as Record<string, unknown>;
  const suppressed: SuppressedFigure[] = [];
  for (const [field, reason] of cell.reasons) {
    out[field] = null;
    suppressed.push({ field, reason, threshold: disclosureThreshold() });
  }
  return { ...(out as { [K in keyof T]: T[K] | null }), suppressed };
}

/** asOf as the caller may read it: a withheld cell's own date would tell when one cooperative's record changed. */
export function disclosedAsOf<D extends Date | null>(own: D, cell: DisclosedCell<unknown>, caller: Caller): D | Date {
  if (seesUnsuppressed(caller) || cell.reasons.size === 0) return own;
  return cell.groupAsOf ?? own;
}

/** A row as the caller may read it: figures maybe null, metadata (code, part, asOf) kept, with the list of what was withheld. */
export type DisclosedFigures<Row> = { [K in keyof Row]: K extends 'code' | 'part' | 'asOf' ? Row[K] : Row[K] | null } & { suppressed: SuppressedFigure[] };

/** The cell's row (or `empty` when the region has no records) as the caller may read it. */
export function discloseRow<Row extends { asOf?: Date | null }>(cell: DisclosedCell<Row>, caller: Caller, empty: Row): DisclosedFigures<Row> {
  const row = cell.row ?? empty;
  const figures = discloseFigures(row, cell, caller) as Record<string, unknown>;
  if ('asOf' in row) figures.asOf = disclosedAsOf(row.asOf ?? null, cell, caller);
  return figures as DisclosedFigures<Row>;
}
