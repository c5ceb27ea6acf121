import { aggregateLoader, type Database, groupLoader, keyLoader, keyLookup, listLookup } from '@kopdes/kit';
import type { RegionsDb } from '../db';
import { type District, Prisma, type Province, type Regency, type Village } from '../generated/prisma/client';
import type { RegionCounts } from './region.type';

/** Regencies, districts, villages, desa and kelurahan of each region: one grouped statement for every region of a batch. */
function countsLoader(database: Pick<Database<unknown>, 'read'>, column: 'provinceCode' | 'regencyCode') {
  const regencies = column === 'provinceCode' ? `(SELECT count(*)::int FROM "Regency" r WHERE r."provinceCode" = v."provinceCode")` : '1';
  const sql = `
    SELECT v."${column}" AS code,
           ${regencies} AS regencies,
           count(DISTINCT v."districtCode")::int AS districts,
           count(*)::int AS villages,
           count(*) FILTER (WHERE v.kind <> 'KELURAHAN')::int AS desa,
           count(*) FILTER (WHERE v.kind = 'KELURAHAN')::int AS kelurahan
      FROM "Village" v WHERE v."${column}" = ANY($1) GROUP BY v."${column}"`;
  return aggregateLoader(
    (codes) => database.read<RegionCounts & { code: string }>(sql, [codes]),
    (code) => ({ code, regencies: column === 'provinceCode' ? 0 : 1, districts: 0, villages: 0, desa: 0, kelurahan: 0 }),
  );
}

// The lookups behind `_entities` and the by-code queries: one counted statement by primary key per batch (keyLoader).
const PROVINCE_BY_CODE = keyLookup<Province>('Province', 'code', Object.values(Prisma.ProvinceScalarFieldEnum));
const REGENCY_BY_CODE = keyLookup<Regency>('Regency', 'code', Object.values(Prisma.RegencyScalarFieldEnum));
const DISTRICT_BY_CODE = keyLookup<District>('District', 'code', Object.values(Prisma.DistrictScalarFieldEnum));
const VILLAGE_BY_CODE = keyLookup<Village>('Village', 'code', Object.values(Prisma.VillageScalarFieldEnum));
// The regions inside a region, by code (groupLoader).
const REGENCIES_OF_PROVINCE = listLookup<Regency>('Regency', 'provinceCode', Object.values(Prisma.RegencyScalarFieldEnum), [['code', 'asc']]);
const DISTRICTS_OF_REGENCY = listLookup<District>('District', 'regencyCode', Object.values(Prisma.DistrictScalarFieldEnum), [['code', 'asc']]);
const VILLAGES_OF_DISTRICT = listLookup<Village>('Village', 'districtCode', Object.values(Prisma.VillageScalarFieldEnum), [['code', 'asc']]);
const VILLAGES_OF_REGENCY = listLookup<Village>('Village', 'regencyCode', Object.values(Prisma.VillageScalarFieldEnum), [['code', 'asc']]);

/** Every loader reads by plain SQL (counted reads), none through the Prisma client. */
export function createRegionLoaders(_prisma: RegionsDb, database: Pick<Database<unknown>, 'read'>) {
  return {
    provinceCounts: countsLoader(database, 'provinceCode'),
    regencyCounts: countsLoader(database, 'regencyCode'),
    province: keyLoader(database, PROVINCE_BY_CODE),
    regency: keyLoader(database, REGENCY_BY_CODE),
    district: keyLoader(database, DISTRICT_BY_CODE),
    village: keyLoader(database, VILLAGE_BY_CODE),
    regenciesOfProvince: groupLoader(database, REGENCIES_OF_PROVINCE),
    districtsOfRegency: groupLoader(database, DISTRICTS_OF_REGENCY),
    villagesOfDistrict: groupLoader(database, VILLAGES_OF_DISTRICT),
    villagesOfRegency: groupLoader(database, VILLAGES_OF_REGENCY),
  };
}

export type RegionLoaders = ReturnType<typeof createRegionLoaders>;
