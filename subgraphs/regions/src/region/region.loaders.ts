import { listLoader, rowLoader } from '@kopdes/kit';
import type { RegionsDb } from '../db';

export function createRegionLoaders(db: RegionsDb) {
  return {
    province: rowLoader((codes: readonly string[]) => db.province.findMany({ where: { code: { in: [...codes] } } }), (r) => r.code),
    regency: rowLoader((codes: readonly string[]) => db.regency.findMany({ where: { code: { in: [...codes] } } }), (r) => r.code),
    district: rowLoader((codes: readonly string[]) => db.district.findMany({ where: { code: { in: [...codes] } } }), (r) => r.code),
    village: rowLoader((codes: readonly string[]) => db.village.findMany({ where: { code: { in: [...codes] } } }), (r) => r.code),
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
