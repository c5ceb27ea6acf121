import { counts, disclosedAggregateLoader, type DisclosureSpec, type RegionColumn, type RegionSummary, summarisedAggregate, total } from '@kopdes/kit';
import type { EnergyDb } from '../db';

export interface EnergyAggregateRow {
  code: string;
  kwpPlanned: number;
  kwpUnderConstruction: number;
  kwpCommissioned: number;
  kwpOperating: number;
  plants: number;
  villages: number;
  unelectrifiedVillages: number;
  unelectrifiedVillagesWithCooperative: number;
  unelectrifiedVillagesWithPlant: number;
  unreliableSupplyVillages: number;
  asOf: Date | null;
  /** Cooperative sites ESDM keeps: the population of the plant figures. */
  sites: number;
  /** Cooperatives behind each plant total. */
  plantCooperatives: number;
  plannedCooperatives: number;
  constructionCooperatives: number;
  commissionedCooperatives: number;
  operatingCooperatives: number;
  commissionedOnlyCooperatives: number;
}

/**
 * Disclosure control. Plant totals are made of the cooperatives with such a plant; kwpOperating is part
 * of kwpCommissioned, so the two stand or fall together with what lies between them (COMMISSIONED only).
 * Village figures count villages with an electrification record, each holding (about) one cooperative.
 */
export const ENERGY_DISCLOSURE: DisclosureSpec<EnergyAggregateRow> = [
  total<EnergyAggregateRow>('plants', 'plantCooperatives', 'sites'),
  total<EnergyAggregateRow>('kwpPlanned', 'plannedCooperatives', 'sites'),
  total<EnergyAggregateRow>('kwpUnderConstruction', 'constructionCooperatives', 'sites'),
  {
    fields: ['kwpCommissioned', 'kwpOperating'],
    covers: [
      { sum: 'commissionedCooperatives', of: 'sites' },
      { sum: 'operatingCooperatives', of: 'sites' },
      { sum: 'commissionedOnlyCooperatives', of: 'sites' },
    ],
  },
  counts<EnergyAggregateRow>(
    ['villages', 'unelectrifiedVillages', 'unelectrifiedVillagesWithCooperative', 'unelectrifiedVillagesWithPlant', 'unreliableSupplyVillages'],
    'villages',
  ),
];

export const emptyEnergyRow = (code: string): EnergyAggregateRow => ({
  code,
  kwpPlanned: 0,
  kwpUnderConstruction: 0,
  kwpCommissioned: 0,
  kwpOperating: 0,
  plants: 0,
  villages: 0,
  unelectrifiedVillages: 0,
  unelectrifiedVillagesWithCooperative: 0,
  unelectrifiedVillagesWithPlant: 0,
  unreliableSupplyVillages: 0,
  asOf: null,
  sites: 0,
  plantCooperatives: 0,
  plannedCooperatives: 0,
  constructionCooperatives: 0,
  commissionedCooperatives: 0,
  operatingCooperatives: 0,
  commissionedOnlyCooperatives: 0,
});

const IN_SERVICE = `status IN ('COMMISSIONED', 'OPERATING')`;
const cooperativesWith = (condition: string) => `count(DISTINCT "cooperativeId") FILTER (WHERE ${condition})::int`;

