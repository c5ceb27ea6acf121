import {
  counts,
  type Database,
  disclosedAggregateLoader,
  type DisclosureSpec,
  groupLoader,
  keyLoader,
  keyLookup,
  listLookup,
  type RegionColumn,
  type RegionPrefixColumn,
  type RegionSummary,
  summarisedAggregate,
  summariesEnabled,
  summaryTable,
  total,
} from '@kopdes/kit';
import type { CooperativesDb } from '../db';
import { Prisma, type Cooperative } from '../generated/prisma/client';
import { CooperativeKind, LifecycleStage } from '../generated/prisma/enums';

/** What the client reads of a cooperative: every column but the board (personal data, read only on the access record). */
export type CooperativeRow = Omit<Cooperative, 'board'>;
const COOPERATIVE_COLUMNS = Object.values(Prisma.CooperativeScalarFieldEnum).filter((c): c is keyof CooperativeRow & string => c !== 'board');
/**
 * A cooperative as `_entities` and `cooperative(id:)` read it: every column but the business units
 * (JSON, parsed per row) and `updatedAt`, about a tenth of the kit's CPU per one-entity read
 * (bench:floor: 1.41x the floor without them, 1.52-1.61x with), which only `businessUnits` and `provenance` show; those
 * fields read them by `cooperativeDetail` when the row lacks them (one more statement per batch).
 */
export type CooperativeEntityRow = Omit<CooperativeRow, 'units' | 'updatedAt'> & Partial<Pick<CooperativeRow, 'units' | 'updatedAt'>>;
const COOPERATIVE_BY_ID = keyLookup<CooperativeEntityRow>(
  'Cooperative',
  'id',
  COOPERATIVE_COLUMNS.filter((c) => c !== 'units' && c !== 'updatedAt'),
);
const COOPERATIVE_DETAIL_BY_ID = keyLookup<Pick<CooperativeRow, 'id' | 'units' | 'updatedAt'>>('Cooperative', 'id', ['id', 'units', 'updatedAt']);
const SELECTED = COOPERATIVE_COLUMNS.map((c) => `"${c}"`).join(', ');
const COOPERATIVES_OF_VILLAGE = listLookup<CooperativeRow>('Cooperative', 'villageCode', COOPERATIVE_COLUMNS, [['id', 'asc']]);

/**
 * How many cooperatives a region has. A province or regency reads it from the registry summary (its
 * stage and kind rows, at most 18, kept current by the writing transaction's trigger): counting a
 * province's rows took PostgreSQL about 4 ms per request for Jawa Timur's 8,494. A district or
 * village, or any region with summaries off, is counted from its rows.
 */
function regionCountSql(column: RegionPrefixColumn): string {
  return (column === 'provinceCode' || column === 'regencyCode') && summariesEnabled()
    ? `SELECT coalesce(sum(n), 0)::int AS count FROM "${summaryTable(REGISTRY_SUMMARY)}" WHERE level = '${column}' AND code = $1`
    : `SELECT count(*)::int AS count FROM "Cooperative" WHERE "${column}" = $1`;
}

/**
 * A page of one region's cooperatives by id, and their count: the page a front end asks for most (a
 * province's or regency's list), as two counted reads. Through Prisma's findMany and count it took over
 * half of this subgraph's CPU on region-list traffic (the query compiler, per request). `column` is one
 * of the kit's region columns, never the caller's text.
 */
export async function regionPage(
  db: Pick<Database<unknown>, 'read'>,
  column: RegionPrefixColumn,
  code: string,
  afterId: string | undefined,
  take: number,
  withCount: boolean,
): Promise<{ rows: CooperativeRow[]; totalCount: number }> {
  const [rows, counted] = await Promise.all([
    db.read<CooperativeRow>(
      `SELECT ${SELECTED} FROM "Cooperative" WHERE "${column}" = $1 AND ($2::text IS NULL OR "id" > $2::text) ORDER BY "id" ASC LIMIT $3`,
      [code, afterId ?? null, take],
    ),
    withCount ? db.read<{ count: number }>(regionCountSql(column), [code]) : [],
  ]);
  return { rows, totalCount: counted[0]?.count ?? 0 };
}

const LOAN_READY: LifecycleStage[] = [LifecycleStage.SIMKOPDES, LifecycleStage.OPERATING];
const LEGAL: LifecycleStage[] = Object.values(LifecycleStage).slice(2) as LifecycleStage[];

