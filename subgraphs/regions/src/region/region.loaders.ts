import { aggregateLoader, type Database, keyLoader, keyLookup, listLoader } from '@kopdes/kit';
import type { RegionsDb } from '../db';
import { type District, Prisma, type Province, type Regency, type Village } from '../generated/prisma/client';
import type { RegionCounts } from './region.type';

/** Regencies, districts, villages, desa and kelurahan of each region: one grouped statement for every region of a batch. */
function countsLoader(db: RegionsDb, column: 'provinceCode' | 'regencyCode') {
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
    (codes) => db.$queryRawUnsafe<(RegionCounts & { code: string })[]>(sql, codes),
    (code) => ({ code, regencies: column === 'provinceCode' ? 0 : 1, districts: 0, villages: 0, desa: 0, kelurahan: 0 }),
  );
}

// The lookups behind `_entities` and the by-code queries: one counted statement by primary key per batch (keyLoader).
const PROVINCE_BY_CODE = keyLookup<Province>('Province', 'code', Object.values(Prisma.ProvinceScalarFieldEnum));
const REGENCY_BY_CODE = keyLookup<Regency>('Regency', 'code', Object.values(Prisma.RegencyScalarFieldEnum));
const DISTRICT_BY_CODE = keyLookup<District>('District', 'code', Object.values(Prisma.DistrictScalarFieldEnum));
const VILLAGE_BY_CODE = keyLookup<Village>('Village', 'code', Object.values(Prisma.VillageScalarFieldEnum));

export function createRegionLoaders(db: RegionsDb, database: Pick<Database<unknown>, 'read'>) {
  return {
    provinceCounts: countsLoader(db, 'provinceCode'),
    regencyCounts: countsLoader(db, 'regencyCode'),
    province: keyLoader(database, PROVINCE_BY_CODE),
    regency: keyLoader(database, REGENCY_BY_CODE),
    district: keyLoader(database, DISTRICT_BY_CODE),
    village: keyLoader(database, VILLAGE_BY_CODE),
    regenciesOfProvince: listLoader(
      (codes: readonly string[]) => db.regency.findMany({ where: { provinceCode: { in: [...codes] } }, orderBy: { code: 'asc' } }),
      (r) => r.provinceCode,
    ),
    districtsOfRegency: listLoader(
      (codes: readonly string[]) => db.district.findMany({ where: { regencyCode: { in: [...codes] } }, orderBy: { code: 'asc' } }),
      (r) => r.regencyCode,
    ),
    villagesOfDistrict: listLoader(
      (codes: readonly string[]) => db.village.findMany({ where: { districtCode: { in: [...codes] } }, orderBy: { code: 'asc' } }),
      (r) => r.districtCode,
    ),
    villagesOfRegency: listLoader(
      (codes: readonly string[]) => db.village.findMany({ where: { regencyCode: { in: [...codes] } }, orderBy: { code: 'asc' } }),
      (r) => r.regencyCode,
    ),
  };
}

export type RegionLoaders = ReturnType<typeof createRegionLoaders>;
