import DataLoader from 'dataloader';
import { badInput } from './errors';
import { regionLevel } from './codes';
import { groupBy } from './loaders';
import { type Coverage, coverageOf, type DisclosedCell, disclosureThreshold, type DisclosureSpec, type SuppressionReason } from './disclosure';
import { decideUnit, type Equation } from './disclosure-engine';
import type { DecisionMemo } from './summary-read';

/** The region columns a ministry's tables carry (districts publish no aggregates). */
export type RegionColumn = 'provinceCode' | 'regencyCode' | 'villageCode';

/** Regions one grouped select returns: every province, the regencies of some provinces, or the villages of some regencies. */
export interface RegionGroup {
  column: RegionColumn;
  /** Codes of the parent level (province for regencies, regency for villages); null: every province. */
  within: readonly string[] | null;
}

const PARENT_COLUMN: Record<RegionColumn, RegionColumn | null> = { provinceCode: null, regencyCode: 'provinceCode', villageCode: 'regencyCode' };

/**
 * One statement for several region groups: the namespace's grouped select once per group, joined by
 * UNION ALL. `select(column, where)` writes that select grouped by `column` AS code; `where(alias)`
 * is the group's filter on the table aliased `alias` (parameters numbered from `firstParam`).
 */
export function regionGroupsSql(
  groups: readonly RegionGroup[],
  select: (column: RegionColumn, where: (alias?: string) => string) => string,
  firstParam = 1,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const selects = groups.map((group, i) => {
    const parent = PARENT_COLUMN[group.column];
    let where = (_alias?: string) => 'true';
    if (group.within && parent) {
      params.push([...group.within]);
      const n = firstParam + params.length - 1;
      where = (alias = '') => `${alias ? `${alias}.` : ''}"${parent}" = ANY($${n})`;
    }
    return `SELECT * FROM (${select(group.column, where)}) g${i}`;
  });
  return { sql: selects.join('\nUNION ALL\n'), params };
}

/** A row of a region aggregate: the region's code, the part of it (e.g. a kind; '' or absent: all of it). */
export interface RegionRow {
  code: string;
  part?: string | null;
  asOf?: Date | null;
}

/** Which cell a resolver asks for: a region, optionally one table (e.g. a year) and one part (e.g. a kind). */
export interface AggregateKey {
  code: string;
  table?: string;
  part?: string;
}

export interface DisclosedAggregateOptions<Row extends RegionRow> {
  spec: DisclosureSpec<Row>;
  /** Parts a region splits into (e.g. the kinds KDMP and KKMP); fetch returns a row per part and one for the whole ('' part). */
  parts?: readonly string[];
  /** Every region of the groups, in one statement: one row per region (and part) that has records. */
  fetch(groups: RegionGroup[], table: string): Promise<Row[] & { summaryVersion?: string }>;
  /** Decisions memoised per version of the aggregate's summary (summary-read.ts); absent: decided per request. */
  memo?: DecisionMemo;
}

/** Province of a regency, regency of a village (villages group under their regency: districts publish nothing). */
function parentOf(code: string): string | null {
  const level = regionLevel(code);
  if (level === 'REGENCY') return code.split('.')[0]!;
  if (level === 'VILLAGE') return code.split('.').slice(0, 2).join('.');
  return null;
}

const cellId = (code: string, part = '') => `${code}|${part}`;
const unique = <T>(items: Iterable<T>) => [...new Set(items)];

/**
 * Per-request loader of disclosed region aggregates. For a batch of regions it fetches, in one statement
 * per table, the whole sibling group of each (every province; the regencies of their provinces; the
 * villages of their regencies) and decides every cell of those groups with the kit's rule. A cell's
 * decision depends only on its groups, so it is the same whichever query asks.
 */
export function disclosedAggregateLoader<Row extends RegionRow>(options: DisclosedAggregateOptions<Row>): DataLoader<AggregateKey, DisclosedCell<Row>, string> {
  const parts = ['', ...(options.parts ?? [])];
  const keyOf = (key: AggregateKey) => `${key.table ?? ''}#${cellId(key.code, key.part)}`;
  return new DataLoader<AggregateKey, DisclosedCell<Row>, string>(
    async (keys) => {
      const results = new Map<string, DisclosedCell<Row>>();
      for (const [table, tableKeys] of groupBy(keys, (key) => key.table ?? '')) {
        const codes = unique(tableKeys.map((key) => key.code)).sort();
        const decided = await memoisedDecision(options, parts, table, codes);
        for (const key of tableKeys) results.set(keyOf(key), decided(key.code, key.part ?? ''));
      }
      return keys.map((key) => results.get(keyOf(key))!);
    },
    { cacheKeyFn: keyOf, maxBatchSize: 5000 },
  );
}

type Decided<Row> = (code: string, part: string) => DisclosedCell<Row>;

/**
 * The decisions for the regions asked, reused while the summary's version stands: the same version
 * and regions mean the same rows, so the same decisions. A first ask reads the rows (with the version)
 * in one statement; a repeat reads the version alone, and the rows again only when it moved.
 */
async function memoisedDecision<Row extends RegionRow>(
  options: DisclosedAggregateOptions<Row>,
  parts: readonly string[],
  table: string,
  codes: readonly string[],
): Promise<Decided<Row>> {
  const memo = options.memo;
  if (!memo) return (await decideTable(options, parts, table, codes)).decided;
  const key = `${table}|${codes.join(',')}`;
  const known = memo.cache.get(key) as { version: string; decided: Decided<Row> } | undefined;
  if (known && known.version === (await memo.version())) return known.decided;
  const { decided, version } = await decideTable(options, parts, table, codes);
  if (version !== undefined) memo.cache.set(key, { version, decided });
  return decided;
}