export interface RegistryAggregateRow {
  code: string;
  /** '' for every cooperative of the region, else the kind (KDMP or KKMP). */
  part: string;
  cooperatives: number;
  kdmp: number;
  kkmp: number;
  legalEntities: number;
  loanReady: number;
  operating: number;
  members: number;
  byStage: Record<string, number>;
  asOf: Date;
  /** Cooperatives reporting any member: the ones behind `members`. */
  memberCooperatives: number;
}

/** Disclosure control: counts of the region's cooperatives (of the kind), and the members' total made of those with any. */
export const REGISTRY_DISCLOSURE: DisclosureSpec<RegistryAggregateRow> = [
  counts<RegistryAggregateRow>(['cooperatives', 'kdmp', 'kkmp', 'legalEntities', 'loanReady', 'operating', 'byStage'], 'cooperatives'),
  total<RegistryAggregateRow>('members', 'memberCooperatives', 'cooperatives'),
];

/** Kinds a region's registry figures split into (Province.registry(kind:)): KDMP and KKMP add up to all. */
export const REGISTRY_PARTS = Object.values(CooperativeKind);

export const emptyRegistryRow = (code: string, part = ''): RegistryAggregateRow => ({
  code,
  part,
  cooperatives: 0,
  kdmp: 0,
  kkmp: 0,
  legalEntities: 0,
  loanReady: 0,
  operating: 0,
  members: 0,
  byStage: {},
  asOf: new Date(0),
  memberCooperatives: 0,
});

/** Counts per region, stage and kind of one group (at most regions x 9 x 2 rows come back). */
function registrySql(column: RegionColumn, where: () => string): string {
  return `SELECT "${column}" AS code, stage, kind::text AS kind, count(*)::int AS n, sum(members)::int AS members,
                 (count(*) FILTER (WHERE members > 0))::int AS "memberCooperatives", max("updatedAt") AS "asOf"
            FROM "Cooperative" WHERE ${where()} GROUP BY 1, 2, 3`;
}

/** Folds stage and kind rows into one row per region and kind, and one per region (part ''). */
function foldRegistry(
  rows: { code: string; stage: LifecycleStage; kind: string; n: number; members: number; memberCooperatives: number; asOf: Date }[],
): RegistryAggregateRow[] {
  const byCell = new Map<string, RegistryAggregateRow>();
  for (const row of rows) {
    for (const part of ['', row.kind]) {
      const key = `${row.code}|${part}`;
      const agg = byCell.get(key) ?? emptyRegistryRow(row.code, part);
      byCell.set(key, agg);
      agg.cooperatives += row.n;
      agg.members += row.members;
      agg.memberCooperatives += row.memberCooperatives;
      if (row.kind === 'KDMP') agg.kdmp += row.n;
      else agg.kkmp += row.n;
      if (LEGAL.includes(row.stage)) agg.legalEntities += row.n;
      if (LOAN_READY.includes(row.stage)) agg.loanReady += row.n;
      if (row.stage === LifecycleStage.OPERATING) agg.operating += row.n;
      agg.byStage[row.stage] = (agg.byStage[row.stage] ?? 0) + row.n;
      if (row.asOf > agg.asOf) agg.asOf = row.asOf;
    }
  }
  return [...byCell.values()];
}

/** Counts per province and regency, stage and kind kept summarised, current with every registry write. */
export const REGISTRY_SUMMARY: RegionSummary = { name: 'registry', tables: ['Cooperative'], select: registrySql };

type RegistryCountRow = Parameters<typeof foldRegistry>[0][number];

export function createCooperativeLoaders(db: CooperativesDb, database: Pick<Database<unknown>, 'read'>) {
  return {
    cooperative: keyLoader(database, COOPERATIVE_BY_ID),
    cooperativeDetail: keyLoader(database, COOPERATIVE_DETAIL_BY_ID),
    cooperativesOfVillage: groupLoader(database, COOPERATIVES_OF_VILLAGE),
    /** Province, regency and village registry figures, whole or per kind, with their disclosure decisions: one statement per batch. */
    registryAggregate: disclosedAggregateLoader<RegistryAggregateRow>({
      spec: REGISTRY_DISCLOSURE,
      parts: REGISTRY_PARTS,
      ...summarisedAggregate<RegistryCountRow, RegistryAggregateRow>(db, REGISTRY_SUMMARY, foldRegistry),
    }),
  };
}

export type CooperativeLoaders = ReturnType<typeof createCooperativeLoaders>;
