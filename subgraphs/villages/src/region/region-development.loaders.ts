import DataLoader from 'dataloader';
import type { VillagesDb } from '../db';

export interface DevelopmentAggregateRow {
  code: string;
  year: number;
  mandiri: number;
  maju: number;
  berkembang: number;
  tertinggal: number;
  sangatTertinggal: number;
  unclassified: number;
  danaDesaTotal: bigint;
  asOf: Date;
}

export interface RegionYear {
  code: string;
  year: number;
}

/** One GROUP BY for every (region, year) of a batch: all 38 provinces, 2024 and 2025, at once. */
function aggregateLoader(db: VillagesDb, column: 'provinceCode' | 'regencyCode') {
  return new DataLoader<RegionYear, DevelopmentAggregateRow, string>(async (keys) => {
    const rows = await db.$queryRawUnsafe<(Omit<DevelopmentAggregateRow, 'danaDesaTotal'> & { danaDesaTotal: string })[]>(
      `SELECT "${column}" AS code, year,
              (count(*) FILTER (WHERE status = 'MANDIRI'))::int AS mandiri,
              (count(*) FILTER (WHERE status = 'MAJU'))::int AS maju,
              (count(*) FILTER (WHERE status = 'BERKEMBANG'))::int AS berkembang,
              (count(*) FILTER (WHERE status = 'TERTINGGAL'))::int AS tertinggal,
              (count(*) FILTER (WHERE status = 'SANGAT_TERTINGGAL'))::int AS "sangatTertinggal",
              (count(*) FILTER (WHERE status IS NULL))::int AS unclassified,
              coalesce(sum("danaDesaCeiling"), 0)::text AS "danaDesaTotal",
              max("updatedAt") AS "asOf"
         FROM "VillageYear" WHERE "${column}" = ANY($1) AND year = ANY($2::int[]) GROUP BY 1, 2`,
      [...new Set(keys.map((k) => k.code))],
      [...new Set(keys.map((k) => k.year))],
    );
    const byKey = new Map(rows.map((row) => [`${row.code}|${row.year}`, { ...row, danaDesaTotal: BigInt(row.danaDesaTotal) }]));
    return keys.map(({ code, year }) => byKey.get(`${code}|${year}`) ?? {
      code, year, mandiri: 0, maju: 0, berkembang: 0, tertinggal: 0, sangatTertinggal: 0, unclassified: 0, danaDesaTotal: 0n, asOf: new Date(0),
    });
  }, { cacheKeyFn: ({ code, year }) => `${code}|${year}`, maxBatchSize: 5000 });
}

export function createRegionDevelopmentLoaders(db: VillagesDb) {
  return {
    provinceAggregate: aggregateLoader(db, 'provinceCode'),
    regencyAggregate: aggregateLoader(db, 'regencyCode'),
  };
}