async function decideTable<Row extends RegionRow>(
  options: DisclosedAggregateOptions<Row>,
  parts: readonly string[],
  table: string,
  codes: readonly string[],
): Promise<{ decided: Decided<Row>; version?: string }> {
  const byLevel = groupBy(codes, (code) => regionLevel(code));
  if (byLevel.has('DISTRICT')) throw badInput('Districts publish no aggregates; ask for the regency or its villages.', { argument: 'code' });
  const villages = byLevel.get('VILLAGE') ?? [];
  const regencies = unique([...(byLevel.get('REGENCY') ?? []), ...villages.map((v) => parentOf(v)!)]);
  const groups: RegionGroup[] = [];
  // With parts, a province's decision may rest on its regencies (a kind cell derived through them): fetch them all.
  if (byLevel.has('PROVINCE')) groups.push({ column: 'provinceCode', within: null });
  if (byLevel.has('PROVINCE') && parts.length > 1) groups.push({ column: 'regencyCode', within: null });
  else if (regencies.length > 0) groups.push({ column: 'regencyCode', within: unique(regencies.map((r) => parentOf(r)!)) });
  if (villages.length > 0) groups.push({ column: 'villageCode', within: unique(villages.map((v) => parentOf(v)!)) });
  const rows: Row[] & { summaryVersion?: string } = await options.fetch(groups, table);

  const rowById = new Map(rows.map((row) => [cellId(row.code, row.part ?? ''), row]));
  const spec = options.spec;
  // Children per parent region, from the rows and the codes asked (a region without records covers nobody).
  const childrenOf = new Map<string, Set<string>>();
  const regions = new Set<string>(codes);
  for (const code of [...rows.map((r) => r.code), ...codes]) {
    regions.add(code);
    const parent = parentOf(code);
    if (parent === null) continue;
    regions.add(parent);
    childrenOf.set(parent, (childrenOf.get(parent) ?? new Set()).add(code));
  }
  // Coverage per cell and unit: from its row, else summed from its children (a parent whose own group was not fetched).
  const coverage = new Map<string, Coverage[][]>();
  const coverOf = (code: string, part: string): Coverage[][] => {
    const id = cellId(code, part);
    const known = coverage.get(id);
    if (known) return known;
    const row = rowById.get(id);
    const cell = row
      ? spec.map((unit) => unit.covers.map((cover) => coverageOf(row, cover)))
      : [...(childrenOf.get(code) ?? [])].reduce<Coverage[][]>(
          (sum, child) =>
            sum.map((unit, u) =>
              unit.map((c, i) => {
                const more = coverOf(child, part)[u]![i]!;
                return { population: c.population + more.population, contributors: c.contributors + more.contributors };
              }),
            ),
          spec.map((unit) => unit.covers.map(() => ({ population: 0, contributors: 0 }))),
        );
    coverage.set(id, cell);
    return cell;
  };
  const depth = (code: string) => code.split('.').length;
  const ordered = [...regions].sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : 1));
  for (const code of ordered.slice().reverse()) for (const part of parts) coverOf(code, part);

  // Provinces and regencies are decided first; villages then, under their regency's decision as given,
  // so a regency reads the same however it was reached.
  const upper: Equation[] = [];
  const lower: Equation[] = [];
  for (const code of ordered) {
    const children = [...(childrenOf.get(code) ?? [])].sort();
    const into = children.some((c) => depth(c) > 2) ? lower : upper;
    if (children.length > 0) for (const part of parts) into.push({ parent: cellId(code, part), children: children.map((c) => cellId(c, part)) });
    if (parts.length > 1) (depth(code) > 2 ? lower : upper).push({ parent: cellId(code), children: parts.slice(1).map((p) => cellId(code, p)) });
  }
  const k = disclosureThreshold();
  const decisions = spec.map((_, u) => {
    const unit = (keep: (id: string) => boolean) => new Map([...coverage].filter(([id]) => keep(id)).map(([id, cell]) => [id, cell[u]!]));
    const isVillage = (id: string) => depth(id.split('|')[0]!) > 2;
    const above = decideUnit(
      unit((id) => !isVillage(id)),
      upper,
      k,
    );
    if (lower.length === 0) return above;
    const frozen = new Map([...unit((id) => !isVillage(id)).keys()].map((id) => [id, above.get(id) ?? null]));
    const below = decideUnit(
      unit(() => true),
      [...upper, ...lower],
      k,
      frozen,
    );
    return new Map([...above, ...below]);
  });

  // Newest asOf per sibling group (the parent's, or every province's).
  const groupAsOf = new Map<string, Date>();
  for (const row of rows) {
    const group = parentOf(row.code) ?? '';
    const current = groupAsOf.get(group);
    if (row.asOf && (!current || row.asOf > current)) groupAsOf.set(group, row.asOf);
  }
  const decided = (code: string, part: string): DisclosedCell<Row> => {
    const id = cellId(code, part);
    const reasons = new Map<string, SuppressionReason>();
    spec.forEach((unit, u) => {
      const reason = decisions[u]!.get(id);
      if (reason) for (const field of unit.fields) reasons.set(field, reason);
    });
    return { row: rowById.get(id) ?? null, reasons, groupAsOf: groupAsOf.get(parentOf(code) ?? '') ?? null };
  };
  return { decided, version: rows.summaryVersion };
}
