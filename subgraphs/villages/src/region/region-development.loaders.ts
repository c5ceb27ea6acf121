import { counts, disclosedAggregateLoader, type DisclosureSpec, type RegionColumn, type RegionSummary, summarisedAggregate, total } from '@kopdes/kit';
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
  /** Villages of the region that year: the population every figure speaks about. */
  villages: number;
  /** Desa with a Dana Desa ceiling: the villages behind danaDesaTotal. */
  ceilingVillages: number;
}

/**
 * Disclosure control, as for every ministry, although each village's category and ceiling are public
 * (Village.developmentStatus, Village.danaDesa): counts of the region's villages, and the ceilings'
 * total made of the desa that have one.
 */
export const DEVELOPMENT_DISCLOSURE: DisclosureSpec<DevelopmentAggregateRow> = [
  counts<DevelopmentAggregateRow>(['mandiri', 'maju', 'berkembang', 'tertinggal', 'sangatTertinggal', 'unclassified'], 'villages'),
  total<DevelopmentAggregateRow>('danaDesaTotal', 'ceilingVillages', 'villages'),
];

export const emptyDevelopmentRow = (code: string, year: number): DevelopmentAggregateRow => ({
  code,
  year,
  mandiri: 0,
  maju: 0,
  berkembang: 0,
  tertinggal: 0,
  sangatTertinggal: 0,
  unclassified: 0,
  danaDesaTotal: 0n,
  asOf: new Date(0),
  villages: 0,
  ceilingVillages: 0,
});

/** Villages per category and the Dana Desa total per region and year of one group (a loader's table is the year). */
function developmentSql(column: RegionColumn, where: () => string): string {
  return `SELECT "${column}" AS code, year,
                 (count(*) FILTER (WHERE status = 'MANDIRI'))::int AS mandiri,
                 (count(*) FILTER (WHERE status = 'MAJU'))::int AS maju,
                 (count(*) FILTER (WHERE status = 'BERKEMBANG'))::int AS berkembang,
                 (count(*) FILTER (WHERE status = 'TERTINGGAL'))::int AS tertinggal,
                 (count(*) FILTER (WHERE status = 'SANGAT_TERTINGGAL'))::int AS "sangatTertinggal",
                 (count(*) FILTER (WHERE status IS NULL))::int AS unclassified,
                 coalesce(sum("danaDesaCeiling"), 0)::bigint AS "danaDesaTotal",
                 max("updatedAt") AS "asOf", count(*)::int AS villages,
                 (count(*) FILTER (WHERE "danaDesaCeiling" > 0))::int AS "ceilingVillages"
            FROM "VillageYear" WHERE ${where()} GROUP BY 1, 2`;
}

/** Province and regency figures of every year kept summarised, current with every village-year write. */
export const DEVELOPMENT_SUMMARY: RegionSummary = { name: 'development', tables: ['VillageYear'], select: developmentSql, tableColumn: 'year' };

/** Province and regency figures of one year with their disclosure decisions: one statement per year asked. */
export function createRegionDevelopmentLoaders(db: VillagesDb) {
  return {
    regionDevelopment: disclosedAggregateLoader<DevelopmentAggregateRow>({
      spec: DEVELOPMENT_DISCLOSURE,
      ...summarisedAggregate<DevelopmentAggregateRow>(db, DEVELOPMENT_SUMMARY),
    }),
  };
}