/** Plant capacity, village electrification and the cooperatives behind them, per region of one group. */
function energySql(column: RegionColumn, where: (alias?: string) => string): string {
  return `
    WITH plants AS (
      SELECT "${column}" AS code,
             count(*)::int AS plants, count(DISTINCT "cooperativeId")::int AS "plantCooperatives",
             coalesce(sum("capacityKwp") FILTER (WHERE status = 'PLANNED'), 0)::float8 AS "kwpPlanned",
             coalesce(sum("capacityKwp") FILTER (WHERE status = 'UNDER_CONSTRUCTION'), 0)::float8 AS "kwpUnderConstruction",
             coalesce(sum("capacityKwp") FILTER (WHERE ${IN_SERVICE}), 0)::float8 AS "kwpCommissioned",
             coalesce(sum("capacityKwp") FILTER (WHERE status = 'OPERATING'), 0)::float8 AS "kwpOperating",
             ${cooperativesWith(`status = 'PLANNED'`)} AS "plannedCooperatives",
             ${cooperativesWith(`status = 'UNDER_CONSTRUCTION'`)} AS "constructionCooperatives",
             ${cooperativesWith(IN_SERVICE)} AS "commissionedCooperatives",
             ${cooperativesWith(`status = 'OPERATING'`)} AS "operatingCooperatives",
             ${cooperativesWith(`status = 'COMMISSIONED'`)} AS "commissionedOnlyCooperatives",
             max("updatedAt") AS "asOf"
        FROM "SolarPlant" WHERE ${where()} GROUP BY 1
    ), sites AS (
      SELECT "${column}" AS code, count(*)::int AS sites FROM "CooperativeSite" WHERE ${where()} GROUP BY 1
    ), villages AS (
      SELECT v."${column}" AS code,
             count(*)::int AS villages,
             count(*) FILTER (WHERE NOT v.electrified)::int AS "unelectrifiedVillages",
             count(*) FILTER (WHERE NOT v.electrified
               AND EXISTS (SELECT 1 FROM "CooperativeSite" s WHERE s."villageCode" = v."villageCode"))::int AS "unelectrifiedVillagesWithCooperative",
             count(*) FILTER (WHERE NOT v.electrified
               AND EXISTS (SELECT 1 FROM "SolarPlant" p WHERE p."villageCode" = v."villageCode"))::int AS "unelectrifiedVillagesWithPlant",
             count(*) FILTER (WHERE NOT v."reliableSupply")::int AS "unreliableSupplyVillages",
             max(v."updatedAt") AS "asOf"
        FROM "VillageElectrification" v WHERE ${where('v')} GROUP BY 1
    )
    SELECT code,
           coalesce(p."kwpPlanned", 0)::float8 AS "kwpPlanned", coalesce(p."kwpUnderConstruction", 0)::float8 AS "kwpUnderConstruction",
           coalesce(p."kwpCommissioned", 0)::float8 AS "kwpCommissioned", coalesce(p."kwpOperating", 0)::float8 AS "kwpOperating",
           coalesce(p.plants, 0) AS plants, coalesce(v.villages, 0) AS villages,
           coalesce(v."unelectrifiedVillages", 0) AS "unelectrifiedVillages",
           coalesce(v."unelectrifiedVillagesWithCooperative", 0) AS "unelectrifiedVillagesWithCooperative",
           coalesce(v."unelectrifiedVillagesWithPlant", 0) AS "unelectrifiedVillagesWithPlant",
           coalesce(v."unreliableSupplyVillages", 0) AS "unreliableSupplyVillages",
           greatest(p."asOf", v."asOf") AS "asOf",
           coalesce(s.sites, 0) AS sites, coalesce(p."plantCooperatives", 0) AS "plantCooperatives",
           coalesce(p."plannedCooperatives", 0) AS "plannedCooperatives", coalesce(p."constructionCooperatives", 0) AS "constructionCooperatives",
           coalesce(p."commissionedCooperatives", 0) AS "commissionedCooperatives", coalesce(p."operatingCooperatives", 0) AS "operatingCooperatives",
           coalesce(p."commissionedOnlyCooperatives", 0) AS "commissionedOnlyCooperatives"
      FROM plants p FULL JOIN villages v USING (code) FULL JOIN sites s USING (code)`;
}

/** Province and regency figures kept summarised, current with every plant, site and electrification write. */
export const ENERGY_SUMMARY: RegionSummary = { name: 'energy', tables: ['SolarPlant', 'CooperativeSite', 'VillageElectrification'], select: energySql };

/** Province and regency figures with their disclosure decisions: one statement per batch. */
export function createRegionLoaders(db: EnergyDb) {
  return {
    regionEnergy: disclosedAggregateLoader<EnergyAggregateRow>({ spec: ENERGY_DISCLOSURE, ...summarisedAggregate<EnergyAggregateRow>(db, ENERGY_SUMMARY) }),
  };
}
