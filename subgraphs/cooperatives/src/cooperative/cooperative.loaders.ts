import { listLoader, rowLoader } from '@kopdes/kit';
import DataLoader from 'dataloader';
import type { CooperativesDb } from '../db';
import { type CooperativeKind, LifecycleStage } from '../generated/prisma/enums';

const LOAN_READY: LifecycleStage[] = [LifecycleStage.SIMKOPDES, LifecycleStage.OPERATING];
const LEGAL: LifecycleStage[] = Object.values(LifecycleStage).slice(2) as LifecycleStage[];

export interface RegistryAggregateRow {
  code: string;
  cooperatives: number;
  kdmp: number;
  kkmp: number;
  legalEntities: number;
  loanReady: number;
  operating: number;
  members: number;
  byStage: Record<string, number>;
  asOf: Date;
}

/** The region levels with a registry aggregate; each is an indexed column of Cooperative. */
export type RegistryLevel = 'provinceCode' | 'regencyCode' | 'villageCode';

/**
 * One GROUP BY for every region of a batch (all 38 provinces, or a regency's few hundred villages,
 * at once): counts per region, stage and kind, folded into figures here (at most regions x 9 x 2 rows come back).
 */
function aggregateLoader(db: CooperativesDb, column: RegistryLevel, kind: CooperativeKind | undefined) {
  return new DataLoader<string, RegistryAggregateRow>(async (codes) => {
    const rows = await db.$queryRawUnsafe<{ code: string; stage: LifecycleStage; kind: string; n: number; members: number; asOf: Date }[]>(
      `SELECT "${column}" AS code, stage, kind, count(*)::int AS n, sum(members)::int AS members, max("updatedAt") AS "asOf"
         FROM "Cooperative" WHERE "${column}" = ANY($1) ${kind ? 'AND kind::text = $2' : ''} GROUP BY 1, 2, 3`,
      ...(kind ? [[...codes], kind] : [[...codes]]),
    );
    const byCode = new Map<string, RegistryAggregateRow>();
    const empty = (code: string): RegistryAggregateRow => ({ code, cooperatives: 0, kdmp: 0, kkmp: 0, legalEntities: 0, loanReady: 0, operating: 0, members: 0, byStage: {}, asOf: new Date(0) });
    for (const row of rows) {
      const agg = byCode.get(row.code) ?? empty(row.code);
      byCode.set(row.code, agg);
      agg.cooperatives += row.n;
      agg.members += row.members;
      if (row.kind === 'KDMP') agg.kdmp += row.n; else agg.kkmp += row.n;
      if (LEGAL.includes(row.stage)) agg.legalEntities += row.n;
      if (LOAN_READY.includes(row.stage)) agg.loanReady += row.n;
      if (row.stage === LifecycleStage.OPERATING) agg.operating += row.n;
      agg.byStage[row.stage] = (agg.byStage[row.stage] ?? 0) + row.n;
      if (row.asOf > agg.asOf) agg.asOf = row.asOf;
    }
    return codes.map((code) => byCode.get(code) ?? empty(code));
  });
}

export function createCooperativeLoaders(db: CooperativesDb) {
  const aggregates = new Map<string, DataLoader<string, RegistryAggregateRow>>();
  return {
    cooperative: rowLoader((ids: readonly string[]) => db.cooperative.findMany({ where: { id: { in: [...ids] } } }), (c) => c.id),
    cooperativesOfVillage: listLoader(
      (codes: readonly string[]) => db.cooperative.findMany({ where: { villageCode: { in: [...codes] } }, orderBy: { id: 'asc' } }),
      (c) => c.villageCode,
    ),
    /** One loader per level and kind filter, made on first use. */
    registryAggregate(level: RegistryLevel, kind?: CooperativeKind) {
      const key = `${level}:${kind ?? ''}`;
      let loader = aggregates.get(key);
      if (!loader) aggregates.set(key, (loader = aggregateLoader(db, level, kind)));
      return loader;
    },
  };
}

export type CooperativeLoaders = ReturnType<typeof createCooperativeLoaders>;
