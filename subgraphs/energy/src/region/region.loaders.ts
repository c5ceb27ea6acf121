import { aggregateLoader } from '@kopdes/kit';
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
}

/** Plant capacity and village electrification per region: one statement for every region of a batch. */
export function energyAggregateSql(column: 'provinceCode' | 'regencyCode'): string {
  return `
    WITH plants AS (
      SELECT "${column}" AS code,
             count(*)::int AS plants,
             coalesce(sum("capacityKwp") FILTER (WHERE status = 'PLANNED'), 0)::float8 AS "kwpPlanned",
             coalesce(sum("capacityKwp") FILTER (WHERE status = 'UNDER_CONSTRUCTION'), 0)::float8 AS "kwpUnderConstruction",
             coalesce(sum("capacityKwp") FILTER (WHERE status IN ('COMMISSIONED', 'OPERATING')), 0)::float8 AS "kwpCommissioned",
             coalesce(sum("capacityKwp") FILTER (WHERE status = 'OPERATING'), 0)::float8 AS "kwpOperating",
             max("updatedAt") AS "asOf"
        FROM "SolarPlant" WHERE "${column}" = ANY($1) GROUP BY 1
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
        FROM "VillageElectrification" v WHERE v."${column}" = ANY($1) GROUP BY 1
    )
    SELECT code,
           coalesce(p."kwpPlanned", 0)::float8 AS "kwpPlanned", coalesce(p."kwpUnderConstruction", 0)::float8 AS "kwpUnderConstruction",
           coalesce(p."kwpCommissioned", 0)::float8 AS "kwpCommissioned", coalesce(p."kwpOperating", 0)::float8 AS "kwpOperating",
           coalesce(p.plants, 0) AS plants, coalesce(v.villages, 0) AS villages,
           coalesce(v."unelectrifiedVillages", 0) AS "unelectrifiedVillages",
           coalesce(v."unelectrifiedVillagesWithCooperative", 0) AS "unelectrifiedVillagesWithCooperative",
           coalesce(v."unelectrifiedVillagesWithPlant", 0) AS "unelectrifiedVillagesWithPlant",
           coalesce(v."unreliableSupplyVillages", 0) AS "unreliableSupplyVillages",
           greatest(p."asOf", v."asOf") AS "asOf"
      FROM plants p FULL JOIN villages v USING (code)`;
}

function loaderFor(db: EnergyDb, column: 'provinceCode' | 'regencyCode') {
  const sql = energyAggregateSql(column);
  return aggregateLoader((codes) => db.$queryRawUnsafe<EnergyAggregateRow[]>(sql, codes), (code) => ({
    code, kwpPlanned: 0, kwpUnderConstruction: 0, kwpCommissioned: 0, kwpOperating: 0, plants: 0, villages: 0,
    unelectrifiedVillages: 0, unelectrifiedVillagesWithCooperative: 0, unelectrifiedVillagesWithPlant: 0, unreliableSupplyVillages: 0, asOf: null,
  }));
}

export function createRegionLoaders(db: EnergyDb) {
  return {
    provinceAggregate: loaderFor(db, 'provinceCode'),
    regencyAggregate: loaderFor(db, 'regencyCode'),
  };
}

